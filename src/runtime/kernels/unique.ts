// torch.unique and torch.unique_consecutive over the flattened tensor (torchvision's batched_nms calls
// torch.unique on the class ids of every detection model). Outputs as PyTorch 1.13's CPU kernels give
// them: the values (sorted ascending), the inverse indices shaped like the
// input and the counts, both int64 and empty [0] when not asked for. NaN inputs are not modelled.

import { UnsupportedError } from '../../errors.js';
import { contiguous } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { boolArg, optIntArg, tensorArg, type KernelArg, type KernelTable } from './types.js';

type Element = number | bigint | boolean;

const less = (a: Element, b: Element): number => (a < b ? -1 : a > b ? 1 : 0);
const same = (a: Element, b: Element): boolean => a === b;

/** Groups runs of equal elements of `order` (positions into `values`) into unique values. */
function collect(t: Tensor, values: Element[], order: number[], inverse: boolean, counts: boolean): Tensor[] {
  const uniq: Element[] = [];
  const inv = inverse ? new BigInt64Array(values.length) : new BigInt64Array(0);
  const cnt: bigint[] = [];
  for (let k = 0; k < order.length; k++) {
    const v = values[order[k]];
    if (!uniq.length || !same(uniq[uniq.length - 1], v)) {
      uniq.push(v);
      cnt.push(0n);
    }
    cnt[cnt.length - 1]++;
    if (inverse) inv[order[k]] = BigInt(uniq.length - 1);
  }
  const out = Tensor.fromArray(t.dtype, uniq as never[], [uniq.length]);
  const inverseT = inverse ? Tensor.fromArray('int64', [...inv], [...t.shape]) : Tensor.zeros('int64', [0]);
  const countsT = counts ? Tensor.fromArray('int64', cnt, [cnt.length]) : Tensor.zeros('int64', [0]);
  return [out, inverseT, countsT];
}

/** torch.unique(t) (aten::_unique2, sorted=True): sorted unique values of the flattened tensor. */
export function unique(t: Tensor, inverse: boolean, counts: boolean): Tensor[] {
  const values = contiguous(t).toArray() as Element[];
  const order = values.map((_, i) => i).sort((i, j) => less(values[i], values[j]) || i - j);
  return collect(t, values, order, inverse, counts);
}

/** torch.unique_consecutive(t) over the flattened tensor: collapses runs, keeps order. */
export function uniqueConsecutive(t: Tensor, inverse: boolean, counts: boolean): Tensor[] {
  const values = contiguous(t).toArray() as Element[];
  return collect(
    t,
    values,
    values.map((_, i) => i),
    inverse,
    counts,
  );
}

// sorted=False: PyTorch 1.13 returns its hash set's iteration order, which tsfreeze does not reproduce;
// refusing is better than returning other numbers.
function requireSorted(a: readonly KernelArg[]): void {
  if (!boolArg(a, 1))
    throw new UnsupportedError(
      'torch.unique(sorted=False) is not supported: PyTorch returns its hash-set order, use sorted=True',
    );
}

export function uniqueKernels(): KernelTable {
  return {
    'aten::_unique2': (a) => {
      requireSorted(a);
      return unique(tensorArg(a, 0), boolArg(a, 2), boolArg(a, 3));
    },
    'aten::_unique': (a) => {
      requireSorted(a);
      return unique(tensorArg(a, 0), boolArg(a, 2), false).slice(0, 2);
    },
    'aten::unique_consecutive': (a) => {
      if (optIntArg(a, 3) !== null)
        throw new UnsupportedError('torch.unique_consecutive with dim= is not supported yet');
      return uniqueConsecutive(tensorArg(a, 0), boolArg(a, 1), boolArg(a, 2));
    },
  };
}
