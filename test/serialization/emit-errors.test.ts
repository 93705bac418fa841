// Compile errors of the emitter: each a typed IRParseError at the offending file:line:col, with a message
// that says what is wrong (TS_COMPILE), or names the construct it does not handle (TS_UNSUPPORTED).

import { expect } from 'chai';
import { IRParseError } from '../../src/errors.js';
import { compileSource } from './emit-test-helpers.js';

function compileError(source: string, name = 'f'): IRParseError {
  let caught: unknown;
  try {
    compileSource(source).function(name);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'a compile error').to.be.instanceOf(IRParseError);
  return caught as IRParseError;
}

function expectError(source: string, code: string, line: number, ...words: string[]): void {
  const error = compileError(source);
  expect(error.code, error.message).to.equal(code);
  expect(error.location.line, error.message).to.equal(line);
  expect(error.location.file).to.equal('test.pt:code/__torch__.py');
  for (const w of words) expect(error.message).to.include(w);
}

describe('emit: compile errors point at the source', () => {
  it('an undefined variable', () => {
    expectError('def f(x: int) -> int:\n  return y\n', 'TS_COMPILE', 2, 'undefined value y');
  });

  it('a variable assigned in one branch only, used after the if', () => {
    expectError(
      'def f(c: bool) -> int:\n  if c:\n    a = 1\n  else:\n    b = 2\n  return a\n',
      'TS_COMPILE',
      6,
      'a is not defined in the false branch',
    );
  });

  it('a variable given two types in the branches, then used', () => {
    expectError(
      'def f(c: bool, t: Tensor) -> int:\n  if c:\n    a = 1\n  else:\n    a = "s"\n  return a\n',
      'TS_COMPILE',
      6,
      'type mismatch',
      'int',
      'str',
    );
  });

  it('reassigning a variable of an outer block with another type', () => {
    expectError(
      'def f(c: bool) -> int:\n  a = 1\n  if c:\n    a = "s"\n  return a\n',
      'TS_COMPILE',
      4,
      "variable 'a' previously has type int",
    );
  });

  it('a return value that does not fit the annotation', () => {
    expectError(
      'def f(x: int) -> str:\n  return x\n',
      'TS_COMPILE',
      2,
      'annotated as having type str',
      'int',
    );
  });

  it('a function annotated with a value type that can fall off the end', () => {
    expectError(
      'def f(c: bool) -> int:\n  if c:\n    return 1\n',
      'TS_COMPILE',
      1,
      'does not return along all paths',
    );
  });

  it('an operator given arguments no overload accepts', () => {
    expectError('def f(x: Tensor) -> Tensor:\n  return torch.relu(x, x, x)\n', 'TS_COMPILE', 2, 'aten::relu');
  });

  it('an unknown operator', () => {
    expectError(
      'def f(x: Tensor) -> Tensor:\n  return torch.not_an_op(x)\n',
      'TS_COMPILE',
      2,
      'unknown builtin op: aten::not_an_op',
    );
  });

  it('an unknown type', () => {
    expectError('def f(x: Foo) -> int:\n  return 1\n', 'TS_COMPILE', 1, "unknown type name 'Foo'");
  });

  it('break outside a loop, and inside a loop over a tuple', () => {
    expectError('def f(x: int) -> int:\n  break\n  return x\n', 'TS_COMPILE', 2, "'break' outside loop");
    expectError(
      'def f(x: int, y: int) -> int:\n  for v in (x, y):\n    continue\n  return x\n',
      'TS_COMPILE',
      3,
      'unrolled',
    );
  });

  it('with statements whose item is not a context manager (as PyTorch words it)', () => {
    expectError(
      'def f(x: int) -> int:\n  with x:\n    pass\n  return x\n',
      'TS_COMPILE',
      2,
      'With item expression must return an object',
    );
    const cls = (exit: string): string =>
      `class C:\n  def __init__(self: __torch__.C) -> NoneType:\n    return None\n  def __enter__(self: __torch__.C) -> int:\n    return 1\n${exit}` +
      'def f(x: int) -> int:\n  c = __torch__.C.__new__(__torch__.C)\n  _0 = (c).__init__()\n  with c as v:\n    x = v\n  return x\n';
    expectError(cls(''), 'TS_COMPILE', 9, 'does not define __enter__ and __exit__');
    expectError(
      cls('  def __exit__(self: __torch__.C, a: Any, b: Any) -> NoneType:\n    return None\n'),
      'TS_COMPILE',
      11,
      '__exit__ must have four arguments',
    );
    expectError(
      cls('  def __exit__(self: __torch__.C, a: Any, b: int, c: Any) -> NoneType:\n    return None\n'),
      'TS_COMPILE',
      11,
      'argument 2 of __exit__ must have Any type',
    );
  });

  it('constructs the frontend does not handle say so', () => {
    expectError(
      'def f(x: int) -> int:\n  def g(y: int) -> int:\n    return y\n  return x\n',
      'TS_UNSUPPORTED',
      2,
      'closure',
    );
    expectError(
      'def f(xs: List[int]) -> List[int]:\n  return [v for v in xs if v > 0]\n',
      'TS_UNSUPPORTED',
      2,
      'comprehension',
    );
  });

  it('a syntax error is reported by the parser with TS_SYNTAX', () => {
    const error = compileError('def f(x: int) -> int:\n  return (x\n');
    expect(error.code).to.equal('TS_SYNTAX');
  });

  it('the message shows the offending line with a caret', () => {
    const error = compileError('def f(x: int) -> int:\n  return undefined_name + 1\n');
    expect(error.message).to.include('  return undefined_name + 1\n');
    expect(error.message).to.match(/\n {9}\^/);
  });
});
