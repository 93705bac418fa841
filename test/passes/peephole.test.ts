// peephole: the FileCheck cases in peephole.ir (checked against torch 1.13's _jit_pass_peephole), outputs
// before/after on seeded inputs, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { defaultOperatorRegistry, parseIR, runPipeline, type Graph } from '../../src/index.js';
import { AliasDb } from '../../passes/alias-analysis.js';
import { optimizeContainerIdioms } from '../../passes/peephole-containers.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testAnalysesModule, testContainer } from './numeric.js';

describeIRFile('peephole.ir', { modules: [testAnalysesModule] });

describe('peephole', () => {
  it('keeps the outputs of a graph full of identities and typed shape queries (rtol 0)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: `graph(%x : Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu), %w : Tensor):
  %0 : int = prim::Constant[value=0]()
  %1 : int = prim::Constant[value=1]()
  %none : NoneType = prim::Constant()
  %t1 : Tensor = aten::t(%w)
  %t2 : Tensor = aten::t(%t1)
  %a : Tensor = aten::add(%x, %0, %1)
  %m : Tensor = aten::matmul(%a, %t2)
  %n : int = aten::size(%x, %1)
  %k : int = aten::mul(%n, %1)
  %isn : bool = aten::__is__(%m, %none)
  %r : Tensor = aten::mul(%m, %k)
  return (%r, %isn)
`,
      pipeline: 'fixpoint(peephole),dead-code-elimination',
      inputs: (seed) => [seeded([2, 3], seed), seeded([3, 4], seed + 7)],
      tolerance: { rtol: 0, atol: 0 },
    });
    for (const kind of ['aten::t', 'aten::add', 'aten::size', 'aten::__is__'])
      expect(after.nodesOfKind(kind), kind).to.have.length(0);
  });

  it('counts its rewrites, remarks on an x + 0 it keeps for aliasing, and a second run changes nothing', () => {
    const g = parseIR(`graph(%x : Tensor):
  %0 : int = prim::Constant[value=0]()
  %1 : int = prim::Constant[value=1]()
  %y : Tensor = aten::relu(%x)
  %a : Tensor = aten::add(%y, %0, %1)
  %w : Tensor = aten::add_(%y, %1, %1)
  %n : int = aten::dim(%a)
  %z : Tensor = aten::t(%w)
  %zz : Tensor = aten::t(%z)
  return (%a, %n, %zz)
`);
    const c = testContainer();
    const report = runPipeline(c, g, 'peephole');
    expect(report.statistics.peephole['identities-removed']).to.equal(1);
    expect(report.remarks.map((r) => r.message)).to.deep.equal([
      'not removed: the input or the result is written in place',
    ]);
    expect(runPipeline(c, g, 'peephole').changed).to.equal(false);
  });

  describe('container idioms build an AliasDb only for a rewrite they would make', () => {
    const run = (text: string): { builds: number; lists: number; graph: Graph } => {
      const graph = parseIR(text);
      let builds = 0;
      const counts = optimizeContainerIdioms(graph, () => {
        builds++;
        return new AliasDb(graph, defaultOperatorRegistry());
      });
      return { builds, lists: counts.lists, graph };
    };

    it('none for `[x] + chunk(y)` (the other operand is no ListConstruct: nothing to rewrite)', () => {
      const { builds, lists } = run(`graph(%x : Tensor, %y : Tensor):
  %2 : int = prim::Constant[value=2]()
  %0 : int = prim::Constant[value=0]()
  %l : Tensor[] = prim::ListConstruct(%x)
  %c : Tensor[] = aten::chunk(%y, %2, %0)
  %s : Tensor[] = aten::add(%l, %c)
  return (%s)
`);
      expect([builds, lists]).to.deep.equal([0, 0]);
    });

    it('one, asked before the first rewrite, when a list is appended to (its len stays)', () => {
      const { builds, lists, graph } = run(`graph(%x : Tensor, %y : Tensor):
  %l : Tensor[] = prim::ListConstruct(%x)
  %w : Tensor[] = aten::append(%l, %y)
  %n : int = aten::len(%l)
  %k : Tensor[] = prim::ListConstruct(%y, %x)
  %m : int = aten::len(%k)
  return (%n, %m)
`);
      expect([builds, lists]).to.deep.equal([1, 1]);
      expect(graph.nodesOfKind('aten::len')).to.have.length(1);
    });
  });
});
