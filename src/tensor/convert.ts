// dtype conversion and copying: `to`, `contiguous`, and `copy_` (broadcasting, converting, writing through
// views into the base). Conversions follow PyTorch on x86: floats truncate toward zero into integers,
// non-finite or out-of-range floats become INT_MIN for int32/int64, anything non-zero becomes true.

import { RuntimeError } from '../errors.js';
import { allocateStorage, DTYPES, type DType, type StorageArray } from './dtype.js';
import { forEachRun } from './iter.js';
import { broadcastStrides } from './shape.js';
import {
  halfToFloat,
  floatToHalf,
  bfloatToFloat,
  floatToBfloat,
  Storage,
  Tensor,
  shapeNumel,
} from './tensor.js';

/** A typed array written through a plain index signature (the element types of the union differ). */
export type LooseArray = { [index: number]: number | bigint; readonly length: number };

type Kind = 'num' | 'big' | 'half' | 'bf16' | 'cplx';

function kindOf(d: DType): Kind {
  if (d === 'int64') return 'big';
  if (d === 'float16') return 'half';
  if (d === 'bfloat16') return 'bf16';
  if (DTYPES[d].isComplex) return 'cplx';
  return 'num';
}

const INT64_MIN = -(2n ** 63n);

/** Converts a JS number to an int64 element as a C cast on x86 does (NaN/inf/out of range -> INT64_MIN). */
export function numberToInt64(x: number): bigint {
  if (!(Math.abs(x) < 2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

/** Converts a JS number to an int32 element as a C cast on x86 does (NaN/inf/out of range -> INT32_MIN). */
export function numberToInt32(x: number): number {
  const t = Math.trunc(x);
  return t >= -2147483648 && t <= 2147483647 ? t : -2147483648;
}

/** A function turning one number into the value a `num`-kind storage of `dtype` should hold. */
function numberStorer(dtype: DType): ((x: number) => number) | null {
  switch (dtype) {
    case 'bool':
      return (x) => (x !== 0 ? 1 : 0);
    case 'int32':
      return numberToInt32;
    case 'int16':
    case 'int8':
    case 'uint8':
      // Typed arrays wrap modulo 2^bits after truncation, as x86 does through an int32 intermediate.
      return (x) => (Number.isFinite(x) ? Math.trunc(x) : 0);
    default:
      return null;
  }
}

/** Copies `src` into `dst` element-wise (broadcasting src to dst's shape), converting dtypes. */
export function copyInto(dst: Tensor, src: Tensor): Tensor {
  let source = src;
  // Reading and writing the same storage: copy the source out first so overlapping views stay correct.
  if (source.storage === dst.storage && source !== dst) source = cloneContiguous(source);
  const srcStrides = broadcastStrides(source.shape, source.strides, dst.shape);
  const sk = kindOf(source.dtype);
  const dk = kindOf(dst.dtype);
  const s = source.storage.data as LooseArray;
  const d = dst.storage.data as LooseArray;
  const walk = (body: (so: number, ss: number, doff: number, ds: number, n: number) => void): void =>
    forEachRun(dst.shape, [dst.strides, srcStrides], [dst.offset, source.offset], (offs, n, steps) =>
      body(offs[1], steps[1], offs[0], steps[0], n),
    );
  if (source.dtype === dst.dtype && sk !== 'cplx') {
    walk((so, ss, doff, ds, n) => {
      for (let k = 0; k < n; k++, so += ss, doff += ds) d[doff] = s[so];
    });
    return dst;
  }
  if (sk === 'num' && dk === 'num') {
    const store = numberStorer(dst.dtype);
    walk((so, ss, doff, ds, n) => {
      if (store === null) for (let k = 0; k < n; k++, so += ss, doff += ds) d[doff] = s[so];
      else for (let k = 0; k < n; k++, so += ss, doff += ds) d[doff] = store(s[so] as number);
    });
    return dst;
  }
  const read = reader(source.dtype);
  const write = writer(dst.dtype);
  walk((so, ss, doff, ds, n) => {
    for (let k = 0; k < n; k++, so += ss, doff += ds) write(d, doff, read(s, so));
  });
  return dst;
}

type Value = number | bigint | [number, number];

function reader(dtype: DType): (a: LooseArray, i: number) => Value {
  switch (kindOf(dtype)) {
    case 'half':
      return (a, i) => halfToFloat(a[i] as number);
    case 'bf16':
      return (a, i) => bfloatToFloat(a[i] as number);
    case 'cplx':
      return (a, i) => [a[2 * i] as number, a[2 * i + 1] as number];
    default:
      return (a, i) => a[i];
  }
}

function writer(dtype: DType): (a: LooseArray, i: number, v: Value) => void {
  const asNumber = (v: Value): number => (Array.isArray(v) ? v[0] : Number(v));
  switch (kindOf(dtype)) {
    case 'half':
      return (a, i, v) => (a[i] = floatToHalf(asNumber(v)));
    case 'bf16':
      return (a, i, v) => (a[i] = floatToBfloat(asNumber(v)));
    case 'cplx':
      return (a, i, v) => {
        a[2 * i] = asNumber(v);
        a[2 * i + 1] = Array.isArray(v) ? v[1] : 0;
      };
    case 'big':
      return (a, i, v) => (a[i] = typeof v === 'bigint' ? v : numberToInt64(asNumber(v)));
    default: {
      if (dtype === 'bool') {
        return (a, i, v) =>
          (a[i] = (Array.isArray(v) ? v[0] !== 0 || v[1] !== 0 : typeof v === 'bigint' ? v !== 0n : v !== 0)
            ? 1
            : 0);
      }
      const store = numberStorer(dtype);
      return (a, i, v) => {
        // int64 -> narrower integers wraps like a C cast of the low bits.
        if (typeof v === 'bigint' && dtype !== 'float32' && dtype !== 'float64')
          a[i] = Number(BigInt.asIntN(32, v));
        else a[i] = store ? store(asNumber(v)) : asNumber(v);
      };
    }
  }
}

/** A new contiguous tensor with the same elements (and dtype) as `t`. */
export function cloneContiguous(t: Tensor): Tensor {
  const out = new Tensor(new Storage(t.dtype, allocateStorage(t.dtype, shapeNumel(t.shape))), [...t.shape]);
  return copyInto(out, t);
}

/** `t` itself when already contiguous, else a contiguous copy (Tensor.contiguous()). */
export function contiguous(t: Tensor): Tensor {
  return t.isContiguous ? t : cloneContiguous(t);
}

/** Tensor.to(dtype, copy): `t` itself when the dtype already matches and no copy is asked for. */
export function toDType(t: Tensor, dtype: DType, copy = false): Tensor {
  if (dtype === t.dtype && !copy) return t;
  const out = new Tensor(new Storage(dtype, allocateStorage(dtype, shapeNumel(t.shape))), [...t.shape]);
  out.device = t.device;
  return copyInto(out, t);
}

/** The elements of `t` as a contiguous array of `dtype`'s storage type (no copy when layout and dtype already fit). */
export function dataAs(t: Tensor, dtype: DType): StorageArray {
  const c = contiguous(toDType(t, dtype));
  const { lanes } = DTYPES[dtype];
  return c.storage.data.subarray(c.offset * lanes, (c.offset + c.numel) * lanes) as StorageArray;
}

/** In-place copy with PyTorch's checks: src must broadcast to dst's shape. Returns dst. */
export function copy_(dst: Tensor, src: Tensor): Tensor {
  if (src.dim > dst.dim) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `output with shape [${dst.shape.join(', ')}] doesn't match the broadcast shape [${src.shape.join(', ')}]`,
    );
  }
  return copyInto(dst, src);
}
