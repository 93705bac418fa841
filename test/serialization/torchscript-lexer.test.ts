// Lexer of TorchScript source: layout tokens (NEWLINE/INDENT/DEDENT), numbers, strings, operators and positions.
import { expect } from 'chai';
import { tokenize, type Token } from '../../src/serialization/torchscript/index.js';

/** `kind:text` per token, layout tokens by kind only. */
function kinds(text: string): string[] {
  return tokenize(text, 't.py').map((t: Token) =>
    ['newline', 'indent', 'dedent', 'eof'].includes(t.kind) ? t.kind.toUpperCase() : `${t.kind}:${t.text}`,
  );
}

/** The tokens of `source` must be `expected`, space-separated `kind:text` entries (none of them holds a space). */
function expectTokens(source: string, expected: string): void {
  expect(kinds(source)).to.deep.equal(expected.split(' '));
}

describe('torchscript source: lexer', function () {
  it('emits INDENT/DEDENT around blocks and NEWLINE per logical line', function () {
    expectTokens(
      'def f():\n  if x:\n    pass\n  return\n',
      'keyword:def name:f op:( op:) op:: NEWLINE INDENT keyword:if name:x op:: NEWLINE INDENT keyword:pass NEWLINE DEDENT keyword:return NEWLINE DEDENT EOF',
    );
  });

  it('closes several blocks at once and at end of file without a final newline', function () {
    expectTokens(
      'class A:\n  def f():\n    if x:\n      pass\nclass B:\n  pass',
      'keyword:class name:A op:: NEWLINE INDENT keyword:def name:f op:( op:) op:: NEWLINE INDENT keyword:if name:x op:: NEWLINE INDENT keyword:pass NEWLINE DEDENT DEDENT DEDENT keyword:class name:B op:: NEWLINE INDENT keyword:pass NEWLINE DEDENT EOF',
    );
  });

  it('ignores blank lines, comment lines, comments and newlines inside brackets', function () {
    expectTokens(
      'x = f(1,\n      2)  # trailing\n\n   # indented comment\n\ny = [\n]\n',
      'name:x op:= name:f op:( int:1 op:, int:2 op:) NEWLINE name:y op:= op:[ op:] NEWLINE EOF',
    );
  });

  it('joins lines ending in a backslash and accepts CRLF and CR line ends', function () {
    expectTokens(
      'x = 1 + \\\n  2\r\ny = 3\rz = 4',
      'name:x op:= int:1 op:+ int:2 NEWLINE name:y op:= int:3 NEWLINE name:z op:= int:4 NEWLINE EOF',
    );
  });

  it('counts a tab as indentation up to the next multiple of 8', function () {
    expectTokens(
      'if x:\n\tpass\n        pass\n',
      'keyword:if name:x op:: NEWLINE INDENT keyword:pass NEWLINE keyword:pass NEWLINE DEDENT EOF',
    );
  });

  it('lexes numbers: ints (hex/octal/binary/underscores), floats (100., .5, 1e-05, 1E+5)', function () {
    expectTokens(
      '9223372036854775807 0x1F 0o17 0b101 1_000 0 00 100. .5 1e-05 1E+5 0.10000000000000001 1.e3',
      'int:9223372036854775807 int:0x1F int:0o17 int:0b101 int:1_000 int:0 int:00 float:100. float:.5 float:1e-05 float:1E+5 float:0.10000000000000001 float:1.e3 NEWLINE EOF',
    );
  });

  it('takes the longest operator and tells keywords from names', function () {
    expectTokens(
      'a //= b ** -c -> ... != x.y not_a is not None',
      'name:a op://= name:b op:** op:- name:c op:-> op:... op:!= name:x op:. name:y name:not_a keyword:is keyword:not keyword:None NEWLINE EOF',
    );
  });

  it('decodes string escapes, raw strings and triple-quoted strings', function () {
    const values = tokenize(
      String.raw`"a\'b\"c" 'x\ny\t' "\\ \x41\101\u00e9\U0001F600 \q" r"\n\"" """l1
l2"""`,
      't.py',
    )
      .filter((t) => t.kind === 'string')
      .map((t) => t.value);
    expect(values).to.deep.equal([`a'b"c`, 'x\ny\t', '\\ AAé\u{1F600} \\q', '\\n\\"', 'l1\nl2']);
  });

  it('records 1-based positions, with end columns just past the token', function () {
    const tokens = tokenize('def f():\n  return "a\\"b"\n', 't.py');
    const ret = tokens.find((t) => t.text === 'return');
    const str = tokens.find((t) => t.kind === 'string');
    expect(ret).to.include({ line: 2, column: 3, endLine: 2, endColumn: 9 });
    expect(str).to.include({ line: 2, column: 10, endLine: 2, endColumn: 16, text: '"a\\"b"', value: 'a"b' });
    const multi = tokenize('x = """a\nbc"""\n', 't.py').find((t) => t.kind === 'string');
    expect(multi).to.include({ line: 1, column: 5, endLine: 2, endColumn: 6 });
  });

  it('accepts Unicode identifiers and skips a leading byte order mark', function () {
    expectTokens('\uFEFFtaille_é = größe\n', 'name:taille_é op:= name:größe NEWLINE EOF');
    expect(tokenize('\uFEFFx = 1', 't.py')[0]).to.include({ line: 1, column: 1 });
  });
});
