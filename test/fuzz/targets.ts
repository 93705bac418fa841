// What the fuzzer feeds its inputs to: the same entry points a user reaches (the CLI's freeze and opt,
// the pipeline API, the .npy reader), each classified as success, a typed error, or a crash.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TsFreezeError } from '../../src/errors.js';
import { main } from '../../src/cli/main.js';
import { createFreezeContainer } from '../../passes/freeze.js';
import { parseIR, registerPipelines, runPipeline, BufferSink } from '../../src/index.js';
import { loadModule } from '../../src/serialization/index.js';
import { readNpy } from '../../src/tensor/npy.js';

/** The kinds of input the fuzzer generates; corpus folders carry the same names. */
export const TARGET_NAMES = ['pt', 'ir', 'pipeline', 'pipeline-json', 'npy'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** How one case ended. A crash is anything but success or a typed error (INTERNAL counts as a crash). */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'typed'; readonly code: string; readonly limit?: string; readonly message: string }
  | { readonly kind: 'crash'; readonly signature: string; readonly message: string };

/** The IR the pipeline targets run on: small, but with a loop, an if and foldable constants. */
export const PIPELINE_SUBJECT = `graph(%x : Tensor, %n : int):
  %one : int = prim::Constant[value=1]()
  %three : int = prim::Constant[value=3]()
  %t : bool = prim::Constant[value=1]()
  %s : int = aten::add(%one, %three)
  %c : bool = aten::gt(%n, %s)
  %y : Tensor = prim::If(%c)
    block0():
      %a : Tensor = aten::mul(%x, %s)
      -> (%a)
    block1():
      -> (%x)
  %z : Tensor = prim::Loop(%three, %t, %y)
    block0(%i : int, %acc : Tensor):
      %b : Tensor = aten::add(%acc, %x, %one)
      -> (%t, %b)
  return (%z)
`;

/** A per-process scratch folder for the files CLI targets read and write. */
let scratch: string | undefined;
function scratchDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'tsfreeze-fuzz-'));
    process.once('exit', () => rmSync(scratch!, { recursive: true, force: true }));
  }
  return scratch;
}

/** Runs the CLI in-process; exit code 2 is an internal error (a crash), 1 a typed user error. */
async function cli(args: string[]): Promise<void> {
  const err: string[] = [];
  let failure: unknown;
  const code = await main(args, {
    out: () => undefined,
    err: (t) => err.push(t),
    failed: (e) => (failure = e),
  });
  if (code === 0) return;
  // Exit 1 is a typed error or a usage error from commander; exit 2 an internal error.
  if (code === 2 || failure === undefined) throw failure ?? new CliCrash(err.join(''));
  if (failure instanceof TsFreezeError) throw failure;
  throw new TsFreezeError('USAGE', err.join('').trim());
}

/** The CLI failed without an error object to show. */
export class CliCrash extends Error {}

