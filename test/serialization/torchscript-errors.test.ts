// Syntax errors in TorchScript source: TS_SYNTAX IRParseErrors at the right line:col with the offending
// line and a caret, for layout, lexical, grammar and unsupported-construct mistakes, and nesting limits.
import { expect } from 'chai';
import { parseSource } from '../../src/serialization/torchscript/index.js';
import { expectSyntaxError } from './torchscript-test-helpers.js';

describe('torchscript source: syntax errors', function () {
  it('shows file:line:col, the offending line and a caret under the column', function () {
    const error = expectSyntaxError('def f():\n  x = 1 $ 2\n', 2, 9, "unexpected character '$'");
    expect(error.message).to.equal("bad.py:2:9: unexpected character '$'\n  x = 1 $ 2\n        ^");
  });

  describe('layout', function () {
    it('unexpected indent', function () {
      expectSyntaxError('class M(Module):\n  x : int\n    y : int\n', 3, 5, 'unexpected indent');
    });
    it('unindent that matches no outer level', function () {
      expectSyntaxError(
        'def f():\n    x = 1\n  y = 2\n',
        3,
        3,
        'unindent does not match any outer indentation level',
      );
    });
    it('missing indented block', function () {
      expectSyntaxError(
        'def f():\npass\n',
        2,
        1,
        'expected an indented block after the function definition',
        'line 1',
      );
    });
    it('indented first line', function () {
      expectSyntaxError('  import torch\n', 1, 3, 'unexpected indent');
    });
    it('else without if', function () {
      expectSyntaxError('def f():\n  else:\n    pass\n', 2, 3, "'else' without a matching 'if'");
    });
  });

  describe('lexical', function () {
    it('unterminated string', function () {
      expectSyntaxError('def f():\n  x = "abc\n', 2, 7, 'unterminated string literal');
    });
    it('unterminated triple-quoted string', function () {
      expectSyntaxError('x = """abc\n\n', 1, 5, 'unterminated triple-quoted string literal');
    });
    it('bracket never closed', function () {
      expectSyntaxError('def f():\n  x = foo(1,\n  y = 2\n', 2, 10, "'(' was never closed");
    });
    it('mismatched closing bracket', function () {
      expectSyntaxError(
        'def f():\n  x = [1, 2)\n',
        2,
        12,
        "closing ')' does not match opening '['",
        'line 2, column 7',
      );
    });
    it('unmatched closing bracket', function () {
      expectSyntaxError('def f():\n  x = 1)\n', 2, 8, "unmatched ')'");
    });
    it('invalid number literals', function () {
      expectSyntaxError('def f():\n  x = 1abc\n', 2, 7, "invalid number literal '1a'");
      expectSyntaxError('def f():\n  x = 012\n', 2, 7, 'leading zeros');
      expectSyntaxError('def f():\n  x = 1j\n', 2, 7, 'complex literals are not supported');
    });
    it('truncated escapes and unsupported string prefixes', function () {
      expectSyntaxError('x = "ab\\x4"\n', 1, 8, 'truncated \\x escape');
      expectSyntaxError('x = b"ab"\n', 1, 5, 'bytes literals are not supported');
      expectSyntaxError('x = f"{a}"\n', 1, 5, 'f-strings are not supported');
    });
    it('stray backslash and control characters', function () {
      expectSyntaxError('x = 1 \\ 2\n', 1, 7, 'after line continuation');
      expectSyntaxError('x = 1\u0000\n', 1, 6, 'unexpected character U+0000');
    });
  });

  describe('grammar', function () {
    it('missing colon after a def header', function () {
      expectSyntaxError(
        'def f()\n  pass\n',
        1,
        8,
        "expected ':' after the header of the function definition 'f'",
        'found end of line',
      );
    });
    it('keyword where a name is expected', function () {
      expectSyntaxError('def class():\n  pass\n', 1, 5, 'expected a name', "keyword 'class'");
    });
    it('assignment to a call or literal', function () {
      expectSyntaxError('def f():\n  g() = 1\n', 2, 3, 'cannot assign to a function call');
      expectSyntaxError('def f():\n  a, 1 = x\n', 2, 6, 'cannot assign to a literal');
    });
    it('chained assignment', function () {
      expectSyntaxError('def f():\n  a = b = 1\n', 2, 9, 'chained assignment');
    });
    it('missing expression', function () {
      expectSyntaxError('def f():\n  x = \n', 2, 7, 'expected an expression', 'found end of line');
      expectSyntaxError('def f():\n  return x[]\n', 2, 12, 'expected an expression');
    });
    it('two expressions on one line', function () {
      expectSyntaxError(
        'def f():\n  x = 1 2\n',
        2,
        9,
        'expected end of line after the statement',
        'number 2',
      );
    });
    it('positional argument after a keyword, repeated keyword, unpacking', function () {
      expectSyntaxError('def f():\n  g(a=1, b)\n', 2, 10, 'positional argument follows keyword argument');
      expectSyntaxError('def f():\n  g(a=1, a=2)\n', 2, 10, "keyword argument 'a' repeated");
      expectSyntaxError('def f():\n  g(*xs)\n', 2, 5, 'argument unpacking');
    });
    it('bad parameter lists', function () {
      expectSyntaxError('def f(a, a):\n  pass\n', 1, 10, "duplicate parameter 'a'");
      expectSyntaxError(
        'def f(a=1, b):\n  pass\n',
        1,
        12,
        "parameter 'b' without a default follows a parameter with a default",
      );
      expectSyntaxError('def f(*args):\n  pass\n', 1, 7, 'variadic');
    });
    it('statements in the wrong place', function () {
      expectSyntaxError(
        'class A:\n  if x:\n    pass\n',
        2,
        3,
        "a 'if' statement is not allowed in a class body",
      );
      expectSyntaxError('foo()\n', 1, 1, 'an expression statement is not allowed at module level');
      expectSyntaxError('def f():\n  import torch\n', 2, 3, 'an import is not allowed inside a function');
      expectSyntaxError('def f():\n  x : int\n', 2, 3, 'only allowed in a class body');
      expectSyntaxError('class A:\n  self.x : int\n', 2, 3, 'must name a plain attribute');
    });
    it('malformed types', function () {
      expectSyntaxError('class A:\n  x : List[]\n', 2, 12, 'expected a type', "found ']'");
      expectSyntaxError('class A:\n  x : 3\n', 2, 7, 'expected a type', 'number 3');
      expectSyntaxError(
        'def f(x: List[int) -> int:\n  pass\n',
        1,
        18,
        "closing ')' does not match opening '['",
      );
    });
    it('constructs TorchScript does not have', function () {
      expectSyntaxError('def f():\n  g = lambda x: x\n', 2, 7, "'lambda' is not supported");
      expectSyntaxError('def f():\n  try:\n    pass\n', 2, 3, "'try' is not supported");
      expectSyntaxError('def f():\n  x = (a for a in b)\n', 2, 10, 'generator expressions are not supported');
      expectSyntaxError('def f():\n  x = {1, 2}\n', 2, 9, 'set literals are not supported');
      expectSyntaxError(
        'def f():\n  for x in y:\n    pass\n  else:\n    pass\n',
        4,
        3,
        "'for ... else' is not supported",
      );
      expectSyntaxError('from . import x\n', 1, 6, 'relative imports are not supported');
    });
  });

  describe('nesting limits (no stack overflow on hostile input)', function () {
    it('accepts 90 nested brackets and rejects 300 at the 101st', function () {
      expect(
        parseSource(`def f():\n  x = ${'('.repeat(90)}1${')'.repeat(90)}\n`, 'ok.py').body,
      ).to.have.length(1);
      expectSyntaxError(
        `def f():\n  x = ${'['.repeat(300)}${']'.repeat(300)}\n`,
        2,
        107,
        'too many nested brackets',
      );
    });
    it('rejects long unary chains, deep blocks and long operator chains', function () {
      // The function's block is one level, so the 100th '-' (column 7 + 99) is one too many.
      expectSyntaxError(`def f():\n  x = ${'-'.repeat(5000)}1\n`, 2, 106, 'too deeply nested');
      expectSyntaxError(`def f():\n  x = ${'not '.repeat(300)}1\n`, 2, 403, 'too deeply nested');
      const deep = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}if x:`).join('\n');
      expectSyntaxError(`def f():\n${deep}\n`, 102, 102, 'too deeply nested');
      expectSyntaxError(`def f():\n  x = 1${' + 1'.repeat(600)}\n`, 2, 2009, 'expression too long');
    });
    it('parses input at the nesting limit without running out of stack, even from a deep caller', function () {
      // 24 x 4 levels (unary, bracket, unary, bracket) + the block: just under the limit of 100.
      const text = `def f():\n  x = ${'-(-['.repeat(24)}1${'])'.repeat(24)}\n`;
      const recurse = (n: number): number =>
        n === 0 ? parseSource(text, 'ok.py').body.length : recurse(n - 1);
      expect(recurse(2000)).to.equal(1);
      expectSyntaxError(
        `def f():\n  x = ${'-(-['.repeat(25)}1${'])'.repeat(25)}\n`,
        2,
        106,
        'too deeply nested',
      );
    });
  });
});
