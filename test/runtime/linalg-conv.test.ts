// Matrix products and convolutions against naive reference loops on seeded random input: the blocked
// GEMM at sizes that cross its block edges, strided operands, conv with every option, conv_transpose.

import { expect } from 'chai';
import {
  KERNELS,
  convTranspose,
  convolution,
  gemm,
  linear,
  matmul,
  mm,
} from '../../src/runtime/kernels/index.js';
import { maxAbsDiff } from '../../src/tensor/allclose.js';
import { randn } from '../../src/tensor/random.js';
import { tensor, zeros } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { naiveConv2d } from '../support/naive-conv.js';

function naiveMm(a: Tensor, b: Tensor): Tensor {
  const [M, K] = a.shape;
  const N = b.shape[1];
  const x = a.toArray().map(Number);
  const y = b.toArray().map(Number);
  const out = new Array<number>(M * N).fill(0);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[i * K + k] * y[k * N + j];
      out[i * N + j] = s;
    }
  }
  return Tensor.fromArray('float64', out, [M, N]);
}

// Transposed conv as the scatter of each input pixel through the kernel.
function naiveConvTranspose2d(
  x: Tensor,
  w: Tensor,
  s: number[],
  p: number[],
  op: number[],
  d: number[],
  g: number,
): Tensor {
  const [N, Cin, H, W] = x.shape;
  const [, Og, KH, KW] = w.shape;
  const OH = (H - 1) * s[0] - 2 * p[0] + d[0] * (KH - 1) + op[0] + 1;
  const OW = (W - 1) * s[1] - 2 * p[1] + d[1] * (KW - 1) + op[1] + 1;
  const out = zeros([N, Og * g, OH, OW], { dtype: 'float64' });
  const Cg = Cin / g;
  for (let n = 0; n < N; n++)
    for (let c = 0; c < Cin; c++)
      for (let ih = 0; ih < H; ih++)
        for (let iw = 0; iw < W; iw++)
          for (let o = 0; o < Og; o++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const oh = ih * s[0] - p[0] + kh * d[0];
                const ow = iw * s[1] - p[1] + kw * d[1];
                if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
                const oc = Math.floor(c / Cg) * Og + o;
                const at = ((n * Og * g + oc) * OH + oh) * OW + ow;
                out.setFlat(
                  at,
                  Number(out.getFlat(at)) + Number(x.get(n, c, ih, iw)) * Number(w.get(c, o, kh, kw)),
                );
              }
  return out;
}

