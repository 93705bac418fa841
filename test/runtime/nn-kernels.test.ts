// Normalisation, pooling, reductions, shape ops, RNN and dropout by hand: the batch_norm formula and
// its running-stat update, pooling output sizes and padding rules, reduction dtypes and indices.

import { expect } from 'chai';
import {
  KERNELS,
  adaptivePool,
  avgPool,
  batchNorm,
  cat,
  dropout,
  layerNorm,
  maxPool,
  maxPoolValues,
  poolOutputSize,
  rnn,
  sum,
  varMean,
} from '../../src/runtime/kernels/index.js';
import { maxAbsDiff } from '../../src/tensor/allclose.js';
import { arange, tensor, zeros } from '../../src/tensor/creation.js';
import { randn } from '../../src/tensor/random.js';
import { floatScalar } from '../../src/tensor/scalar.js';
import { Tensor } from '../../src/tensor/tensor.js';

const nums = (t: Tensor): number[] => t.toArray().map(Number);
const f32 = (values: number[], shape: number[]): Tensor => Tensor.fromArray('float32', values, shape);

describe('normalisation', () => {
  it('batch_norm eval: (x - mean) / sqrt(var + eps) * w + b per channel', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const out = batchNorm(
      x,
      f32([2, 3], [2]),
      f32([1, -1], [2]),
      f32([1, 2], [2]),
      f32([4, 9], [2]),
      false,
      0.1,
      0,
    );
    // channel 0: (x - 1) / 2 * 2 + 1 = x; channel 1: (x - 2) / 3 * 3 - 1 = x - 3.
    expect(nums(out)).to.deep.equal([1, 2, 0, 1, 5, 6, 4, 5]);
  });

  it('batch_norm train normalises with batch stats and updates running stats in place (unbiased var)', () => {
    const x = f32([1, 3, 5, 7], [4, 1]);
    const rm = f32([0], [1]);
    const rv = f32([1], [1]);
    const out = batchNorm(x, null, null, rm, rv, true, 0.5, 0);
    const sd = Math.sqrt(5); // biased var of 1,3,5,7 is 5
    expect(maxAbsDiff(out, f32([-3 / sd, -1 / sd, 1 / sd, 3 / sd], [4, 1]))).to.be.lessThan(1e-6);
    expect(Number(rm.item())).to.be.closeTo(0.5 * 4, 1e-6);
    expect(Number(rv.item())).to.be.closeTo(0.5 * 1 + 0.5 * (20 / 3), 1e-5);
    expect(() => batchNorm(f32([1, 2], [1, 2]), null, null, null, null, true, 0.1, 1e-5)).to.throw(
      'Expected more than 1 value per channel when training, got input size [1, 2]',
    );
  });

  it('layer_norm over trailing dims, and its shape check', () => {
    const out = layerNorm(f32([1, 2, 3, 4], [2, 2]), [2], null, null, 0);
    expect(nums(out)).to.deep.equal([-1, 1, -1, 1]);
    expect(() => layerNorm(zeros([2, 3]), [4], null, null, 1e-5)).to.throw(
      'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]',
    );
  });

  it('group_norm with one group per channel equals instance_norm', () => {
    const x = randn([2, 4, 3, 3], { seed: 1 });
    const g = KERNELS['aten::group_norm']([x, 4, null, null, 1e-5, true]) as Tensor;
    const i = KERNELS['aten::instance_norm']([x, null, null, null, null, true, 0.1, 1e-5, true]) as Tensor;
    expect(maxAbsDiff(g, i)).to.be.lessThan(1e-6);
  });
});

