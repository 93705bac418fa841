// Tensor factories: zeros/ones/full/empty/arange/linspace/eye, *_like, and tensor(nested arrays) with
// PyTorch's dtype inference (bool -> bool, ints -> int64, any float -> float32).

import { RuntimeError } from '../errors.js';
import { DTYPES, type DType } from './dtype.js';
import { DEFAULT_FLOAT_DTYPE } from './promotion.js';
import { FloatScalar, scalarKind, scalarToNumber, type Scalar } from './scalar.js';
import { checkShape } from './shape.js';
import { Tensor, type Element } from './tensor.js';

/** The dtype option of the factories. */
export interface CreationOptions {
  dtype?: DType;
}

/** A zero-filled tensor (float32 unless told). */
export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return Tensor.zeros(options.dtype ?? DEFAULT_FLOAT_DTYPE, checkShape(shape));
}

/** torch.empty: zero-filled here, since uninitialised memory has no meaning in JS. */
export const empty = zeros;

/** A one-filled tensor. */
export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return full(shape, 1, { dtype: options.dtype ?? DEFAULT_FLOAT_DTYPE });
}

/** A tensor filled with `value`; the dtype follows the value (bool, int64 or float32) unless told. */
export function full(shape: readonly number[], value: Scalar, options: CreationOptions = {}): Tensor {
  const kind = scalarKind(value);
  const dtype = options.dtype ?? (kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : DEFAULT_FLOAT_DTYPE);
  const t = Tensor.zeros(dtype, checkShape(shape));
  const v: Element = value instanceof FloatScalar ? value.value : value;
  if (t.numel > 0) {
    t.setFlat(0, v);
    // Complex storage holds (re, im) pairs; fill element by element there.
    if (DTYPES[dtype].lanes === 2) for (let i = 1; i < t.numel; i++) t.setFlat(i, v);
    else (t.storage.data as { fill(x: number | bigint): unknown }).fill(t.storage.data[0]);
  }
  return t;
}

/** A 0-dim tensor holding one Python scalar (torch.tensor(2.5), prim::NumToTensor). */
export function scalarTensor(value: Scalar, options: CreationOptions = {}): Tensor {
  return full([], value, options);
}

/** torch.zeros_like / ones_like / full_like / empty_like. */
export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return zeros(t.shape, { dtype: options.dtype ?? t.dtype });
}
/** torch.ones_like. */
export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return ones(t.shape, { dtype: options.dtype ?? t.dtype });
}
/** torch.full_like. */
export function fullLike(t: Tensor, value: Scalar, options: CreationOptions = {}): Tensor {
  return full(t.shape, value, { dtype: options.dtype ?? t.dtype });
}

/** torch.arange(start, end, step): int64 when all bounds are ints, else float32, unless told. */
export function arange(
  start: Scalar,
  end?: Scalar | null,
  step: Scalar = 1,
  options: CreationOptions = {},
): Tensor {
  let s = start;
  let e = end;
  if (e === undefined || e === null) {
    e = s;
    s = 0;
  }
  const allInt = [s, e, step].every((x) => scalarKind(x) !== 'float');
  const dtype = options.dtype ?? (allInt ? 'int64' : DEFAULT_FLOAT_DTYPE);
  const a = scalarToNumber(s);
  const b = scalarToNumber(e);
  const st = scalarToNumber(step);
  if (st === 0) throw new RuntimeError('INVALID_ARGUMENT', 'step must be nonzero');
  if (!Number.isFinite(a) || !Number.isFinite(b))
    throw new RuntimeError('INVALID_ARGUMENT', 'unsupported range: ' + a + ' -> ' + b);
  if ((st > 0 && b < a) || (st < 0 && b > a)) {
    throw new RuntimeError('INVALID_ARGUMENT', 'upper bound and larger bound inconsistent with step sign');
  }
  const n = Math.max(0, Math.ceil((b - a) / st));
  const t = Tensor.zeros(dtype, [n]);
  for (let i = 0; i < n; i++) t.setFlat(i, a + i * st);
  return t;
}

/** torch.linspace(start, end, steps). */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  const t = Tensor.zeros(options.dtype ?? DEFAULT_FLOAT_DTYPE, [checkShape([steps])[0]]);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Like ATen, fill the second half from the end so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) t.setFlat(i, i < half ? start + step * i : end - step * (steps - 1 - i));
  return t;
}

/** torch.eye(n, m). */
export function eye(n: number, m: number = n, options: CreationOptions = {}): Tensor {
  const t = Tensor.zeros(options.dtype ?? DEFAULT_FLOAT_DTYPE, checkShape([n, m]));
  for (let i = 0; i < Math.min(n, m); i++) t.setFlat(i * m + i, 1);
  return t;
}

/** Nested JS arrays of numbers, bigints, booleans or FloatScalars. */
export type NestedArray = Scalar | readonly NestedArray[];

/** torch.tensor(data): shape from the nesting, dtype inferred unless told. */
export function tensor(data: NestedArray, options: CreationOptions = {}): Tensor {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = (probe as readonly NestedArray[])[0];
  }
  const flat: Scalar[] = [];
  const walk = (x: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw new RuntimeError('INVALID_SHAPE', 'tensor(): ragged nested sequence');
      flat.push(x as Scalar);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new RuntimeError(
        'INVALID_SHAPE',
        `expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(x) ? x.length : 'a scalar'})`,
      );
    }
    for (const y of x as readonly NestedArray[]) walk(y, depth + 1);
  };
  walk(data, 0);
  let dtype = options.dtype;
  if (dtype === undefined) {
    const kinds = new Set(flat.map(scalarKind));
    dtype = kinds.has('float')
      ? DEFAULT_FLOAT_DTYPE
      : kinds.has('int')
        ? 'int64'
        : kinds.has('bool')
          ? 'bool'
          : DEFAULT_FLOAT_DTYPE;
  }
  const t = Tensor.zeros(dtype, shape);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    t.setFlat(i, v instanceof FloatScalar ? v.value : v);
  }
  return t;
}
