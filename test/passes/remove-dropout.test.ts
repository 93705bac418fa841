// remove-dropout: the FileCheck cases in remove-dropout.ir, outputs before/after, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

describeIRFile('remove-dropout.ir');

const EVAL_MLP = `graph(%x : Tensor, %w : Tensor, %b : Tensor):
  %p : float = prim::Constant[value=0.5]()
  %train : bool = prim::Constant[value=0]()
  %h : Tensor = aten::linear(%x, %w, %b)
  %d : Tensor = aten::dropout(%h, %p, %train)
  %r : Tensor = aten::relu(%d)
  %f : Tensor = aten::feature_dropout(%r, %p, %train)
  return (%f)
`;

describe('remove-dropout', () => {
  it('keeps the outputs of an eval-mode linear/dropout/relu stack (seeded inputs, rtol 1e-6)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: EVAL_MLP,
      pipeline: 'remove-dropout',
      inputs: (seed) => [seeded([4, 6], seed), seeded([5, 6], seed + 100), seeded([5], seed + 200)],
      tolerance: { rtol: 1e-6, atol: 0 },
    });
    expect(after.nodesOfKind('aten::dropout')).to.have.length(0);
    expect(after.nodesOfKind('aten::feature_dropout')).to.have.length(0);
  });

  it('counts what it removes, remarks on what it keeps, and a second run changes nothing', () => {
    const g = parseIR(`graph(%x : Tensor):
  %p : float = prim::Constant[value=0.5]()
  %train : bool = prim::Constant[value=0]()
  %a : Tensor = aten::dropout(%x, %p, %train)
  %b : Tensor = aten::alpha_dropout(%a, %p, %train)
  return (%b)
`);
    const c = testContainer();
    const first = runPipeline(c, g, 'remove-dropout');
    expect(first.changed).to.equal(true);
    expect(first.statistics['remove-dropout']['dropouts-removed']).to.equal(1);
    expect(first.remarks.map((r) => r.message)).to.deep.equal([
      'not removed: aten::alpha_dropout is kept, as PyTorch 1.13 keeps it',
    ]);
    expect(runPipeline(c, g, 'remove-dropout').changed).to.equal(false);
  });
});
