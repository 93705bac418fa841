// fold-conv-bn: the FileCheck cases in fold-conv-bn.ir, PyTorch 1.13's folded weights bit for bit, outputs
// before/after on seeded inputs, remarks, statistics and a second run that changes nothing.

import 'reflect-metadata';
import { expect } from 'chai';
import { matchConvBn } from '../../passes/fold-conv-bn.js';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { FOLD_GOLDENS } from './fold-goldens.js';
import { expectFoldedLikePyTorch, expectGoldenKeepsOutputs } from './fold-support.js';
import { testContainer } from './numeric.js';

describeIRFile('fold-conv-bn.ir');

describe('fold-conv-bn', () => {
  for (const name of ['conv2d_bn', 'conv1d_nobias_bn_noaffine', 'conv3d_bn_float64']) {
    it(`${name}: folded weight and bias equal PyTorch 1.13's bit for bit`, () => {
      const report = expectFoldedLikePyTorch(name, 'fold-conv-bn');
      expect(report.statistics['fold-conv-bn']).to.deep.equal({ folded: 1 });
    });

    it(`${name}: outputs before and after agree on seeded inputs (rtol 1e-4, atol 1e-5)`, () => {
      const after = expectGoldenKeepsOutputs(name, 'fold-conv-bn');
      expect(after.nodesOfKind('aten::batch_norm')).to.have.length(0);
    });
  }

  it('remarks on what it does not fold, counts what it folds, and a second run changes nothing', () => {
    const g = parseIR(
      FOLD_GOLDENS.conv2d_bn.ir.replace(
        'return (%z)',
        '%u : Tensor = aten::relu(%y)\n  %t : (Tensor, Tensor) = prim::TupleConstruct(%z, %u)\n  return (%t)',
      ),
    );
    const c = testContainer();
    const first = runPipeline(c, g, 'fold-conv-bn');
    expect(first.changed).to.equal(false);
    expect(first.statistics['fold-conv-bn']).to.deep.equal({ folded: 0 }); // declared statistics read 0, never undefined
    expect(first.remarks.map((r) => r.message)).to.deep.equal(['not folded: conv output has other users']);

    const h = parseIR(FOLD_GOLDENS.conv2d_bn.ir);
    const folded = runPipeline(c, h, 'fold-conv-bn');
    expect(folded.changed).to.equal(true);
    expect(folded.remarks).to.deep.equal([]);
    const text = h.toString();
    expect(runPipeline(c, h, 'fold-conv-bn').changed).to.equal(false);
    expect(h.toString()).to.equal(text);
  });

  it('says why a batch_norm does not match: no running stats, training mode, a transposed conv', () => {
    const base = FOLD_GOLDENS.conv2d_bn.ir;
    const reason = (ir: string): string => {
      const m = matchConvBn(parseIR(ir).nodesOfKind('aten::batch_norm')[0]);
      return m.ok ? 'matched' : m.reason;
    };
    expect(reason(base)).to.equal('matched');
    expect(
      reason(
        base
          .replace('%mean, %var, %false', '%none, %none, %false')
          .replace('%true : bool', '%none : NoneType = prim::Constant()\n  %true : bool'),
      ),
    ).to.include('no running statistics');
    expect(reason(base.replace('%var, %false, %momentum', '%var, %true, %momentum'))).to.include(
      'training mode',
    );
    expect(
      reason(
        base.replace(
          'aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)',
          'aten::conv_transpose2d(%x, %w, %b, %stride, %pad, %pad, %groups, %dil)',
        ),
      ),
    ).to.include('transposed');
    expect(
      reason(
        base
          .replace('graph(%x : Tensor):', 'graph(%x : Tensor, %w2 : Tensor):')
          .replace('aten::conv2d(%x, %w,', 'aten::conv2d(%x, %w2,'),
      ),
    ).to.match(/conv parameter %w2 is not a constant/);
  });
});
