// out= overloads (src/runtime/kernels/out-variants.ts): values against PyTorch are in the goldens
// (test/fixtures/_kernels_more); here what the goldens cannot show: the caller's tensor is the one
// written and returned, an out tensor that is also an input, strided outs, and the refused resize.

import { expect } from 'chai';
import { KERNELS } from '../../src/runtime/kernels/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { transpose } from '../../src/tensor/views.js';

const values = (t: Tensor): number[] => t.toArray().map(Number);

describe('out= overloads write into the given tensor', () => {
  const a = Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [2, 3]);
  const b = Tensor.fromArray('float32', [2, 4, 8], [3]);

  it('returns the out tensor itself, holding the functional result', () => {
    const out = Tensor.zeros('float32', [2, 3]);
    const r = KERNELS['aten::div.out']([a, b, out]);
    expect(r).to.equal(out);
    expect(values(out)).to.deep.equal(values(KERNELS['aten::div.Tensor']([a, b]) as Tensor));
  });

  it('an out tensor that is also an input is read before it is written', () => {
    const x = a.clone();
    KERNELS['aten::add.out']([x, x, 1, x]);
    expect(values(x)).to.deep.equal(values(a).map((v) => 2 * v));
  });

  it('writes through a strided (transposed) out view into its base', () => {
    const base = Tensor.zeros('float32', [3, 2]);
    KERNELS['aten::mul.out']([a, a, transpose(base, 0, 1)]);
    expect(values(base)).to.deep.equal([1, 16, 4, 25, 9, 36]);
  });

  it('several outs (max.dim_max) are each written and returned in order', () => {
    const m = Tensor.zeros('float32', [2]);
    const i = Tensor.zeros('int64', [2]);
    const r = KERNELS['aten::max.dim_max']([a, 1, false, m, i]) as Tensor[];
    expect(r[0]).to.equal(m);
    expect(r[1]).to.equal(i);
    expect(values(m)).to.deep.equal([3, 6]);
    expect(values(i)).to.deep.equal([2, 2]);
  });

  it('refuses an out tensor of another shape (PyTorch would resize it), naming both shapes', () => {
    expect(() => KERNELS['aten::div.out']([a, b, Tensor.zeros('float32', [0])])).to.throw(
      /out= tensor has shape \[0\] but the result has shape \[2, 3\]/,
    );
  });
});
