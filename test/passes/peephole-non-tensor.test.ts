// peephole-non-tensor: the FileCheck cases (checked against torch 1.13's _jit_pass_peephole, which runs
// these rules last), outputs before/after on seeded inputs, and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

describeIRFile('peephole-non-tensor.ir');

const INT_AND_BOOL = `graph(%x : Tensor, %n : int, %c : bool):
  %0 : int = prim::Constant[value=0]()
  %1 : int = prim::Constant[value=1]()
  %2 : int = prim::Constant[value=2]()
  %t : bool = prim::Constant[value=1]()
  %f : bool = prim::Constant[value=0]()
  %a : int = aten::add(%1, %n)
  %b : int = aten::add(%a, %2)
  %d : int = aten::sub(%b, %0)
  %e : int = aten::floordiv(%d, %1)
  %same : bool = aten::eq(%e, %e)
  %g : bool = prim::If(%c)
    block0():
      -> (%t)
    block1():
      -> (%f)
  %y : Tensor = aten::mul(%x, %e)
  return (%y, %e, %g, %same)
`;

describe('peephole-non-tensor', () => {
  it('keeps the outputs of int arithmetic, x == x and a bool If (exact)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: INT_AND_BOOL,
      pipeline: 'peephole-non-tensor,dead-code-elimination',
      inputs: (seed) => [seeded([2, 2], seed), seed * 3 - 4, seed % 2 === 1],
      seeds: [0, 1, 2, 3],
      tolerance: { rtol: 0, atol: 0 },
    });
    expect(after.nodesOfKind('prim::If')).to.have.length(0);
    expect(after.nodesOfKind('aten::floordiv')).to.have.length(0);
  });

  it('counts identities and merged arithmetic, and a second run changes nothing', () => {
    const g = parseIR(INT_AND_BOOL);
    const c = testContainer();
    const report = runPipeline(c, g, 'peephole-non-tensor');
    expect(report.statistics['peephole-non-tensor']).to.deep.equal({
      'arithmetic-merged': 1,
      'identities-removed': 3,
      'queries-folded': 1,
      'types-refined': 0,
    });
    expect(runPipeline(c, g, 'peephole-non-tensor').changed).to.equal(false);
  });
});
