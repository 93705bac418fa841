// Turns a test/passes/*.ir file into mocha tests: cases split by `// -----`, each parsed, run through
// the file's `// RUN: <pipeline>` (or the case's own) with verify-each on, printed and FileCheck-ed.
// A case may instead expect an error: `// EXPECT-ERROR: CODE [words the message contains]`.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Container, ContainerModule } from 'inversify';
import { builtinPassesModule } from '../../passes/index.js';
import {
  BufferSink,
  createContainer,
  runPipeline,
  TsFreezeError,
  type OptionLiteral,
} from '../../src/index.js';
import { parseIR } from '../../src/ir/text/index.js';
import { FileCheckError, fileCheck, parseDirectives, type Directive } from './filecheck.js';

/** One `// -----` case of an .ir file. */
export interface IRCase {
  /** The case's first plain comment line: what it shows. */
  readonly title: string;
  /** 1-based line of the case's first line in the file. */
  readonly line: number;
  /** The IR with comment lines blanked (so parse errors keep the file's line numbers). */
  readonly ir: string;
  readonly run: string | undefined;
  readonly checks: readonly Directive[];
  readonly expectError: { readonly code: string; readonly words: readonly string[] } | undefined;
  /** `// OPTION: name=value` lines: pipeline options for this case. */
  readonly options: Readonly<Record<string, OptionLiteral>>;
}

/** The repository root (dist/test/support -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const DIRECTIVE_LINE = /^\s*\/\/\s*(RUN|EXPECT-ERROR|OPTION|CHECK[A-Z0-9-]*):/;

/** Splits .ir text into cases; the file-level RUN line (in the first case) applies to every case. */
export function splitIRCases(text: string): IRCase[] {
  const lines = text.split('\n');
  const chunks: { start: number; lines: string[] }[] = [{ start: 0, lines: [] }];
  lines.forEach((l, i) => {
    if (/^\s*\/\/\s*-----\s*$/.test(l)) chunks.push({ start: i + 1, lines: [] });
    else chunks[chunks.length - 1].lines.push(l);
  });
  let fileRun: string | undefined;
  const cases: IRCase[] = [];
  chunks.forEach((chunk, index) => {
    const body = chunk.lines.join('\n');
    const runs = chunk.lines
      .map((l) => /^\s*\/\/\s*RUN:(.*)$/.exec(l)?.[1].trim())
      .filter((r): r is string => r !== undefined);
    if (index === 0 && runs.length) fileRun = runs[0];
    const hasIR = chunk.lines.some((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    if (!hasIR) return;
    const title =
      chunk.lines
        .map((l) => /^\s*\/\/(.*)$/.exec(l)?.[1].trim())
        .find(
          (c): c is string =>
            c !== undefined && c !== '' && !DIRECTIVE_LINE.test(`//${c}`) && !/^[-=]+$/.test(c),
        ) ?? `case at line ${chunk.start + 1}`;
    const errorLine = chunk.lines
      .map((l) => /^\s*\/\/\s*EXPECT-ERROR:\s*(\S+)\s*(.*)$/.exec(l))
      .find((m) => m);
    const options: Record<string, OptionLiteral> = {};
    for (const l of chunk.lines) {
      const m = /^\s*\/\/\s*OPTION:\s*([A-Za-z_][\w-]*)=(.*)$/.exec(l);
      if (m) options[m[1]] = JSON.parse(m[2].trim()) as OptionLiteral;
    }
    const blanked = [
      ...Array<string>(chunk.start).fill(''),
      ...chunk.lines.map((l) => (l.trim().startsWith('//') ? '' : l)),
    ].join('\n');
    cases.push({
      title,
      line: chunk.start + 1,
      ir: blanked,
      run: runs[0] ?? fileRun,
      checks: parseDirectives(body),
      expectError: errorLine
        ? { code: errorLine[1], words: errorLine[2].split(/\s+/).filter(Boolean) }
        : undefined,
      options,
    });
  });
  return cases;
}

/** How to run the cases of a file. */
export interface IRFileOptions {
  /** Extra container modules (plugins, test passes) besides the built-in passes. */
  readonly modules?: readonly ContainerModule[];
  /** Builds the container instead of the default (built-ins, verify-each on, no reproducers). */
  readonly container?: () => Container;
}

/** Runs one case; throws (FileCheckError or assertion) when it fails. */
export function runIRCase(c: IRCase, file: string, options: IRFileOptions = {}): void {
  if (!c.run) throw new Error(`${file}:${c.line}: no // RUN: line for this case or the file`);
  if (!c.checks.length && !c.expectError)
    throw new Error(`${file}:${c.line}: case has no CHECK lines and no EXPECT-ERROR: it cannot fail`);
  const container =
    options.container?.() ??
    createContainer({
      output: new BufferSink(),
      instrumentation: { verifyEach: true, reproducer: false },
      modules: [builtinPassesModule, ...(options.modules ?? [])],
    });
  const graph = parseIR(c.ir, { file });
  let error: unknown;
  try {
    runPipeline(container, graph, c.run, { options: c.options });
  } catch (e) {
    error = e;
  }
  if (c.expectError) {
    expect(error, `${file}:${c.line}: expected error ${c.expectError.code}`).to.be.instanceOf(TsFreezeError);
    const e = error as TsFreezeError;
    expect(e.code, e.message).to.equal(c.expectError.code);
    for (const w of c.expectError.words) expect(e.message).to.include(w);
    return;
  }
  if (error) throw error;
  if (!c.checks.length) return;
  const printed = graph.toString();
  try {
    fileCheck(printed, c.checks);
  } catch (e) {
    if (e instanceof FileCheckError)
      throw new FileCheckError(`${file}:${c.line}: ${e.message}\n--- output of '${c.run}' ---\n${printed}`);
    throw e;
  }
}

/** Declares a mocha `describe` for an .ir file (a name under test/passes/, or a repo-relative path) with one `it` per case. */
export function describeIRFile(name: string, options: IRFileOptions = {}): void {
  const file = name.includes('/') ? name : `test/passes/${name}`;
  const cases = splitIRCases(readFileSync(`${REPO_ROOT}${file}`, 'utf8'));
  describe(`${name} (FileCheck)`, () => {
    it('has cases', () => expect(cases.length).to.be.greaterThan(0));
    for (const c of cases) it(`${c.title} [line ${c.line}]`, () => runIRCase(c, file, options));
  });
}