describe('matrix products', () => {
  it('mm matches the naive product across block edges, float32 (WASM SIMD path) and float64 (JS path)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [M, K, N] of [
        [1, 1, 1],
        [3, 5, 2],
        [4, 4, 4],
        [5, 257, 9],
        [67, 300, 70],
        [130, 33, 2050],
      ]) {
        const a = randn([M, K], { seed: M * 1000 + K, dtype });
        const b = randn([K, N], { seed: N, dtype });
        const tol = dtype === 'float32' ? 1e-4 * Math.sqrt(K) : 1e-12 * K;
        expect(maxAbsDiff(mm(a, b), naiveMm(a, b)), `${dtype} ${M}x${K}x${N}`).to.be.lessThan(tol);
      }
    }
  });

  it('thin products (a linear layer on 1-3 rows) match the naive product, SIMD matrix-vector path or not', () => {
    for (const [M, K, N] of [
      [1, 512, 1000],
      [2, 960, 7],
      [3, 12, 5],
      [1, 13, 6],
    ]) {
      const x = randn([M, K], { seed: K });
      const w = randn([N, K], { seed: N });
      const b = randn([N], { seed: 3 });
      const want = naiveMm(x, w.t());
      const got = linear(x, w, b);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++)
          expect(Number(got.get(i, j)), `${M}x${K}x${N} [${i}, ${j}]`).to.be.closeTo(
            Number(want.get(i, j)) + Number(b.get(j)),
            1e-4 * Math.sqrt(K),
          );
    }
    // W with padded rows (row stride > K): copied row by row.
    const wide = randn([6, 20], { seed: 9 }).slice(1, 0, 16);
    expect(
      maxAbsDiff(linear(randn([1, 16], { seed: 8 }), wide), naiveMm(randn([1, 16], { seed: 8 }), wide.t())),
    ).to.be.lessThan(1e-4);
  });

  it('reads transposed and strided operands without copying them first', () => {
    const a = randn([9, 12], { seed: 1 }).t().slice(1, 0, null, 2); // [12, 5] with strides [1, 24]
    const b = randn([6, 5], { seed: 2 }).t();
    expect(maxAbsDiff(mm(a, b), naiveMm(a, b))).to.be.lessThan(1e-5);
  });

  it('gemm honours alpha and beta (beta = 0 ignores NaN already in C)', () => {
    const C = new Float64Array([NaN, NaN, NaN, NaN]);
    const A = { data: new Float64Array([1, 2, 3, 4]), offset: 0, rowStride: 2, colStride: 1 };
    gemm(2, 2, 2, A, A, { data: C, offset: 0, rowStride: 2 }, 2, 0);
    expect([...C]).to.deep.equal([14, 20, 30, 44]);
    gemm(2, 2, 2, A, A, { data: C, offset: 0, rowStride: 2 }, 1, 0.5);
    expect([...C]).to.deep.equal([14, 20, 30, 44]);
  });

  it('matmul covers vector, matrix and broadcast batch cases', () => {
    const v = tensor([1, 2, 3], { dtype: 'float32' });
    const m = tensor(
      [
        [1, 0, 0],
        [0, 2, 0],
      ],
      { dtype: 'float32' },
    );
    expect(matmul(v, v).item()).to.equal(14);
    expect(matmul(m, v).toArray()).to.deep.equal([1, 4]);
    expect(matmul(tensor([1, 1], { dtype: 'float32' }), m).toArray()).to.deep.equal([1, 2, 0]);
    const a = randn([2, 1, 3, 4], { seed: 3 });
    const b = randn([5, 4, 2], { seed: 4 });
    const r = matmul(a, b);
    expect([...r.shape]).to.deep.equal([2, 5, 3, 2]);
    expect(
      maxAbsDiff(r.select(0, 1).select(0, 3), naiveMm(a.select(0, 1).select(0, 0), b.select(0, 3))),
    ).to.be.lessThan(1e-5);
    expect(() => mm(randn([2, 3]), randn([4, 5]))).to.throw(
      'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)',
    );
    expect(() => mm(randn([2, 3]), randn([3, 5], { dtype: 'float64' }))).to.throw(/same dtype/);
  });

  it('linear uses weight transposed and adds bias; integer matmul is exact', () => {
    const x = randn([4, 6], { seed: 5 });
    const w = randn([3, 6], { seed: 6 });
    const bias = randn([3], { seed: 7 });
    const ref = naiveMm(x, w.t());
    const got = linear(x, w, bias);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 3; j++)
        expect(Number(got.get(i, j))).to.be.closeTo(Number(ref.get(i, j)) + Number(bias.get(j)), 1e-5);
    const big = Tensor.fromArray('int64', [2n ** 40n, 1n], [1, 2]);
    expect(mm(big, Tensor.fromArray('int64', [2n ** 20n, 3n], [2, 1])).item()).to.equal(2n ** 60n + 3n);
  });
});

