// dead-code-elimination: the FileCheck cases in dead-code-elimination.ir, plus what text cannot show.

import 'reflect-metadata';
import { expect } from 'chai';
import { builtinPassesModule } from '../../passes/index.js';
import {
  BufferSink,
  createContainer,
  Graph,
  OPERATOR_REGISTRY,
  parseIR,
  runPipeline,
  TensorTensor,
  type OperatorRegistry,
} from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';

describeIRFile('dead-code-elimination.ir');

describe('dead-code-elimination', () => {
  const container = () =>
    createContainer({
      output: new BufferSink(),
      instrumentation: { verifyEach: true, reproducer: false },
      modules: [builtinPassesModule],
    });

  it('removes a 30k-node dead chain in one run without deep recursion, and counts it', function () {
    this.timeout(30_000);
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    let v = x;
    for (let i = 0; i < 30_000; i++) v = g.insert('aten::relu', [v], [TensorTensor]).output();
    g.registerOutput(x);
    const report = runPipeline(container(), g, 'dead-code-elimination', {
      instrumentation: { verifyEach: false },
    });
    expect(report.changed).to.equal(true);
    expect(report.statistics['dead-code-elimination']['nodes-removed']).to.equal(30_000);
    expect([...g.nodes()]).to.have.length(0);
  });

  it('reports no change on a graph with nothing dead, and a second run changes nothing', () => {
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    const dead = g.insert('aten::relu', [x], [TensorTensor]);
    void dead;
    g.registerOutput(x);
    const c = container();
    expect(runPipeline(c, g, 'dead-code-elimination').changed).to.equal(true);
    expect(runPipeline(c, g, 'dead-code-elimination').changed).to.equal(false);
  });

  it('remarks on an unknown operator it keeps', () => {
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    g.insert('mylib::mystery', [x], [TensorTensor]);
    g.registerOutput(x);
    const report = runPipeline(container(), g, 'dead-code-elimination');
    expect(report.remarks).to.have.length(1);
    expect(report.remarks[0].message).to.include('not in the operator table');
    expect(report.remarks[0].node).to.include('mylib::mystery');
  });

  it('skips a graph unchanged since its last run; runs again after any IR change or a new overload', () => {
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    g.insert('mylib::mystery', [x], [TensorTensor]);
    g.registerOutput(g.insert('aten::relu', [x], [TensorTensor]).output());
    const c = container();
    const ops = c.get<OperatorRegistry>(OPERATOR_REGISTRY);
    let asked = 0;
    const factsForNode = ops.factsForNode.bind(ops);
    ops.factsForNode = (n) => (asked++, factsForNode(n));
    const run = (): { changed: boolean; asked: number } => {
      asked = 0;
      return { changed: runPipeline(c, g, 'dead-code-elimination').changed, asked };
    };
    expect(run()).to.deep.equal({ changed: false, asked: 2 }); // the unknown op is kept
    expect(run()).to.deep.equal({ changed: false, asked: 0 }); // nothing changed since: not walked
    g.setInsertPoint(g.block.returnNode);
    g.insert('aten::neg', [x], [TensorTensor]);
    expect(run()).to.deep.equal({ changed: true, asked: 3 });
    expect(run().asked).to.equal(0);
    // A schema for the kept op: it is now known and without effects, so it goes.
    ops.register('mylib::mystery(Tensor x) -> Tensor');
    expect(run()).to.deep.equal({ changed: true, asked: 2 });
    expect([...g.nodes()].map((n) => n.kind)).to.deep.equal(['aten::relu']);
  });

  // Liveness of a node's first 31 outputs is one bit word per node, later ones a set: both must count
  // (here the unpack's liveness is what keeps the write to the list it reads).
  it('keeps the write to a list whose unpack has only an output past the 31st live', () => {
    const unpack = (returned: string): Graph =>
      parseIR(`graph(%x : int):
  %l : int[] = prim::ListConstruct()
  %w : int[] = aten::append(%l, %x)
  ${Array.from({ length: 40 }, (_, i) => `%o${i} : int`).join(', ')} = prim::ListUnpack(%l)
  return (${returned})
`);
    for (const used of ['%o35', '%o3']) {
      const g = unpack(used);
      runPipeline(container(), g, 'dead-code-elimination');
      expect(
        [...g.nodes()].map((n) => n.kind),
        used,
      ).to.deep.equal(['prim::ListConstruct', 'aten::append', 'prim::ListUnpack']);
    }
    const unused = unpack('%x');
    runPipeline(container(), unused, 'dead-code-elimination');
    expect([...unused.nodes()]).to.have.length(0);
  });
});
