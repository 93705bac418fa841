// aten::embedding_bag: sums, means or maxima of embedding rows over bags of indices (nn.EmbeddingBag), with
// per-sample weights (sum mode), include_last_offset and padding_idx (rows skipped and not counted), as
// ATen's CPU kernel computes them. Outputs: (output, offset2bag, bag_size, max_indices).

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { cloneContiguous, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  boolArg,
  intArg,
  optIntArg,
  optTensorArg,
  tensorArg as T,
  type KernelArg,
  type KernelResult,
  type KernelTable,
} from './types.js';

const MODES = ['sum', 'mean', 'max'] as const;

function ints(t: Tensor): number[] {
  return Array.from(cloneContiguous(toDType(t, 'float64')).storage.data as Float64Array);
}

/** embedding_bag(weight, indices, offsets, mode, per_sample_weights, include_last_offset, padding_idx). */
export function embeddingBag(
  weight: Tensor,
  indices: Tensor,
  offsets: Tensor,
  mode: number,
  perSampleWeights: Tensor | null,
  includeLastOffset: boolean,
  paddingIdx: number | null,
): [Tensor, Tensor, Tensor, Tensor] {
  const how = MODES[mode];
  if (!how) throw new RuntimeError('INVALID_ARGUMENT', `embedding_bag: unknown mode ${mode}`);
  if (weight.dim !== 2)
    throw new RuntimeError('SHAPE_MISMATCH', 'embedding_bag: weight has to be a 2D Tensor');
  if (indices.dim !== 1 || offsets.dim !== 1)
    throw new RuntimeError('SHAPE_MISMATCH', 'embedding_bag: input and offsets have to be 1D tensors');
  if (perSampleWeights && how !== 'sum')
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum'",
    );
  if (!DTYPES[weight.dtype].isFloatingPoint)
    throw new RuntimeError('DTYPE_MISMATCH', 'embedding_bag: weight must be a floating-point tensor');
  const [rows, dim] = weight.shape;
  const idx = ints(indices);
  const starts = ints(offsets);
  const bags = includeLastOffset ? Math.max(starts.length - 1, 0) : starts.length;
  const end = (b: number): number => (b + 1 < starts.length ? starts[b + 1] : idx.length);
  const w = cloneContiguous(toDType(weight, 'float64')).storage.data as Float64Array;
  const psw = perSampleWeights
    ? (cloneContiguous(toDType(perSampleWeights, 'float64')).storage.data as Float64Array)
    : null;
  const out = new Float64Array(bags * dim);
  const offset2bag = new Array<bigint>(idx.length).fill(0n);
  const bagSize = new Array<bigint>(bags).fill(0n);
  const maxIndices = new Array<bigint>(how === 'max' ? bags * dim : bags).fill(0n);
  for (let b = 0; b < bags; b++) {
    let count = 0;
    for (let i = starts[b]; i < Math.min(end(b), idx.length); i++) {
      const row = idx[i];
      offset2bag[i] = BigInt(b);
      if (row === paddingIdx) continue;
      if (row < 0 || row >= rows)
        throw new RuntimeError('INDEX_ERROR', `embedding_bag: index ${row} is out of range for ${rows} rows`);
      const scale = psw ? psw[i] : 1;
      for (let d = 0; d < dim; d++) {
        const v = w[row * dim + d];
        if (how !== 'max') out[b * dim + d] += scale * v;
        else if (count === 0 || v > out[b * dim + d]) {
          out[b * dim + d] = v;
          maxIndices[b * dim + d] = BigInt(row);
        }
      }
      count++;
    }
    // ATen reports bag sizes only for mean and max (sum leaves zeros); mean repeats them as max_indices.
    if (how !== 'sum') bagSize[b] = BigInt(count);
    if (how === 'mean') maxIndices[b] = BigInt(count);
    if (how === 'mean' && count > 0) for (let d = 0; d < dim; d++) out[b * dim + d] /= count;
  }
  const output = toDType(Tensor.fromStorage('float64', out, [bags, dim]), weight.dtype);
  // Plain sums never need offset2bag: ATen returns it empty then.
  const bagOfIndex = how === 'sum' && paddingIdx === null ? [] : offset2bag;
  return [
    output,
    Tensor.fromArray('int64', bagOfIndex, [bagOfIndex.length]),
    Tensor.fromArray('int64', bagSize, [bags]),
    Tensor.fromArray('int64', maxIndices, how === 'max' ? [bags, dim] : [bags]),
  ];
}

function call(a: readonly KernelArg[], paddingIdx: number | null): KernelResult {
  return embeddingBag(T(a, 0), T(a, 1), T(a, 2), intArg(a, 4), optTensorArg(a, 6), boolArg(a, 7), paddingIdx);
}

/** The kernels of this file, keyed by schema name. */
export function embeddingBagKernels(): KernelTable {
  return {
    'aten::embedding_bag': (a) => call(a, null),
    'aten::embedding_bag.padding_idx': (a) => call(a, optIntArg(a, 8)),
  };
}
