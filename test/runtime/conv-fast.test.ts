// The fast convolution paths (WebAssembly GEMM with gathered columns, depthwise direct loops, the fused
// epilogue, packed weights cached for constant weights) against the direct float64 definition, over
// random geometries.

import { expect } from 'chai';
import fc from 'fast-check';
import { convolution, type ConvEpilogue } from '../../src/runtime/kernels/conv.js';
import { activate } from '../../src/runtime/kernels/conv-epilogue.js';
import { maxAbsDiff } from '../../src/tensor/allclose.js';
import { toDType } from '../../src/tensor/convert.js';
import { randn } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { GEMM_VARIANTS, gemmVariantAvailable, withGemmVariant } from '../support/gemm-variants.js';
import { naiveConv2d } from '../support/naive-conv.js';

const geometry = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    cg: fc.integer({ min: 1, max: 7 }),
    groups: fc.constantFrom(1, 2, 'depthwise' as const),
    og: fc.integer({ min: 1, max: 9 }),
    h: fc.integer({ min: 1, max: 13 }),
    w: fc.integer({ min: 1, max: 13 }),
    kh: fc.integer({ min: 1, max: 5 }),
    kw: fc.integer({ min: 1, max: 5 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 2 }),
    pw: fc.integer({ min: 0, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }),
    dw: fc.integer({ min: 1, max: 2 }),
    bias: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .filter((g) => g.h + 2 * g.ph >= g.dh * (g.kh - 1) + 1 && g.w + 2 * g.pw >= g.dw * (g.kw - 1) + 1);

type Geometry = typeof geometry extends fc.Arbitrary<infer T> ? T : never;

function operands(g: Geometry): { x: Tensor; w: Tensor; b: Tensor | null; groups: number } {
  const groups = g.groups === 'depthwise' ? g.cg : g.groups;
  const cIn = g.groups === 'depthwise' ? g.cg : g.cg * groups;
  const cOut = g.groups === 'depthwise' ? g.cg : g.og * groups;
  const x = randn([g.n, cIn, g.h, g.w], { seed: g.seed });
  const w = randn([cOut, cIn / groups, g.kh, g.kw], { seed: g.seed + 1 });
  const b = g.bias ? randn([cOut], { seed: g.seed + 2 }) : null;
  return { x, w, b, groups };
}

