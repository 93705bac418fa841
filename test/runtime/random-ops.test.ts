// Random kernels (src/runtime/kernels/random-ops.ts): tsfreeze's generator is not torch's, so these check
// the distributions (means and spreads within 5 standard errors for a fixed seed), supports, shapes,
// dtypes and in-place writes; the deterministic outcomes and PyTorch's errors are in the goldens
// (test/fixtures/_kernels_more).

import { expect } from 'chai';
import { KERNELS } from '../../src/runtime/kernels/index.js';
import { manualSeed } from '../../src/tensor/random.js';
import { DTYPES } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { narrow, transpose } from '../../src/tensor/views.js';

const numbers = (t: Tensor): number[] => t.toArray().map(Number);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return mean(xs.map((x) => (x - m) ** 2));
};

describe('random kernels: distributions, shapes, in-place writes', () => {
  beforeEach(() => manualSeed(1234));
  const N = 20000;

  it('bernoulli_.float writes 0/1 with mean p into the tensor itself, keeping its dtype', () => {
    for (const dtype of ['float32', 'float64', 'int64'] as const) {
      const t = Tensor.zeros(dtype, [N]);
      const out = KERNELS['aten::bernoulli_.float']([t, 0.3, null]) as Tensor;
      expect(out).to.equal(t);
      const xs = numbers(t);
      expect(new Set(xs)).to.deep.equal(new Set([0, 1]));
      expect(Math.abs(mean(xs) - 0.3)).to.be.below(5 * Math.sqrt((0.3 * 0.7) / N));
    }
  });

  it('bernoulli_.float on a strided view writes only the view', () => {
    const base = Tensor.zeros('float32', [3, 3]);
    const view = narrow(transpose(base, 0, 1), 0, 0, 2);
    KERNELS['aten::bernoulli_.float']([view, 1, null]);
    expect(numbers(base)).to.deep.equal([1, 1, 0, 1, 1, 0, 1, 1, 0]);
  });

  it('bernoulli_.Tensor and bernoulli follow per-element probabilities', () => {
    const p = Tensor.fromArray('float32', [0.1, 0.9], [2, 1]);
    const t = Tensor.zeros('float32', [2, N / 2]);
    KERNELS['aten::bernoulli_.Tensor']([t, p, null]);
    const rows = [numbers(t).slice(0, N / 2), numbers(t).slice(N / 2)];
    expect(Math.abs(mean(rows[0]) - 0.1)).to.be.below(5 * Math.sqrt((0.1 * 0.9) / (N / 2)));
    expect(Math.abs(mean(rows[1]) - 0.9)).to.be.below(5 * Math.sqrt((0.1 * 0.9) / (N / 2)));
    const probs = Tensor.fromArray('float64', new Array<number>(N).fill(0.5), [N]);
    const drawn = KERNELS['aten::bernoulli']([probs, null]) as Tensor;
    expect(drawn.dtype).to.equal('float64');
    expect(drawn).to.not.equal(probs);
    expect(Math.abs(mean(numbers(drawn)) - 0.5)).to.be.below(5 * Math.sqrt(0.25 / N));
  });

  it('uniform_ fills [from, to) with the uniform mean and variance', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const t = Tensor.zeros(dtype, [N]);
      expect(KERNELS['aten::uniform_']([t, -2, 3, null])).to.equal(t);
      const xs = numbers(t);
      expect(Math.min(...xs)).to.be.at.least(-2);
      expect(Math.max(...xs)).to.be.below(3);
      expect(Math.abs(mean(xs) - 0.5)).to.be.below(5 * Math.sqrt(25 / 12 / N));
      expect(Math.abs(variance(xs) - 25 / 12)).to.be.below(0.1);
    }
  });

  it('normal_ has the requested mean and standard deviation', () => {
    const t = Tensor.zeros('float32', [N]);
    KERNELS['aten::normal_']([t, 1.5, 2, null]);
    const xs = numbers(t);
    expect(Math.abs(mean(xs) - 1.5)).to.be.below(5 * (2 / Math.sqrt(N)));
    expect(Math.abs(Math.sqrt(variance(xs)) - 2)).to.be.below(0.1);
  });

  it('randperm is a permutation of 0..n-1 in the requested dtype, and not always the identity', () => {
    const p = KERNELS['aten::randperm']([50, null, null, null, null]) as Tensor;
    expect(p.dtype).to.equal('int64');
    expect([...numbers(p)].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(numbers(p)).to.not.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    const f = KERNELS['aten::randperm']([7, DTYPES.float32.scalarType, null, null, null]) as Tensor;
    expect(f.dtype).to.equal('float32');
    // Position 0 is uniform over the values.
    const firsts = Array.from(
      { length: 4000 },
      () => numbers(KERNELS['aten::randperm']([4, null]) as Tensor)[0],
    );
    for (let v = 0; v < 4; v++) {
      const share = firsts.filter((x) => x === v).length / firsts.length;
      expect(Math.abs(share - 0.25)).to.be.below(5 * Math.sqrt((0.25 * 0.75) / 4000));
    }
  });

  it('multinomial with replacement draws categories in proportion to their weights', () => {
    const w = Tensor.fromArray('float32', [1, 0, 3, 6], [4]);
    const s = KERNELS['aten::multinomial']([w, N, true, null]) as Tensor;
    expect(s.dtype).to.equal('int64');
    expect([...s.shape]).to.deep.equal([N]);
    const xs = numbers(s);
    expect(xs.includes(1)).to.equal(false);
    [0.1, 0, 0.3, 0.6].forEach((p, k) => {
      const share = xs.filter((x) => x === k).length / N;
      expect(Math.abs(share - p)).to.be.below(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
    });
  });

  it('multinomial without replacement gives distinct categories per row, heavier ones first more often', () => {
    const w = Tensor.fromArray('float64', [1, 0, 8, 1, 5, 5], [2, 3]);
    const s = KERNELS['aten::multinomial']([w, 3, false, null]) as Tensor;
    expect([...s.shape]).to.deep.equal([2, 3]);
    const rows = [numbers(s).slice(0, 3), numbers(s).slice(3)];
    for (const row of rows) expect(new Set(row).size).to.equal(3);
    // Zero weight comes last when enough non-zero categories exist.
    expect(rows[0][2]).to.equal(1);
    // P(first = 2) = 8/9 for weights [1, 0, 8].
    const firsts = Array.from(
      { length: 4000 },
      () =>
        numbers(
          KERNELS['aten::multinomial']([
            Tensor.fromArray('float32', [1, 0, 8], [3]),
            1,
            false,
            null,
          ]) as Tensor,
        )[0],
    );
    const share = firsts.filter((x) => x === 2).length / firsts.length;
    expect(Math.abs(share - 8 / 9)).to.be.below(5 * Math.sqrt(((8 / 9) * (1 / 9)) / 4000));
  });

  it('an explicit generator is refused', () => {
    expect(() => KERNELS['aten::uniform_']([Tensor.zeros('float32', [2]), 0, 1, 'gen'])).to.throw(
      /Generator/,
    );
  });
});
