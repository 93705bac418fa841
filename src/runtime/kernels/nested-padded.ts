// Nested tensors only as far as nn.TransformerEncoder's fast path takes them (eval, batch_first layers, no
// grad, a src_key_padding_mask): torch._nested_tensor_from_mask(src, ~mask) makes sequence i the first
// len_i rows of src[i], every layer runs aten::_transformer_encoder_layer_fwd on it, and
// to_padded_tensor(0.) pads the results back to the longest sequence. tsfreeze keeps such a value padded
// and dense ([B, S, E] plus the lengths): a layer attends with the lengths as key padding mask (the rows
// past a length are computed but never read), and to_padded_tensor writes the padding value there and
// cuts to the longest length, as PyTorch's output is. Any other kernel refuses the value (index.ts), so
// an op PyTorch would run differently on a nested tensor never silently sees padding.

import { RuntimeError, UnsupportedError } from '../../errors.js';
import { contiguous } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { maskLeftAligned } from './nested-mask.js';
import {
  boolArg,
  floatArg,
  optIntListArg,
  tensorArg,
  type Kernel,
  type KernelArg,
  type KernelTable,
} from './types.js';

/** A nested [B, *, E] tensor held padded: `lengths[i]` leading rows of batch entry i are its sequence. */
export class PaddedNestedTensor extends Tensor {
  constructor(
    padded: Tensor,
    readonly lengths: readonly number[],
  ) {
    super(padded.storage, padded.shape, padded.strides, padded.offset);
  }
}

/** True for a value holding a nested tensor (prim::is_nested). */
export const isNestedTensor = (v: unknown): v is PaddedNestedTensor => v instanceof PaddedNestedTensor;

/** torch._nested_tensor_from_mask(t [B, S, E], mask [B, S] bool, mask_check). */
export function nestedFromMask(t: Tensor, mask: Tensor, maskCheck: boolean): PaddedNestedTensor {
  if (t.dim !== 3) throw new RuntimeError('SHAPE_MISMATCH', 'Input should be a 3D tensor, N * L * D');
  if (!maskLeftAligned(t, mask) && maskCheck)
    throw new RuntimeError('INVALID_ARGUMENT', 'Mask must be left-aligned without gaps');
  const [B, S] = mask.shape;
  const m = contiguous(mask).storage.data as Uint8Array;
  const lengths = Array.from({ length: B }, (_, b) => {
    let n = 0;
    for (let s = 0; s < S; s++) n += m[b * S + s] ? 1 : 0;
    return n;
  });
  // A copy: the nested tensor does not alias its source in PyTorch.
  return new PaddedNestedTensor(t.clone(), lengths);
}

/** Tensor.to_padded_tensor(padding, output_size): dense [B, max length (or output_size), E]. */
export function toPadded(t: Tensor, padding: number, outputSize: readonly number[] | null): Tensor {
  if (!(t instanceof PaddedNestedTensor))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      "Could not run 'aten::to_padded_tensor' with arguments from the 'CPU' backend: it needs a nested tensor",
    );
  const [B, , E] = t.shape;
  const longest = Math.max(0, ...t.lengths);
  const shape = outputSize ?? [B, longest, E];
  if (shape.length !== 3 || shape[0] < B || shape[1] < longest || shape[2] < E)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Value in output_size is less than NestedTensor padded size. Truncation is not supported.',
    );
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    throw new UnsupportedError(`to_padded_tensor of a ${t.dtype} nested tensor is not supported`);
  const out = Tensor.zeros(t.dtype, shape);
  const from = contiguous(t).storage.data as Float32Array | Float64Array;
  const to = out.storage.data as Float32Array | Float64Array;
  to.fill(padding);
  const S = t.shape[1];
  for (let b = 0; b < B; b++)
    for (let s = 0; s < t.lengths[b]; s++)
      for (let e = 0; e < E; e++) to[(b * shape[1] + s) * shape[2] + e] = from[(b * S + s) * E + e];
  return out;
}

/** The lengths as a key padding mask [B, S] (true = past the sequence's end). */
function paddingMask(t: PaddedNestedTensor): Tensor {
  const [B, S] = t.shape;
  return Tensor.fromArray(
    'bool',
    Array.from({ length: B * S }, (_, k) => k % S >= t.lengths[Math.floor(k / S)]),
    [B, S],
  );
}

/** Wraps aten::_transformer_encoder_layer_fwd so a nested src runs with its lengths as key padding mask. */
function encoderLayerOnNested(dense: Kernel): Kernel {
  return (a) => {
    const src = a[0];
    if (!(src instanceof PaddedNestedTensor)) return dense(a);
    if (a[18] !== null && a[18] !== undefined)
      throw new UnsupportedError('a src_mask together with a nested-tensor input is not supported');
    const args: KernelArg[] = [...a];
    args[0] = new Tensor(src.storage, src.shape, src.strides, src.offset);
    args[18] = paddingMask(src);
    args[19] = 1;
    return new PaddedNestedTensor(tensorArg([dense(args)], 0), src.lengths);
  };
}

/** Kernels that accept a PaddedNestedTensor argument; every other kernel refuses one. */
export const NESTED_AWARE = new Set([
  'aten::to_padded_tensor',
  'aten::_transformer_encoder_layer_fwd',
  'aten::dim',
]);

/** Throws when a kernel that does not know nested tensors gets one (a tensor or a list element). */
export function refuseNested(name: string, args: readonly KernelArg[]): void {
  for (const a of args) {
    const found = a instanceof PaddedNestedTensor || (Array.isArray(a) && a.some(isNestedTensor));
    if (found)
      throw new UnsupportedError(
        `${name} on a nested tensor is not supported: tsfreeze runs nested tensors only through nn.TransformerEncoder's fast path`,
      );
  }
}

export function nestedPaddedKernels(base: KernelTable): KernelTable {
  const table: KernelTable = {
    'aten::_nested_tensor_from_mask': (a) => nestedFromMask(tensorArg(a, 0), tensorArg(a, 1), boolArg(a, 2)),
    'aten::to_padded_tensor': (a) => toPadded(tensorArg(a, 0), floatArg(a, 1), optIntListArg(a, 2)),
  };
  if (base['aten::_transformer_encoder_layer_fwd'])
    table['aten::_transformer_encoder_layer_fwd'] = encoderLayerOnNested(
      base['aten::_transformer_encoder_layer_fwd'],
    );
  return table;
}
