// Indexing with tensors: index_select, gather, scatter(_add), embedding, advanced indexing
// (aten::index / index_put_ with int and bool index tensors), masked_fill, masked_select, where, nonzero.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { cloneContiguous, contiguous, copyInto, toDType, type LooseArray } from '../../tensor/convert.js';
import { full } from '../../tensor/creation.js';
import { forEachRun, storageIndices } from '../../tensor/iter.js';
import { resultType } from '../../tensor/promotion.js';
import { FloatScalar, type Scalar } from '../../tensor/scalar.js';
import { broadcastShapes, broadcastStrides, normalizeDim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { expand, makeView, reshape } from '../../tensor/views.js';

function indexValues(index: Tensor, what: string): Float64Array {
  if (index.dtype !== 'int64' && index.dtype !== 'int32') {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `${what}(): Expected dtype int32/int64 for index but got ${DTYPES[index.dtype].irName}`,
    );
  }
  return toDType(contiguous(index), 'float64', true).storage.data as Float64Array;
}

function wrapIndex(i: number, size: number, what: string): number {
  if (i < -size || i >= size)
    throw new RuntimeError(
      'INDEX_OUT_OF_RANGE',
      `${what}: index ${i} is out of bounds for dimension with size ${size}`,
    );
  return i < 0 ? i + size : i;
}

/** Tensor.index_select(dim, index) with a 1-d (or 0-d) index. */
export function indexSelect(t: Tensor, dim: number, index: Tensor): Tensor {
  if (index.dim > 1)
    throw new RuntimeError('INVALID_ARGUMENT', 'index_select(): Index is supposed to be a vector');
  const d = t.dim === 0 ? 0 : normalizeDim(dim, t.dim);
  const idx = indexValues(index, 'index_select');
  const size = t.dim === 0 ? 1 : t.shape[d];
  const shape = t.dim === 0 ? [] : [...t.shape];
  if (t.dim > 0) shape[d] = idx.length;
  const out = Tensor.zeros(t.dtype, shape);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= size)
      throw new RuntimeError('INDEX_OUT_OF_RANGE', 'index out of range in self');
    if (t.dim === 0) return cloneContiguous(t);
    copyInto(out.select(d, i), t.select(d, idx[i]));
  }
  return out;
}

/** torch.embedding: rows of `weight` picked by integer `indices` (any shape). */
export function embedding(weight: Tensor, indices: Tensor): Tensor {
  const flat = reshape(indices, [-1]);
  const rows = indexSelect(weight, 0, flat);
  return reshape(rows, [...indices.shape, ...weight.shape.slice(1)]);
}

// Offsets of `t` for every position of `index` with `dim` replaced by the index value.
function gatherOffsets(t: Tensor, dim: number, index: Tensor, what: string): Float64Array {
  const d = normalizeDim(dim, Math.max(t.dim, 1));
  const idx = indexValues(index, what);
  const out = new Float64Array(idx.length);
  const pos = new Array<number>(index.dim).fill(0);
  for (let flat = 0; flat < idx.length; flat++) {
    let at = t.offset;
    for (let k = 0; k < index.dim; k++) {
      const i = k === d ? wrapIndex(idx[flat], t.shape[k], what) : pos[k];
      if (k !== d && i >= t.shape[k])
        throw new RuntimeError('INDEX_OUT_OF_RANGE', `${what}: index shape exceeds self at dim ${k}`);
      at += i * t.strides[k];
    }
    out[flat] = at;
    for (let k = index.dim - 1; k >= 0; k--) {
      if (++pos[k] < index.shape[k]) break;
      pos[k] = 0;
    }
  }
  return out;
}

/** torch.gather(t, dim, index): out has index's shape. */
export function gather(t: Tensor, dim: number, index: Tensor): Tensor {
  const offs = gatherOffsets(t, dim, index, 'gather');
  const out = Tensor.zeros(t.dtype, index.shape);
  const src = t.storage.data as LooseArray;
  const dst = out.storage.data as LooseArray;
  for (let i = 0; i < offs.length; i++) dst[i] = src[offs[i]];
  return out;
}

