// View operations: new Tensors over the same Storage with other shape/strides/offset, as ATen's view ops.
// Writing through any of them writes the base tensor's storage.

import { RuntimeError } from '../errors.js';
import { cloneContiguous } from './convert.js';
import { broadcastStrides, inferShape, normalizeDim, normalizeDims, viewStrides } from './shape.js';
import { Tensor } from './tensor.js';

/** A tensor over `base`'s storage with the given geometry. */
export function makeView(
  base: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Tensor {
  const t = new Tensor(base.storage, shape, strides, offset);
  t.device = base.device;
  return t;
}

/** Tensor.view(shape): always shares storage; fails when the strides do not allow it. */
export function view(t: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, t.numel);
  const strides = viewStrides(t.shape, t.strides, target);
  if (strides === null) {
    throw new RuntimeError(
      'INVALID_VIEW',
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return makeView(t, target, strides, t.offset);
}

/** Tensor.reshape(shape): a view when the layout allows, else a contiguous copy. */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, t.numel);
  const strides = viewStrides(t.shape, t.strides, target);
  if (strides !== null) return makeView(t, target, strides, t.offset);
  const c = cloneContiguous(t);
  return makeView(c, target, viewStrides(c.shape, c.strides, target) ?? [], 0);
}

/** Tensor.transpose(dim0, dim1). */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, t.dim);
  const b = normalizeDim(dim1, t.dim);
  if (t.dim === 0) return makeView(t, t.shape, t.strides, t.offset);
  const shape = [...t.shape];
  const strides = [...t.strides];
  [shape[a], shape[b]] = [shape[b], shape[a]];
  [strides[a], strides[b]] = [strides[b], strides[a]];
  return makeView(t, shape, strides, t.offset);
}

/** Tensor.t(): transpose of a tensor of at most 2 dims. */
export function t2d(t: Tensor): Tensor {
  if (t.dim > 2)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `t() expects a tensor with <= 2 dimensions, but self is ${t.dim}D`,
    );
  return t.dim < 2 ? makeView(t, t.shape, t.strides, t.offset) : transpose(t, 0, 1);
}

/** Tensor.permute(dims). */
export function permute(t: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== t.dim) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.dim} is not equal to len(dims) = ${dims.length}`.replace(
        '(sparse_coo)',
        '',
      ),
    );
  }
  const order = normalizeDims(dims, t.dim);
  return makeView(
    t,
    order.map((d) => t.shape[d]),
    order.map((d) => t.strides[d]),
    t.offset,
  );
}

/** Tensor.select(dim, index): drops `dim`. */
export function select(t: Tensor, dim: number, index: number): Tensor {
  if (t.dim === 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, t.dim);
  const size = t.shape[d];
  if (index < -size || index >= size) {
    throw new RuntimeError(
      'INDEX_OUT_OF_RANGE',
      `select(): index ${index} out of range for tensor of size [${t.shape.join(', ')}] at dimension ${d}`,
    );
  }
  const i = index < 0 ? index + size : index;
  const shape = t.shape.filter((_, k) => k !== d);
  const strides = t.strides.filter((_, k) => k !== d);
  return makeView(t, shape, strides, t.offset + i * t.strides[d]);
}

/** Tensor[start:end:step] along `dim`, with Python's clamping of out-of-range bounds (null = open). */
export function slice(
  t: Tensor,
  dim = 0,
  start: number | null = null,
  end: number | null = null,
  step = 1,
): Tensor {
  if (t.dim === 0) throw new RuntimeError('INVALID_ARGUMENT', 'slice() cannot be applied to a 0-dim tensor.');
  if (step <= 0) throw new RuntimeError('INVALID_ARGUMENT', 'slice step must be positive');
  const d = normalizeDim(dim, t.dim);
  const size = t.shape[d];
  let s = start ?? 0;
  let e = end ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  const len = Math.ceil((e - s) / step);
  const shape = [...t.shape];
  const strides = [...t.strides];
  shape[d] = len;
  strides[d] = t.strides[d] * step;
  return makeView(t, shape, strides, t.offset + s * t.strides[d]);
}

/** Tensor.narrow(dim, start, length). */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, t.dim);
  const size = t.shape[d];
  const s = start < 0 ? start + size : start;
  if (s < 0 || length < 0 || s + length > size) {
    throw new RuntimeError(
      'INDEX_OUT_OF_RANGE',
      `start (${start}) + length (${length}) exceeds dimension size (${size}).`,
    );
  }
  return slice(t, d, s, s + length, 1);
}

/** Tensor.expand(sizes): -1 keeps a size; new leading dims may be added; broadcast dims get stride 0. */
export function expand(t: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < t.dim) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `expand(torch.FloatTensor{[${t.shape.join(', ')}]}, size=[${sizes.join(', ')}]): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${t.dim})`,
    );
  }
  const lead = sizes.length - t.dim;
  const target = sizes.map((s, i) => (s === -1 && i >= lead ? t.shape[i - lead] : s));
  for (const s of target)
    if (s < 0)
      throw new RuntimeError(
        'INVALID_SHAPE',
        `The expanded size of the tensor (${s}) isn't allowed in a leading, non-existing dimension 0`,
      );
  return makeView(t, target, broadcastStrides(t.shape, t.strides, target), t.offset);
}

