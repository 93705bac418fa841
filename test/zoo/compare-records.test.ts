// The zoo's output rule on score-ranked records (detections: boxes, scores, labels of one image). Rows
// whose scores tie within the score tolerance may come out in either order (ssdlite320's random weights
// give scores equal to ~1e-7); ours may list them in another order than the reference, but every row of
// the reference must have a row of ours with the same label and a score within tolerance, and the boxes
// are compared row by row after that matching. A real label error still fails.

import { expect } from 'chai';
import { Tensor, type IValue } from '../../src/index.js';
import { compareOutputs, type LeafCheck } from './compare.js';
import { findRecordGroups } from './record-alignment.js';

interface Detection {
  readonly score: number;
  readonly label: number;
  readonly box: readonly [number, number, number, number];
}

function detections(rows: readonly Detection[], float: 'float32' | 'float64'): IValue {
  return [
    new Map<string, IValue>([
      [
        'boxes',
        Tensor.fromArray(
          float,
          rows.flatMap((r) => [...r.box]),
          [rows.length, 4],
        ),
      ],
      [
        'scores',
        Tensor.fromArray(
          float,
          rows.map((r) => r.score),
        ),
      ],
      [
        'labels',
        Tensor.fromArray(
          'int64',
          rows.map((r) => BigInt(r.label)),
        ),
      ],
    ]),
  ];
}

// Rows 1 and 2 tie: their scores differ by 6e-8, far below the score tolerance (~2e-5).
const REFERENCE: Detection[] = [
  { score: 0.9, label: 5, box: [0, 0, 10, 10] },
  { score: 0.50000006, label: 18, box: [200, 20, 240, 120] },
  { score: 0.5, label: 63, box: [0, 14, 95, 123] },
  { score: 0.25, label: 7, box: [5, 5, 50, 50] },
];

const swap = (rows: Detection[], i: number, j: number): Detection[] => {
  const out = [...rows];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
};

function check(
  ours: Detection[],
  torch: Detection[] = REFERENCE,
  reference: Detection[] = REFERENCE,
): Map<string, LeafCheck> {
  const leaves = compareOutputs({
    ours: detections(ours, 'float32'),
    reference: detections(reference, 'float64'),
    torchOutput: detections(torch, 'float32'),
    torchErrors: { 'output.0.boxes': 1e-5, 'output.0.scores': 1e-6 },
    atol: 1e-5,
  });
  return new Map(leaves.map((l) => [l.path.split('.').pop()!, l]));
}

const allOk = (leaves: Map<string, LeafCheck>): void => {
  for (const [name, leaf] of leaves) expect(leaf.ok, `${name}: ${leaf.problem ?? leaf.error}`).to.equal(true);
};

describe('zoo output check: detections tied in score (test/zoo/record-alignment.ts)', () => {
  it('finds the record group: scores sorted high to low, boxes and labels row-aligned with them', () => {
    const groups = findRecordGroups(
      [...(detections(REFERENCE, 'float64') as Map<string, Tensor>[])[0]].map(([k, v]) => ({
        path: `output.0.${k}`,
        value: v,
      })),
    );
    expect(groups).to.deep.equal([
      { key: 'output.0.scores', rows: ['output.0.boxes', 'output.0.scores', 'output.0.labels'] },
    ]);
  });

  it('passes two tied detections listed in the other order (labels and boxes swapped together)', () => {
    const ours = swap(REFERENCE, 1, 2).map((r, i) =>
      i === 1 ? { ...r, score: 0.50000006 } : i === 2 ? { ...r, score: 0.5 } : r,
    );
    allOk(check(ours));
  });

  it('passes two tied detections of the same label listed in the other order (the boxes decide)', () => {
    // keypointrcnn_resnet50_fpn: two person detections scoring 0.38867366 / 0.38867342 came out swapped;
    // matching by position first paired each reference row with the other detection's box.
    const sameLabel = REFERENCE.map((r, i) => (i === 2 ? { ...r, label: 18 } : r));
    const ours = swap(sameLabel, 1, 2).map((r, i) =>
      i === 1 ? { ...r, score: 0.5 } : i === 2 ? { ...r, score: 0.50000006 } : r,
    );
    allOk(check(ours, sameLabel, sameLabel));
  });

  it("passes when PyTorch's own float32 output has the tie the other way and ours has the reference's order", () => {
    allOk(check(REFERENCE, swap(REFERENCE, 1, 2)));
  });

  it('fails a wrong label, even inside a tie', () => {
    const ours = REFERENCE.map((r, i) => (i === 2 ? { ...r, label: 64 } : r));
    const leaves = check(ours);
    expect(leaves.get('labels')!.ok).to.equal(false);
    expect(leaves.get('labels')!.problem).to.match(/reference row 2 .*labels 63.* has no row of ours/);
  });

  it('fails two detections swapped whose scores do not tie', () => {
    const ours = swap(REFERENCE, 0, 1).map((r, i) => ({ ...r, score: REFERENCE[i].score }));
    expect(check(ours).get('labels')!.ok).to.equal(false);
  });

  it("fails boxes that did not move with their labels (another detection's box)", () => {
    const swapped = swap(REFERENCE, 1, 2);
    const ours = swapped.map((r, i) => ({ ...r, box: REFERENCE[i].box }));
    const leaves = check(ours);
    expect(leaves.get('labels')!.ok).to.equal(true);
    expect(leaves.get('boxes')!.ok).to.equal(false);
    expect(leaves.get('boxes')!.error).to.be.greaterThan(100);
  });

  it('still measures the boxes of aligned rows with the float rule', () => {
    const ours = REFERENCE.map((r, i) => (i === 3 ? { ...r, box: [5, 5, 50, 50.01] as const } : r));
    const leaves = check(ours);
    expect(leaves.get('boxes')!.ok).to.equal(false);
    expect(leaves.get('boxes')!.error).to.be.closeTo(0.01, 1e-5);
  });
});
