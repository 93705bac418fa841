// unroll-constant-loops: the FileCheck cases (checked against torch 1.13's _jit_pass_constant_loop_unrolling),
// outputs before/after on seeded inputs, control_flow's `for i in range(self.n_iter)`, options and remarks.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

describeIRFile('unroll-constant-loops.ir');

// A for loop reading its counter, nested in a loop with an unknown count, and a long constant loop.
const LOOPS = (trips: number): string => `graph(%x : Tensor, %w : Tensor, %n : int):
  %t : bool = prim::Constant[value=1]()
  %one : int = prim::Constant[value=1]()
  %k : int = prim::Constant[value=${trips}]()
  %y : Tensor = prim::Loop(%n, %t, %x)
    block0(%i : int, %acc : Tensor):
      %inner : Tensor = prim::Loop(%k, %t, %acc)
        block0(%j : int, %h : Tensor):
          %m : Tensor = aten::matmul(%h, %w)
          %s : Tensor = aten::tanh(%m)
          %z : Tensor = aten::add(%s, %j, %one)
          -> (%t, %z)
      -> (%t, %inner)
  return (%y)
`;

// control_flow's forward after freezing: `for i in range(self.n_iter)` with n_iter = 3, then a while loop.
const CONTROL_FLOW_LOOPS = `graph(%x.67 : Tensor, %w : Tensor, %b : Tensor):
  %3 : int = prim::Constant[value=3]()
  %34 : bool = prim::Constant[value=1]()
  %54 : int = prim::Constant[value=1]()
  %4 : int = prim::Constant[value=4]()
  %0 : int = prim::Constant[value=0]()
  %big : int = prim::Constant[value=9223372036854775807]()
  %x.71 : Tensor = prim::Loop(%3, %34, %x.67)
    block0(%i.1 : int, %x.69 : Tensor):
      %38 : Tensor = aten::linear(%x.69, %w, %b)
      %x.41 : Tensor = aten::add(%38, %i.1, %54)
      -> (%34, %x.41)
  %131 : bool = aten::lt(%0, %4)
  %x.75 : Tensor, %i : int = prim::Loop(%big, %131, %x.71, %0)
    block0(%49 : int, %x.73 : Tensor, %i.15 : int):
      %x.47 : Tensor = aten::tanh(%x.73)
      %i.11 : int = aten::add(%i.15, %54)
      %47 : bool = aten::lt(%i.11, %4)
      -> (%47, %x.47, %i.11)
  return (%x.75)
`;

describe('unroll-constant-loops', () => {
  for (const trips of [3, 70]) {
    it(`keeps the outputs of nested loops with an inner constant loop of ${trips} (rtol 1e-6)`, () => {
      const after = checkPipelineKeepsOutputs({
        ir: LOOPS(trips),
        pipeline: 'unroll-constant-loops',
        inputs: (seed) => [seeded([2, 3], seed), seeded([3, 3], seed + 1).to('float32'), 2],
        tolerance: { rtol: 1e-6, atol: 1e-6 },
      });
      expect(after.nodesOfKind('prim::Loop')).to.have.length(trips < 64 ? 1 : 3);
    });
  }

  it("unrolls control_flow's range(self.n_iter) loop and keeps the while loop, as torch.jit.freeze does", () => {
    const after = checkPipelineKeepsOutputs({
      ir: CONTROL_FLOW_LOOPS,
      pipeline: 'unroll-constant-loops,constant-propagation,peephole,dead-code-elimination',
      inputs: (seed) => [seeded([2, 5], seed), seeded([5, 5], seed + 1), seeded([5], seed + 2)],
      tolerance: { rtol: 1e-6, atol: 1e-6 },
    });
    expect(after.nodesOfKind('prim::Loop')).to.have.length(1);
    expect(after.nodesOfKind('aten::linear')).to.have.length(3);
    // As in PyTorch's frozen_graph.txt: the first copy's `+ 0` is gone, the others add 1 and 2.
    expect(after.nodesOfKind('aten::add').filter((n) => n.inputs[0].type.kind === 'Tensor')).to.have.length(
      2,
    );
  });

  it('honours its options, remarks on loops it leaves, and a second run changes nothing', () => {
    const g = parseIR(LOOPS(10));
    const c = testContainer();
    const report = runPipeline(c, g, 'unroll-constant-loops{maxRepeats=5,factor=2}');
    expect(report.statistics['unroll-constant-loops']['loops-partly-unrolled']).to.equal(1);
    expect(g.nodesOfKind('aten::matmul')).to.have.length(3); // two copies in the loop, one in the epilogue
    expect(
      report.remarks.some((r) => r.message === 'not unrolled: the trip count is not a constant'),
    ).to.equal(true);
    const once = parseIR(LOOPS(3));
    expect(runPipeline(c, once, 'unroll-constant-loops').changed).to.equal(true);
    expect(runPipeline(c, once, 'unroll-constant-loops').changed).to.equal(false);
  });
});
