// Shared helpers for the TorchScript source parser tests: the code files of every fixture archive,
// structure without source ranges, and asserting TS_SYNTAX errors at a line:col.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { IRParseError } from '../../src/errors.js';
import {
  parseSource,
  type ComprehensionClause,
  type Expr,
  type Slice,
  type Stmt,
} from '../../src/serialization/torchscript/index.js';

/** test/fixtures, found from the compiled file (dist/test/serialization/*.js). */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** One TorchScript source file: a `code/**.py` entry of a fixture archive or a fixture's code.py. */
export interface CodeFile {
  /** `case/module.pt:module/code/__torch__.py` or `case/code.py`. */
  readonly name: string;
  readonly text: string;
}

let cached: CodeFile[] | undefined;

/** Every code file of every fixture: archive entries (unzipped in memory) and the printed code*.py files. */
export function fixtureCodeFiles(): CodeFile[] {
  if (cached !== undefined) return cached;
  const files: CodeFile[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const caseName of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, caseName);
    for (const archive of ['module.pt', 'frozen.pt']) {
      const path = join(dir, archive);
      if (!existsSync(path)) continue;
      const entries = unzipSync(readFileSync(path), { filter: (file) => /\/code\/.*\.py$/.test(file.name) });
      for (const entry of Object.keys(entries).sort()) {
        files.push({ name: `${caseName}/${archive}:${entry}`, text: decoder.decode(entries[entry]) });
      }
    }
    if (!existsSync(join(dir, 'case.json'))) continue;
    for (const file of readdirSync(dir).sort()) {
      if (/code\.py$/.test(file))
        files.push({ name: `${caseName}/${file}`, text: readFileSync(join(dir, file), 'utf8') });
    }
  }
  cached = files;
  return files;
}

/** JSON of a node without source ranges, module text and file name (bigints as `123n`), for structural equality. */
export function structure(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => {
    if (key === 'range' || key === 'text' || key === 'file') return undefined;
    return typeof value === 'bigint' ? `${value}n` : value;
  });
}

/** Parses `text` and returns it as plain data without ranges (for deep-equal assertions). */
export function parsePlain(text: string): unknown {
  return JSON.parse(structure(parseSource(text, 'test.py').body)) as unknown;
}

/** Asserts that parsing `text` fails with TS_SYNTAX at `line:col` and a message containing `words`. */
export function expectSyntaxError(
  text: string,
  line: number,
  column: number,
  ...words: string[]
): IRParseError {
  let caught: unknown;
  try {
    parseSource(text, 'bad.py');
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a syntax error for ${JSON.stringify(text)}`).to.be.instanceOf(IRParseError);
  const error = caught as IRParseError;
  expect(error.code).to.equal('TS_SYNTAX');
  expect(error.location, error.message).to.deep.equal({ file: 'bad.py', line, column });
  expect(error.message.startsWith(`bad.py:${line}:${column}: `), error.message).to.equal(true);
  for (const word of words) expect(error.message).to.include(word);
  return error;
}

/** Compact prefix form of an expression for readable assertions: `(+ a (* b c))`, `(call f x k=1)`. */
export function sexpr(e: Expr | Slice): string {
  switch (e.kind) {
    case 'Name':
      return e.id;
    case 'Int':
      return `${e.value}`;
    case 'Float':
      return `f${e.value}`;
    case 'String':
      return JSON.stringify(e.value);
    case 'Bool':
      return e.value ? 'True' : 'False';
    case 'None':
      return 'None';
    case 'Ellipsis':
      return '...';
    case 'Attribute':
      return `(. ${sexpr(e.value)} ${e.attr})`;
    case 'Call':
      return `(call ${[e.func, ...e.args]
        .map(sexpr)
        .concat(e.keywords.map((k) => `${k.name}=${sexpr(k.value)}`))
        .join(' ')})`;
    case 'Subscript':
      return `([] ${[e.value, ...e.indices].map(sexpr).join(' ')})`;
    case 'Slice':
      return `(: ${[e.lower, e.upper, e.step].map((x) => (x === null ? '_' : sexpr(x))).join(' ')})`;
    case 'List':
      return `[${e.elements.map(sexpr).join(' ')}]`;
    case 'Tuple':
      return `(tuple${e.elements.map((x) => ' ' + sexpr(x)).join('')})`;
    case 'Dict':
      return `{${e.entries.map((d) => `${sexpr(d.key)}:${sexpr(d.value)}`).join(' ')}}`;
    case 'ListComp':
      return `(listcomp ${sexpr(e.element)}${clauses(e.clauses)})`;
    case 'DictComp':
      return `(dictcomp ${sexpr(e.key)}:${sexpr(e.value)}${clauses(e.clauses)})`;
    case 'UnaryOp':
      return `(${e.op} ${sexpr(e.operand)})`;
    case 'BinaryOp':
    case 'BoolOp':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'Compare':
      return `(${[sexpr(e.left), ...e.comparisons.map((c) => `${c.op} ${sexpr(c.right)}`)].join(' ')})`;
    case 'Ternary':
      return `(if ${sexpr(e.condition)} ${sexpr(e.whenTrue)} ${sexpr(e.whenFalse)})`;
  }
}

function clauses(list: readonly ComprehensionClause[]): string {
  return list
    .map(
      (c) => ` (for ${sexpr(c.target)} ${sexpr(c.iter)}${c.conditions.map((x) => ' ' + sexpr(x)).join('')})`,
    )
    .join('');
}

/** Parses `text` as the body of a function and returns its statements. */
export function parseBody(text: string): readonly Stmt[] {
  const indented = text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  const module = parseSource(`def f():\n${indented}\n`, 'test.py');
  const def = module.body[0];
  if (def?.kind !== 'FunctionDef') throw new Error('expected a function');
  return def.body;
}

/** Parses one expression (as an expression statement in a function body). */
export function parseExpr(text: string): Expr {
  const statement = parseBody(text)[0];
  if (statement?.kind !== 'ExprStmt')
    throw new Error(`expected an expression statement, got ${statement?.kind}`);
  return statement.value;
}
