// Malformed IR text: every case throws IRParseError (code IR_PARSE) at the right file:line:col, with the
// offending line and a caret under the column.

import { expect } from 'chai';
import fc from 'fast-check';
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

const G = 'graph(%x : Tensor):\n';
const RET = '  return (%x)\n';

const CASES: readonly Case[] = [
  { what: 'empty input', text: '', line: 1, col: 1, says: ['empty input'] },
  {
    what: 'only blank lines and comments',
    text: '\n  \n# nothing\n',
    line: 4,
    col: 1,
    says: ['empty input'],
  },
  {
    what: 'no graph header',
    text: 'grph(%x : Tensor):\n' + RET,
    line: 1,
    col: 1,
    says: ["expected 'graph(...):'"],
  },
  {
    what: 'a use before its definition',
    text: G + '  %a : Tensor = aten::relu(%b)\n  %b : Tensor = aten::relu(%x)\n' + RET,
    line: 2,
    col: 28,
    says: ['undefined value %b'],
  },
  {
    what: 'a redefinition',
    text: G + '  %a : Tensor = aten::relu(%x)\n  %a : Tensor = aten::neg(%x)\n' + RET,
    line: 3,
    col: 3,
    says: ['redefinition', '%a'],
  },
  {
    what: 'a redefinition of a graph input',
    text: 'graph(%x : Tensor,\n      %x : int):\n' + RET,
    line: 2,
    col: 7,
    says: ['redefinition', '%x'],
  },
  {
    what: 'an unclosed input list',
    text: G + '  %a : Tensor = aten::relu(%x\n' + RET,
    line: 2,
    col: 30,
    says: ["expected ',' or ')'", 'end of line'],
  },
  {
    what: 'unbalanced attribute brackets',
    text: G + '  %a : int = prim::Constant[value=1()\n' + RET,
    line: 2,
    col: 36,
    says: ["expected ',' or ']'"],
  },
  {
    what: 'an unbalanced tuple type',
    text: G + '  %a : (int, str = prim::TupleConstruct(%x)\n' + RET,
    line: 2,
    col: 18,
    says: ["expected ',' or ')'"],
  },
  {
    what: 'an unknown type',
    text: 'graph(%x : Tensr):\n' + RET,
    line: 1,
    col: 12,
    says: ["unknown type 'Tensr'"],
  },
  {
    what: 'a bad tensor type',
    text: 'graph(%x : Float(2, strides=[1, 1])):\n' + RET,
    line: 1,
    col: 17,
    says: ['strides has 2 entries for 1 sizes'],
  },
  {
    what: "a missing '='",
    text: G + '  %a : Tensor aten::relu(%x)\n' + RET,
    line: 2,
    col: 15,
    says: ["expected '='", "'aten::relu'"],
  },
  {
    what: 'an output without a type',
    text: G + '  %a = aten::relu(%x)\n' + RET,
    line: 2,
    col: 6,
    says: ['every output needs a type'],
  },
  {
    what: 'an unterminated string',
    text: G + '  %a : str = prim::Constant[value="abc]()\n' + RET,
    line: 2,
    col: 35,
    says: ['unterminated string'],
  },
  {
    what: 'a bad escape in a string',
    text: G + '  %a : str = prim::Constant[value="a\\qb"]()\n' + RET,
    line: 2,
    col: 37,
    says: ["bad escape '\\q'"],
  },
  {
    what: "a value that does not fit the constant's type",
    text: G + '  %a : int = prim::Constant[value="x"]()\n' + RET,
    line: 2,
    col: 35,
    says: ['bad attribute value', 'int'],
  },
  {
    what: 'a float where an int constant is expected',
    text: G + '  %a : int = prim::Constant[value=1.5]()\n' + RET,
    line: 2,
    col: 35,
    says: ['expected an integer for type int'],
  },
  {
    what: 'an integer beyond int64',
    text: G + '  %a : int = prim::Constant[value=9223372036854775808]()\n' + RET,
    line: 2,
    col: 35,
    says: ['out of the int64 range'],
  },
  {
    what: 'an attribute value that is not a value',
    text: G + '  %a : Tensor = aten::foo[alpha=@](%x)\n' + RET,
    line: 2,
    col: 33,
    says: ['bad attribute value'],
  },
  {
    what: 'an attribute given twice',
    text: G + '  %a : Tensor = aten::foo[n=1, n=2](%x)\n' + RET,
    line: 2,
    col: 32,
    says: ["attribute 'n' given twice"],
  },
  {
    what: 'a block body not indented under its header',
    text:
      G +
      '  %c : bool = prim::Constant[value=1]()\n  %y : Tensor = prim::If(%c)\n    block0():\n    -> (%x)\n    block1():\n      -> (%x)\n' +
      RET,
    line: 5,
    col: 5,
    says: ['wrong indentation', 'more than 4 spaces'],
  },
  {
    what: 'a node indented deeper than its neighbours',
    text: G + '  %a : Tensor = aten::relu(%x)\n    %b : Tensor = aten::relu(%a)\n' + RET,
    line: 3,
    col: 5,
    says: ['wrong indentation', "only 'block0(...):'"],
  },
  {
    what: "a block that ends without '->'",
    text:
      G +
      '  %c : bool = prim::Constant[value=1]()\n  %y : Tensor = prim::If(%c)\n    block0():\n      %z : Tensor = aten::neg(%x)\n' +
      RET,
    line: 6,
    col: 3,
    says: ['wrong indentation', "must end with '-> (...)'"],
  },
  {
    what: 'a missing return',
    text: G + '  %a : Tensor = aten::relu(%x)\n',
    line: 3,
    col: 1,
    says: ["missing 'return (...)'"],
  },
  { what: "'->' outside a block", text: G + '  -> (%x)\n', line: 2, col: 3, says: ["'->' outside a block"] },
  {
    what: "'return' inside a block",
    text:
      G +
      '  %c : bool = prim::Constant[value=1]()\n  %y : Tensor = prim::If(%c)\n    block0():\n      return (%x)\n',
    line: 5,
    col: 7,
    says: ["'return' inside a block"],
  },
  {
    what: 'trailing garbage after return',
    text: G + RET + '  %a : Tensor = aten::relu(%x)\n',
    line: 3,
    col: 3,
    says: ["unexpected text after the graph's return"],
  },
  {
    what: 'trailing garbage on a node line',
    text: G + '  %a : Tensor = aten::relu(%x) extra\n' + RET,
    line: 2,
    col: 32,
    says: ['expected end of line after aten::relu(...)', "'extra'"],
  },
  {
    what: 'a value used after its block ended',
    text:
      G +
      '  %c : bool = prim::Constant[value=1]()\n  %y : Tensor = prim::If(%c)\n    block0():\n      %z : Tensor = aten::neg(%x)\n      -> (%z)\n    block1():\n      -> (%x)\n  return (%z)\n',
    line: 9,
    col: 11,
    says: ['%z', 'block that has ended'],
  },
  {
    what: 'a node using its own output inside its block',
    text:
      G +
      '  %c : bool = prim::Constant[value=1]()\n  %y : Tensor = prim::If(%c)\n    block0():\n      -> (%y)\n    block1():\n      -> (%x)\n' +
      RET,
    line: 5,
    col: 11,
    says: ['%y', 'blocks of the node that produces it'],
  },
  {
    what: 'blocks out of order',
    text:
      G +
      '  %c : bool = prim::Constant[value=1]()\n  %y : Tensor = prim::If(%c)\n    block1():\n      -> (%x)\n' +
      RET,
    line: 4,
    col: 5,
    says: ['expected block0'],
  },
  {
    what: 'a block header with no node',
    text: G + '  block0():\n' + RET,
    line: 2,
    col: 3,
    says: ['block header without a node'],
  },
  {
    what: 'a tab in the indentation',
    text: G + '\t%a : Tensor = aten::relu(%x)\n' + RET,
    line: 2,
    col: 1,
    says: ['tab in indentation'],
  },
  {
    what: 'a missing operator kind',
    text: G + '  %a : Tensor = relu(%x)\n' + RET,
    line: 2,
    col: 17,
    says: ['expected an operator kind'],
  },
  {
    what: 'a tensor table that disagrees with the type',
    text:
      G +
      '  %t : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1.0000  2.0000 [ CPUFloatType{2} ]]()\n' +
      RET,
    line: 2,
    col: 82,
    says: ['shape [2]', 'output type says [3]'],
  },
  {
    what: 'a lossless tensor with the wrong number of bytes',
    text: G + '  %t : Tensor = prim::Constant[value=tensor<Float(2)>"AAAAAA=="]()\n' + RET,
    line: 2,
    col: 54,
    says: ['needs 8 bytes of data, found 4'],
  },
  {
    what: 'a lossy tensor where the lossless style is required',
    text: G + '  %t : Tensor = prim::Constant[value=<Tensor>]()\n' + RET,
    line: 2,
    col: 38,
    says: ["tensorStyle 'lossless'"],
  },
  {
    what: 'a dangling comma in the outputs',
    text: G + '  %a : Tensor, = aten::relu(%x)\n' + RET,
    line: 2,
    col: 16,
    says: ["expected another output '%name : type'"],
  },
];

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
