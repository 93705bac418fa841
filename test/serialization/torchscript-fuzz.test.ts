// Property tests of the TorchScript source parser: random text, token soup and mutated real sources only
// ever give an AST or a TS_SYNTAX IRParseError (never a hang or a raw error), and whatever parses prints
// back to text that re-parses to the same structure.
import { expect } from 'chai';
import fc from 'fast-check';
import { IRParseError } from '../../src/errors.js';
import {
  parseSource,
  printModuleSource,
  type SourceModule,
} from '../../src/serialization/torchscript/index.js';
import { fixtureCodeFiles, structure } from './torchscript-test-helpers.js';

/** Parses and checks the contract: an AST that round-trips through the printer, or a well-formed TS_SYNTAX error. */
function checkContract(text: string): SourceModule | IRParseError {
  let result: SourceModule | IRParseError;
  try {
    result = parseSource(text, 'fuzz.py');
  } catch (error) {
    if (!(error instanceof IRParseError)) throw error;
    expect(error.code).to.equal('TS_SYNTAX');
    const lines = text.split(/\r\n|\r|\n/).length;
    expect(error.location.line).to.be.within(1, lines + 1);
    expect(error.location.column).to.be.at.least(1);
    expect(error.message.startsWith(`fuzz.py:${error.location.line}:${error.location.column}: `)).to.equal(
      true,
    );
    return error;
  }
  const printed = printModuleSource(result);
  const again = parseSource(printed, 'fuzz.py');
  expect(structure(again.body), printed).to.equal(structure(result.body));
  return result;
}

/** Multiplies every run count (TSFREEZE_FUZZ_SCALE=50 for a long local campaign). */
const SCALE = Math.max(1, Number(process.env['TSFREEZE_FUZZ_SCALE'] ?? '1') || 1);

const VOCABULARY = [
  'def ',
  'class ',
  'f',
  'x',
  'self',
  'Tensor',
  'torch',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  '=',
  '==',
  '+',
  '-',
  '*',
  '**',
  '//',
  '->',
  '...',
  '@',
  ';',
  '~',
  '<',
  'not ',
  ' is ',
  ' in ',
  'and ',
  'or ',
  ' if ',
  ' else ',
  'return ',
  'pass',
  'for ',
  'while ',
  'None',
  'True',
  '1',
  '0x1F',
  '1e-05',
  '100.',
  '"s"',
  "'t'",
  '"\\n"',
  '\n',
  '  ',
  '    ',
  '\t',
  '#c\n',
  '\\\n',
  '\r\n',
  'lambda',
  'import ',
  'from ',
  'annotate(List[int], [])',
  'Optional[Tensor]',
  'x : int = 1\n',
];

const STATEMENTS = [
  'x = 1',
  'a, b, = f(x, )',
  'return (a, b)',
  'if x:',
  'else:',
  'for i in range(3):',
  'while c:',
  'pass',
  'break',
  'def g(self: T, y: int=2) -> int:',
  'y = torch.add(x, CONSTANTS.c0)',
  'ops.prim.RaiseException("boom")',
  'z = x[1:-1:2, None]',
  'del d["k"]',
  'assert x, "m"',
  'i += 1',
  'q = a if b else c',
  'r = [1, 2, ]',
  'with _0:',
  'k, v = d[i]',
  'y : Optional[int] = None',
  'return',
];

describe('torchscript source: fuzzing', function () {
  this.timeout(120_000);

  it('random strings (any code point) give an AST or a TS_SYNTAX error', function () {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => void checkContract(text)),
      { numRuns: 400 * SCALE },
    );
  });

  it('token soup gives an AST or a TS_SYNTAX error', function () {
    const soup = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(soup, (text) => void checkContract(text)),
      { numRuns: 600 * SCALE },
    );
  });

  it('random function bodies with plausible indentation parse, and round-trip through the printer', function () {
    // Each line goes one level deeper after a ':' line, else back out by a random amount.
    const items = fc.array(fc.tuple(fc.constantFrom(...STATEMENTS), fc.nat(2)), {
      minLength: 1,
      maxLength: 14,
    });
    const program = items.map((list) => {
      const lines = ['def f(x: Tensor) -> Tensor:'];
      let depth = 1;
      let opened = false;
      for (const [statement, back] of list) {
        depth = opened ? depth + 1 : Math.max(1, depth - back);
        lines.push('  '.repeat(depth) + statement);
        opened = statement.endsWith(':');
      }
      if (opened) lines.push('  '.repeat(depth + 1) + 'pass');
      return lines.join('\n');
    });
    let parsed = 0;
    fc.assert(
      fc.property(program, (text) => {
        if (!(checkContract(text) instanceof IRParseError)) parsed++;
      }),
      { numRuns: 600 * SCALE },
    );
    // The generator is only useful if a fair share of programs are valid.
    expect(parsed).to.be.greaterThan(100);
  });

  it('mutated real sources give an AST or a TS_SYNTAX error', function () {
    const files = fixtureCodeFiles()
      .filter((_, i) => i % 3 === 0)
      .map((f) => f.text);
    const mutation = fc.oneof(
      fc.record({
        op: fc.constant('delete' as const),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 40 }),
      }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), chunk: fc.constantFrom(...VOCABULARY) }),
      fc.record({
        op: fc.constant('char' as const),
        at: fc.nat(),
        chunk: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
      }),
      fc.record({ op: fc.constant('line' as const), at: fc.nat(), length: fc.integer({ min: 0, max: 1 }) }),
    );
    const mutated = fc
      .tuple(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([source, edits]) => {
        let text = source;
        for (const edit of edits) {
          const at = text.length === 0 ? 0 : edit.at % text.length;
          if (edit.op === 'delete') text = text.slice(0, at) + text.slice(at + edit.length);
          else if (edit.op === 'insert') text = text.slice(0, at) + edit.chunk + text.slice(at);
          else if (edit.op === 'char') text = text.slice(0, at) + edit.chunk + text.slice(at + 1);
          else {
            // Duplicate or drop a whole line: keeps the layout plausible so parsing gets further.
            const lines = text.split('\n');
            const i = lines.length === 0 ? 0 : edit.at % lines.length;
            if (edit.length === 0) lines.splice(i, 1);
            else lines.splice(i, 0, lines[i] ?? '');
            text = lines.join('\n');
          }
        }
        return text;
      });
    let errors = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        if (checkContract(text) instanceof IRParseError) errors++;
      }),
      { numRuns: 500 * SCALE },
    );
    expect(errors).to.be.greaterThan(50);
  });
});