/** scatter / scatter_add into a copy of `t` (or into `t` itself when `inplace`). */
export function scatter(
  t: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor | Scalar,
  reduce: 'none' | 'add',
  inplace = false,
): Tensor {
  const out = inplace ? t : cloneContiguous(t);
  const offs = gatherOffsets(out, dim, index, 'scatter');
  const dst = out.storage.data as LooseArray;
  const values =
    src instanceof Tensor
      ? contiguous(toDType(src, out.dtype))
      : full([], src instanceof FloatScalar ? src.value : src, { dtype: out.dtype });
  const vd = values.storage.data as LooseArray;
  const pos = new Array<number>(index.dim).fill(0);
  for (let i = 0; i < offs.length; i++) {
    let at = values.offset;
    if (src instanceof Tensor) for (let k = 0; k < index.dim; k++) at += pos[k] * values.strides[k];
    const v = vd[at];
    if (reduce === 'add') dst[offs[i]] = (dst[offs[i]] as number) + (v as number);
    else dst[offs[i]] = v;
    for (let k = index.dim - 1; k >= 0; k--) {
      if (++pos[k] < index.shape[k]) break;
      pos[k] = 0;
    }
  }
  return out;
}

/** Where an advanced index reads: the result shape and the storage offset of every result element. */
function advancedIndex(
  t: Tensor,
  indices: readonly (Tensor | null)[],
): { shape: number[]; offsets: Float64Array } {
  // Bool masks stand for the int index tensors of their true positions (one per masked dim).
  const expanded: (Tensor | null)[] = [];
  for (const ix of indices) {
    if (ix !== null && (ix.dtype === 'bool' || ix.dtype === 'uint8')) {
      const nz = nonzero(ix);
      for (let k = 0; k < ix.dim; k++) expanded.push(nz.select(1, k));
    } else expanded.push(ix);
  }
  if (expanded.length > t.dim)
    throw new RuntimeError(
      'INDEX_OUT_OF_RANGE',
      `too many indices for tensor of dimension ${t.dim} (got ${expanded.length})`,
    );
  const indexed = expanded.flatMap((ix, d) => (ix === null ? [] : [d]));
  const tensors = indexed.map((d) => expanded[d] as Tensor);
  const bshape = broadcastShapes(...tensors.map((x) => x.shape));
  const bcount = bshape.reduce((a, b) => a * b, 1);
  const contrib = new Float64Array(bcount);
  for (let j = 0; j < indexed.length; j++) {
    const d = indexed[j];
    const vals = indexValues(contiguous(expand(tensors[j], bshape)), 'index');
    for (let i = 0; i < bcount; i++) {
      const v = vals[i];
      if (v < -t.shape[d] || v >= t.shape[d]) {
        throw new RuntimeError(
          'INDEX_OUT_OF_RANGE',
          `index ${v} is out of bounds for dimension ${d} with size ${t.shape[d]}`,
        );
      }
      contrib[i] += (v < 0 ? v + t.shape[d] : v) * t.strides[d];
    }
  }
  const rest = [...Array(t.dim).keys()].filter((d) => !indexed.includes(d));
  const adjacent = indexed.length > 0 && indexed[indexed.length - 1] - indexed[0] === indexed.length - 1;
  const split = adjacent ? rest.filter((d) => d < indexed[0]).length : 0;
  const beforeDims = rest.slice(0, split);
  const afterDims = rest.slice(split);
  const offsetsOf = (dims: number[]): Int32Array | Float64Array =>
    storageIndices(
      makeView(
        t,
        dims.map((d) => t.shape[d]),
        dims.map((d) => t.strides[d]),
        0,
      ),
    );
  const before = offsetsOf(beforeDims);
  const after = offsetsOf(afterDims);
  const offsets = new Float64Array(before.length * bcount * after.length);
  let o = 0;
  for (let a = 0; a < before.length; a++) {
    for (let b = 0; b < bcount; b++) {
      const base = t.offset + before[a] + contrib[b];
      for (let c = 0; c < after.length; c++) offsets[o++] = base + after[c];
    }
  }
  const shape = [...beforeDims.map((d) => t.shape[d]), ...bshape, ...afterDims.map((d) => t.shape[d])];
  return { shape, offsets };
}

/** aten::index.Tensor: t[indices] with None entries for full slices. */
export function index(t: Tensor, indices: readonly (Tensor | null)[]): Tensor {
  const { shape, offsets } = advancedIndex(t, indices);
  const out = Tensor.zeros(t.dtype, shape);
  const src = t.storage.data as LooseArray;
  const dst = out.storage.data as LooseArray;
  for (let i = 0; i < offsets.length; i++) dst[i] = src[offsets[i]];
  return out;
}

/** aten::index_put_: t[indices] = values (broadcast), or += with accumulate. Writes into t. */
export function indexPut(
  t: Tensor,
  indices: readonly (Tensor | null)[],
  values: Tensor,
  accumulate: boolean,
): Tensor {
  const { shape, offsets } = advancedIndex(t, indices);
  const v = contiguous(toDType(expand(values, shape), t.dtype));
  const src = v.storage.data as LooseArray;
  const dst = t.storage.data as LooseArray;
  for (let i = 0; i < offsets.length; i++) {
    const x = src[v.offset + i];
    dst[offsets[i]] = accumulate ? (dst[offsets[i]] as number) + (x as number) : x;
  }
  return t;
}

