// fold-conv-add-sub: the FileCheck cases in fold-conv-add-sub.ir, PyTorch 1.13's folded biases bit for bit,
// outputs before/after on seeded inputs, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { expectFoldedLikePyTorch, expectGoldenKeepsOutputs } from './fold-support.js';
import { testContainer } from './numeric.js';

describeIRFile('fold-conv-add-sub.ir');

describe('fold-conv-add-sub', () => {
  for (const name of ['add_1c11', 'sub_number_alpha2_nobias', 'add_int_tensor']) {
    it(`${name}: folded bias equals PyTorch 1.13's bit for bit`, () => {
      const report = expectFoldedLikePyTorch(name, 'fold-conv-add-sub');
      expect(report.statistics['fold-conv-add-sub']).to.deep.equal({ folded: 1 });
    });

    it(`${name}: outputs before and after agree on seeded inputs (rtol 1e-4, atol 1e-5)`, () => {
      const after = expectGoldenKeepsOutputs(name, 'fold-conv-add-sub');
      expect(after.nodesOfKind('aten::add').length + after.nodesOfKind('aten::sub').length).to.equal(0);
    });
  }

  it('remarks on a (C, 1, 1) operand and on `c + conv(x)`, ignores adds without a conv, and reports no change', () => {
    const g = parseIR(`graph(%x : Tensor, %c : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(2, 1, 1, 1)>"AACAPwAAAEA="]()
  %b : NoneType = prim::Constant()
  %t : Tensor = prim::Constant[value=tensor<Float(2, 1, 1)>"AACAPwAAAEA="]()
  %s : int[] = prim::Constant[value=[1, 1]]()
  %p : int[] = prim::Constant[value=[0, 0]]()
  %one : int = prim::Constant[value=1]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %s, %p, %s, %one)
  %z : Tensor = aten::add(%y, %t, %one)
  %y2 : Tensor = aten::conv2d(%x, %w, %b, %s, %p, %s, %one)
  %z2 : Tensor = aten::add(%t, %y2, %one)
  %z3 : Tensor = aten::add(%x, %c, %one)
  %r : (Tensor, Tensor, Tensor) = prim::TupleConstruct(%z, %z2, %z3)
  return (%r)
`);
    const report = runPipeline(testContainer(), g, 'fold-conv-add-sub');
    expect(report.changed).to.equal(false);
    expect(report.remarks.map((r) => r.message)).to.deep.equal([
      'not folded: operand of shape [2, 1, 1] is not per-channel: PyTorch 1.13 folds [1, 2, 1, ...] and single elements',
      'not folded: the conv output is not the first operand',
    ]);
  });
});
