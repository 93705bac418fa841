// Output comparison for the numerics check: outputs flattened to named leaves (`output[1]`), each leaf
// compared with the float64 reference run and the run before the pipeline.

import { Tuple, type IValue } from '../../ir/index.js';
import { cloneContiguous, dataAs, DTYPES, Tensor, toDType } from '../../tensor/index.js';

/** One leaf of a method's result: a tensor or a scalar, with its path (`output`, `output[0]`, `output["k"]`). */
export interface OutputLeaf {
  readonly path: string;
  readonly value: IValue;
}

/** The leaves of a result, depth first; containers give their structure as a leaf-free signature. */
export function flattenOutputs(value: IValue, path = 'output', out: OutputLeaf[] = []): OutputLeaf[] {
  if (value instanceof Tuple) value.items.forEach((v, i) => flattenOutputs(v, `${path}[${i}]`, out));
  else if (Array.isArray(value)) value.forEach((v, i) => flattenOutputs(v, `${path}[${i}]`, out));
  else if (value instanceof Map)
    for (const [k, v] of value) flattenOutputs(v, `${path}[${JSON.stringify(String(k))}]`, out);
  else out.push({ path, value });
  return out;
}

/** A deep copy of inputs, so a method that writes into its inputs cannot change the next run's. */
export function copyValue(value: IValue): IValue {
  if (value instanceof Tensor) return cloneContiguous(value);
  if (value instanceof Tuple)
    return new Tuple(
      value.items.map((v) => copyValue(v)),
      value.type,
    );
  if (Array.isArray(value)) return value.map((v) => copyValue(v));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, copyValue(v)]));
  return value;
}

/** Floating tensors (and floats) as float64, for the reference run's inputs. */
export function toFloat64(value: IValue): IValue {
  if (value instanceof Tensor)
    return DTYPES[value.dtype].isFloatingPoint ? toDType(value, 'float64', true) : cloneContiguous(value);
  if (value instanceof Tuple)
    return new Tuple(
      value.items.map((v) => toFloat64(v)),
      value.type,
    );
  if (Array.isArray(value)) return value.map((v) => toFloat64(v));
  return copyValue(value);
}

/** How far one leaf is from another: the largest absolute difference, and it relative to the reference's largest magnitude. */
export interface LeafError {
  readonly maxAbs: number;
  readonly maxRel: number;
  /** Largest magnitude of the reference leaf. */
  readonly scale: number;
  /** Set when the leaves cannot be compared (shape, dtype kind or value kind differ). */
  readonly mismatch?: string;
  /** True for exact leaves (integers, booleans, strings): any difference is a break. */
  readonly exact: boolean;
}

/** Compares `actual` with `reference` (same path). NaN where the reference is finite counts as infinite error. */
export function leafError(actual: IValue, reference: IValue): LeafError {
  if (actual instanceof Tensor && reference instanceof Tensor) {
    const floating = DTYPES[reference.dtype].isFloatingPoint;
    if (actual.shape.join() !== reference.shape.join())
      return mismatch(
        `shape [${actual.shape.join(', ')}] instead of [${reference.shape.join(', ')}]`,
        !floating,
      );
    if (DTYPES[actual.dtype].isFloatingPoint !== floating)
      return mismatch(`dtype ${actual.dtype} instead of ${reference.dtype}`, !floating);
    return arrayError(
      dataAs(actual, 'float64') as Float64Array,
      dataAs(reference, 'float64') as Float64Array,
      !floating,
    );
  }
  if (typeof actual === 'number' && typeof reference === 'number')
    return arrayError(
      Float64Array.of(actual),
      Float64Array.of(reference),
      Number.isInteger(reference) && Number.isInteger(actual),
    );
  if (actual instanceof Tensor || reference instanceof Tensor)
    return mismatch(`${describe(actual)} instead of ${describe(reference)}`, true);
  const same =
    actual === reference || (typeof actual === 'bigint' && BigInt(actual) === BigInt(reference as bigint));
  return same
    ? { maxAbs: 0, maxRel: 0, scale: 0, exact: true }
    : mismatch(`${describe(actual)} instead of ${describe(reference)}`, true);
}

function arrayError(a: Float64Array, b: Float64Array, exact: boolean): LeafError {
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const r = b[i];
    const d = Math.abs(a[i] - r);
    if (Number.isFinite(r)) scale = Math.max(scale, Math.abs(r));
    if (Number.isNaN(d)) {
      // Same non-finite value on both sides is no error; anything else is.
      if (!(Number.isNaN(a[i]) && Number.isNaN(r)) && a[i] !== r) maxAbs = Infinity;
    } else if (d > maxAbs) maxAbs = d;
  }
  return { maxAbs, maxRel: scale > 0 ? maxAbs / scale : maxAbs, scale, exact };
}

function mismatch(message: string, exact: boolean): LeafError {
  return { maxAbs: Infinity, maxRel: Infinity, scale: 0, mismatch: message, exact };
}

function describe(v: IValue): string {
  if (v instanceof Tensor) return `a ${v.dtype} tensor [${v.shape.join(', ')}]`;
  if (v === null) return 'None';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
