// Shape-changing copies: cat (with PyTorch's type promotion and its skipping of legacy empty [0]
// tensors), stack, repeat, tile, flip, roll, triu/tril and pad (constant, reflect, replicate, circular);
// and meshgrid (expanded views).

import { RuntimeError } from '../../errors.js';
import { type DType } from '../../tensor/dtype.js';
import { cloneContiguous, copyInto, toDType, type LooseArray } from '../../tensor/convert.js';
import { forEachRun } from '../../tensor/iter.js';
import { promoteTypes } from '../../tensor/promotion.js';
import { normalizeDim, normalizeDims } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { expand, makeView, reshape, slice, unsqueeze, view } from '../../tensor/views.js';

/** torch.cat: tensors must match except along dim; dtypes promote; 1-d empty tensors are skipped. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'torch.cat(): expected a non-empty list of Tensors');
  const dtype = tensors.map((t) => t.dtype).reduce((a, b) => promoteTypes(a, b));
  const parts = tensors.filter((t) => !(t.dim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return Tensor.zeros(dtype, [0]);
  const ref = parts[0];
  if (ref.dim === 0)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'zero-dimensional tensor (at position 0) cannot be concatenated',
    );
  const d = normalizeDim(dim, ref.dim);
  let total = 0;
  parts.forEach((t, i) => {
    if (t.dim !== ref.dim) {
      throw new RuntimeError(
        'SHAPE_MISMATCH',
        `Tensors must have same number of dimensions: got ${ref.dim} and ${t.dim}`,
      );
    }
    for (let k = 0; k < t.dim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RuntimeError(
          'SHAPE_MISMATCH',
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${tensors.indexOf(t)} in the list.`,
        );
      }
    }
    void i;
    total += t.shape[d];
  });
  const shape = [...ref.shape];
  shape[d] = total;
  const out = Tensor.zeros(dtype, shape);
  let at = 0;
  for (const t of parts) {
    copyInto(slice(out, d, at, at + t.shape[d]), t);
    at += t.shape[d];
  }
  return out;
}

/** torch.stack: equal shapes, a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'stack expects a non-empty TensorList');
  const ref = tensors[0];
  tensors.forEach((t, i) => {
    if (t.shape.length !== ref.shape.length || t.shape.some((s, k) => s !== ref.shape[k])) {
      throw new RuntimeError(
        'SHAPE_MISMATCH',
        `stack expects each tensor to be equal size, but got [${ref.shape.join(', ')}] at entry 0 and [${t.shape.join(', ')}] at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, ref.dim + 1);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}

/** Tensor.repeat(repeats): tiles the tensor; repeats may add leading dims. */
export function repeat(t: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < t.dim) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor',
    );
  }
  const lead = repeats.length - t.dim;
  const sizes = [...new Array<number>(lead).fill(1), ...t.shape];
  // View as [1, s0, 1, s1, ...], broadcast to [r0, s0, r1, s1, ...], then merge pairs.
  const interleaved = sizes.flatMap((s) => [1, s]);
  const target = sizes.flatMap((s, i) => [repeats[i], s]);
  const x = view(cloneContiguous(t), interleaved);
  return reshape(
    cloneContiguous(expand(x, target)),
    sizes.map((s, i) => s * repeats[i]),
  );
}

/** torch.tile: repeat with missing leading repeats taken as 1. */
export function tile(t: Tensor, dims: readonly number[]): Tensor {
  const full = dims.length < t.dim ? [...new Array<number>(t.dim - dims.length).fill(1), ...dims] : [...dims];
  return repeat(t, full);
}

/** torch.flip: a copy with the listed dims reversed. */
export function flip(t: Tensor, dims: readonly number[]): Tensor {
  const ds = normalizeDims(dims, t.dim);
  const strides = [...t.strides];
  let offset = t.offset;
  for (const d of ds) {
    if (t.shape[d] > 0) offset += (t.shape[d] - 1) * t.strides[d];
    strides[d] = -t.strides[d];
  }
  return cloneContiguous(makeView(t, t.shape, strides, offset));
}