describe('convolution', () => {
  const configs: [string, number[], number[], number[], number[], number, boolean][] = [
    ['3x3 pad 1', [2, 3, 8, 7], [4, 3, 3, 3], [1, 1], [1, 1], 1, true],
    ['stride 2 dilation 2', [1, 2, 11, 9], [3, 2, 3, 2], [2, 1], [2, 0], 1, false],
    ['groups 2', [1, 4, 6, 6], [6, 2, 3, 3], [1, 2], [0, 1], 2, true],
    ['depthwise', [2, 3, 5, 5], [3, 1, 3, 3], [2, 2], [1, 1], 3, true],
    ['1x1', [2, 5, 4, 3], [7, 5, 1, 1], [1, 1], [0, 0], 1, true],
  ];
  for (const [name, xs, ws, stride, pad, groups, withBias] of configs) {
    it(`conv2d ${name} matches the direct definition`, () => {
      const dil = name.includes('dilation') ? [2, 1] : [1, 1];
      const x = randn(xs, { seed: 11 });
      const w = randn(ws, { seed: 12 });
      const b = withBias ? randn([ws[0]], { seed: 13 }) : null;
      const got = convolution(x, w, b, stride, pad, dil, groups);
      const want = naiveConv2d(x, w, b, stride, pad, dil, groups);
      expect([...got.shape]).to.deep.equal([...want.shape]);
      expect(maxAbsDiff(got, want)).to.be.lessThan(1e-4);
    });
  }

  it("padding 'same' keeps the size (asymmetric for even kernels) and 'valid' pads nothing", () => {
    const x = randn([1, 2, 6, 7], { seed: 1 });
    const w = randn([3, 2, 4, 3], { seed: 2 });
    const same = convolution(x, w, null, [1, 1], 'same', [1, 1], 1);
    expect([...same.shape]).to.deep.equal([1, 3, 6, 7]);
    // total padding 3 along H: 1 before, 2 after; equal to padding (1, 1) on a bottom-padded input.
    const padded = KERNELS['aten::constant_pad_nd']([x, [0, 0, 0, 1], 0]) as Tensor;
    const ref = naiveConv2d(padded, w, null, [1, 1], [1, 1], [1, 1], 1);
    expect(maxAbsDiff(same, ref)).to.be.lessThan(1e-4);
    expect([...convolution(x, w, null, [1, 1], 'valid', [1, 1], 1).shape]).to.deep.equal([1, 3, 3, 5]);
    expect(() => convolution(x, w, null, [2, 2], 'same', [1, 1], 1)).to.throw(
      "padding='same' is not supported for strided convolutions",
    );
  });

  it('conv1d and conv3d agree with conv2d on unit dims; unbatched input works', () => {
    const x = randn([2, 3, 9], { seed: 3 });
    const w = randn([4, 3, 3], { seed: 4 });
    const c1 = convolution(x, w, null, [2], [1], [1], 1);
    const c2 = convolution(x.unsqueeze(2), w.unsqueeze(2), null, [1, 2], [0, 1], [1, 1], 1).squeeze(2);
    expect(maxAbsDiff(c1, c2)).to.be.lessThan(1e-6);
    const c3 = convolution(
      x.unsqueeze(2).unsqueeze(2),
      w.unsqueeze(2).unsqueeze(2),
      null,
      [1, 1, 2],
      [0, 0, 1],
      [1, 1, 1],
      1,
    );
    expect(maxAbsDiff(c3.squeeze(2).squeeze(2), c1)).to.be.lessThan(1e-6);
    expect([...convolution(x.select(0, 0), w, null, [1], [0], [1], 1).shape]).to.deep.equal([4, 7]);
  });

  it('reports channel and size mistakes with PyTorch wording', () => {
    expect(() => convolution(randn([1, 4, 8, 8]), randn([8, 3, 3, 3]), null, [1], [0], [1], 1)).to.throw(
      'Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead',
    );
    expect(() => convolution(randn([1, 3, 2, 2]), randn([8, 3, 3, 3]), null, [1], [0], [1], 1)).to.throw(
      /Kernel size can't be greater than actual input size/,
    );
    expect(() => convolution(randn([3, 8, 8, 8, 8]), randn([8, 3, 3, 3]), null, [1], [0], [1], 1)).to.throw(
      /Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d/,
    );
  });

  it('conv_transpose2d matches the scatter definition (groups, stride, output_padding, dilation)', () => {
    for (const [s, p, op, d, g] of [
      [[2, 2], [1, 1], [1, 1], [1, 1], 1],
      [[1, 3], [0, 1], [0, 2], [2, 1], 2],
    ] as [number[], number[], number[], number[], number][]) {
      const x = randn([2, 4, 3, 4], { seed: 21 });
      const w = randn([4, 3, 3, 2], { seed: 22 });
      const got = convTranspose(x, w, null, s, p, op, g, d);
      const want = naiveConvTranspose2d(x, w, s, p, op, d, g);
      expect([...got.shape]).to.deep.equal([...want.shape]);
      expect(maxAbsDiff(got, want)).to.be.lessThan(1e-4);
    }
  });

  it('_convolution dispatches on the transposed flag', () => {
    const x = randn([1, 2, 5, 5], { seed: 5 });
    const w = randn([2, 2, 3, 3], { seed: 6 });
    const f = KERNELS['aten::_convolution']([
      x,
      w,
      null,
      [1, 1],
      [1, 1],
      [1, 1],
      false,
      [0, 0],
      1,
      false,
      false,
      true,
      true,
    ]) as Tensor;
    expect(maxAbsDiff(f, convolution(x, w, null, [1, 1], [1, 1], [1, 1], 1))).to.equal(0);
    const tr = KERNELS['aten::_convolution']([
      x,
      w,
      null,
      [2, 2],
      [1, 1],
      [1, 1],
      true,
      [1, 1],
      1,
      false,
      false,
      true,
      true,
    ]) as Tensor;
    expect([...tr.shape]).to.deep.equal([1, 2, 10, 10]);
  });
});
