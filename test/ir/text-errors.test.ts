// Malformed IR text: every case throws IRParseError (code IR_PARSE) at the right file:line:col, with the
// offending line and a caret under the column.

import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IRParseError } from '../../src/errors.js';
import { parseIR, printGraph } from '../../src/ir/index.js';
import { PYTORCH_CONSTANTS, PYTORCH_SCRIPTED } from './text-samples.js';

interface Case {
  readonly what: string;
  readonly text: string;
  readonly line: number;
  readonly col: number;
  /** Words the message must contain. */
  readonly says: readonly string[];
}

// From dist/test/ir/ back to the source tree.
const CASES_FILE = fileURLToPath(new URL('../../../test/ir/text-errors.cases.txt', import.meta.url));

/** The cases of text-errors.cases.txt (its opening lines say the format). */
function readCases(): Case[] {
  const lines = readFileSync(CASES_FILE, 'utf8').split('\n');
  lines.pop(); // the file's final newline
  const cases: Case[] = [];
  for (let i = lines.findIndex((l) => l.startsWith('=== ')); i < lines.length;) {
    const where = /^at (\d+):(\d+): (.+)$/.exec(lines[i + 1]);
    if (!where) throw new Error(`text-errors.cases.txt:${i + 2}: expected 'at LINE:COL: words'`);
    let next = i + 2;
    while (next < lines.length && !lines[next].startsWith('=== ')) next++;
    cases.push({
      what: lines[i].slice(4),
      text: lines
        .slice(i + 2, next)
        .map((l) => `${l}\n`)
        .join(''),
      line: Number(where[1]),
      col: Number(where[2]),
      says: where[3].split(' | '),
    });
    i = next;
  }
  return cases;
}

const CASES = readCases();

describe('IR text: malformed input', () => {
  it(`has at least 15 distinct malformed cases (${CASES.length})`, () => {
    expect(new Set(CASES.map((c) => c.says[0])).size).to.be.at.least(15);
  });

  for (const c of CASES) {
    it(`${c.what}: reports ${c.line}:${c.col}`, () => {
      const options = c.what.includes('lossless style')
        ? { file: 'bad.ir', tensorStyle: 'lossless' as const }
        : { file: 'bad.ir' };
      let error: unknown;
      try {
        parseIR(c.text, options);
      } catch (e) {
        error = e;
      }
      expect(error, 'parseIR should throw').to.be.instanceOf(IRParseError);
      const e = error as IRParseError;
      expect(e.code).to.equal('IR_PARSE');
      expect(`${e.location.line}:${e.location.column}`, e.message).to.equal(`${c.line}:${c.col}`);
      expect(e.location.file).to.equal('bad.ir');
      const [head, lineText, caret] = e.message.split('\n');
      expect(head).to.match(new RegExp(`^bad\\.ir:${c.line}:${c.col}: `));
      for (const word of c.says) expect(head, e.message).to.include(word);
      // The offending line follows, then a caret under the column (absent only past the last line).
      const source = c.text.split('\n')[c.line - 1];
      if (source !== undefined) {
        expect(lineText).to.equal(source);
        expect(caret).to.equal(' '.repeat(c.col - 1) + '^');
      }
    });
  }
});

describe('IR text: mutated input never escapes as anything but IRParseError', () => {
  const lossless = printGraph(parseIR(PYTORCH_CONSTANTS), { tensorStyle: 'lossless' });
  const sources = [PYTORCH_CONSTANTS, PYTORCH_SCRIPTED, lossless];
  const edit = fc.tuple(fc.nat(), fc.constantFrom('', ...'%:=,()[]{}<>"\\ \n.-019aeTb#*+'), fc.boolean());

  it('parses or throws IRParseError after random character edits', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: sources.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          let text = sources[which];
          for (const [at, ch, replace] of edits) {
            const p = at % (text.length + 1);
            text = text.slice(0, p) + ch + text.slice(replace ? p + 1 : p);
          }
          try {
            parseIR(text);
          } catch (e) {
            if (!(e instanceof IRParseError)) throw e;
            expect(e.message).to.match(/^<ir>:\d+:\d+: /);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
