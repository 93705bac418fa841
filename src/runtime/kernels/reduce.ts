// Reductions over dims (keepdim, dtype): sum/mean/prod, max/min with indices, amax/amin, argmax/argmin,
// var/std with correction, all/any, p-norms, logsumexp and cumsum. Reduced dims are moved last and
// made contiguous, then every output element reduces one contiguous row (float sums accumulate in double).

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { contiguous, toDType, type LooseArray } from '../../tensor/convert.js';
import { isIntegral } from '../../tensor/promotion.js';
import { normalizeDim, normalizeDims } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { permute } from '../../tensor/views.js';
import type { BigArray, NumArray } from './ew-core.js';

/** A tensor laid out as `rows` rows of `len` reduced elements, and the reduction's output shape. */
interface Rows {
  data: NumArray | BigArray;
  base: number;
  rows: number;
  len: number;
  outShape: number[];
}

function rowsOf(t: Tensor, dims: readonly number[] | null, keepdim: boolean, dtype: DType): Rows {
  const all = dims === null || dims.length === 0;
  const reduced = all ? [...Array(t.dim).keys()] : normalizeDims(dims, t.dim);
  const set = new Set(reduced);
  const kept = [...Array(t.dim).keys()].filter((d) => !set.has(d));
  const x = contiguous(toDType(permute(t, [...kept, ...reduced]), dtype));
  let len = 1;
  for (const d of reduced) len *= t.shape[d];
  const outShape = keepdim ? t.shape.map((s, d) => (set.has(d) ? 1 : s)) : kept.map((d) => t.shape[d]);
  const rows = len === 0 ? kept.reduce((a, d) => a * t.shape[d], 1) : x.numel / len;
  return { data: x.storage.data as NumArray | BigArray, base: x.offset, rows, len, outShape };
}

function sumDType(t: Tensor, dtype: DType | null): DType {
  if (dtype !== null) return dtype;
  return isIntegral(t.dtype, true) ? 'int64' : t.dtype;
}

/** sum over dims (all when null/empty); ints and bools sum to int64 unless `dtype` says otherwise. */
export function sum(
  t: Tensor,
  dims: readonly number[] | null = null,
  keepdim = false,
  dtype: DType | null = null,
): Tensor {
  const outDtype = sumDType(t, dtype);
  if (outDtype === 'int64') {
    const r = rowsOf(t, dims, keepdim, 'int64');
    const out = Tensor.zeros('int64', r.outShape);
    const src = r.data as BigArray;
    const dst = out.storage.data as BigInt64Array;
    for (let i = 0; i < r.rows; i++) {
      let acc = 0n;
      for (let k = 0, o = r.base + i * r.len; k < r.len; k++) acc += src[o + k];
      dst[i] = BigInt.asIntN(64, acc);
    }
    return out;
  }
  const work = accumulatorDType(outDtype);
  const r = rowsOf(t, dims, keepdim, work);
  const out = Tensor.zeros(work, r.outShape);
  const src = r.data as NumArray;
  const dst = out.storage.data as NumArray;
  for (let i = 0; i < r.rows; i++) {
    let acc = 0;
    for (let k = 0, o = r.base + i * r.len; k < r.len; k++) acc += src[o + k];
    dst[i] = acc;
  }
  return toDType(out, outDtype);
}

function accumulatorDType(d: DType): DType {
  return d === 'float16' || d === 'bfloat16' ? 'float32' : isIntegral(d, true) ? 'float64' : d;
}

