// `tsfreeze opt FILE`: runs a pipeline on an IR file (a graph) or a .pt file (a module, so module
// passes run too) and prints or writes the result. Shares every pass-manager flag with `freeze`
// (src/cli/pass-manager-flags.ts); adds --list-passes, -o and --lossless.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ContainerModule } from 'inversify';
import { builtinContainerModules } from '../../passes/freeze.js';
import { PipelineError, TsFreezeError } from '../errors.js';
import { isGraph, parseIR, printGraph, type Graph } from '../ir/index.js';
import type { ScriptModule } from '../module/script-module.js';
import { irText, type PipelineSource } from '../pipeline/index.js';
import { saveModule } from '../serialization/index.js';
import { writeFileAtomic } from '../atomic-file.js';
import { GRAPH_VERIFIER } from '../pipeline/tokens.js';
import { loadModelFile, type CliIO } from './io.js';
import { setReportTitle } from './flags/report-flags.js';
import { listPasses } from './list-passes.js';
import {
  addPassManagerFlags,
  runWithFlags,
  setUpPassManager,
  type FlagValues,
} from './pass-manager-flags.js';
import { prepareReplay } from './replay.js';
import { reportError } from './report-error.js';

/** Where the command writes: stdout for the IR and listings, stderr for instruments and errors. */
export type OptIO = CliIO;

/** Extra setup for embedding: more container modules (named pipelines, passes). */
export interface OptSetup {
  readonly modules?: readonly ContainerModule[];
}

const OPT = { name: 'opt', verifyEachByDefault: true } as const;

/** The `opt` subcommand, for mounting on the main program (`program.addCommand(optCommand(io))`). */
export function optCommand(io: OptIO, setup: OptSetup = {}): Command {
  const command = new Command('opt')
    .description('run a pass pipeline on a TorchScript IR file or a .pt module and print or write the result')
    .argument('[file]', 'IR text file (as print(graph) shows it) or a .pt file written by torch.jit.save')
    .option('--list-passes', 'list the passes and pipelines with their options, then exit')
    .option('--run-reproducer <file>', 'replay a reproducer file written by a failed run (--reproducer)')
    .option(
      '-o, --output <file>',
      'write the result here instead of stdout (a .pt name writes a .pt archive)',
    )
    .option('--lossless', 'print tensor constants in the exact, re-parseable form');
  return addPassManagerFlags(command, OPT).action(async (file: string | undefined, values: FlagValues) => {
    await runOpt(file, values, io, setup);
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
    return reportError(error, io);
  }
}

async function runOpt(
  file: string | undefined,
  values: FlagValues,
  io: OptIO,
  setup: OptSetup,
): Promise<void> {
  const run = await setUpPassManager(values, io, OPT, [
    ...builtinContainerModules(),
    ...(setup.modules ?? []),
  ]);
  if (values.listPasses) {
    io.out(listPasses(run.registry()));
    return;
  }
  const replay = typeof values.runReproducer === 'string' ? values.runReproducer : undefined;
  if (replay && file) throw new PipelineError('USAGE', 'give either a file or --run-reproducer, not both');
  let target: Graph | ScriptModule;
  let pipeline: PipelineSource;
  if (replay) {
    target = await prepareReplay(replay, run);
    pipeline = run.pipeline!;
  } else {
    if (!file)
      throw new PipelineError('USAGE', 'opt needs an IR or .pt file (or --list-passes, --run-reproducer)');
    const text = file.endsWith('.pt') ? '' : readText(file);
    target = file.endsWith('.pt') ? loadModelFile(file) : parseIR(blankComments(text), { file });
    pipeline = run.pipeline ?? runLine(text, file);
    setReportTitle(run, file);
  }
  const isModule = !isGraph(target);
  // Passes assume well-formed nodes: check an IR input (structure, arity) before any of them runs.
  if (!isModule) run.container.get<(g: Graph) => void>(GRAPH_VERIFIER)(target as Graph);
  const output = typeof values.output === 'string' ? values.output : undefined;
  if (output?.endsWith('.pt') && !isModule)
    throw new PipelineError(
      'USAGE',
      `-o ${output}: a .pt output needs a .pt input (an IR file holds one graph, not a module)`,
    );
  const report = await runWithFlags(run, target, pipeline);
  if (!report) return;
  if (output?.endsWith('.pt')) {
    saveModule(target as ScriptModule, output);
    return;
  }
  const style = values.lossless ? 'lossless' : 'pytorch';
  const printed = isModule
    ? irText(target, { tensorStyle: style })
    : printGraph(target as Graph, { tensorStyle: style });
  if (output) writeOutput(output, printed);
  else io.out(printed);
}

// Atomic, like freeze -o: a failure or a kill never leaves a partial file.
function writeOutput(path: string, text: string): void {
  try {
    writeFileAtomic(path, [text]);
  } catch (error) {
    throw new TsFreezeError(
      'WRITE_FAILED',
      `cannot write ${path} (${(error as Error).message}); the file was not changed`,
    );
  }
}

/** Reads a text file; a missing or unreadable file is a TsFreezeError naming it. */
export function readText(path: string): string {
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
export function blankComments(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.trimStart().startsWith('//') ? '' : l))
    .join('\n');
}

// With neither --passes nor --pipeline, an IR file's `// RUN:` line says what to run.
function runLine(text: string, file: string): string {
  const m = /^\s*\/\/\s*RUN:(.*)$/m.exec(text);
  if (!m)
    throw new PipelineError(
      'USAGE',
      `give --passes '<pipeline>' or --pipeline FILE.json (${file} has no // RUN: line)`,
    );
  return m[1].trim();
}
