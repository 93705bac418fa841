// The one nested-tensor helper that needs no nested tensor: nn.TransformerEncoder asks
// torch._nested_tensor_from_mask_left_aligned(src, ~src_key_padding_mask) whether every sequence's kept
// positions come first, to decide on its fast path (the nested tensors it then makes: nested-padded.ts).

import { RuntimeError } from '../../errors.js';
import { contiguous } from '../../tensor/convert.js';
import { DTYPES } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { tensorArg, type KernelTable } from './types.js';

/** True when each row of the [B, S] bool mask is some Trues followed only by Falses. */
export function maskLeftAligned(t: Tensor, mask: Tensor): boolean {
  if (mask.dtype !== 'bool')
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `Expected mask to be of ScalarType Bool, but got ${DTYPES[mask.dtype].irName} instead.`,
    );
  if (mask.dim !== 2) throw new RuntimeError('SHAPE_MISMATCH', 'Padding mask should be 2D');
  if (t.dim < 2 || mask.shape[0] !== t.shape[0] || mask.shape[1] !== t.shape[1])
    throw new RuntimeError('SHAPE_MISMATCH', 'Mask size should match input size');
  const [rows, cols] = mask.shape;
  const m = contiguous(mask).storage.data as Uint8Array;
  for (let r = 0; r < rows; r++) {
    let seenFalse = false;
    for (let c = 0; c < cols; c++) {
      if (!m[r * cols + c]) seenFalse = true;
      else if (seenFalse) return false;
    }
  }
  return true;
}

export function nestedMaskKernels(): KernelTable {
  return {
    'aten::_nested_tensor_from_mask_left_aligned': (a) => maskLeftAligned(tensorArg(a, 0), tensorArg(a, 1)),
  };
}
