// `tsfreeze freeze MODEL.pt`: load, freeze with the freeze pipeline (or a user's variant), print a
// summary, the graph, the code or the per-attribute explanation; optionally write the frozen model.

import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { PipelineError } from '../errors.js';
import { parsePipelineJson } from '../pipeline/index.js';
import type { ScriptModule } from '../module/script-module.js';
import { freezeReportOf } from '../../passes/freeze/report.js';
import { freezeWithReport, type FreezeOptions } from '../../passes/freeze.js';
import { writeFrozen } from '../serialization/save/index.js';
import { loadModelFile, type CliIO } from './io.js';
import { summarizeInlined, summarizeModule, type ModelSummary } from './model-summary.js';
import { Progress } from './progress.js';

interface FreezeFlags {
  preserve?: string[];
  optimizeNumerics: boolean;
  pipeline?: string;
  explain?: boolean;
  graph?: boolean;
  code?: boolean;
  timePasses?: boolean;
  printAfterAll?: boolean;
  verifyEach?: boolean;
  reproducer?: boolean;
  json?: boolean;
  output?: string;
}

const splitList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** Reads a pipeline JSON file given with --pipeline; errors name the file. */
export function readPipelineFile(path: string): ReturnType<typeof parsePipelineJson> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PipelineError(
      'PIPELINE_FILE',
      `cannot read pipeline file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    return parsePipelineJson(text);
  } catch (error) {
    if (error instanceof PipelineError) throw new PipelineError(error.code, `${path}: ${error.message}`);
    throw error;
  }
}

/** Writes the frozen module (the archive writer's writeFrozen by default; tests may swap it). */
export type FrozenWriter = (module: ScriptModule, path: string) => void;
let writer: FrozenWriter | undefined = writeFrozen;
export function setFrozenWriter(w: FrozenWriter): void {
  writer = w;
}

export function freezeCommand(io: CliIO): Command {
  return new Command('freeze')
    .description('freeze a TorchScript model (.pt) as torch.jit.freeze does')
    .argument('<model>', 'a .pt file written by torch.jit.save')
    .option(
      '--preserve <names>',
      'attributes/methods to keep, comma-separated (dotted paths allowed)',
      splitList,
    )
    .option('--no-optimize-numerics', 'skip conv-batchnorm and conv add/mul folding')
    .option('--pipeline <file>', 'run this pipeline JSON instead of the built-in freeze pipeline')
    .option('--explain', 'say for every attribute whether it was folded or kept, and why')
    .option('--graph', 'print the frozen forward graph (IR text)')
    .option('--code', 'print the frozen code')
    .option('--time-passes', 'print a timing tree of the passes')
    .option('--print-after-all', 'print the IR after every pass')
    .option('--verify-each', 'run the IR verifier after every pass')
    .option('--reproducer', 'when a pass fails, write the IR before it and the pipeline to a file')
    .option('--json', 'print the summary as JSON')
    .addOption(new Option('-o, --output <file>', 'write the frozen model to this .pt file'))
    .action((model: string, flags: FreezeFlags) => runFreeze(model, flags, io));
}

function runFreeze(model: string, flags: FreezeFlags, io: CliIO): void {
  const progress = new Progress(io, !flags.json && !flags.graph && !flags.code);
  const pipeline = flags.pipeline ? readPipelineFile(flags.pipeline) : undefined;
  const t0 = performance.now();
  progress.stage(`loading ${model}`);
  const module = loadModelFile(model);
  const tLoad = performance.now();
  const before = summarizeInlined(module);
  progress.stage('freezing');
  const options: FreezeOptions = {
    preservedAttrs: flags.preserve ?? [],
    optimizeNumerics: flags.optimizeNumerics,
    pipeline,
    instrumentation: {
      timePasses: flags.timePasses,
      printAfter: flags.printAfterAll,
      verifyEach: flags.verifyEach,
      reproducer: flags.reproducer ?? false,
    },
  };
  const { module: frozen } = freezeWithReport(module, options);
  const tFreeze = performance.now();
  if (flags.output) {
    if (!writer) throw new PipelineError('NO_WRITER', 'writing .pt files is not available in this build');
    progress.stage(`writing ${flags.output}`);
    writer(frozen, flags.output);
  }
  progress.done();
  const after = summarizeModule(frozen);
  if (flags.graph) io.out(frozen.graph.toString());
  if (flags.code) io.out(frozen.code.endsWith('\n') ? frozen.code : `${frozen.code}\n`);
  if (flags.explain) io.out(`${freezeReportOf(frozen).format()}\n`);
  const timing = { loadMs: tLoad - t0, freezeMs: tFreeze - tLoad };
  if (flags.json)
    io.out(`${JSON.stringify({ model, before, after, ...timing, output: flags.output ?? null }, null, 2)}\n`);
  else if (!flags.graph && !flags.code && !flags.explain) io.out(formatSummary(model, before, after, timing));
}

/** The before/after table the demo and `tsfreeze freeze` print. */
export function formatSummary(
  model: string,
  before: ModelSummary,
  after: ModelSummary,
  t: { loadMs: number; freezeMs: number },
): string {
  const row = (label: string, a: number | string, b: number | string): string =>
    `  ${label.padEnd(22)}${String(a).padStart(10)}  ->${String(b).padStart(10)}\n`;
  return (
    `${pc.bold(`froze ${model}`)}\n` +
    row('nodes (inlined)', before.nodes, after.nodes) +
    row('parameters', before.parameters, after.parameters) +
    row('attributes', before.attributes, after.attributes) +
    row('prim::GetAttr', before.getAttrs, after.getAttrs) +
    row('convolutions', before.convolutions, after.convolutions) +
    row('batch_norms', before.batchNorms, after.batchNorms) +
    `  parameters folded: ${before.parameters - after.parameters} (${before.parameterElements - after.parameterElements} values); ` +
    `batch_norms folded: ${before.batchNorms - after.batchNorms}\n` +
    `  load ${t.loadMs.toFixed(1)} ms, freeze ${t.freezeMs.toFixed(1)} ms\n`
  );
}
