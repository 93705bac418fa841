// `tsfreeze opt FILE.ir --passes '<pipeline>'`: runs a pipeline on an IR file and prints the result,
// with the instrumentation flags, plugins (--plugin) and --list-passes. Mounted by src/cli/main.ts.
// Depends on the built-in passes (passes/), which is why it is not exported from src/pipeline/index.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { Container, ContainerModule } from 'inversify';
import { builtinPassesModule } from '../../passes/index.js';
import { PipelineError, TsFreezeError } from '../errors.js';
import { parseIR, printGraph } from '../ir/index.js';
import { createContainer, getPassManager, registerPasses } from './container.js';
import type { OptionDeclarations, OptionLiteral, PassClass } from './contracts.js';
import { getPassDeclaration } from './decorators.js';
import { unknownPassError } from './errors.js';
import type { InstrumentationOptions } from './instruments/instrument.js';
import { SinkLogger } from './logger.js';
import { defaultValue } from './options.js';
import { parsePipelineJson } from './pipeline-json.js';
import { parsePipelineText } from './pipeline-text.js';
import { isOptionRef } from './pipeline.js';
import type { PassRegistry } from './registry.js';

/** Where the command writes: stdout for the IR and listings, stderr for instruments and errors. */
export interface OptIO {
  out(text: string): void;
  err(text: string): void;
}

/** Extra setup for embedding: more container modules (named pipelines, passes). */
export interface OptSetup {
  readonly modules?: readonly ContainerModule[];
}

interface OptFlags {
  passes?: string;
  pipeline?: string;
  option: string[];
  printAfterAll?: boolean;
  printAfter: string[];
  printBeforeAll?: boolean;
  printBefore: string[];
  printChanged?: boolean;
  timePasses?: boolean;
  stats?: boolean;
  verifyEach?: boolean;
  optBisectLimit?: number;
  plugin: string[];
  listPasses?: boolean;
  reproducer: boolean;
  reproducerDir?: string;
  output?: string;
  lossless?: boolean;
  remarks?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parseLimit(value: string): number {
  if (!/^-?\d+$/.test(value))
    throw new PipelineError('BAD_OPTION', `--opt-bisect-limit expects an integer, got '${value}'`);
  return Number(value);
}

/** The `opt` subcommand, for mounting on the main program (`program.addCommand(optCommand(io))`). */
export function optCommand(io: OptIO, setup: OptSetup = {}): Command {
  return new Command('opt')
    .description('run a pass pipeline on a TorchScript IR file and print the result')
    .argument('[file]', 'IR text file (as print(graph) shows it)')
    .option('--passes <pipeline>', "pipeline text, e.g. 'dead-code-elimination,fixpoint(constant-pooling)'")
    .option('--pipeline <file.json>', 'pipeline JSON file (docs/pipelines.md)')
    .option(
      '--option <name=value>',
      'set a pipeline option ($name, when{option=name}); repeatable',
      collect,
      [],
    )
    .option('--print-after-all', 'print the IR after every pass')
    .option('--print-after <pass>', 'print the IR after this pass; repeatable', collect, [])
    .option('--print-before-all', 'print the IR before every pass')
    .option('--print-before <pass>', 'print the IR before this pass; repeatable', collect, [])
    .option('--print-changed', 'print the input, then the IR after each pass that changed it')
    .option('--time-passes', 'print a timing tree of the passes')
    .option('--stats', 'print the statistics the passes counted')
    .option('--verify-each', 'run the IR verifier on the input and after every pass')
    .option('--opt-bisect-limit <n>', 'run only the first n optional passes, listing which ran', parseLimit)
    .option(
      '--plugin <path>',
      'load a JS module exporting register(container) or a passes array; repeatable',
      collect,
      [],
    )
    .option('--list-passes', 'list the passes and pipelines with their options, then exit')
    .option('--no-reproducer', 'do not write a reproducer when a pass fails')
    .option('--reproducer-dir <dir>', 'where to write reproducers (default: a new temp dir)')
    .option('-o, --output <file>', 'write the resulting IR here instead of stdout')
    .option('--lossless', 'print tensor constants in the exact, re-parseable form')
    .option('--remarks', 'print the remarks passes made (why something was not done)')
    .action(async (file: string | undefined, flags: OptFlags) => {
      await runOpt(file, flags, io, setup);
    });
}

/**
 * Runs `tsfreeze opt` in-process with `args` (everything after `opt`) and returns the exit code:
 * 0 success, 1 a user error (printed as `error: ...`), 2 an internal error.
 */
export async function runOptCommand(
  args: readonly string[],
  io: OptIO,
  setup: OptSetup = {},
): Promise<number> {
  const command = optCommand(io, setup)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    await command.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof TsFreezeError) {
      io.err(`error: ${error.message}\n`);
      return 1;
    }
    io.err(
      `internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 2;
  }
}

async function runOpt(file: string | undefined, flags: OptFlags, io: OptIO, setup: OptSetup): Promise<void> {
  const sink = { write: (text: string) => io.err(text) };
  const container = createContainer({
    output: sink,
    logger: new SinkLogger(sink),
    modules: [builtinPassesModule, ...(setup.modules ?? [])],
  });
  for (const plugin of flags.plugin) await loadPlugin(container, plugin);
  const registry = getPassManager(container).registry;
  if (flags.listPasses) {
    io.out(listPasses(registry));
    return;
  }
  if (!file) throw new PipelineError('USAGE', 'opt needs an IR file (or --list-passes)');
  if (flags.passes !== undefined && flags.pipeline !== undefined)
    throw new PipelineError('USAGE', 'give either --passes or --pipeline, not both');
  for (const name of [...flags.printAfter, ...flags.printBefore]) {
    if (!registry.pass(name)) throw unknownPassError(name, registry.passNames(), []);
  }
  const text = readText(file);
  const graph = parseIR(blankComments(text), { file });
  const source =
    flags.pipeline !== undefined
      ? parsePipelineJson(readText(flags.pipeline))
      : (flags.passes ?? runLine(text, file));
  const instrumentation: InstrumentationOptions = {
    printAfter: flags.printAfterAll ? true : flags.printAfter,
    printBefore: flags.printBeforeAll ? true : flags.printBefore,
    printChanged: flags.printChanged === true,
    timePasses: flags.timePasses === true,
    statistics: flags.stats === true,
    verifyEach: flags.verifyEach === true,
    optBisectLimit: flags.optBisectLimit,
    reproducer: flags.reproducer ? (flags.reproducerDir ? { dir: flags.reproducerDir } : true) : false,
  };
  const report = getPassManager(container).run(graph, source, {
    options: parseOptionFlags(flags.option),
    instrumentation,
  });
  if (flags.remarks) {
    for (const r of report.remarks)
      io.err(`remark: ${r.pass} on ${r.target}: ${r.node ? `${r.node}: ` : ''}${r.message}\n`);
  }
  const printed = printGraph(graph, { tensorStyle: flags.lossless ? 'lossless' : 'pytorch' });
  if (flags.output) writeFileSync(flags.output, printed);
  else io.out(printed);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TsFreezeError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'IO_ERROR',
      `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`,
    );
  }
}

// `//` comment lines (test files, reproducers) become blank, so parse errors keep their line numbers.
function blankComments(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.trimStart().startsWith('//') ? '' : l))
    .join('\n');
}

