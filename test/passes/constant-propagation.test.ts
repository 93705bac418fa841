// constant-propagation: the FileCheck cases in constant-propagation.ir, outputs before/after on seeded
// inputs, the control_flow fixture's folding after freezing, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline, withLimits, type Graph } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testAnalysesModule, testContainer } from './numeric.js';

describeIRFile('constant-propagation.ir', { modules: [testAnalysesModule] });

// control_flow's forward after freezing, before PyTorch's optimizations: attributes are constants.
const FROZEN_CONTROL_FLOW = `graph(%x.1 : Tensor, %bias : Tensor, %w : Tensor):
  %use_bias : bool = prim::Constant[value=1]()
  %mode : str = prim::Constant[value="double"]()
  %lit : str = prim::Constant[value="double"]()
  %2 : int = prim::Constant[value=2]()
  %1 : int = prim::Constant[value=1]()
  %0 : int = prim::Constant[value=0]()
  %max_steps : int = prim::Constant[value=4]()
  %big : int = prim::Constant[value=9223372036854775807]()
  %x.65 : Tensor = prim::If(%use_bias)
    block0():
      %x.5 : Tensor = aten::add(%x.1, %bias, %1)
      -> (%x.5)
    block1():
      %x.11 : Tensor = aten::sub(%x.1, %bias, %1)
      -> (%x.11)
  %21 : bool = aten::eq(%mode, %lit)
  %x.67 : Tensor = prim::If(%21)
    block0():
      %x.27 : Tensor = aten::mul(%x.65, %2)
      -> (%x.27)
    block1():
      -> (%x.65)
  %131 : bool = aten::lt(%0, %max_steps)
  %x.75 : Tensor, %i : int = prim::Loop(%big, %131, %x.67, %0)
    block0(%49 : int, %x.73 : Tensor, %i.15 : int):
      %x.47 : Tensor = aten::tanh(%x.73)
      %i.11 : int = aten::add(%i.15, %1)
      %47 : bool = aten::lt(%i.11, %max_steps)
      -> (%47, %x.47, %i.11)
  %y : Tensor = aten::matmul(%x.75, %w)
  %r : (Tensor, int) = prim::TupleConstruct(%y, %i)
  return (%r)
`;

describe('constant-propagation', () => {
  it("folds control_flow's `if` on bool and str attributes and keeps its outputs (rtol 1e-6)", () => {
    const after = checkPipelineKeepsOutputs({
      ir: FROZEN_CONTROL_FLOW,
      pipeline: 'constant-propagation,dead-code-elimination',
      inputs: (seed) => [seeded([2, 5], seed), seeded([5], seed + 10), seeded([5, 5], seed + 20)],
      tolerance: { rtol: 1e-6, atol: 1e-7 },
    });
    expect(after.nodesOfKind('prim::If')).to.have.length(0);
    expect(after.nodesOfKind('aten::eq')).to.have.length(0);
    expect(after.nodesOfKind('aten::lt')).to.have.length(1); // the one inside the while loop
    expect(after.nodesOfKind('prim::Loop')).to.have.length(1);
  });

  it('keeps outputs when folding tensor constants (a constant weight built from ones and a list)', () => {
    checkPipelineKeepsOutputs({
      ir: `graph(%x : Tensor):
  %3 : int = prim::Constant[value=3]()
  %none : NoneType = prim::Constant()
  %size : int[] = prim::ListConstruct(%3, %3)
  %w : Tensor = aten::ones(%size, %none, %none, %none, %none)
  %w2 : Tensor = aten::mul(%w, %3)
  %y : Tensor = aten::linear(%x, %w2, %none)
  return (%y)
`,
      pipeline: 'constant-propagation',
      inputs: (seed) => [seeded([4, 3], seed)],
      tolerance: { rtol: 1e-6, atol: 0 },
    });
  });

  it('counts folds, remarks on what it cannot fold, and a second run changes nothing', () => {
    const g = parseIR(`graph():
  %1 : int = prim::Constant[value=1]()
  %0 : int = prim::Constant[value=0]()
  %a : int = aten::add(%1, %1)
  %q : int = aten::floordiv(%a, %0)
  return (%q)
`);
    const c = testContainer();
    const first = runPipeline(c, g, 'constant-propagation');
    expect(first.changed).to.equal(true);
    expect(first.statistics['constant-propagation']['nodes-folded']).to.equal(1);
    expect(
      first.remarks.some(
        (r) =>
          r.message.includes('not folded: evaluating it failed') && r.message.includes('ZeroDivisionError'),
      ),
    ).to.equal(true);
    expect(runPipeline(c, g, 'constant-propagation').changed).to.equal(false);
  });

  it('folds results up to maxFoldedConstantBytes and leaves larger ones computed, with a remark (docs/freeze.md)', () => {
    const arange = (n: number): Graph =>
      parseIR(`graph():
  %n : int = prim::Constant[value=${n}]()
  %none : NoneType = prim::Constant()
  %t : Tensor = aten::arange(%n, %none, %none, %none, %none)
  return (%t)
`);
    const c = testContainer();
    // 1,000 int64 values are 8,000 bytes: folded under the default limit, not under a 4,096-byte one.
    const small = arange(1000);
    expect(runPipeline(c, small, 'constant-propagation').changed).to.equal(true);
    expect(small.nodesOfKind('aten::arange')).to.have.length(0);
    const capped = arange(1000);
    const report = withLimits({ maxFoldedConstantBytes: 4096 }, () =>
      runPipeline(c, capped, 'constant-propagation'),
    );
    expect(capped.nodesOfKind('aten::arange')).to.have.length(1);
    expect(
      report.remarks.some((r) =>
        r.message.includes('would exceed the maxFoldedConstantBytes limit (4096 bytes)'),
      ),
    ).to.equal(true);
    // aten::arange(1e9) (8 GB) under the default limit: not folded, and nothing is allocated for it.
    const huge = arange(1e9);
    runPipeline(c, huge, 'constant-propagation');
    expect(huge.nodesOfKind('aten::arange')).to.have.length(1);
  });
});