function write(name: string, data: Uint8Array | string): string {
  const dir = scratchDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

const text = (data: Uint8Array | string): string =>
  typeof data === 'string' ? data : new TextDecoder().decode(data);

/** Freezes a .pt with `tsfreeze freeze -o`, then reloads what it wrote: the writer must agree with the reader. */
async function runPt(data: Uint8Array | string): Promise<void> {
  const input = write('in.pt', data);
  const output = join(scratchDir(), 'out.pt');
  rmSync(output, { force: true });
  await cli(['freeze', input, '-o', output, '--json']);
  try {
    loadModule(output);
  } catch (error) {
    throw new WrongOutput(`freeze -o wrote a file tsfreeze cannot load: ${(error as Error).message}`);
  }
}

/** An accepted input produced an output we cannot read back: as bad as a crash. */
export class WrongOutput extends Error {}

/** Runs an IR file through `tsfreeze opt` (its `// RUN:` line, else a broad optimization pipeline). */
async function runIr(data: Uint8Array | string): Promise<void> {
  const source = text(data);
  const path = write('in.ir', source);
  const run = /^\s*\/\/\s*RUN:/m.test(source) ? [] : ['--passes', DEFAULT_IR_PIPELINE];
  await cli(['opt', path, ...run, '--no-reproducer', '-o', join(scratchDir(), 'out.ir')]);
}

export const DEFAULT_IR_PIPELINE =
  'dead-code-elimination,common-subexpression-elimination,constant-pooling,peephole,constant-propagation,' +
  'unroll-constant-loops,peephole-non-tensor,constant-propagation,eliminate-no-ops,lower-simple-tuples,' +
  'fixpoint(dead-code-elimination,constant-pooling)';

/** Pipeline text on the subject graph, through `tsfreeze opt --passes`. */
async function runPipelineText(data: Uint8Array | string): Promise<void> {
  const path = write('subject.ir', PIPELINE_SUBJECT);
  await cli(['opt', path, '--passes', text(data), '--no-reproducer', '-o', join(scratchDir(), 'out.ir')]);
}

/**
 * Pipeline JSON: either a pipeline (run with `opt --pipeline`), or `{"pipelines": [definitions],
 * "run": "text"}`, which registers named pipelines through the API first.
 */
async function runPipelineJson(data: Uint8Array | string): Promise<void> {
  const source = text(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && 'pipelines' in parsed && 'run' in parsed) {
    const { pipelines, run } = parsed as { pipelines: unknown; run: unknown };
    if (!Array.isArray(pipelines) || typeof run !== 'string') return;
    const container = createFreezeContainer({ output: new BufferSink() });
    registerPipelines(container, pipelines as object[]);
    runPipeline(container, parseIR(PIPELINE_SUBJECT), run, { instrumentation: { reproducer: false } });
    return;
  }
  const subject = write('subject.ir', PIPELINE_SUBJECT);
  const file = write('pipeline.json', source);
  await cli(['opt', subject, '--pipeline', file, '--no-reproducer', '-o', join(scratchDir(), 'out.ir')]);
}

function runNpy(data: Uint8Array | string): void {
  readNpy(typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

const RUNNERS: Record<TargetName, (data: Uint8Array | string) => void | Promise<void>> = {
  pt: runPt,
  ir: runIr,
  pipeline: runPipelineText,
  'pipeline-json': runPipelineJson,
  npy: runNpy,
};

/** Runs one input on its target and says how it ended. Never throws. */
export async function runCase(target: TargetName, data: Uint8Array | string): Promise<Outcome> {
  try {
    await RUNNERS[target](data);
    return { kind: 'ok' };
  } catch (error) {
    return classify(error);
  }
}

/** Sorts an error into typed (ours, on purpose) or crash, with a stable signature for grouping. */
export function classify(error: unknown): Outcome {
  if (error instanceof TsFreezeError && error.code !== 'INTERNAL') {
    const limit = (error as { limit?: unknown }).limit;
    return {
      kind: 'typed',
      code: error.code,
      ...(typeof limit === 'string' ? { limit } : {}),
      message: error.message,
    };
  }
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  return { kind: 'crash', signature: signatureOf(error), message };
}

// Error class + the message with numbers and names blurred + the first project stack frame.
function signatureOf(error: unknown): string {
  if (!(error instanceof Error)) return `non-error: ${String(error).slice(0, 80)}`;
  const text =
    error instanceof CliCrash ? error.message : `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  const lines = text.split('\n');
  const head = (lines[0] ?? '')
    .replace(/^internal error \(please report\): /, '')
    .replace(/\d+/g, 'N')
    .replace(/'[^']*'|"[^"]*"|%[\w.]+/g, '_')
    .slice(0, 120);
  const frame =
    lines
      .find((l) => /\bat .*\/(src|passes)\//.test(l))
      ?.trim()
      .replace(/:\d+:\d+\)?$/, '') ?? '';
  return `${error.constructor.name === 'CliCrash' ? 'cli' : error.name}: ${head}${frame ? ` | ${frame}` : ''}`;
}