describe('fast convolution paths', () => {
  it('float32 and float64 convs (GEMM and depthwise) match the direct definition on random geometries', () => {
    fc.assert(
      fc.property(geometry, fc.constantFrom('float32' as const, 'float64' as const), (g, dtype) => {
        const { x, w, b, groups } = operands(g);
        const args = [[g.sh, g.sw], [g.ph, g.pw], [g.dh, g.dw], groups] as const;
        const got = convolution(
          toDType(x, dtype),
          toDType(w, dtype),
          b && toDType(b, dtype),
          args[0],
          args[1],
          args[2],
          args[3],
        );
        const want = naiveConv2d(x, w, b, [g.sh, g.sw], [g.ph, g.pw], [g.dh, g.dw], groups);
        expect([...got.shape]).to.deep.equal([...want.shape]);
        expect(got.dtype).to.equal(dtype);
        expect(maxAbsDiff(got, want)).to.be.lessThan(dtype === 'float32' ? 1e-4 : 1e-10);
      }),
      { numRuns: 120 },
    );
  });

  for (const variant of GEMM_VARIANTS) {
    it(`large layers cross the GEMM block edges (K > 256 rows, more than 1024 output pixels; ${variant} kernel)`, function () {
      if (!gemmVariantAvailable(variant)) this.skip();
      for (const [c, o, hw, k, s] of [
        [40, 6, 36, 3, 1],
        [3, 5, 70, 7, 2],
        [300, 9, 5, 1, 1],
      ]) {
        const x = randn([1, c, hw, hw], { seed: c });
        const w = randn([o, c, k, k], { seed: o });
        const pad = (k - 1) / 2;
        const got = withGemmVariant(variant, () => convolution(x, w, null, [s, s], [pad, pad], [1, 1], 1));
        const want = naiveConv2d(x, w, null, [s, s], [pad, pad], [1, 1], 1);
        expect(maxAbsDiff(got, want), `${c}->${o} ${hw}x${hw} k${k}`).to.be.lessThan(1e-3);
      }
    });

    it(`Winograd F(2,3) 3x3 stride-1 convs match the direct definition (odd sizes, padding 0-2, groups, C > 256; ${variant} kernel)`, function () {
      if (!gemmVariantAvailable(variant)) this.skip();
      for (const [n, c, o, h, w, pad, groups] of [
        [1, 16, 16, 8, 8, 1, 1],
        [2, 20, 24, 7, 9, 1, 1],
        [1, 32, 17, 5, 13, 0, 1],
        [1, 16, 32, 6, 6, 2, 1],
        [1, 64, 64, 11, 11, 1, 2],
        [1, 300, 20, 7, 7, 1, 1],
      ]) {
        const x = randn([n, c, h, w], { seed: c + h });
        const wt = randn([o, c / groups, 3, 3], { seed: o });
        const b = randn([o], { seed: 9 });
        const got = withGemmVariant(variant, () => convolution(x, wt, b, [1, 1], [pad, pad], [1, 1], groups));
        const want = naiveConv2d(x, wt, b, [1, 1], [pad, pad], [1, 1], groups);
        expect([...got.shape]).to.deep.equal([...want.shape]);
        expect(maxAbsDiff(got, want), `${c}->${o} ${h}x${w} pad ${pad} groups ${groups}`).to.be.lessThan(
          2e-6 * Math.sqrt(c / groups) * 9 * 4,
        );
      }
    });
  }

  it('the fused epilogue gives act(conv + bias + alpha * residual) for every activation', () => {
    const acts: ConvEpilogue['act'][] = [
      'none',
      'relu',
      'relu6',
      'hardtanh',
      'hardswish',
      'hardsigmoid',
      'silu',
      'sigmoid',
    ];
    // groups 1 with 16 channels runs Winograd, groups 16 the depthwise kernel, 5 channels the GEMM.
    for (const [channels, groups] of [
      [16, 1],
      [16, 16],
      [5, 1],
    ]) {
      const x = randn([2, channels, 6, 5], { seed: 1 });
      const w = randn([channels, channels / groups, 3, 3], { seed: 2 });
      const b = randn([channels], { seed: 3 });
      const residual = randn([2, channels, 6, 5], { seed: 4 });
      for (const act of acts) {
        const ep: ConvEpilogue = { residual, alpha: 0.5, act, lo: -0.25, hi: 0.75 };
        const got = convolution(x, w, b, [1, 1], [1, 1], [1, 1], groups, ep);
        const want = naiveConv2d(x, w, b, [1, 1], [1, 1], [1, 1], groups);
        const d = want.storage.data as Float64Array;
        const r = residual.storage.data as Float32Array;
        for (let i = 0; i < d.length; i++) d[i] += 0.5 * r[i];
        activate(d, 0, d.length, act, -0.25, 0.75);
        expect(maxAbsDiff(got, want), `${act} groups ${groups}`).to.be.lessThan(1e-5);
      }
    }
  });

  it('a cached packed weight follows in-place changes of the weight (constant weights may share storage)', () => {
    const x = randn([1, 3, 5, 5], { seed: 5 });
    const w = randn([4, 3, 3, 3], { seed: 6 });
    const first = convolution(x, w, null, [1, 1], [1, 1], [1, 1], 1, undefined, true);
    expect(maxAbsDiff(first, naiveConv2d(x, w, null, [1, 1], [1, 1], [1, 1], 1))).to.be.lessThan(1e-4);
    (w.storage.data as Float32Array)[7] += 100;
    const second = convolution(x, w, null, [1, 1], [1, 1], [1, 1], 1, undefined, true);
    expect(maxAbsDiff(second, naiveConv2d(x, w, null, [1, 1], [1, 1], [1, 1], 1))).to.be.lessThan(1e-4);
    expect(maxAbsDiff(first, second)).to.be.greaterThan(1);
  });
});
