// torch.unique(x, dim=d) (aten::unique_dim): the distinct slices along `dim`, sorted lexicographically
// (PyTorch 1.13 sorts whatever `sorted` says), with the inverse index of every slice and the counts.
// As in PyTorch, inverse and counts are computed and returned even when not asked for.

import { RuntimeError } from '../../errors.js';
import { contiguous } from '../../tensor/convert.js';
import { normalizeDim } from '../../tensor/shape.js';
import { Tensor, type Element } from '../../tensor/tensor.js';
import { transpose } from '../../tensor/views.js';
import { indexSelect } from './indexing.js';
import { intArg, tensorArg, type KernelTable } from './types.js';

function compareSlices(values: readonly Element[], width: number, i: number, j: number): number {
  for (let k = 0; k < width; k++) {
    const a = values[i * width + k];
    const b = values[j * width + k];
    if (a < b) return -1;
    if (a > b) return 1;
  }
  return 0;
}

const ZERO_SIZED = "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied";

/** Groups equal slices along `dim`, visiting them in sorted order or as they come (consecutive runs). */
function uniqueSlices(t: Tensor, dim: number, sorted: boolean): Tensor[] {
  const d = normalizeDim(dim, t.dim);
  const n = t.shape[d];
  if (n === 0) {
    if (sorted && t.shape.some((s, k) => s === 0 && k !== d))
      throw new RuntimeError('INVALID_ARGUMENT', ZERO_SIZED);
    return [t, Tensor.zeros('int64', [0]), Tensor.zeros('int64', [0])];
  }
  if (t.numel === 0) throw new RuntimeError('INVALID_ARGUMENT', ZERO_SIZED);
  // Slices as rows: swap `dim` with dim 0 (as PyTorch, which fixes the lexicographic order) and flatten.
  const rows = contiguous(transpose(t, d, 0));
  const width = rows.numel / n;
  const values = rows.toArray();
  const order = Array.from({ length: n }, (_, i) => i);
  if (sorted) order.sort((i, j) => compareSlices(values, width, i, j) || i - j);
  const firsts: number[] = [];
  const counts: bigint[] = [];
  const inverse = new Array<bigint>(n);
  for (const i of order) {
    const last = firsts.length ? firsts[firsts.length - 1] : -1;
    if (last < 0 || compareSlices(values, width, last, i) !== 0) {
      firsts.push(i);
      counts.push(0n);
    }
    counts[counts.length - 1]++;
    inverse[i] = BigInt(firsts.length - 1);
  }
  const picked = indexSelect(t, d, Tensor.fromArray('int64', firsts.map(BigInt), [firsts.length]));
  return [
    picked,
    Tensor.fromArray('int64', inverse, [n]),
    Tensor.fromArray('int64', counts, [counts.length]),
  ];
}

/** unique_dim(t, dim) -> [unique slices, inverse indices, counts]. */
export const uniqueDim = (t: Tensor, dim: number): Tensor[] => uniqueSlices(t, dim, true);

/** unique_dim_consecutive(t, dim): collapses runs of equal slices, keeping their order. */
export const uniqueDimConsecutive = (t: Tensor, dim: number): Tensor[] => uniqueSlices(t, dim, false);

export function uniqueDimKernels(): KernelTable {
  // sorted, return_inverse and return_counts do not change PyTorch 1.13's result.
  return {
    'aten::unique_dim': (a) => uniqueDim(tensorArg(a, 0), intArg(a, 1)),
    'aten::unique_dim_consecutive': (a) => uniqueDimConsecutive(tensorArg(a, 0), intArg(a, 1)),
  };
}
