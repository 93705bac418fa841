// common-subexpression-elimination: the FileCheck cases, outputs before/after on seeded inputs, equal
// tensor constants, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { tensorHash } from '../../passes/common-subexpression-elimination.js';
import { Tensor, parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testAnalysesModule, testContainer } from './numeric.js';

describeIRFile('common-subexpression-elimination.ir', { modules: [testAnalysesModule] });

describe('common-subexpression-elimination', () => {
  it('keeps the outputs of a graph with repeated subexpressions in nested blocks (rtol 0)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: `graph(%x : Tensor, %w : Tensor, %c : bool):
  %1 : int = prim::Constant[value=1]()
  %a : Tensor = aten::matmul(%x, %w)
  %b : Tensor = aten::matmul(%x, %w)
  %s : Tensor = aten::add(%a, %b, %1)
  %r : Tensor = prim::If(%c)
    block0():
      %m : Tensor = aten::matmul(%x, %w)
      %t : Tensor = aten::tanh(%m)
      -> (%t)
    block1():
      %n : Tensor = aten::add(%a, %b, %1)
      -> (%n)
  %o : Tensor = aten::mul(%r, %s)
  return (%o)
`,
      pipeline: 'common-subexpression-elimination',
      inputs: (seed) => [seeded([3, 4], seed), seeded([4, 2], seed + 1), seed % 2 === 0],
      seeds: [0, 1, 2, 3],
      tolerance: { rtol: 0, atol: 0 },
    });
    expect(after.nodesOfKind('aten::matmul')).to.have.length(1);
    expect(after.nodesOfKind('aten::add')).to.have.length(1);
  });

  it('merges tensor constants with equal contents but not ones that differ in one element', () => {
    const g = parseIR(`graph(%x : Tensor):
  %a : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1  2  3 [ CPUFloatType{3} ]]()
  %b : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1  2  3 [ CPUFloatType{3} ]]()
  %c : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1  2  4 [ CPUFloatType{3} ]]()
  %y : Tensor = aten::mul(%x, %a)
  %z : Tensor = aten::mul(%y, %b)
  %w : Tensor = aten::mul(%z, %c)
  return (%w)
`);
    const report = runPipeline(testContainer(), g, 'common-subexpression-elimination');
    expect(report.statistics['common-subexpression-elimination']['nodes-eliminated']).to.equal(1);
    expect(g.toString()).to.include('%z : Tensor = aten::mul(%y, %a)');
    expect(g.toString()).to.include('%w : Tensor = aten::mul(%z, %c)');
  });

  it('a tensor that hashes as an earlier unequal one still merges with its own later copy', () => {
    // 1613 elements: the hash reads 16 runs of 16 (run 0 is elements 0..15, run 1 starts at 106), so
    // element 20 is never read and %b hashes as %a. PyTorch compares every entry of a hash bucket.
    const g = parseIR(`graph(%x : Tensor):
  %a : Tensor = prim::Constant[value= 0 [ CPUFloatType{1} ]]()
  %b : Tensor = prim::Constant[value= 0 [ CPUFloatType{1} ]]()
  %c : Tensor = prim::Constant[value= 0 [ CPUFloatType{1} ]]()
  %y : Tensor = aten::mul(%x, %a)
  %z : Tensor = aten::mul(%y, %b)
  %w : Tensor = aten::mul(%z, %c)
  return (%w)
`);
    const n = 1613;
    const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const other = data.slice();
    other[20] += 1;
    const [ca, cb, cc] = g.nodesOfKind('prim::Constant');
    ca.setT('value', Tensor.fromStorage('float32', data, [n]));
    cb.setT('value', Tensor.fromStorage('float32', other, [n]));
    cc.setT('value', Tensor.fromStorage('float32', other.slice(), [n]));
    expect(tensorHash(cb.t('value'))).to.equal(tensorHash(ca.t('value')));
    runPipeline(testContainer(), g, 'common-subexpression-elimination');
    expect(g.nodesOfKind('prim::Constant')).to.have.length(2);
    expect(g.toString()).to.include('%z : Tensor = aten::mul(%y, %b)');
    expect(g.toString()).to.include('%w : Tensor = aten::mul(%z, %b)');
  });

  it('compares tensor constants by value: NaN never equal, 0 equals -0, strided views element by element', () => {
    const merged = (a: Tensor, b: Tensor): boolean => {
      const g = parseIR(`graph(%x : Tensor):
  %a : Tensor = prim::Constant[value= 0 [ CPUFloatType{1} ]]()
  %b : Tensor = prim::Constant[value= 0 [ CPUFloatType{1} ]]()
  %y : Tensor = aten::mul(%x, %a)
  %z : Tensor = aten::mul(%y, %b)
  return (%z)
`);
      const [ca, cb] = g.nodesOfKind('prim::Constant');
      ca.setT('value', a);
      cb.setT('value', b);
      runPipeline(testContainer(), g, 'common-subexpression-elimination');
      return g.nodesOfKind('prim::Constant').length === 1;
    };
    const f32 = (xs: number[]): Tensor => Tensor.fromArray('float32', xs, [xs.length]);
    expect(merged(f32([1, 2, 3]), f32([1, 2, 3]))).to.equal(true);
    expect(merged(f32([1, NaN, 3]), f32([1, NaN, 3]))).to.equal(false);
    expect(merged(f32([0, -0, 3]), f32([-0, 0, 3]))).to.equal(true);
    expect(merged(f32([1, 2, 3]), f32([1, 2, 4]))).to.equal(false);
    const square = Tensor.fromArray('float64', [1, 2, 3, 4], [2, 2]);
    expect(merged(square.t(), Tensor.fromArray('float64', [1, 3, 2, 4], [2, 2]))).to.equal(true);
    expect(merged(square.t(), square)).to.equal(false);
  });

  it('remarks on equal graph outputs it keeps apart, and a second run changes nothing', () => {
    const g = parseIR(`graph(%x : Tensor):
  %a : Tensor = aten::relu(%x)
  %b : Tensor = aten::relu(%x)
  %c : Tensor = aten::sigmoid(%a)
  %d : Tensor = aten::sigmoid(%a)
  return (%a, %b, %c, %d)
`);
    const c = testContainer();
    const report = runPipeline(c, g, 'common-subexpression-elimination');
    expect(report.changed).to.equal(false);
    expect(report.remarks.map((r) => r.node)).to.deep.equal(['aten::relu -> %b', 'aten::sigmoid -> %d']);
    expect(report.remarks[0].message).to.include('both be graph outputs');
  });
});
