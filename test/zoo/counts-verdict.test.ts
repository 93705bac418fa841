// The zoo's counts step: equal to PyTorch's frozen counts, or to PyTorch's counts from a run with glibc's
// freed memory never reused (PyTorch 1.13 keeps some foldable nodes depending on heap address reuse), said in the detail.

import { expect } from 'chai';
import { countsVerdict } from './compare.js';

const ours = { 'aten::conv2d': 3, 'aten::unsqueeze': 96, 'prim::Constant': 10 };

describe('zoo counts step', () => {
  it("passes on PyTorch's counts, prim::Constant aside", () => {
    expect(
      countsVerdict(ours, { 'aten::conv2d': 3, 'aten::unsqueeze': 96, 'prim::Constant': 12 }),
    ).to.deep.equal({
      status: 'pass',
    });
  });

  it("passes on the no-reuse counts when the default run's differ, and says which", () => {
    const v = countsVerdict(
      ours,
      { 'aten::conv2d': 3, 'aten::unsqueeze': 97 },
      { 'aten::conv2d': 3, 'aten::unsqueeze': 96 },
    );
    expect(v.status).to.equal('pass');
    expect(v.detail).to.contain('without heap address reuse').and.contain('aten::unsqueeze 96 vs 97');
  });

  it('fails when neither run agrees, naming the default run difference', () => {
    const v = countsVerdict(ours, { 'aten::conv2d': 4, 'aten::unsqueeze': 96 }, { 'aten::conv2d': 5 });
    expect(v).to.deep.equal({ status: 'fail', detail: 'aten::conv2d 3 vs 4' });
  });
});
