// The element-wise engine under every arithmetic, comparison and activation kernel: type promotion,
// broadcasting, casting inputs to the compute dtype, strided loops over the raw typed arrays (with
// contiguous and scalar fast paths), and writing into an `out`/in-place tensor through its strides.

import { RuntimeError, UnsupportedError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { cloneContiguous, copyInto, toDType, type LooseArray } from '../../tensor/convert.js';
import { full } from '../../tensor/creation.js';
import { forEachRun } from '../../tensor/iter.js';
import { checkCanCast, resultType } from '../../tensor/promotion.js';
import { FloatScalar, type Scalar } from '../../tensor/scalar.js';
import { broadcastShapes, broadcastStrides, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { binaryLoop, unaryLoop } from './ew-jit.js';

/** A number-indexed array of numbers (every non-int64, non-half storage). */
export type NumArray = { [index: number]: number; readonly length: number };
/** The int64 storage. */
export type BigArray = { [index: number]: bigint; readonly length: number };

export type NumFn1 = (x: number) => number;
export type NumFn2 = (x: number, y: number) => number;
export type BigFn1 = (x: bigint) => bigint | number | boolean;
export type BigFn2 = (x: bigint, y: bigint) => bigint | number | boolean;

/** A tensor operand or a Python scalar (a wrapped number in promotion). */
export type Operand = Tensor | Scalar;

const NUM_KIND = new Set<DType>(['float32', 'float64', 'int32', 'int16', 'int8', 'uint8', 'bool']);

/** True when `d`'s storage holds plain JS numbers (not bigint, half bits or complex pairs). */
export function isNumKind(d: DType): boolean {
  return NUM_KIND.has(d);
}

// Every value of `src` is exactly a value of `compute`, so src's storage can be read as compute values.
const EXACT: Record<string, readonly DType[]> = {
  bool: ['bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'],
  uint8: ['uint8', 'int16', 'int32', 'float32', 'float64'],
  int8: ['int8', 'int16', 'int32', 'float32', 'float64'],
  int16: ['int16', 'int32', 'float32', 'float64'],
  int32: ['int32', 'float64'],
  float32: ['float32', 'float64'],
  float64: ['float64'],
};

/** The dtype whose JS-number values a loop computes in: halfs compute in float32, as ATen does. */
export function numComputeDType(compute: DType): DType {
  return compute === 'float16' || compute === 'bfloat16' ? 'float32' : compute;
}

/** `t` readable as `compute` values: itself when its storage already holds them exactly, else a cast copy. */
export function asCompute(t: Tensor, compute: DType): Tensor {
  if (compute === 'int64') return toDType(t, 'int64');
  const num = numComputeDType(compute);
  if (t.dtype === num || (EXACT[t.dtype]?.includes(num) ?? false)) return t;
  // Round through the compute dtype first (a float64 0-dim meeting a float16 tensor becomes a half).
  return toDType(num === compute ? t : toDType(t, compute), num);
}

function scalarOperand(s: Scalar, compute: DType): Tensor {
  return full([], s instanceof FloatScalar ? s.value : s, {
    dtype: compute === 'int64' ? 'int64' : numComputeDType(compute),
  });
}

// An input that shares storage with the output through another geometry must be read before writing.
function unaliased(input: Tensor, out: Tensor | undefined): Tensor {
  if (out === undefined || input.storage !== out.storage) return input;
  const same =
    input.offset === out.offset && sameShape(input.shape, out.shape) && sameShape(input.strides, out.strides);
  return same ? input : cloneContiguous(input);
}

function checkOut(out: Tensor, shape: readonly number[], result: DType): void {
  checkCanCast(result, out.dtype);
  if (!sameShape(out.shape, shape)) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `output with shape [${out.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`,
    );
  }
}

/** How an op maps the promoted dtype of its inputs to the dtype it computes in and the dtype it returns. */
export type DTypeRule = (common: DType) => readonly [compute: DType, result: DType];

/** Same dtype in and out. */
export const SAME: DTypeRule = (d) => [d, d];