/** mean over dims; the input (or `dtype`) must be floating point. */
export function mean(
  t: Tensor,
  dims: readonly number[] | null = null,
  keepdim = false,
  dtype: DType | null = null,
): Tensor {
  const d = dtype ?? t.dtype;
  if (!DTYPES[d].isFloatingPoint && !DTYPES[d].isComplex) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${DTYPES[d].irName}`,
    );
  }
  const r = rowsOf(t, dims, keepdim, 'float64');
  const out = Tensor.zeros('float64', r.outShape);
  const src = r.data as NumArray;
  const dst = out.storage.data as Float64Array;
  for (let i = 0; i < r.rows; i++) {
    let acc = 0;
    for (let k = 0, o = r.base + i * r.len; k < r.len; k++) acc += src[o + k];
    dst[i] = acc / r.len;
  }
  return toDType(out, d);
}

/** prod over dims (ints to int64 unless `dtype`). */
export function prod(
  t: Tensor,
  dims: readonly number[] | null = null,
  keepdim = false,
  dtype: DType | null = null,
): Tensor {
  const outDtype = sumDType(t, dtype);
  const big = outDtype === 'int64';
  const r = rowsOf(t, dims, keepdim, big ? 'int64' : 'float64');
  const out = Tensor.zeros(big ? 'int64' : 'float64', r.outShape);
  for (let i = 0; i < r.rows; i++) {
    if (big) {
      let acc = 1n;
      for (let k = 0; k < r.len; k++)
        acc = BigInt.asIntN(64, acc * (r.data as BigArray)[r.base + i * r.len + k]);
      (out.storage.data as BigInt64Array)[i] = acc;
    } else {
      let acc = 1;
      for (let k = 0; k < r.len; k++) acc *= (r.data as NumArray)[r.base + i * r.len + k];
      (out.storage.data as Float64Array)[i] = acc;
    }
  }
  return toDType(out, outDtype);
}

type Extreme = 'max' | 'min';

// Index of the max/min of each row; NaN wins (first NaN), ties keep the first index.
function extremeIndex(r: Rows, op: Extreme, isBig: boolean): Int32Array {
  const idx = new Int32Array(r.rows);
  for (let i = 0; i < r.rows; i++) {
    const o = r.base + i * r.len;
    let best = 0;
    if (isBig) {
      const a = r.data as BigArray;
      for (let k = 1; k < r.len; k++)
        if (op === 'max' ? a[o + k] > a[o + best] : a[o + k] < a[o + best]) best = k;
    } else {
      const a = r.data as NumArray;
      let bv = a[o];
      if (bv === bv) {
        for (let k = 1; k < r.len; k++) {
          const v = a[o + k];
          if (v !== v) {
            best = k;
            break;
          }
          if (op === 'max' ? v > bv : v < bv) {
            best = k;
            bv = v;
          }
        }
      }
    }
    idx[i] = best;
  }
  return idx;
}

function checkNonEmpty(t: Tensor, name: string, dim: number | null): void {
  if (dim === null && t.numel === 0) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
  if (dim !== null && t.dim > 0 && t.shape[normalizeDim(dim, t.dim)] === 0) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `${name}(): Expected reduction dim ${dim} to have non-zero size.`,
    );
  }
}

/** max/min over one dim: [values, indices (int64)]. */
export function extremeDim(t: Tensor, op: Extreme, dim: number, keepdim = false): [Tensor, Tensor] {
  checkNonEmpty(t, op, dim);
  const d = t.dim === 0 ? [] : [normalizeDim(dim, t.dim)];
  const isBig = t.dtype === 'int64';
  const work = isBig ? 'int64' : isNumDType(t.dtype) ? t.dtype : 'float32';
  const r = rowsOf(t, d, keepdim, work);
  const idx = extremeIndex(r, op, isBig);
  const values = Tensor.zeros(work, r.outShape);
  const indices = Tensor.zeros('int64', r.outShape);
  for (let i = 0; i < r.rows; i++) {
    (values.storage.data as LooseArray)[i] = r.data[r.base + i * r.len + idx[i]];
    (indices.storage.data as BigInt64Array)[i] = BigInt(idx[i]);
  }
  return [toDType(values, t.dtype), indices];
}

function isNumDType(d: DType): boolean {
  return d !== 'int64' && d !== 'float16' && d !== 'bfloat16' && !DTYPES[d].isComplex;
}

/** max/min of all elements (0-dim), or amax/amin over dims. */
export function extreme(
  t: Tensor,
  op: Extreme,
  dims: readonly number[] | null = null,
  keepdim = false,
): Tensor {
  if (dims === null || dims.length === 0) checkNonEmpty(t, op, null);
  const isBig = t.dtype === 'int64';
  const work = isBig ? 'int64' : isNumDType(t.dtype) ? t.dtype : 'float32';
  const r = rowsOf(t, dims, keepdim, work);
  if (r.len === 0 && r.rows > 0)
    throw new RuntimeError('INVALID_ARGUMENT', `${op}(): Expected reduction dim to have non-zero size.`);
  const idx = extremeIndex(r, op, isBig);
  const values = Tensor.zeros(work, r.outShape);
  for (let i = 0; i < r.rows; i++)
    (values.storage.data as LooseArray)[i] = r.data[r.base + i * r.len + idx[i]];
  return toDType(values, t.dtype);
}

/** argmax/argmin over a dim, or over the flattened tensor when dim is null. */
export function argExtreme(t: Tensor, op: Extreme, dim: number | null = null, keepdim = false): Tensor {
  checkNonEmpty(t, `arg${op}`, dim);
  if (dim === null) {
    const flat = contiguous(t);
    const [, idx] = extremeDim(new Tensor(flat.storage, [flat.numel], [1], flat.offset), op, 0, false);
    return keepdim ? idx.reshape(t.shape.map(() => 1)) : idx;
  }
  return extremeDim(t, op, dim, keepdim)[1];
}

/** var/std over dims with `correction` (1 = unbiased); returns [var or std, mean]. */
export function varMean(
  t: Tensor,
  dims: readonly number[] | null = null,
  correction = 1,
  keepdim = false,
  takeSqrt = false,
): [Tensor, Tensor] {
  if (!DTYPES[t.dtype].isFloatingPoint) {
    throw new RuntimeError('DTYPE_MISMATCH', `std and var only support floating point and complex dtypes`);
  }
  const r = rowsOf(t, dims, keepdim, 'float64');
  const v = Tensor.zeros('float64', r.outShape);
  const m = Tensor.zeros('float64', r.outShape);
  const src = r.data as NumArray;
  for (let i = 0; i < r.rows; i++) {
    const o = r.base + i * r.len;
    let acc = 0;
    for (let k = 0; k < r.len; k++) acc += src[o + k];
    const mu = acc / r.len;
    let sq = 0;
    for (let k = 0; k < r.len; k++) {
      const dlt = src[o + k] - mu;
      sq += dlt * dlt;
    }
    const variance = sq / Math.max(0, r.len - correction);
    (v.storage.data as Float64Array)[i] = takeSqrt ? Math.sqrt(variance) : variance;
    (m.storage.data as Float64Array)[i] = mu;
  }
  return [toDType(v, t.dtype), toDType(m, t.dtype)];
}

/** all/any over dims (all when null): bool result (uint8 for uint8 input, as PyTorch 1.13). */
export function allAny(
  t: Tensor,
  op: 'all' | 'any',
  dims: readonly number[] | null = null,
  keepdim = false,
): Tensor {
  const r = rowsOf(
    t,
    dims,
    keepdim,
    t.dtype === 'int64' ? 'int64' : isNumDType(t.dtype) ? t.dtype : 'float32',
  );
  const out = Tensor.zeros(t.dtype === 'uint8' ? 'uint8' : 'bool', r.outShape);
  const dst = out.storage.data as Uint8Array;
  for (let i = 0; i < r.rows; i++) {
    let acc = op === 'all';
    for (let k = 0; k < r.len; k++) {
      const nz = r.data[r.base + i * r.len + k] != 0;
      if (op === 'all' ? !nz : nz) {
        acc = !acc;
        break;
      }
    }
    dst[i] = acc ? 1 : 0;
  }
  return out;
}

/** Vector p-norm over dims (p = 2, 1, inf, -inf, 0 or any real). */
export function norm(
  t: Tensor,
  p = 2,
  dims: readonly number[] | null = null,
  keepdim = false,
  dtype: DType | null = null,
): Tensor {
  const outDtype = dtype ?? t.dtype;
  if (!DTYPES[outDtype].isFloatingPoint) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${DTYPES[outDtype].irName}`,
    );
  }
  const r = rowsOf(t, dims, keepdim, 'float64');
  const out = Tensor.zeros('float64', r.outShape);
  const src = r.data as NumArray;
  for (let i = 0; i < r.rows; i++) {
    const o = r.base + i * r.len;
    let acc: number;
    if (p === Infinity || p === -Infinity) {
      acc = p > 0 ? 0 : Infinity;
      for (let k = 0; k < r.len; k++) {
        const a = Math.abs(src[o + k]);
        acc = a !== a ? a : p > 0 ? Math.max(acc, a) : Math.min(acc, a);
      }
    } else if (p === 0) {
      acc = 0;
      for (let k = 0; k < r.len; k++) acc += src[o + k] !== 0 ? 1 : 0;
    } else {
      acc = 0;
      for (let k = 0; k < r.len; k++)
        acc += p === 2 ? src[o + k] * src[o + k] : Math.pow(Math.abs(src[o + k]), p);
      acc = p === 1 ? acc : p === 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
    }
    (out.storage.data as Float64Array)[i] = acc;
  }
  return toDType(out, outDtype);
}

