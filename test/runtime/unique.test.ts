// torch.unique(sorted=False): PyTorch 1.13 returns its hash set's order, which tsfreeze does not
// reproduce, so the kernel refuses instead of returning other numbers (sorted cases: script-op goldens).

import { expect } from 'chai';
import { KERNELS } from '../../src/runtime/index.js';
import { Tensor } from '../../src/tensor/index.js';

describe('aten::_unique2', () => {
  const ids = Tensor.fromArray('int64', [3n, 1n, 3n], [3]);

  it('refuses sorted=False with a message saying why', () => {
    expect(() => KERNELS['aten::_unique2']([ids, false, false, false])).to.throw(
      /torch\.unique\(sorted=False\) is not supported: PyTorch returns its hash-set order/,
    );
  });

  it('sorted=True gives values, an empty inverse and empty counts when not asked for', () => {
    const [values, inverse, counts] = KERNELS['aten::_unique2']([ids, true, false, false]) as Tensor[];
    expect(values.toArray()).to.deep.equal([1n, 3n]);
    expect([inverse.shape, counts.shape]).to.deep.equal([[0], [0]]);
  });
});