/** Integral inputs compute and return float32 (true division, sqrt, exp, ...). */
export const FLOAT_RESULT: DTypeRule = (d) => {
  const f = DTYPES[d].isFloatingPoint || DTYPES[d].isComplex ? d : 'float32';
  return [f, f];
};

/** Compute in the common dtype, return bool (comparisons). */
export const BOOL_RESULT: DTypeRule = (d) => [d, 'bool'];

/** Spec of a binary element-wise op. */
export interface BinarySpec {
  readonly name: string;
  readonly types?: DTypeRule;
  readonly num: NumFn2;
  readonly big?: BigFn2;
  /** The same as `num` as a JS expression over x, y, c0, c1, compiled into a specialised loop. */
  readonly expr?: string;
  readonly consts?: readonly [number, number?];
}

/** Spec of a unary element-wise op. */
export interface UnarySpec {
  readonly name: string;
  readonly types?: DTypeRule;
  readonly num: NumFn1;
  readonly big?: BigFn1;
  /** The same as `num` as a JS expression over x, c0, c1, compiled into a specialised loop. */
  readonly expr?: string;
  readonly consts?: readonly [number, number?];
}

// Allocates where results land; a half or int64 result computed with numbers goes through a float temp.
function target(
  shape: readonly number[],
  result: DType,
  bigPath: boolean,
  out?: Tensor,
): { dst: Tensor; final: Tensor } {
  const final = out ?? Tensor.zeros(result, shape);
  if (out !== undefined && out.dtype !== result) {
    const dst = Tensor.zeros(bigPath ? result : isNumKind(result) ? result : 'float64', shape);
    return { dst, final };
  }
  if (!bigPath && !isNumKind(final.dtype)) return { dst: Tensor.zeros('float64', shape), final };
  return { dst: final, final };
}

function finish(dst: Tensor, final: Tensor): Tensor {
  if (dst !== final) copyInto(final, dst);
  return final;
}

/** Applies a binary op with broadcasting and promotion; writes into `out` (in-place ops pass self) when given. */
export function binaryOp(a: Operand, b: Operand, spec: BinarySpec, out?: Tensor): Tensor {
  const common = resultType(a, b);
  const [compute, result] = (spec.types ?? SAME)(common);
  const ta = a instanceof Tensor ? asCompute(a, compute) : scalarOperand(a, compute);
  const tb = b instanceof Tensor ? asCompute(b, compute) : scalarOperand(b, compute);
  const shape = broadcastShapes(ta.shape, tb.shape);
  if (out !== undefined) checkOut(out, shape, result);
  const bigPath = compute === 'int64';
  if (bigPath && spec.big === undefined)
    throw new UnsupportedError(`${spec.name}: not implemented for 'Long'`);
  const { dst, final } = target(shape, result, bigPath, out);
  const x = unaliased(ta, dst);
  const y = unaliased(tb, dst);
  const strides = [
    dst.strides,
    broadcastStrides(x.shape, x.strides, shape),
    broadcastStrides(y.shape, y.strides, shape),
  ];
  const offsets = [dst.offset, x.offset, y.offset];
  if (bigPath) {
    const f = spec.big as BigFn2;
    const o = dst.storage.data as LooseArray;
    const p = x.storage.data as BigArray;
    const q = y.storage.data as BigArray;
    const store = bigStorer(dst.dtype);
    forEachRun(shape, strides, offsets, (offs, n, st) => {
      let io = offs[0];
      let ia = offs[1];
      let ib = offs[2];
      for (let k = 0; k < n; k++, io += st[0], ia += st[1], ib += st[2]) store(o, io, f(p[ia], q[ib]));
    });
    return finish(dst, final);
  }
  const o = dst.storage.data as NumArray;
  const p = x.storage.data as NumArray;
  const q = y.storage.data as NumArray;
  if (spec.expr !== undefined) {
    const loop = binaryLoop(spec.expr);
    const c0 = spec.consts?.[0] ?? 0;
    const c1 = spec.consts?.[1] ?? 0;
    forEachRun(shape, strides, offsets, (offs, n, st) =>
      loop(o, p, q, offs[0], offs[1], offs[2], st[0], st[1], st[2], n, c0, c1),
    );
    return finish(dst, final);
  }
  const f = spec.num;
  forEachRun(shape, strides, offsets, (offs, n, st) => {
    const io = offs[0];
    const ia = offs[1];
    const ib = offs[2];
    const so = st[0];
    const sa = st[1];
    const sb = st[2];
    if (so === 1 && sa === 1 && sb === 1) {
      for (let k = 0; k < n; k++) o[io + k] = f(p[ia + k], q[ib + k]);
    } else if (so === 1 && sa === 1 && sb === 0) {
      const v = q[ib];
      for (let k = 0; k < n; k++) o[io + k] = f(p[ia + k], v);
    } else if (so === 1 && sa === 0 && sb === 1) {
      const u = p[ia];
      for (let k = 0; k < n; k++) o[io + k] = f(u, q[ib + k]);
    } else {
      for (let k = 0; k < n; k++) o[io + k * so] = f(p[ia + k * sa], q[ib + k * sb]);
    }
  });
  return finish(dst, final);
}

