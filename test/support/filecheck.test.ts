// Tests of the test tools: FileCheck directives and the .ir case runner.

import 'reflect-metadata';
import { expect } from 'chai';
import { FileCheckError, fileCheck, parseDirectives } from './filecheck.js';
import { runIRCase, splitIRCases } from './ir-case-runner.js';

const INPUT = [
  'graph(%x : Tensor):',
  '  %1 : int = prim::Constant[value=1]()',
  '  %y : Tensor = aten::add(%x, %x, %1)',
  '  %z : Tensor = aten::relu(%y)',
  '  return (%z)',
  '',
].join('\n');

function fails(checks: string, words: readonly string[], input = INPUT): void {
  let error: unknown;
  try {
    fileCheck(input, checks);
  } catch (e) {
    error = e;
  }
  expect(error, `expected FileCheck to fail on:\n${checks}`).to.be.instanceOf(FileCheckError);
  for (const w of words) expect((error as Error).message).to.include(w);
}

describe('FileCheck', () => {
  it('CHECK matches in order and fails out of order', () => {
    fileCheck(INPUT, '// CHECK: aten::add\n// CHECK: aten::relu');
    fails('// CHECK: aten::relu\n// CHECK: aten::add', [
      'CHECK: aten::add',
      'check line 2',
      'expected string not found',
    ]);
  });

  it('several CHECKs may match on one line, left to right', () => {
    fileCheck(INPUT, '// CHECK: %y\n// CHECK: aten::add\n// CHECK: %1)');
    fails('// CHECK: aten::add\n// CHECK: %y : Tensor = aten::add', ['not found']);
  });

  it('CHECK-NEXT must match on the following line', () => {
    fileCheck(INPUT, '// CHECK: prim::Constant\n// CHECK-NEXT: aten::add\n// CHECK-NEXT: aten::relu');
    fails('// CHECK: prim::Constant\n// CHECK-NEXT: aten::relu', [
      'CHECK-NEXT',
      'not on the line after',
      'input line 4',
    ]);
  });

  it('CHECK-SAME must match on the same line', () => {
    fileCheck(INPUT, '// CHECK: %y : Tensor\n// CHECK-SAME: aten::add(%x, %x, %1)');
    fails('// CHECK: %y : Tensor\n// CHECK-SAME: aten::relu', ['CHECK-SAME', 'same line']);
  });

  it('CHECK-NOT forbids text between the surrounding matches, and after the last', () => {
    fileCheck(INPUT, '// CHECK: prim::Constant\n// CHECK-NOT: aten::mul\n// CHECK: aten::relu');
    fails('// CHECK: prim::Constant\n// CHECK-NOT: aten::add\n// CHECK: aten::relu', [
      'CHECK-NOT',
      'excluded text found at input line 3',
    ]);
    fails('// CHECK: aten::add\n// CHECK-NOT: return', ['excluded', 'input line 5']);
    // Text before the range does not count.
    fileCheck(INPUT, '// CHECK: aten::relu\n// CHECK-NOT: prim::Constant');
  });

  it('CHECK-COUNT-n needs n matches in a row', () => {
    fileCheck(INPUT, '// CHECK-COUNT-2: %x\n// CHECK: aten::relu');
    fails('// CHECK-COUNT-4: Tensor', ['CHECK-COUNT-4', 'match 4 of 4']);
  });

  it('CHECK-LABEL confines the checks after it to its section', () => {
    const two = `${INPUT}graph(%a : int):\n  %b : int = aten::neg(%a)\n  return (%b)\n`;
    fileCheck(
      two,
      '// CHECK-LABEL: graph(%x\n// CHECK: aten::relu\n// CHECK-LABEL: graph(%a\n// CHECK: aten::neg',
    );
    fails('// CHECK-LABEL: graph(%q', ['label not found'], two);
    fails(
      '// CHECK-LABEL: graph(%x\n// CHECK: aten::neg\n// CHECK-LABEL: graph(%a',
      ['aten::neg', 'not found'],
      two,
    );
  });

  it('[[VAR:regex]] captures and [[VAR]] must match the same text later', () => {
    fileCheck(INPUT, '// CHECK: %[[C:[0-9]+]] : int = prim::Constant\n// CHECK: aten::add(%x, %x, %[[C]])');
    fails('// CHECK: %[[V:[a-z]+]] : Tensor = aten::add\n// CHECK: aten::relu(%[[V]]x)', ['not found']);
    fails('// CHECK: aten::relu(%[[NOPE]])', ['undefined variable [[NOPE]]']);
  });

  it('{{regex}} matches a regular expression; whitespace runs match any blanks', () => {
    fileCheck(INPUT, '// CHECK: %{{[a-z]}} : Tensor   =   aten::{{add|sub}}');
    fails('// CHECK: aten::{{mul|sub}}', ['not found']);
    fileCheck('took 0.0123 s', '// CHECK: took {{[0-9]+\\.[0-9]{4}}} s');
  });

  it('CHECK-DAG matches a group in any order', () => {
    fileCheck(INPUT, '// CHECK-DAG: aten::relu\n// CHECK-DAG: aten::add\n// CHECK: return');
    fails('// CHECK-DAG: aten::relu\n// CHECK-DAG: aten::mul', ['aten::mul', 'not found']);
  });

  it('CHECK-EMPTY needs an empty next line', () => {
    fileCheck('a\n\nb', '// CHECK: a\n// CHECK-EMPTY:\n// CHECK-NEXT: b');
    fails('// CHECK: graph\n// CHECK-EMPTY:', ['not empty']);
  });

  it('reports the nearest input line as a possible intended match', () => {
    fails('// CHECK: %z : Tensor = aten::reluu(%y)', ['possible intended match at input line 4']);
  });

  it('rejects misspelt directives, empty patterns and check files without directives', () => {
    expect(() => parseDirectives('// CHECK-NXET: x')).to.throw(
      FileCheckError,
      'unknown directive CHECK-NXET',
    );
    expect(() => parseDirectives('// CHECK:')).to.throw(FileCheckError, 'empty pattern');
    expect(() => fileCheck(INPUT, '// nothing here')).to.throw(FileCheckError, 'no CHECK directives');
  });

  it('takes another prefix', () => {
    const d = parseDirectives('// OK: aten::add\n// CHECK: not read', 'OK');
    expect(d).to.have.length(1);
    fileCheck(INPUT, d);
  });
});

