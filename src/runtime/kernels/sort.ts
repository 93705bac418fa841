// Sorting along a dim: sort (stable, NaN sorted as the largest value), argsort and topk.

import { RuntimeError } from '../../errors.js';
import { contiguous, type LooseArray } from '../../tensor/convert.js';
import { normalizeDim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { narrow, permute } from '../../tensor/views.js';

function moveLast(t: Tensor, d: number): Tensor {
  return permute(t, [...[...Array(t.dim).keys()].filter((k) => k !== d), d]);
}

function moveBack(t: Tensor, d: number): Tensor {
  const order = [...Array(t.dim - 1).keys()];
  order.splice(d, 0, t.dim - 1);
  return contiguous(permute(t, order));
}

/** torch.sort: [values, indices (int64)] along dim; equal values keep their order. */
export function sort(t: Tensor, dim = -1, descending = false): [Tensor, Tensor] {
  if (t.dim === 0) return [contiguous(t), Tensor.zeros('int64', [])];
  const d = normalizeDim(dim, t.dim);
  const x = contiguous(moveLast(t, d));
  const len = t.shape[d];
  const rows = len === 0 ? 0 : x.numel / len;
  const values = Tensor.zeros(t.dtype, x.shape);
  const indices = Tensor.zeros('int64', x.shape);
  const src = x.storage.data as LooseArray;
  const dst = values.storage.data as LooseArray;
  const idx = indices.storage.data as BigInt64Array;
  const order = new Array<number>(len);
  for (let r = 0; r < rows; r++) {
    const base = x.offset + r * len;
    for (let i = 0; i < len; i++) order[i] = i;
    const key = (i: number): number | bigint => src[base + i];
    order.sort((i, j) => {
      const a = key(i);
      const b = key(j);
      // NaN compares greater than everything.
      const an = a !== a;
      const bn = b !== b;
      let c: number;
      if (an || bn) c = an && bn ? 0 : an ? 1 : -1;
      else c = a < b ? -1 : a > b ? 1 : 0;
      return descending ? -c : c;
    });
    for (let i = 0; i < len; i++) {
      dst[r * len + i] = src[base + order[i]];
      idx[r * len + i] = BigInt(order[i]);
    }
  }
  return [moveBack(values, d), moveBack(indices, d)];
}

/** torch.argsort. */
export function argsort(t: Tensor, dim = -1, descending = false): Tensor {
  return sort(t, dim, descending)[1];
}

/** torch.topk: the k largest (or smallest) along dim, sorted. */
export function topk(t: Tensor, k: number, dim = -1, largest = true): [Tensor, Tensor] {
  const d = t.dim === 0 ? 0 : normalizeDim(dim, t.dim);
  const size = t.dim === 0 ? 1 : t.shape[d];
  if (k < 0 || k > size) throw new RuntimeError('INVALID_ARGUMENT', 'selected index k out of range');
  const [v, i] = sort(t, d, largest);
  if (t.dim === 0) return [v, i];
  return [contiguous(narrow(v, d, 0, k)), contiguous(narrow(i, d, 0, k))];
}
