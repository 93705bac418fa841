// The IR line diff: it always rebuilds both texts, finds the obvious edits, and stays fast on big texts.

import { expect } from 'chai';
import fc from 'fast-check';
import { diffLines } from '../../src/report/line-diff.js';
import { diffMethod } from '../../src/report/ir-diff.js';

const sides = (d: ReturnType<typeof diffLines>): [string[], string[]] => [
  d.filter((l) => l.op !== '+').map((l) => l.text),
  d.filter((l) => l.op !== '-').map((l) => l.text),
];

describe('line diff', () => {
  it('rebuilds both sides for any pair of texts (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '%x = f(%y)', '', 'return');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
        expect(sides(diffLines(a, b))).to.deep.equal([a, b]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps unique lines around an edit and marks only the edit', () => {
    const a = ['graph(%x):', '  %1 = relu(%x)', '  %2 = add(%1, %1)', '  return (%2)'];
    const b = ['graph(%x):', '  %1 = relu(%x)', '  %3 = mul(%1, %1)', '  %2 = add(%3, %1)', '  return (%2)'];
    expect(diffLines(a, b).map((l) => `${l.op}${l.text}`)).to.deep.equal([
      ' graph(%x):',
      '   %1 = relu(%x)',
      '-  %2 = add(%1, %1)',
      '+  %3 = mul(%1, %1)',
      '+  %2 = add(%3, %1)',
      '   return (%2)',
    ]);
  });

  it('diffs 20k-line texts with an edit every 50 lines exactly', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `  %v${i} = op(%v${i - 1})`);
    const b = a.map((l, i) => (i % 50 === 0 ? `${l} # moved` : l));
    const d = diffLines(a, b);
    expect(sides(d)).to.deep.equal([a, b]);
    expect(d.filter((l) => l.op === '-')).to.have.length(400);
  });

  it('groups changes into hunks with three lines of context and line numbers', () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[10] = 'changed 10';
    b[25] = 'changed 25';
    const { hunks } = diffMethod('forward', `${a.join('\n')}\n`, `${b.join('\n')}\n`);
    expect(hunks.map((h) => [h.oldStart, h.newStart, h.lines.length])).to.deep.equal([
      [8, 8, 8],
      [23, 23, 8],
    ]);
    expect(hunks[0].lines[3]).to.equal('-line 10');
  });
});
