// The Tensor value: a strided view over shared storage, as at::Tensor is. Views share `storage`, so an
// in-place write through a view changes its base, which freeze's mutation analysis depends on.

import { allocateStorage, DTYPES, type DType, type StorageArray } from './dtype.js';
import { contiguous, copy_, numberToInt32, numberToInt64, toDType } from './convert.js';
import { formatTensor } from './format.js';
import * as views from './views.js';

/** Shared element storage. Several tensors (views) may point at one Storage. */
export class Storage {
  constructor(
    readonly dtype: DType,
    public data: StorageArray,
  ) {}

  /** Number of elements (not array slots: complex elements take two). */
  get numel(): number {
    return this.data.length / DTYPES[this.dtype].lanes;
  }
}

/** Row-major (C-contiguous) strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= Math.max(shape[i], 1);
  }
  return strides;
}

/** Product of a shape's sizes (1 for a 0-dim tensor). */
export function shapeNumel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** A plain number, a bigint (int64 elements) or a boolean: what one element reads as. */
export type Element = number | bigint | boolean;

/** A strided tensor on the CPU. */
export class Tensor {
  requiresGrad = false;
  /** The device it was saved for; all computation happens on the CPU. */
  device = 'cpu';

  constructor(
    readonly storage: Storage,
    readonly shape: readonly number[],
    readonly strides: readonly number[] = contiguousStrides(shape),
    readonly offset = 0,
  ) {}

  /** A new zero-filled contiguous tensor. */
  static zeros(dtype: DType, shape: readonly number[]): Tensor {
    return new Tensor(new Storage(dtype, allocateStorage(dtype, shapeNumel(shape))), [...shape]);
  }

  /**
   * A new contiguous tensor whose elements are unspecified (torch.empty): for kernels that write every
   * element, so a recycled buffer need not be zeroed first.
   */
  static empty(dtype: DType, shape: readonly number[]): Tensor {
    return new Tensor(new Storage(dtype, allocateStorage(dtype, shapeNumel(shape), false)), [...shape]);
  }

  /** A contiguous tensor over existing storage data. */
  static fromStorage(dtype: DType, data: StorageArray, shape: readonly number[]): Tensor {
    return new Tensor(new Storage(dtype, data), [...shape]);
  }

  /** A contiguous tensor from a flat list of elements. */
  static fromArray(
    dtype: DType,
    values: readonly Element[],
    shape: readonly number[] = [values.length],
  ): Tensor {
    const t = Tensor.zeros(dtype, shape);
    if (values.length !== t.numel) {
      throw new RangeError(`fromArray: ${values.length} values do not fill shape [${shape.join(', ')}]`);
    }
    for (let i = 0; i < values.length; i++) t.setFlat(i, values[i]);
    return t;
  }

  get dtype(): DType {
    return this.storage.dtype;
  }

  get dim(): number {
    return this.shape.length;
  }

  get numel(): number {
    return shapeNumel(this.shape);
  }

