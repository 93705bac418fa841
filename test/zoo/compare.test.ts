// The zoo's output rule on complex outputs (torchaudio's Spectrogram with power=None): they follow the
// float rule, error against the complex128 reference at most 2× PyTorch's own complex64 error plus
// atol × (1 + max |reference|), with |a - b| the modulus of the complex difference. Not exactly, like
// integers, and not ignored.

import { expect } from 'chai';
import { Tensor } from '../../src/index.js';
import { compareOutputs, maxAbsDiff } from './compare.js';

/** A complex tensor of shape [n] from [re, im] pairs. */
function complex(dtype: 'complex64' | 'complex128', pairs: readonly [number, number][]): Tensor {
  const data =
    dtype === 'complex64' ? new Float32Array(pairs.length * 2) : new Float64Array(pairs.length * 2);
  pairs.forEach(([re, im], i) => {
    data[2 * i] = re;
    data[2 * i + 1] = im;
  });
  return Tensor.fromStorage(dtype, data, [pairs.length]);
}

// max |reference| = |1 + 2i| = √5; limit = 2 × 1e-6 + 1e-5 × (1 + √5) ≈ 3.44e-5
const values: [number, number][] = [
  [1, 2],
  [-0.5, 0.25],
];
const reference = complex('complex128', values);
const torchOutput = complex('complex64', values);
const limit = 2e-6 + 1e-5 * (1 + Math.sqrt(5));

/** Ours = the reference with `[dRe, dIm]` added to the second element, in complex64. */
function oursOff(dRe: number, dIm: number): Tensor {
  return complex('complex64', [values[0], [values[1][0] + dRe, values[1][1] + dIm]]);
}

function check(ours: Tensor) {
  const leaves = compareOutputs({ ours, reference, torchOutput, torchErrors: { output: 1e-6 }, atol: 1e-5 });
  expect(leaves).to.have.length(1);
  return leaves[0];
}

describe('zoo output check: complex outputs (test/zoo/compare.ts)', () => {
  it('passes a complex output within tolerance that differs from PyTorch bit for bit', () => {
    const ours = oursOff(3e-6, 4e-6);
    expect(maxAbsDiff(ours, torchOutput)).to.be.greaterThan(0); // an exact comparison would fail it
    const leaf = check(ours);
    expect(leaf.ok, leaf.problem).to.equal(true);
    expect(leaf.error).to.be.closeTo(5e-6, 2e-7); // |3e-6 + 4e-6 i|
    expect(leaf.torchError).to.equal(1e-6);
    expect(leaf.limit).to.be.closeTo(limit, 1e-12);
  });

  it('fails a complex output off beyond tolerance in its imaginary part only', () => {
    const leaf = check(oursOff(0, 4e-5));
    expect(leaf.ok).to.equal(false);
    expect(leaf.error).to.be.closeTo(4e-5, 2e-7);
    expect(leaf.limit).to.be.closeTo(limit, 1e-12);
  });

  it('measures |a - b| of complex values, not each part apart', () => {
    // each part 3e-5 < limit, the modulus 4.24e-5 > limit
    const leaf = check(oursOff(3e-5, 3e-5));
    expect(leaf.ok).to.equal(false);
    expect(leaf.error).to.be.closeTo(Math.hypot(3e-5, 3e-5), 2e-7);
  });

  it('counts NaN on both sides as equal and NaN on one side as a failure', () => {
    const nanRef = complex('complex128', [[Number.NaN, 0], values[1]]);
    const nanOurs = complex('complex64', [[0, Number.NaN], values[1]]);
    const both = compareOutputs({
      ours: nanOurs,
      reference: nanRef,
      torchOutput: nanOurs,
      torchErrors: {},
      atol: 1e-5,
    });
    expect(both[0].ok, both[0].problem).to.equal(true);
    const one = compareOutputs({ ours: nanOurs, reference, torchOutput, torchErrors: {}, atol: 1e-5 });
    expect(one[0].ok).to.equal(false);
  });
});