/** torch.roll along dims (or over the flattened tensor when dims is empty). */
export function roll(t: Tensor, shifts: readonly number[], dims: readonly number[]): Tensor {
  if (dims.length === 0) return reshape(roll(reshape(t, [-1]), shifts, [0]), t.shape);
  if (shifts.length !== dims.length)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`,
    );
  let out = t;
  for (let i = 0; i < dims.length; i++) {
    const d = normalizeDim(dims[i], t.dim);
    const n = out.shape[d];
    if (n === 0) continue;
    const s = ((shifts[i] % n) + n) % n;
    if (s === 0) continue;
    out = cat([slice(out, d, n - s, n), slice(out, d, 0, n - s)], d);
  }
  return out === t ? cloneContiguous(t) : out;
}

/** triu / tril: keep elements on and above (below) the `diagonal`-th diagonal of the last two dims. */
export function triangle(t: Tensor, upper: boolean, diagonal = 0): Tensor {
  if (t.dim < 2)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `${upper ? 'triu' : 'tril'}: input tensor must have at least 2 dimensions`,
    );
  const out = cloneContiguous(t);
  const R = t.shape[t.dim - 2];
  const C = t.shape[t.dim - 1];
  const data = out.storage.data as LooseArray;
  const zero = t.dtype === 'int64' ? 0n : 0;
  const mats = R * C === 0 ? 0 : out.numel / (R * C);
  for (let m = 0; m < mats; m++) {
    for (let i = 0; i < R; i++) {
      for (let j = 0; j < C; j++) {
        const keep = upper ? j - i >= diagonal : j - i <= diagonal;
        if (!keep) data[(m * R + i) * C + j] = zero;
      }
    }
  }
  return out;
}

/** F.pad / aten::pad: `pad` lists (left, right) pairs from the last dim backwards. */
export function pad(
  t: Tensor,
  padding: readonly number[],
  mode = 'constant',
  value: number | null = null,
): Tensor {
  if (padding.length % 2 !== 0 || padding.length / 2 > t.dim) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Padding length must be divisible by 2 and at most twice the number of dims, got ${padding.length}`,
    );
  }
  const k = padding.length / 2;
  const shape = [...t.shape];
  const before = new Array<number>(t.dim).fill(0);
  const after = new Array<number>(t.dim).fill(0);
  for (let i = 0; i < k; i++) {
    const d = t.dim - 1 - i;
    before[d] = padding[2 * i];
    after[d] = padding[2 * i + 1];
    shape[d] = t.shape[d] + before[d] + after[d];
    if (shape[d] < 0)
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `The input size ${t.shape[d]}, plus negative padding ${before[d]} and ${after[d]} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`,
      );
  }
  if (mode === 'constant') {
    const out = Tensor.zeros(t.dtype, shape);
    if (value !== null && value !== 0 && out.numel > 0) {
      out.setFlat(0, value);
      (out.storage.data as unknown as { fill(v: unknown): void }).fill(out.storage.data[0]);
    }
    // Copy the overlap of input and output (negative padding crops).
    let src = t;
    let dst = out;
    for (let d = 0; d < t.dim; d++) {
      const s0 = Math.max(0, -before[d]);
      const d0 = Math.max(0, before[d]);
      const len = Math.min(t.shape[d] - s0, shape[d] - d0);
      if (len <= 0) return out;
      src = slice(src, d, s0, s0 + len);
      dst = slice(dst, d, d0, d0 + len);
    }
    copyInto(dst, src);
    return out;
  }
  const maps: Int32Array[] = [];
  for (let d = 0; d < t.dim; d++) {
    const n = t.shape[d];
    const m = new Int32Array(shape[d]);
    for (let o = 0; o < shape[d]; o++) {
      let i = o - before[d];
      if (mode === 'reflect') {
        if (before[d] >= n || after[d] >= n) {
          throw new RuntimeError(
            'INVALID_ARGUMENT',
            `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before[d]}, ${after[d]}) at dimension ${d} of input [${t.shape.join(', ')}]`,
          );
        }
        if (i < 0) i = -i;
        if (i >= n) i = 2 * (n - 1) - i;
      } else if (mode === 'replicate') i = Math.min(Math.max(i, 0), n - 1);
      else if (mode === 'circular') i = ((i % n) + n) % n;
      else throw new RuntimeError('INVALID_ARGUMENT', `Unrecognised padding mode ${mode}`);
      m[o] = i;
    }
    maps.push(m);
  }
  return gatherByMaps(t, shape, maps);
}

// out[i0, i1, ...] = t[maps[0][i0], maps[1][i1], ...].
function gatherByMaps(t: Tensor, shape: readonly number[], maps: readonly Int32Array[]): Tensor {
  const out = Tensor.zeros(t.dtype, shape);
  const src = t.storage.data as LooseArray;
  const dst = out.storage.data as LooseArray;
  const n = out.numel;
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    let at = t.offset;
    for (let d = 0; d < shape.length; d++) at += maps[d][idx[d]] * t.strides[d];
    dst[flat] = src[at];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Converts a tensor to `dtype` and makes it contiguous (a copy unless both already hold). */
export function contiguousAs(t: Tensor, dtype: DType): Tensor {
  const c = toDType(t, dtype);
  return c.isContiguous ? c : cloneContiguous(c);
}

/** Visits every element offset of `t` with the matching offset of a same-shaped contiguous output. */
export function forEachPair(t: Tensor, fn: (src: number, dst: number) => void): void {
  let dst = 0;
  forEachRun(t.shape, [t.strides], [t.offset], (offs, n, steps) => {
    let s = offs[0];
    for (let k = 0; k < n; k++, s += steps[0]) fn(s, dst++);
  });
}

/**
 * torch.meshgrid: 0-d or 1-d tensors of one dtype -> one grid per input, each an expanded view of it.
 * 'ij' gives shape (n0, n1, ...); 'xy' (numpy's Cartesian indexing) is 'ij' of the inputs with the first two
 * swapped, the first two grids swapped back: shape (n1, n0, ...).
 */
export function meshgrid(tensors: readonly Tensor[], indexing = 'ij'): Tensor[] {
  if (indexing !== 'ij' && indexing !== 'xy')
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`,
    );
  if (!tensors.length)
    throw new RuntimeError('INVALID_ARGUMENT', 'torch.meshgrid: expects a non-empty TensorList');
  for (const t of tensors) {
    if (t.dim > 1)
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${t.dim}D`,
      );
    if (t.dtype !== tensors[0].dtype)
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        'torch.meshgrid: expects all tensors to have the same dtype',
      );
  }
  const swap = indexing === 'xy' && tensors.length >= 2;
  const ordered = swap ? [tensors[1], tensors[0], ...tensors.slice(2)] : [...tensors];
  const shape = ordered.map((t) => t.numel);
  const grids = ordered.map((t, i) => {
    const lined = shape.map((n, d) => (d === i ? n : 1));
    return expand(view(t, lined), shape);
  });
  if (!swap) return grids;
  return [grids[1], grids[0], ...grids.slice(2)];
}