/** log(sum(exp(x))) over dims, stabilised by the row max. */
export function logsumexp(t: Tensor, dims: readonly number[], keepdim = false): Tensor {
  const outDtype = DTYPES[t.dtype].isFloatingPoint ? t.dtype : 'float32';
  const r = rowsOf(t, dims, keepdim, 'float64');
  const out = Tensor.zeros('float64', r.outShape);
  const src = r.data as NumArray;
  for (let i = 0; i < r.rows; i++) {
    const o = r.base + i * r.len;
    let max = -Infinity;
    for (let k = 0; k < r.len; k++) max = Math.max(max, src[o + k]);
    if (!Number.isFinite(max)) max = 0;
    let s = 0;
    for (let k = 0; k < r.len; k++) s += Math.exp(src[o + k] - max);
    (out.storage.data as Float64Array)[i] = Math.log(s) + max;
  }
  return toDType(out, outDtype);
}

/** Cumulative sum (or product) along `dim`. */
export function cumulative(t: Tensor, dim: number, op: 'sum' | 'prod', dtype: DType | null = null): Tensor {
  const outDtype = sumDType(t, dtype);
  const d = t.dim === 0 ? 0 : normalizeDim(dim, t.dim);
  const moved = t.dim === 0 ? t : permute(t, [...[...Array(t.dim).keys()].filter((k) => k !== d), d]);
  const big = outDtype === 'int64';
  const x = contiguous(toDType(moved, big ? 'int64' : 'float64'));
  const out = Tensor.zeros(x.dtype, x.shape);
  const len = t.dim === 0 ? 1 : t.shape[d];
  const rows = len === 0 ? 0 : x.numel / len;
  for (let i = 0; i < rows; i++) {
    if (big) {
      let acc = op === 'sum' ? 0n : 1n;
      const s = x.storage.data as BigInt64Array;
      for (let k = 0; k < len; k++) {
        acc = BigInt.asIntN(
          64,
          op === 'sum' ? acc + s[x.offset + i * len + k] : acc * s[x.offset + i * len + k],
        );
        (out.storage.data as BigInt64Array)[i * len + k] = acc;
      }
    } else {
      let acc = op === 'sum' ? 0 : 1;
      const s = x.storage.data as Float64Array;
      for (let k = 0; k < len; k++) {
        acc = op === 'sum' ? acc + s[x.offset + i * len + k] : acc * s[x.offset + i * len + k];
        (out.storage.data as Float64Array)[i * len + k] = acc;
      }
    }
  }
  if (t.dim === 0) return toDType(out, outDtype);
  const order = [...Array(t.dim - 1).keys()];
  order.splice(d, 0, t.dim - 1);
  return contiguous(toDType(permute(out, order), outDtype));
}
