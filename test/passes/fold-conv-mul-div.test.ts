// fold-conv-mul-div: the FileCheck cases in fold-conv-mul-div.ir, PyTorch 1.13's folded weights and biases
// bit for bit, outputs before/after on seeded inputs, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { expectFoldedLikePyTorch, expectGoldenKeepsOutputs } from './fold-support.js';
import { testContainer } from './numeric.js';

describeIRFile('fold-conv-mul-div.ir');

describe('fold-conv-mul-div', () => {
  for (const name of ['mul_single', 'div_number', 'mul_1c11_nobias']) {
    it(`${name}: folded weight and bias equal PyTorch 1.13's bit for bit`, () => {
      const report = expectFoldedLikePyTorch(name, 'fold-conv-mul-div');
      expect(report.statistics['fold-conv-mul-div']).to.deep.equal({ folded: 1 });
    });

    it(`${name}: outputs before and after agree on seeded inputs (rtol 1e-4, atol 1e-5)`, () => {
      const after = expectGoldenKeepsOutputs(name, 'fold-conv-mul-div');
      expect(after.nodesOfKind('aten::mul').length + after.nodesOfKind('aten::div').length).to.equal(0);
    });
  }

  it('remarks on a data-dependent operand and on an integer weight', () => {
    const g = parseIR(`graph(%x : Tensor, %c : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(2, 1, 1, 1)>"AACAPwAAAEA="]()
  %wi : Tensor = prim::Constant[value=tensor<Long(2, 1, 1, 1)>"AQAAAAAAAAACAAAAAAAAAA=="]()
  %b : NoneType = prim::Constant()
  %two : float = prim::Constant[value=2.]()
  %s : int[] = prim::Constant[value=[1, 1]]()
  %p : int[] = prim::Constant[value=[0, 0]]()
  %one : int = prim::Constant[value=1]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %s, %p, %s, %one)
  %z : Tensor = aten::mul(%y, %c)
  %y2 : Tensor = aten::conv2d(%x, %wi, %b, %s, %p, %s, %one)
  %z2 : Tensor = aten::mul(%y2, %two)
  %r : (Tensor, Tensor) = prim::TupleConstruct(%z, %z2)
  return (%r)
`);
    const report = runPipeline(testContainer(), g, 'fold-conv-mul-div');
    expect(report.changed).to.equal(false);
    expect(report.remarks.map((r) => r.message)).to.deep.equal([
      'not folded: aten::mul parameter %c is not a constant',
      'not folded: conv weight is int64, not floating point',
    ]);
  });
});