describe('pooling', () => {
  it('output size with and without ceil_mode (the last window may not start in the padding)', () => {
    expect(poolOutputSize(5, 2, 0, 2, 1, false)).to.equal(2);
    expect(poolOutputSize(5, 2, 0, 2, 1, true)).to.equal(3);
    expect(poolOutputSize(6, 3, 1, 3, 1, true)).to.equal(3);
    expect(poolOutputSize(5, 2, 1, 2, 1, true)).to.equal(3);
    expect(poolOutputSize(112, 3, 1, 2, 1, false)).to.equal(56);
  });

  it('max_pool2d ceil_mode takes partial windows; indices are flat per plane', () => {
    const x = arange(0, 25).to('float32').reshape([1, 1, 5, 5]);
    const [v, idx] = maxPool(x, 2, [2, 2], [2, 2], [0, 0], [1, 1], true);
    expect([...v.shape]).to.deep.equal([1, 1, 3, 3]);
    expect(nums(v)).to.deep.equal([6, 8, 9, 16, 18, 19, 21, 23, 24]);
    expect(nums(idx)).to.deep.equal([6, 8, 9, 16, 18, 19, 21, 23, 24]);
    expect(() => maxPool(x, 2, [2, 2], [2, 2], [2, 2], [1, 1], false)).to.throw(
      /pad should be at most half of effective kernel size/,
    );
  });

  it('max_pool propagates NaN and handles padding with -inf', () => {
    const x = f32([-5, NaN, -7, -8], [1, 1, 2, 2]);
    const [v] = maxPool(x, 2, [2, 2], [1, 1], [1, 1], [1, 1], false);
    expect(nums(v)).to.deep.equal([-5, NaN, NaN, -5, NaN, NaN, -7, -7, -8]);
    expect(nums(maxPoolValues(x, 2, [2, 2], [1, 1], [1, 1], [1, 1], false))).to.deep.equal(nums(v));
  });

  it('aten::max_pool2d (values only) gives the values of max_pool2d_with_indices', () => {
    const x = randn([2, 3, 9, 8], { seed: 7 });
    (x.storage.data as Float32Array)[40] = NaN;
    for (const [k, s, p, d, ceil] of [
      [3, 2, 1, 1, false],
      [2, 2, 0, 1, true],
      [3, 1, 1, 2, false],
    ] as [number, number, number, number, boolean][]) {
      const [v] = maxPool(x, 2, [k, k], [s, s], [p, p], [d, d], ceil);
      const kernel = KERNELS['aten::max_pool2d']([x, [k, k], [s, s], [p, p], [d, d], ceil]) as Tensor;
      expect(nums(kernel)).to.deep.equal(nums(v));
    }
  });

  it('avg_pool2d count_include_pad and ceil-mode window clipping', () => {
    const x = f32([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(nums(avgPool(x, 2, [2, 2], [1, 1], [1, 1], false, true, null))[0]).to.equal(0.25);
    expect(nums(avgPool(x, 2, [2, 2], [1, 1], [1, 1], false, false, null))[0]).to.equal(1);
    // 3 wide, kernel 2 stride 2 ceil: last window holds one column; its divisor is 1, not 2.
    const y = f32([1, 2, 3], [1, 1, 1, 3]);
    expect(nums(avgPool(y, 2, [1, 2], [1, 2], [0, 0], true, true, null))).to.deep.equal([1.5, 3]);
    expect(nums(avgPool(y, 2, [1, 2], [1, 2], [0, 0], false, true, 4))).to.deep.equal([0.75]);
  });

  it('adaptive pools use floor/ceil windows', () => {
    const x = arange(0, 5).to('float32').reshape([1, 1, 5]);
    expect(nums(adaptivePool(x, 1, [3], 'avg')[0])).to.deep.equal([0.5, 2, 3.5]);
    const [mx, mi] = adaptivePool(x, 1, [2], 'max');
    expect(nums(mx)).to.deep.equal([2, 4]);
    expect(nums(mi)).to.deep.equal([2, 4]);
  });
});

describe('reductions', () => {
  it('sum dtypes: ints and bools to int64, explicit dtype honoured', () => {
    expect(sum(tensor([true, true, false])).item()).to.equal(2n);
    expect(sum(tensor([1, 2], { dtype: 'int8' })).dtype).to.equal('int64');
    expect(sum(tensor([1, 2]), null, false, 'float64').dtype).to.equal('float64');
    expect(nums(sum(arange(0, 6).reshape([2, 3]), [-1], true))).to.deep.equal([3, 12]);
    expect([...sum(zeros([2, 0]), [1]).shape]).to.deep.equal([2]);
  });

  it('mean refuses ints; var/std correction', () => {
    expect(() => KERNELS['aten::mean']([tensor([1, 2]), null])).to.throw(
      /mean\(\): could not infer output dtype/,
    );
    const x = f32([1, 2, 3, 4], [4]);
    expect(Number(varMean(x, null, 1)[0].item())).to.be.closeTo(5 / 3, 1e-6);
    expect(Number(varMean(x, null, 0)[0].item())).to.be.closeTo(1.25, 1e-6);
    expect(Number((KERNELS['aten::std']([x, true]) as Tensor).item())).to.be.closeTo(Math.sqrt(5 / 3), 1e-6);
  });

  it('max.dim returns values and first indices; NaN wins; empty full reduction errors', () => {
    const [v, i] = KERNELS['aten::max.dim']([f32([1, 3, 3, NaN, 0, 2], [2, 3]), 1, false]) as Tensor[];
    expect(nums(v)).to.deep.equal([3, NaN]);
    expect(nums(i)).to.deep.equal([1, 0]);
    expect(() => KERNELS['aten::max']([zeros([0])])).to.throw(
      /Expected reduction dim to be specified for input.numel\(\) == 0/,
    );
    expect(nums(KERNELS['aten::argmin']([f32([3, 1, 1], [3]), null, false]) as Tensor)).to.deep.equal([1]);
  });

  it('all/any and norms', () => {
    expect(KERNELS['aten::all']([tensor([1, 2, 0])]) instanceof Tensor).to.equal(true);
    expect(
      (
        KERNELS['aten::any.dim']([
          tensor([
            [0, 0],
            [0, 3],
          ]),
          1,
          false,
        ]) as Tensor
      ).toArray(),
    ).to.deep.equal([false, true]);
    expect(Number((KERNELS['aten::norm.Scalar']([f32([3, -4], [2]), 2]) as Tensor).item())).to.equal(5);
    expect(
      Number(
        (KERNELS['aten::norm.ScalarOpt_dim']([f32([3, -4], [2]), Infinity, [0], false]) as Tensor).item(),
      ),
    ).to.equal(4);
  });
});

describe('shape and indexing kernels', () => {
  it('cat promotes and skips legacy empty tensors; stack checks sizes', () => {
    const r = cat([tensor([1, 2]), zeros([0]), tensor([floatScalar(0.5)])]);
    expect(r.dtype).to.equal('float32');
    expect(nums(r)).to.deep.equal([1, 2, 0.5]);
    expect(() => cat([zeros([2, 3]), zeros([2, 4])], 0)).to.throw(
      'Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.',
    );
    expect(() => KERNELS['aten::stack']([[zeros([2]), zeros([3])], 0])).to.throw(
      /stack expects each tensor to be equal size/,
    );
  });

  it('repeat, index with negative indices, gather, where', () => {
    expect(nums(KERNELS['aten::repeat']([tensor([1, 2]), [2, 2]]) as Tensor)).to.deep.equal([
      1, 2, 1, 2, 1, 2, 1, 2,
    ]);
    const m = arange(0, 6).reshape([2, 3]);
    expect(nums(KERNELS['aten::index.Tensor']([m, [null, tensor([-1, 0])]]) as Tensor)).to.deep.equal([
      2, 0, 5, 3,
    ]);
    expect(() => KERNELS['aten::index.Tensor']([m, [tensor([2])]])).to.throw(
      'index 2 is out of bounds for dimension 0 with size 2',
    );
    expect(nums(KERNELS['aten::gather']([m, 1, tensor([[2], [0]]), false]) as Tensor)).to.deep.equal([2, 3]);
    const w = KERNELS['aten::where.ScalarOther']([tensor([true, false]), tensor([1, 2]), 0.5]) as Tensor;
    expect(w.dtype).to.equal('float32');
    expect(nums(w)).to.deep.equal([1, 0.5]);
  });

  it('index_put_ writes into self (accumulating when asked)', () => {
    const t = zeros([3], { dtype: 'float32' });
    KERNELS['aten::index_put_']([t, [tensor([0, 2, 0])], f32([1, 2, 3], [3]), true]);
    expect(nums(t)).to.deep.equal([4, 0, 2]);
  });
});

describe('recurrent layers and dropout', () => {
  it('a 1-unit LSTM step by hand', () => {
    // i = f = o = sigmoid(1), g = tanh(1) with x = 1, all weights 1, biases 0, zero state.
    const one = (s: number[]): Tensor =>
      Tensor.fromArray('float64', new Array(s.reduce((a, b) => a * b, 1)).fill(1), s);
    const [out, h, c] = rnn(
      'lstm',
      one([1, 1, 1]),
      [zeros([1, 1, 1], { dtype: 'float64' }), zeros([1, 1, 1], { dtype: 'float64' })],
      [one([4, 1]), one([4, 1])],
      false,
      1,
      0,
      false,
      false,
      false,
    );
    const s = 1 / (1 + Math.exp(-1));
    const cv = s * Math.tanh(1);
    expect(Number(c.item())).to.be.closeTo(cv, 1e-12);
    expect(Number(h.item())).to.be.closeTo(s * Math.tanh(cv), 1e-12);
    expect(Number(out.item())).to.equal(Number(h.item()));
  });

  it('dropout is the identity (same tensor) in eval mode and seeded in training', () => {
    const x = randn([1000], { seed: 3 });
    expect(dropout(x, 0.5, false)).to.equal(x);
    const y = dropout(x, 0.5, true);
    const zerosKept = nums(y).filter((v) => v === 0).length;
    expect(zerosKept).to.be.within(400, 600);
    const kept = nums(y).map((v, i) => (v === 0 ? null : v / Number(x.getFlat(i))));
    for (const k of kept) if (k !== null) expect(k).to.be.closeTo(2, 1e-6);
    expect(() => dropout(x, 1.5, true)).to.throw(
      'dropout probability has to be between 0 and 1, but got 1.5',
    );
    const fd = dropout(randn([4, 8, 3, 3], { seed: 4 }), 0.5, true, { feature: true });
    // Feature dropout zeroes whole channels.
    for (let n = 0; n < 4; n++)
      for (let ch = 0; ch < 8; ch++) {
        const plane = nums(fd.select(0, n).select(0, ch));
        expect(plane.every((v) => v === 0) || plane.every((v) => v !== 0)).to.equal(true);
      }
  });
});
