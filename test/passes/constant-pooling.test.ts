// constant-pooling: the FileCheck cases in constant-pooling.ir, plus identity pooling and idempotence.

import 'reflect-metadata';
import { expect } from 'chai';
import { builtinPassesModule } from '../../passes/index.js';
import {
  BufferSink,
  createContainer,
  Graph,
  insertConstant,
  parseIR,
  runPipeline,
  Tensor,
  TensorTensor,
} from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';

describeIRFile('constant-pooling.ir');

describe('constant-pooling', () => {
  const container = () =>
    createContainer({
      output: new BufferSink(),
      instrumentation: { verifyEach: true, reproducer: false },
      modules: [builtinPassesModule],
    });

  it('pools two constants holding the same tensor object', () => {
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    const tensor = Tensor.zeros('float32', [2]);
    const a = insertConstant(g, tensor);
    const b = insertConstant(g, tensor);
    const one = insertConstant(g, 1);
    const s = g.insert('aten::add', [x, a, one], [TensorTensor]).output();
    g.registerOutput(g.insert('aten::add', [s, b, one], [TensorTensor]).output());
    const report = runPipeline(container(), g, 'constant-pooling');
    expect(report.statistics['constant-pooling']['constants-merged']).to.equal(1);
    expect(g.nodesOfKind('prim::Constant')).to.have.length(2);
  });

  it('is idempotent: a second run reports no change', () => {
    const g = parseIR(`graph(%x : Tensor, %c : bool):
  %r : Tensor = prim::If(%c)
    block0():
      %one : int = prim::Constant[value=1]()
      %s : Tensor = aten::add(%x, %x, %one)
      -> (%s)
    block1():
      %one.2 : int = prim::Constant[value=1]()
      %t : Tensor = aten::sub(%x, %x, %one.2)
      -> (%t)
  return (%r)
`);
    const c = container();
    const first = runPipeline(c, g, 'constant-pooling');
    expect(first.changed).to.equal(true);
    expect(first.statistics['constant-pooling']).to.deep.equal({
      'constants-merged': 1,
      'constants-hoisted': 1,
    });
    const text = g.toString();
    expect(runPipeline(c, g, 'constant-pooling').changed).to.equal(false);
    expect(g.toString()).to.equal(text);
  });
});