/** torch.nonzero: [count, ndim] int64 coordinates of the non-zero elements, row-major. */
export function nonzero(t: Tensor): Tensor {
  const vals = contiguous(t).toArray();
  const coords: number[] = [];
  const pos = new Array<number>(t.dim).fill(0);
  let count = 0;
  for (const v of vals) {
    if (v !== 0 && v !== 0n && v !== false) {
      coords.push(...pos);
      count++;
    }
    for (let k = t.dim - 1; k >= 0; k--) {
      if (++pos[k] < t.shape[k]) break;
      pos[k] = 0;
    }
  }
  return Tensor.fromArray(
    'int64',
    coords.map((c) => BigInt(c)),
    [count, t.dim],
  );
}

function checkMask(mask: Tensor, what: string): void {
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `${what} only supports boolean masks, but got mask with dtype ${DTYPES[mask.dtype].irName}`,
    );
  }
}

/** masked_fill_: writes `value` where `mask` (broadcast to t's shape) is true. */
export function maskedFillInPlace(t: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor {
  checkMask(mask, 'masked_fill_');
  let v: Scalar;
  if (value instanceof Tensor) {
    if (value.dim !== 0) {
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.dim} dimension(s).`,
      );
    }
    v = value.item();
  } else v = value;
  const fill = full([], v instanceof FloatScalar ? v.value : v, { dtype: t.dtype }).storage.data[0];
  const m = toDType(mask, 'bool');
  const ms = broadcastStrides(m.shape, m.strides, t.shape);
  const dst = t.storage.data as LooseArray;
  const md = m.storage.data as Uint8Array;
  forEachRun(t.shape, [t.strides, ms], [t.offset, m.offset], (offs, n, st) => {
    let a = offs[0];
    let b = offs[1];
    for (let k = 0; k < n; k++, a += st[0], b += st[1]) if (md[b]) dst[a] = fill;
  });
  return t;
}

/** masked_fill: a copy of t (broadcast with mask) with `value` where mask is true. */
export function maskedFill(t: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor {
  const shape = broadcastShapes(t.shape, mask.shape);
  return maskedFillInPlace(cloneContiguous(expand(t, shape)), mask, value);
}

/** masked_select: the elements where mask is true, as a 1-d tensor. */
export function maskedSelect(t: Tensor, mask: Tensor): Tensor {
  checkMask(mask, 'masked_select');
  const shape = broadcastShapes(t.shape, mask.shape);
  return index(contiguous(expand(t, shape)), [contiguous(expand(toDType(mask, 'bool'), shape))]);
}

/** torch.where(condition, self, other): promoted dtype, three-way broadcast. */
export function where(condition: Tensor, self: Tensor | Scalar, other: Tensor | Scalar): Tensor {
  if (condition.dtype !== 'bool' && condition.dtype !== 'uint8') {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `where expected condition to be a boolean tensor, but got a tensor with dtype ${DTYPES[condition.dtype].irName}`,
    );
  }
  const dtype = resultType(self, other);
  const asTensor = (x: Tensor | Scalar): Tensor =>
    x instanceof Tensor ? toDType(x, dtype) : full([], x instanceof FloatScalar ? x.value : x, { dtype });
  const a = asTensor(self);
  const b = asTensor(other);
  const shape = broadcastShapes(condition.shape, a.shape, b.shape);
  const out = Tensor.zeros(dtype, shape);
  const c = toDType(condition, 'bool');
  const cd = c.storage.data as Uint8Array;
  const ad = a.storage.data as LooseArray;
  const bd = b.storage.data as LooseArray;
  const od = out.storage.data as LooseArray;
  const strides = [
    out.strides,
    broadcastStrides(c.shape, c.strides, shape),
    broadcastStrides(a.shape, a.strides, shape),
    broadcastStrides(b.shape, b.strides, shape),
  ];
  forEachRun(shape, strides, [0, c.offset, a.offset, b.offset], (offs, n, st) => {
    let o = offs[0];
    let ci = offs[1];
    let ai = offs[2];
    let bi = offs[3];
    for (let k = 0; k < n; k++, o += st[0], ci += st[1], ai += st[2], bi += st[3])
      od[o] = cd[ci] ? ad[ai] : bd[bi];
  });
  return out;
}
