// fold-conv-bn: the FileCheck cases in fold-conv-bn.ir, PyTorch 1.13's folded weights bit for bit, outputs
// before/after on seeded inputs, remarks, statistics and a second run that changes nothing; large weights
// folded into a shared arena bit for bit as into separate arrays.

import 'reflect-metadata';
import { expect } from 'chai';
import { foldedConvBnParameters, matchConvBn, type ConvBn } from '../../passes/fold-conv-bn.js';
import { parseIR, runPipeline, Tensor, toIValue } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { FOLD_GOLDENS } from './fold-goldens.js';
import { expectFoldedLikePyTorch, expectGoldenKeepsOutputs, expectSameBits } from './fold-support.js';
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

describe('fold-conv-bn with 16 MiB and more of foldable weights', () => {
  it('folds into one shared arena with the same bits as separate arrays', () => {
    // conv2d_bn with 2048 output channels of 2048 x 1 x 1: 4.2M floats, past the pass's arena threshold.
    const [out, inp] = [2048, 2048];
    const g = parseIR(
      FOLD_GOLDENS.conv2d_bn.ir.replace(
        '%pad : int[] = prim::Constant[value=[1, 1]]',
        '%pad : int[] = prim::Constant[value=[0, 0]]',
      ),
    );
    // Cheap pseudo-random values in (-2, 2) (randn takes ~0.6 s for 4M), positive for the variance.
    const numbers = (n: number, seed: number, positive = false): Tensor => {
      let s = seed;
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        data[i] = (positive ? s / 2 ** 31 : s / 2 ** 30 - 2) + 1e-3;
      }
      return Tensor.fromStorage('float32', data, [n]);
    };
    const values: Record<string, Tensor> = {
      w: numbers(out * inp, 1).reshape([out, inp, 1, 1]),
      b: numbers(out, 2),
      g: numbers(out, 3),
      beta: numbers(out, 4),
      mean: numbers(out, 5),
      var: numbers(out, 6, true),
    };
    for (const node of g.allNodes())
      if (node.kind === 'prim::Constant' && node.output().debugName in values)
        node.setAttribute('value', { kind: 't', value: values[node.output().debugName] });
    const m = matchConvBn(g.nodesOfKind('aten::batch_norm')[0]);
    expect(m.ok).to.equal(true);
    const expected = foldedConvBnParameters((m as { value: ConvBn }).value, null);
    expect(expected.weight.storage.data.buffer).to.not.be.instanceOf(SharedArrayBuffer);

    const report = runPipeline(testContainer(), g, 'fold-conv-bn');
    expect(report.statistics['fold-conv-bn']).to.deep.equal({ folded: 1 });
    const conv = g.nodesOfKind('aten::conv2d')[0];
    const [weight, bias] = [toIValue(conv.inputs[1]), toIValue(conv.inputs[2])] as Tensor[];
    expect(weight.storage.data.buffer, 'the arena').to.be.instanceOf(SharedArrayBuffer);
    expect(bias.storage.data.buffer).to.equal(weight.storage.data.buffer);
    const bytes = (t: Tensor): Buffer => {
      const d = t.storage.data as Float32Array;
      return Buffer.from(d.buffer, d.byteOffset + t.offset * 4, t.numel * 4);
    };
    expect(weight.shape).to.deep.equal(expected.weight.shape);
    expect(Buffer.compare(bytes(weight), bytes(expected.weight)), 'weight bits').to.equal(0);
    expectSameBits(bias, expected.bias, 'bias');
    expect(values.w.storage.data.buffer, 'the input weight is untouched').to.not.equal(
      weight.storage.data.buffer,
    );
  });
});