/** Tensor.squeeze() / squeeze(dim): removes size-1 dims (a given dim only when it has size 1). */
export function squeeze(t: Tensor, dim?: number | readonly number[]): Tensor {
  let drop: Set<number>;
  if (dim === undefined) drop = new Set(t.shape.flatMap((s, i) => (s === 1 ? [i] : [])));
  else {
    const dims = typeof dim === 'number' ? [dim] : dim;
    drop = new Set(normalizeDims(dims, t.dim).filter((d) => t.dim > 0 && t.shape[d] === 1));
  }
  return makeView(
    t,
    t.shape.filter((_, i) => !drop.has(i)),
    t.strides.filter((_, i) => !drop.has(i)),
    t.offset,
  );
}

/** Tensor.unsqueeze(dim): inserts a size-1 dim (dim in [-ndim-1, ndim]). */
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.dim + 1);
  const shape = [...t.shape];
  const strides = [...t.strides];
  const stride = d < t.dim ? t.shape[d] * t.strides[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  return makeView(t, shape, strides, t.offset);
}

/** Tensor.flatten(start, end): a view when possible (reshape semantics). */
export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  if (t.dim === 0) return reshape(t, [1]);
  const s = normalizeDim(startDim, t.dim);
  const e = normalizeDim(endDim, t.dim);
  if (s > e)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'flatten() has invalid args: start_dim cannot come after end_dim',
    );
  if (s === e) return t;
  let mid = 1;
  for (let i = s; i <= e; i++) mid *= t.shape[i];
  return reshape(t, [...t.shape.slice(0, s), mid, ...t.shape.slice(e + 1)]);
}

/** Tensor.unflatten(dim, sizes). */
export function unflatten(t: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, t.dim);
  const inner = inferShape(sizes, t.shape[d]);
  return view(t, [...t.shape.slice(0, d), ...inner, ...t.shape.slice(d + 1)]);
}

/** Tensor.split(size, dim): views of `size` elements along dim (the last may be smaller). */
export function split(t: Tensor, size: number, dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.dim);
  const total = t.shape[d];
  if (size < 0 || (size === 0 && total !== 0))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `split expects split_size be non-negative, but got split_size=${size}`,
    );
  if (size === 0) return [t];
  const out: Tensor[] = [];
  const count = Math.max(Math.ceil(total / size), 1);
  for (let i = 0; i < count; i++) out.push(slice(t, d, i * size, Math.min((i + 1) * size, total)));
  return out;
}

/** Tensor.split(sizes, dim) / split_with_sizes: sizes must sum to the dim's size. */
export function splitWithSizes(t: Tensor, sizes: readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.dim);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== t.shape[d]) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `split_with_sizes expects split_sizes to sum exactly to ${t.shape[d]} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`,
    );
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(slice(t, d, start, start + s));
    start += s;
  }
  return out;
}