describe('IR case runner', () => {
  const FILE = [
    '// RUN: dead-code-elimination',
    '',
    '// First: a dead relu goes.',
    'graph(%x : Tensor):',
    '  %y : Tensor = aten::relu(%x)',
    '  return (%x)',
    '// CHECK-NOT: aten::relu',
    '',
    '// -----',
    '// Second: its own pipeline, expecting an error.',
    '// RUN: no-such-pass',
    '// EXPECT-ERROR: UNKNOWN_PASS known passes',
    'graph(%x : Tensor):',
    '  return (%x)',
    '',
    '// -----',
    '// Third: a check that fails.',
    'graph(%x : Tensor):',
    '  return (%x)',
    '// CHECK: aten::relu',
    '// -----',
    '// Fourth: no checks at all.',
    'graph(%x : Tensor):',
    '  return (%x)',
  ].join('\n');

  it('splits cases, titles them, inherits the file RUN line and keeps line numbers', () => {
    const cases = splitIRCases(FILE);
    expect(cases.map((c) => c.title)).to.deep.equal([
      'First: a dead relu goes.',
      'Second: its own pipeline, expecting an error.',
      'Third: a check that fails.',
      'Fourth: no checks at all.',
    ]);
    expect(cases.map((c) => c.run)).to.deep.equal([
      'dead-code-elimination',
      'no-such-pass',
      'dead-code-elimination',
      'dead-code-elimination',
    ]);
    expect(cases.map((c) => c.line)).to.deep.equal([1, 10, 17, 22]);
    expect(cases[1].expectError).to.deep.equal({ code: 'UNKNOWN_PASS', words: ['known', 'passes'] });
    // Comment lines are blanked, so the IR keeps the file's line numbers.
    expect(cases[2].ir.split('\n')[17]).to.equal('graph(%x : Tensor):');
  });

  it('runs passing cases, expected errors, and fails with the file line on a failed check or an uncheckable case', () => {
    const [first, second, third, fourth] = splitIRCases(FILE);
    runIRCase(first, 'x.ir');
    runIRCase(second, 'x.ir');
    expect(() => runIRCase(third, 'x.ir')).to.throw(FileCheckError, 'x.ir:17');
    expect(() => runIRCase(fourth, 'x.ir')).to.throw(Error, 'cannot fail');
  });
});
