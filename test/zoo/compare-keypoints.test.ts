// The zoo's output rule on keypoints (test/zoo/compare.ts keypointTies): a keypoint is the argmax of a
// heatmap, so where two peaks tie within float32 noise it may jump to the other peak. It is excused
// only when its score (the heatmap value at the chosen pixel) equals the reference's within tolerance,
// and only for a few keypoints; everything else keeps the plain float rule.

import { expect } from 'chai';
import { Tensor, type IValue } from '../../src/index.js';
import { compareOutputs, type LeafCheck } from './compare.js';

const N = 4;
const K = 17;

/** Keypoints [N, K, 3] at (10 + n, 20 + k, 1) and their scores [N, K], with edits at given places. */
function keypoints(
  float: 'float32' | 'float64',
  moved: ReadonlyMap<number, number> = new Map(),
  scoreShift: ReadonlyMap<number, number> = new Map(),
): IValue {
  const points: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < N * K; i++) {
    const [n, k] = [Math.floor(i / K), i % K];
    points.push(10 + n + (moved.get(i) ?? 0), 20 + k, 1);
    scores.push(3 + 0.01 * i + (scoreShift.get(i) ?? 0));
  }
  return new Map<string, IValue>([
    ['keypoints', Tensor.fromArray(float, points, [N, K, 3])],
    ['keypoints_scores', Tensor.fromArray(float, scores, [N, K])],
  ]);
}

function check(ours: IValue): Map<string, LeafCheck> {
  const leaves = compareOutputs({
    ours,
    reference: keypoints('float64'),
    torchOutput: keypoints('float32'),
    torchErrors: { 'output.keypoints': 1e-5, 'output.keypoints_scores': 1e-5 },
    atol: 1e-5,
  });
  return new Map(leaves.map((l) => [l.path.split('.').pop()!, l]));
}

describe('zoo output check: keypoints at heatmap ties (test/zoo/compare.ts)', () => {
  it('excuses one keypoint that jumped to another peak of equal score, and says so', () => {
    const leaf = check(keypoints('float32', new Map([[38, -2.96]]), new Map([[38, 4e-5]]))).get('keypoints')!;
    expect(leaf.ok, leaf.problem).to.equal(true);
    expect(leaf.note).to.match(/1 keypoint\(s\) at a heatmap tie.*\[2, 4\] moved 2\.96/);
  });

  it('fails a moved keypoint whose score differs (the peak it chose is lower)', () => {
    const leaf = check(keypoints('float32', new Map([[38, -2.96]]), new Map([[38, 0.3]]))).get('keypoints')!;
    expect(leaf.ok).to.equal(false);
    expect(leaf.error).to.be.closeTo(2.96, 1e-4);
  });

  it('fails when more than one keypoint in 200 moved (a systematic error, not a tie)', () => {
    const leaf = check(
      keypoints(
        'float32',
        new Map([
          [3, 1],
          [40, 1],
        ]),
      ),
    ).get('keypoints')!;
    expect(leaf.ok).to.equal(false);
  });

  it('leaves keypoints without a jump to the plain float rule', () => {
    const leaf = check(keypoints('float32', new Map([[5, 1e-3]]))).get('keypoints')!;
    expect(leaf.ok).to.equal(false);
    expect(leaf.note).to.equal(undefined);
  });
});