// With neither --passes nor --pipeline, a reproducer's (or test file's) `// RUN:` line says what to run.
function runLine(text: string, file: string): string {
  const m = /^\s*\/\/\s*RUN:(.*)$/m.exec(text);
  if (!m)
    throw new PipelineError(
      'USAGE',
      `give --passes '<pipeline>' or --pipeline FILE.json (${file} has no // RUN: line)`,
    );
  return m[1].trim();
}

// `--option name=value`: the value is read as pipeline text reads option values (1, true, [a,b], "x").
function parseOptionFlags(options: readonly string[]): Record<string, OptionLiteral> {
  const out: Record<string, OptionLiteral> = {};
  for (const o of options) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new PipelineError('BAD_OPTION', `--option expects name=value, got '${o}'`);
    const name = o.slice(0, eq);
    const parsed = parsePipelineText(`x{v=${o.slice(eq + 1)}}`).elements[0];
    const value = parsed.kind === 'pass' ? parsed.options.v : undefined;
    if (value === undefined || isOptionRef(value) || (Array.isArray(value) && value.some(isOptionRef))) {
      throw new PipelineError('BAD_OPTION', `--option ${name}: a value cannot reference another option`);
    }
    out[name] = value as OptionLiteral;
  }
  return out;
}

/**
 * Loads a plugin module and registers what it exports: `register(container)`, or a `passes` array of
 * pass classes (also accepted as the default export). Errors name the plugin.
 */
export async function loadPlugin(container: Container, path: string): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PipelineError(
      'BAD_PLUGIN',
      `cannot load plugin ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const candidates = [
    mod,
    typeof mod.default === 'object' && mod.default !== null ? (mod.default as Record<string, unknown>) : {},
  ];
  for (const m of candidates) {
    if (typeof m.register === 'function') {
      (m.register as (c: Container) => void)(container);
      return;
    }
    if (Array.isArray(m.passes)) {
      registerPasses(container, m.passes as PassClass[]);
      return;
    }
  }
  if (Array.isArray(mod.default)) {
    registerPasses(container, mod.default as PassClass[]);
    return;
  }
  if (typeof mod.default === 'function' && !getPassDeclaration(mod.default)) {
    (mod.default as (c: Container) => void)(container);
    return;
  }
  throw new PipelineError(
    'BAD_PLUGIN',
    `plugin ${path} exports neither register(container) nor a passes array`,
  );
}

/** The `--list-passes` text: every pass and named pipeline with summary, options and statistics. */
export function listPasses(registry: PassRegistry): string {
  const lines: string[] = ['Passes:'];
  for (const d of registry.declarations()) {
    lines.push(`  ${d.name}${d.target === 'module' ? '  (runs on modules)' : ''}`, `      ${d.summary}`);
    lines.push(...optionLines(d.options));
    if (d.statistics.length) lines.push(`      statistics: ${d.statistics.map((s) => s.name).join(', ')}`);
    if (d.requiresProperties.length)
      lines.push(`      requires IR properties: ${d.requiresProperties.join(', ')}`);
    if (d.establishesProperties.length)
      lines.push(`      establishes IR properties: ${d.establishesProperties.join(', ')}`);
  }
  const pipelines = registry.pipelines();
  if (pipelines.length) {
    lines.push('Pipelines:');
    for (const p of pipelines) {
      lines.push(`  ${p.name}`);
      if (p.summary) lines.push(`      ${p.summary}`);
      lines.push(...optionLines(p.options));
    }
  }
  return `${lines.join('\n')}\n`;
}

function optionLines(options: OptionDeclarations): string[] {
  const entries = Object.entries(options);
  if (!entries.length) return [];
  return [
    '      options:',
    ...entries.map(
      ([name, o]) => `        ${name}: ${o.type} = ${JSON.stringify(defaultValue(o))}  ${o.description}`,
    ),
  ];
}
