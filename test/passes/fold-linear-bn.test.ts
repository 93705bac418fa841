// fold-linear-bn (opt-in): the FileCheck cases in fold-linear-bn.ir, the weights torch.nn.utils.fusion
// computes bit for bit, outputs before/after on seeded inputs, and its absence from the freeze pipeline.

import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { describeIRFile, REPO_ROOT } from '../support/ir-case-runner.js';
import { expectFoldedLikePyTorch, expectGoldenKeepsOutputs } from './fold-support.js';

describeIRFile('fold-linear-bn.ir');

describe('fold-linear-bn', () => {
  it("folded weight and bias equal torch.nn.utils.fusion.fuse_linear_bn_weights' bit for bit", () => {
    const report = expectFoldedLikePyTorch('linear_bn', 'fold-linear-bn');
    expect(report.statistics['fold-linear-bn']).to.deep.equal({ folded: 1 });
  });

  it('outputs before and after agree on seeded inputs (rtol 1e-4, atol 1e-5)', () => {
    const after = expectGoldenKeepsOutputs('linear_bn', 'fold-linear-bn');
    expect(after.nodesOfKind('aten::batch_norm')).to.have.length(0);
  });

  it('is not part of the freeze pipeline (PyTorch 1.13 does not fold linear -> batch_norm)', () => {
    const pipeline = readFileSync(`${REPO_ROOT}passes/pipelines/freeze.json`, 'utf8');
    expect(pipeline).to.include('"fold-conv-bn"');
    expect(pipeline).not.to.include('fold-linear-bn');
  });
});
