// The `CONSTANTS.cN` table: values printed code cannot spell as literals (tensors, non-ASCII strings,
// objects), numbered in the order the printer first needs them; torch.jit.save writes it as constants.pkl.

import type { IValue } from '../../ir/ivalue.js';
import type { Type } from '../../ir/types.js';
import { Tensor } from '../../tensor/tensor.js';

/** One entry of the table, with the type it is pickled as. */
export interface ConstantEntry {
  readonly value: IValue;
  readonly type: Type;
}

/** Ordered table of constants; one per archive (shared by every printed file) or one per `module.code`. */
export class ConstantTable {
  private readonly items: ConstantEntry[] = [];

  /** The entries in index order: `CONSTANTS.c0` first. */
  get entries(): readonly ConstantEntry[] {
    return this.items;
  }

  /**
   * The index of `value`, added at the end when new. Tensors equal in dtype, device, shape and every
   * element share one entry (PyTorch's getOrAddConstant); other values always get a fresh one.
   */
  indexOf(value: IValue, type: Type): number {
    if (value instanceof Tensor) {
      const at = this.items.findIndex((e) => e.value instanceof Tensor && tensorsEqual(e.value, value));
      if (at >= 0) return at;
    }
    this.items.push({ value, type });
    return this.items.length - 1;
  }
}

/** torch.equal plus equal options: same dtype, device and shape, and every element equal. */
export function tensorsEqual(a: Tensor, b: Tensor): boolean {
  if (a === b) return true;
  if (a.dtype !== b.dtype || a.device !== b.device || a.shape.length !== b.shape.length) return false;
  if (a.shape.some((s, i) => s !== b.shape[i])) return false;
  for (let i = 0, n = a.numel; i < n; i++) if (a.getFlat(i) !== b.getFlat(i)) return false;
  return true;
}
