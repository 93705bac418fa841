// torch.broadcast_tensors: every tensor expanded (as a view) to the common broadcast shape.

import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { expand } from '../../tensor/views.js';
import { tensorListArg, type KernelTable } from './types.js';

export function broadcastTensors(tensors: readonly Tensor[]): Tensor[] {
  const shape = broadcastShapes(...tensors.map((t) => t.shape));
  return tensors.map((t) => expand(t, shape));
}

export function broadcastKernels(): KernelTable {
  return { 'aten::broadcast_tensors': (a) => broadcastTensors(tensorListArg(a, 0)) };
}