  /** True when elements are laid out row-major with no gaps from `offset`. */
  get isContiguous(): boolean {
    let step = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== step) return false;
      step *= this.shape[i];
    }
    return true;
  }

  /** Storage index of the element at row-major position `flat`. */
  storageIndex(flat: number): number {
    let index = this.offset;
    let rest = flat;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      const size = this.shape[d];
      const i = rest % size;
      rest = (rest - i) / size;
      index += i * this.strides[d];
    }
    return index;
  }

  /** Reads the element at row-major position `flat` (int64 as bigint, bool as boolean, halfs decoded). */
  getFlat(flat: number): Element {
    return readElement(this.storage, this.storageIndex(flat));
  }

  /** Writes the element at row-major position `flat`, converting as PyTorch's copy would. */
  setFlat(flat: number, value: Element): void {
    writeElement(this.storage, this.storageIndex(flat), value);
  }

  /** Reads an element as a JS number (int64 beyond 2^53 loses precision; bool is 0/1). */
  getNumber(flat: number): number {
    const v = this.getFlat(flat);
    return typeof v === 'number' ? v : Number(v);
  }

  /** All elements in row-major order. */
  toArray(): Element[] {
    const n = this.numel;
    const out = new Array<Element>(n);
    for (let i = 0; i < n; i++) out[i] = this.getFlat(i);
    return out;
  }

  /** The one element of a single-element tensor (PyTorch's .item()). */
  item(): Element {
    if (this.numel !== 1) throw new RangeError(`item(): tensor has ${this.numel} elements, expected 1`);
    return this.getFlat(0);
  }

  /** A contiguous copy with its own storage. */
  clone(): Tensor {
    const out = Tensor.zeros(this.dtype, this.shape);
    const n = this.numel;
    if (this.isContiguous) {
      const { lanes } = DTYPES[this.dtype];
      const src = this.storage.data;
      const begin = this.offset * lanes;
      (out.storage.data as { set(a: ArrayLike<number | bigint>): void }).set(
        src.subarray(begin, begin + n * lanes) as ArrayLike<number | bigint>,
      );
    } else {
      for (let i = 0; i < n; i++)
        writeElement(out.storage, i, readElement(this.storage, this.storageIndex(i)));
    }
    out.requiresGrad = false;
    out.device = this.device;
    return out;
  }

  /** A tensor sharing storage with this one (PyTorch's .detach()). */
  detach(): Tensor {
    const t = new Tensor(this.storage, this.shape, this.strides, this.offset);
    t.device = this.device;
    return t;
  }

  /** Reads the element at a multi-index (negative indices count from the end). */
  get(...index: number[]): Element {
    if (index.length !== this.dim)
      throw new RangeError(`get(): expected ${this.dim} indices, got ${index.length}`);
    let at = this.offset;
    for (let d = 0; d < index.length; d++) {
      const size = this.shape[d];
      const i = index[d] < 0 ? index[d] + size : index[d];
      if (i < 0 || i >= size)
        throw new RangeError(`get(): index ${index[d]} out of range for dim ${d} of size ${size}`);
      at += i * this.strides[d];
    }
    return readElement(this.storage, at);
  }

  /** A view with another shape (one size may be -1); throws when the strides do not allow a view. */
  view(shape: readonly number[]): Tensor {
    return views.view(this, shape);
  }

  /** A view when possible, else a contiguous copy, with another shape. */
  reshape(shape: readonly number[]): Tensor {
    return views.reshape(this, shape);
  }

  /** Swaps two dims (a view). */
  transpose(dim0: number, dim1: number): Tensor {
    return views.transpose(this, dim0, dim1);
  }

  /** Transpose of a tensor of at most 2 dims (a view). */
  t(): Tensor {
    return views.t2d(this);
  }

  /** Reorders dims (a view). */
  permute(dims: readonly number[]): Tensor {
    return views.permute(this, dims);
  }

  /** Index `index` along `dim`, dropping the dim (a view). */
  select(dim: number, index: number): Tensor {
    return views.select(this, dim, index);
  }

  /** `[start:end:step]` along `dim` (null bounds are open), a view. */
  slice(dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return views.slice(this, dim, start, end, step);
  }

  /** `length` elements from `start` along `dim` (a view). */
  narrow(dim: number, start: number, length: number): Tensor {
    return views.narrow(this, dim, start, length);
  }

  /** Broadcasts to `sizes` (-1 keeps a size) with zero strides (a view). */
  expand(sizes: readonly number[]): Tensor {
    return views.expand(this, sizes);
  }

  /** Removes size-1 dims (all, or the given ones). */
  squeeze(dim?: number | readonly number[]): Tensor {
    return views.squeeze(this, dim);
  }

  /** Inserts a size-1 dim. */
  unsqueeze(dim: number): Tensor {
    return views.unsqueeze(this, dim);
  }

  /** Merges dims start..end into one (a view when possible). */
  flatten(startDim = 0, endDim = -1): Tensor {
    return views.flatten(this, startDim, endDim);
  }

  /** Splits into `chunks` views along `dim`. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return views.chunk(this, chunks, dim);
  }

  /** Splits into views of `size` elements (or of the listed sizes) along `dim`. */
  split(size: number | readonly number[], dim = 0): Tensor[] {
    return typeof size === 'number' ? views.split(this, size, dim) : views.splitWithSizes(this, size, dim);
  }

  /** Every index along `dim` as a view. */
  unbind(dim = 0): Tensor[] {
    return views.unbind(this, dim);
  }

  /** A view with explicit sizes, strides and storage offset. */
  asStrided(size: readonly number[], stride: readonly number[], offset?: number | null): Tensor {
    return views.asStrided(this, size, stride, offset);
  }

  /** The diagonal of dims (dim1, dim2), moved last (a view). */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor {
    return views.diagonal(this, offset, dim1, dim2);
  }

  /** This tensor when already contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    return contiguous(this);
  }

  /** Copies `src` (broadcast, converted) into this tensor in place, writing through views. */
  copy_(src: Tensor): Tensor {
    return copy_(this, src);
  }

  /** This tensor when the dtype matches and no copy is asked for, else a converted copy. */
  to(dtype: DType, copy = false): Tensor {
    return toDType(this, dtype, copy);
  }

  /** PyTorch's Python repr: `tensor([[1., 2.], [3., 4.]])`. */
  toString(): string {
    return formatTensor(this);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Decodes IEEE half-precision bits. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Encodes a number as IEEE half-precision bits (round to nearest even). */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let frac = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (frac ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    frac = (frac | 0x800000) >> (1 - e);
    return sign | ((frac + 0x1000) >> 13);
  }
  const half = sign | (e << 10) | (frac >> 13);
  // Round to nearest even on the dropped bits.
  const rest = frac & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) return half + 1;
  return half;
}