/** Tensor.chunk(chunks, dim): split with size ceil(n / chunks) (may return fewer chunks). */
export function chunk(t: Tensor, chunks: number, dim = 0): Tensor[] {
  if (chunks <= 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const d = normalizeDim(dim, t.dim);
  const size = Math.ceil(t.shape[d] / chunks);
  if (size === 0) return Array.from({ length: chunks }, () => slice(t, d, 0, 0));
  return split(t, size, d);
}

function tensorSplitDim(t: Tensor, dim: number): number {
  if (t.dim === 0)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `tensor_split expected at least a 1-dimensional tensor, but got a tensor with ${t.dim} dims`,
    );
  return normalizeDim(dim, t.dim);
}

/** torch.tensor_split(t, sections, dim): `sections` views, the first size % sections one element longer. */
export function tensorSplitSections(t: Tensor, sections: number, dim = 0): Tensor[] {
  const d = tensorSplitDim(t, dim);
  if (sections <= 0)
    throw new RuntimeError('INVALID_ARGUMENT', `number of sections must be larger than 0, got ${sections}`);
  const size = t.shape[d];
  const min = Math.floor(size / sections);
  const extra = size % sections;
  const out: Tensor[] = [];
  let start = 0;
  for (let i = 0; i < sections; i++) {
    const len = i < extra ? min + 1 : min;
    out.push(slice(t, d, start, start + len));
    start += len;
  }
  return out;
}

/**
 * torch.tensor_split(t, indices, dim): views between consecutive indices, sliced as t[start:end] (negative
 * indices count from the end, out-of-range or decreasing ones give empty views).
 */
export function tensorSplitIndices(t: Tensor, indices: readonly number[], dim = 0): Tensor[] {
  const d = tensorSplitDim(t, dim);
  const out: Tensor[] = [];
  let start = 0;
  for (const end of indices) {
    out.push(slice(t, d, start, end));
    start = end;
  }
  out.push(slice(t, d, start, t.shape[d]));
  return out;
}

/** Tensor.unbind(dim): every index along dim as a view. */
export function unbind(t: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.dim);
  return Array.from({ length: t.shape[d] }, (_, i) => select(t, d, i));
}

/** torch.as_strided(t, size, stride, offset): raw geometry over the same storage (bounds-checked). */
export function asStrided(
  t: Tensor,
  size: readonly number[],
  stride: readonly number[],
  offset?: number | null,
): Tensor {
  const off = offset ?? t.offset;
  if (size.length !== stride.length)
    throw new RuntimeError('INVALID_ARGUMENT', `mismatch in length of strides and shape`);
  let maxIndex = off;
  for (let i = 0; i < size.length; i++) {
    if (size[i] === 0) return makeView(t, size, stride, off);
    maxIndex += (size[i] - 1) * stride[i];
  }
  if (maxIndex >= t.storage.numel || off < 0) {
    throw new RuntimeError(
      'INVALID_VIEW',
      `setStorage: sizes [${size.join(', ')}], strides [${stride.join(', ')}], storage offset ${off} requiring a storage size of ${maxIndex + 1} are out of bounds for storage of size ${t.storage.numel}`,
    );
  }
  return makeView(t, size, stride, off);
}

/** Tensor.diagonal(offset, dim1, dim2): the diagonal moved to the last dim, as a view. */
export function diagonal(t: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const a = normalizeDim(dim1, t.dim);
  const b = normalizeDim(dim2, t.dim);
  if (a === b)
    throw new RuntimeError('INVALID_ARGUMENT', `diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  let start = t.offset;
  let len: number;
  if (offset >= 0) {
    len = Math.max(Math.min(t.shape[a], t.shape[b] - offset), 0);
    if (len > 0) start += offset * t.strides[b];
  } else {
    len = Math.max(Math.min(t.shape[a] + offset, t.shape[b]), 0);
    if (len > 0) start -= offset * t.strides[a];
  }
  const shape = t.shape.filter((_, i) => i !== a && i !== b);
  const strides = t.strides.filter((_, i) => i !== a && i !== b);
  shape.push(len);
  strides.push(t.strides[a] + t.strides[b]);
  return makeView(t, shape, strides, start);
}

/** torch.movedim(t, source, destination) for single dims. */
export function movedim(t: Tensor, source: number, destination: number): Tensor {
  const s = normalizeDim(source, t.dim);
  const d = normalizeDim(destination, t.dim);
  const order = [...Array(t.dim).keys()].filter((i) => i !== s);
  order.splice(d, 0, s);
  return permute(t, order);
}
