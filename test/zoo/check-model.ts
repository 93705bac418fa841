// tsfreeze's side of one zoo row and mode: load the archive PyTorch saved, run it, freeze it, compare the
// frozen graph's node-kind counts and every output with PyTorch's, and write the frozen model for
// PyTorch to load back (scripts/zoo/check_saved.py does that part).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  codeGraphsOf,
  defaultOperatorRegistry,
  loadModule,
  opsUsed,
  readValueFiles,
  saveModule,
  type Graph,
  type Node,
  type IValue,
  type ScriptModule,
} from '../../src/index.js';
import { freeze } from '../../passes/index.js';
import { compareOutputs, countsVerdict, type LeafCheck } from './compare.js';

/** What scripts/zoo/export.py recorded for one mode (torch.json). */
export interface TorchRecord {
  readonly status: 'ok' | 'torch-failed';
  readonly stage?: string;
  readonly error?: string;
  readonly counts?: Record<string, number>;
  /** PyTorch's frozen counts again, from a run whose freed memory is never reused (see countsVerdict). */
  readonly counts_no_reuse?: Record<string, number>;
  readonly parameters?: number;
  readonly frozen_parameters?: number;
  readonly torch_error?: Record<string, number | null>;
  readonly torch_error_original?: Record<string, number | null>;
  readonly seconds?: Record<string, number>;
  readonly model_bytes?: number;
}

/** One step of the check: passed, failed (with why), or not reached because an earlier step failed. */
export interface Step {
  readonly status: 'pass' | 'fail' | 'skip';
  readonly detail?: string;
  readonly seconds?: number;
}

/** The columns of the zoo table, in order. */
export const STEPS = ['load', 'run', 'freeze', 'counts', 'outputs', 'saved'] as const;
export type StepName = (typeof STEPS)[number];

/** Our result for one row and mode. */
export interface ModeResult {
  readonly row: string;
  readonly mode: string;
  readonly steps: Partial<Record<StepName, Step>>;
  /** The worst ratio of our error to PyTorch's on any float output leaf of the frozen run. */
  readonly worstErrorRatio?: number;
  readonly frozenPath?: string;
  /** Node-kind counts of our frozen graph (the sweep re-judges them against counts_no_reuse). */
  readonly frozenCounts?: Readonly<Record<string, number>>;
  /** Every operator the loaded code and the frozen graph use, with how tsfreeze runs it (docs/kernels.md). */
  readonly ops?: readonly OpState[];
}

/** One operator a row uses and its kernel state (`kernel`, `scalar`, `interpreter`, `refused`, `missing`). */
export interface OpState {
  readonly key: string;
  readonly state: string;
}

function opStates(graphs: Graph[]): OpState[] {
  return opsUsed(graphs, defaultOperatorRegistry()).map((u) => ({ key: u.key, state: u.status.state }));
}

/** Everything one mode of a row needs, read from the zoo cache folder `<cache>/<row>`. */
export interface ModeFiles {
  readonly rowDir: string;
  readonly mode: string;
  readonly atol: number;
  /** Where to write ours_frozen.pt (default: the mode's folder). */
  readonly outputDir?: string;
}

const errorText = (e: unknown): string => {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > 1500 ? `${text.slice(0, 1500)} …` : text;
};

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/**
 * Node kinds of a graph, nested blocks included, counted as scripts/zoo/export.py counts PyTorch's: a
 * `prim::fork`'s body is a block here but a Subgraph attribute there (not a block), so it is not counted.
 */
export function kindCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  const visit = (nodes: Iterable<Node>): void => {
    for (const node of nodes) {
      counts[node.kind] = (counts[node.kind] ?? 0) + 1;
      if (node.kind !== 'prim::fork') for (const block of node.blocks) visit(block.nodes());
    }
  };
  visit(graph.block.nodes());
  return counts;
}

function outputStep(checks: LeafCheck[], seconds: number): Step {
  const bad = checks.filter((c) => !c.ok);
  const notes = checks.filter((c) => c.ok && c.note).map((c) => `${c.path}: ${c.note}`);
  if (!bad.length)
    return notes.length ? { status: 'pass', detail: notes.join('; '), seconds } : { status: 'pass', seconds };
  const shown = bad
    .slice(0, 3)
    .map((c) =>
      c.problem !== undefined
        ? `${c.path}: ${c.problem}`
        : `${c.path}: error ${c.error?.toExponential(2)} > ${c.limit?.toExponential(2)} (PyTorch ${c.torchError?.toExponential(2)})`,
    );
  const more = bad.length > 3 ? ` (+${bad.length - 3} more)` : '';
  return { status: 'fail', detail: shown.join('; ') + more, seconds };
}