/** Decodes bfloat16 bits. */
export function bfloatToFloat(bits: number): number {
  u32[0] = bits << 16;
  return f32[0];
}

/** Encodes a number as bfloat16 bits (round to nearest even). */
export function floatToBfloat(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if (Number.isNaN(value)) return 0x7fc0;
  return (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
}

/** Reads storage element `index`, decoding halfs and bools. */
export function readElement(storage: Storage, index: number): Element {
  const data = storage.data;
  switch (storage.dtype) {
    case 'bool':
      return data[index] !== 0;
    case 'float16':
      return halfToFloat(data[index] as number);
    case 'bfloat16':
      return bfloatToFloat(data[index] as number);
    case 'complex64':
    case 'complex128':
      return data[index * 2] as number;
    default:
      return data[index];
  }
}

/** Writes storage element `index`, converting the value to the storage's dtype as a cast would. */
export function writeElement(storage: Storage, index: number, value: Element): void {
  const data = storage.data;
  switch (storage.dtype) {
    case 'bool':
      data[index] = (typeof value === 'bigint' ? value !== 0n : Boolean(value)) ? 1 : 0;
      return;
    case 'int64':
      (data as BigInt64Array)[index] = typeof value === 'bigint' ? value : numberToInt64(Number(value));
      return;
    case 'float16':
      data[index] = floatToHalf(Number(value));
      return;
    case 'bfloat16':
      data[index] = floatToBfloat(Number(value));
      return;
    case 'complex64':
    case 'complex128':
      data[index * 2] = Number(value);
      data[index * 2 + 1] = 0;
      return;
    case 'float32':
    case 'float64':
      data[index] = Number(value);
      return;
    default: {
      // Integer storages truncate toward zero like a C cast; typed arrays wrap out-of-range values.
      if (typeof value === 'bigint') data[index] = Number(BigInt.asIntN(32, value));
      else if (storage.dtype === 'int32') data[index] = numberToInt32(Number(value));
      else {
        const n = Math.trunc(Number(value));
        data[index] = Number.isFinite(n) ? n : 0;
      }
    }
  }
}