function bigStorer(d: DType): (o: LooseArray, i: number, v: bigint | number | boolean) => void {
  if (d === 'int64') return (o, i, v) => (o[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
  if (d === 'bool') return (o, i, v) => (o[i] = (typeof v === 'bigint' ? v !== 0n : Boolean(v)) ? 1 : 0);
  return (o, i, v) => (o[i] = Number(v));
}

/** Applies a unary op; writes into `out` (in-place ops pass self) when given. */
export function unaryOp(a: Tensor, spec: UnarySpec, out?: Tensor): Tensor {
  const [compute, result] = (spec.types ?? SAME)(a.dtype);
  const x0 = asCompute(a, compute);
  const shape = x0.shape;
  if (out !== undefined) checkOut(out, shape, result);
  const bigPath = compute === 'int64';
  if (bigPath && spec.big === undefined)
    throw new UnsupportedError(`${spec.name}: not implemented for 'Long'`);
  const { dst, final } = target(shape, result, bigPath, out);
  const x = unaliased(x0, dst);
  const strides = [dst.strides, x.strides];
  const offsets = [dst.offset, x.offset];
  if (bigPath) {
    const f = spec.big as BigFn1;
    const o = dst.storage.data as LooseArray;
    const p = x.storage.data as BigArray;
    const store = bigStorer(dst.dtype);
    forEachRun(shape, strides, offsets, (offs, n, st) => {
      let io = offs[0];
      let ia = offs[1];
      for (let k = 0; k < n; k++, io += st[0], ia += st[1]) store(o, io, f(p[ia]));
    });
    return finish(dst, final);
  }
  const o = dst.storage.data as NumArray;
  const p = x.storage.data as NumArray;
  if (spec.expr !== undefined) {
    const loop = unaryLoop(spec.expr);
    const c0 = spec.consts?.[0] ?? 0;
    const c1 = spec.consts?.[1] ?? 0;
    forEachRun(shape, strides, offsets, (offs, n, st) =>
      loop(o, p, offs[0], offs[1], st[0], st[1], n, c0, c1),
    );
    return finish(dst, final);
  }
  const f = spec.num;
  forEachRun(shape, strides, offsets, (offs, n, st) => {
    const io = offs[0];
    const ia = offs[1];
    const so = st[0];
    const sa = st[1];
    if (so === 1 && sa === 1) for (let k = 0; k < n; k++) o[io + k] = f(p[ia + k]);
    else for (let k = 0; k < n; k++) o[io + k * so] = f(p[ia + k * sa]);
  });
  return finish(dst, final);
}

/** Builds a BinarySpec-like op from a scalar value `s` cast to the compute dtype (for alpha, clamp bounds, ...). */
export function castScalar(s: Scalar, compute: DType): number {
  const v = s instanceof FloatScalar ? s.value : typeof s === 'boolean' ? (s ? 1 : 0) : Number(s);
  if (compute === 'float32' || compute === 'float16' || compute === 'bfloat16') return Math.fround(v);
  if (DTYPES[compute].isFloatingPoint) return v;
  if (compute === 'bool') return v !== 0 ? 1 : 0;
  return Math.trunc(v);
}