function worstRatio(checks: LeafCheck[]): number | undefined {
  let worst: number | undefined;
  for (const c of checks) {
    if (c.error === undefined || c.torchError === undefined) continue;
    const ratio = c.error / Math.max(c.torchError, 1e-30);
    if (c.error > 0 && (worst === undefined || ratio > worst)) worst = ratio;
  }
  return worst;
}

/** Reads torch.json of a mode. */
export function readTorchRecord(modeDir: string): TorchRecord {
  return JSON.parse(readFileSync(join(modeDir, 'torch.json'), 'utf8')) as TorchRecord;
}

/**
 * Runs every step for one mode; a step that fails leaves the later steps that need it as 'skip'. The
 * frozen model is written to `ours_frozen.pt` in `outputDir` or the mode's folder (the `saved` step is filled in by the caller,
 * which hands the file to PyTorch).
 */
export function checkMode(files: ModeFiles): ModeResult {
  const modeDir = join(files.rowDir, files.mode);
  const record = readTorchRecord(modeDir);
  const row = files.rowDir.split(/[\\/]/).pop()!;
  const steps: Partial<Record<StepName, Step>> = {};
  const graphs: Graph[] = [];
  const result = (extra: Partial<ModeResult> = {}): ModeResult => ({
    row,
    mode: files.mode,
    steps,
    ops: graphs.length ? opStates(graphs) : undefined,
    ...extra,
  });
  const inputs = (): IValue[] => readValueFiles(files.rowDir, 'inputs.json') as IValue[];
  const reference = existsSync(join(modeDir, 'reference.json'))
    ? readValueFiles(modeDir, 'reference.json')
    : null;
  // Runs a forward on the inputs and checks it leaf by leaf against PyTorch's outputs in `outputsFile`.
  const runAndCompare = (
    forward: () => IValue,
    outputsFile: string,
    torchErrors: Record<string, number | null> | undefined,
  ): { step: Step; checks: LeafCheck[] } => {
    const ran = timed(forward);
    const checks = compareOutputs({
      ours: ran.value,
      reference,
      torchOutput: readValueFiles(modeDir, outputsFile),
      torchErrors: torchErrors ?? {},
      atol: files.atol,
    });
    return { step: outputStep(checks, ran.seconds), checks };
  };

  let module: ScriptModule;
  try {
    const loaded = timed(() => loadModule(join(modeDir, 'model.pt')));
    module = loaded.value;
    steps.load = { status: 'pass', seconds: loaded.seconds };
    graphs.push(...codeGraphsOf(module));
  } catch (e) {
    steps.load = { status: 'fail', detail: errorText(e) };
    return result();
  }

  try {
    steps.run = runAndCompare(
      () => module.forward(...inputs()),
      'outputs.json',
      record.torch_error_original,
    ).step;
  } catch (e) {
    steps.run = { status: 'fail', detail: errorText(e) };
  }

  let frozen: ScriptModule;
  try {
    const done = timed(() => freeze(module));
    frozen = done.value;
    steps.freeze = { status: 'pass', seconds: done.seconds };
    graphs.push(frozen.graph);
  } catch (e) {
    steps.freeze = { status: 'fail', detail: errorText(e) };
    return result();
  }

  const frozenCounts = kindCounts(frozen.graph);
  steps.counts = countsVerdict(frozenCounts, record.counts ?? {}, record.counts_no_reuse);

  let ratio: number | undefined;
  try {
    const { step, checks } = runAndCompare(
      () => frozen.forward(...inputs()),
      'frozen_outputs.json',
      record.torch_error,
    );
    steps.outputs = step;
    ratio = worstRatio(checks);
  } catch (e) {
    steps.outputs = { status: 'fail', detail: errorText(e) };
  }

  const frozenPath = join(files.outputDir ?? modeDir, 'ours_frozen.pt');
  try {
    saveModule(frozen, frozenPath);
  } catch (e) {
    steps.saved = { status: 'fail', detail: `tsfreeze could not write it: ${errorText(e)}` };
    return result({ worstErrorRatio: ratio, frozenCounts });
  }
  return result({ worstErrorRatio: ratio, frozenPath, frozenCounts });
}
