// `tsfreeze freeze MODEL.pt`: load, freeze with the freeze pipeline (or a user's variant), print a
// summary, the graph, the code or the per-attribute explanation; optionally write the frozen model.

import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { PipelineError } from '../errors.js';
import type { ScriptModule } from '../module/script-module.js';
import { freezeReportOf } from '../../passes/freeze/report.js';
import { builtinContainerModules, prepareFreeze } from '../../passes/freeze.js';
import { writeFrozen } from '../serialization/save/index.js';
import { setReportTitle } from './flags/report-flags.js';
import { collectList } from './flags/values.js';
import { loadModelFile, type CliIO } from './io.js';
import {
  InlinedSummaryInstrument,
  keptByFreeze,
  summaryInstrumentModule,
  summarizeInlined,
  summarizeModule,
  type ModelSummary,
} from './model-summary.js';
import {
  addPassManagerFlags,
  runWithFlags,
  setUpPassManager,
  type FlagValues,
  type PassManagerRun,
} from './pass-manager-flags.js';
import { Progress } from './progress.js';
import { freezeMany, parseJobs } from './freeze-many.js';
import { main } from './main.js';

export { readPipelineFile } from './flags/pipeline-flags.js';

interface FreezeFlags extends FlagValues {
  preserve?: string[];
  optimizeNumerics: boolean;
  explain?: boolean;
  graph?: boolean;
  code?: boolean;
  json?: boolean;
  output?: string;
}

const FREEZE = { name: 'freeze', verifyEachByDefault: false } as const;

/** Writes the frozen module (the archive writer's writeFrozen by default; tests may swap it). */
export type FrozenWriter = (module: ScriptModule, path: string) => void;
let writer: FrozenWriter | undefined = writeFrozen;
export function setFrozenWriter(w: FrozenWriter): void {
  writer = w;
}

export function freezeCommand(io: CliIO): Command {
  const command = new Command('freeze')
    .description('freeze a TorchScript model (.pt) as torch.jit.freeze does')
    .argument('<models...>', 'one or more .pt files written by torch.jit.save')
    .option(
      '--preserve <names>',
      'attributes/methods to keep, comma-separated (dotted paths allowed)',
      collectList,
    )
    .option('--no-optimize-numerics', 'skip conv-batchnorm and conv add/mul folding')
    .option('--explain', 'say for every attribute whether it was folded or kept, and why')
    .option('--graph', 'print the frozen forward graph (IR text)')
    .option('--code', 'print the frozen code')
    .option('--json', 'print the summary as JSON')
    .addOption(
      new Option(
        '-o, --output <path>',
        'write the frozen model to this .pt file (several models: into this directory)',
      ),
    )
    .addOption(
      new Option('--jobs <n>', 'freeze several models n at a time in worker threads (auto: one per CPU)')
        .argParser(parseJobs)
        .default(1),
    );
  return addPassManagerFlags(command, FREEZE).action(
    async (models: string[], flags: FreezeFlags, cmd: Command) => {
      if (models.length === 1) return runFreeze(models[0], flags, io);
      const code = await freezeMany(
        {
          models,
          outDir: flags.output,
          jobs: typeof flags.jobs === 'number' ? flags.jobs : 1,
          rawArgs: (cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [],
          runInline: (argv, inner) => main(argv, inner),
        },
        io,
      );
      if (code !== 0) throw new CommanderError(code, 'tsfreeze.freeze', 'some models failed');
    },
  );
}

async function runFreeze(model: string, flags: FreezeFlags, io: CliIO): Promise<void> {
  const progress = new Progress(io, !flags.json && !flags.graph && !flags.code);
  // The summary before freezing is taken from the run's own inlined graphs (no second inlined copy).
  const kept = keptByFreeze(flags.preserve ?? []);
  const inlinedSummary = new InlinedSummaryInstrument(kept);
  const run = await setUpPassManager(flags, io, FREEZE, [
    ...builtinContainerModules(),
    summaryInstrumentModule(inlinedSummary),
  ]);
  const t0 = performance.now();
  progress.stage(`loading ${model}`);
  const module = loadModelFile(model);
  const tLoad = performance.now();
  progress.stage('freezing');
  setReportTitle(run, model);
  const consume = mayConsume(run);
  const prepared = prepareFreeze(module, {
    ...(run.instrumentation.record ? { instrumentation: { record: run.instrumentation.record } } : {}),
    preservedAttrs: flags.preserve ?? [],
    optimizeNumerics: flags.optimizeNumerics,
    ...(run.pipeline ? { pipeline: run.pipeline } : {}),
    consume,
  });
  const report = await runWithFlags(run, prepared.target, prepared.pipeline, prepared.runOptions);
  progress.done();
  if (!report) return;
  const frozen = prepared.target;
  const tFreeze = performance.now();
  if (flags.output) {
    if (!writer) throw new PipelineError('NO_WRITER', 'writing .pt files is not available in this build');
    progress.stage(`writing ${flags.output}`);
    writer(frozen, flags.output);
    progress.done();
  }
  // A consume freeze runs the built-in pipeline, whose inlining the instrument always sees.
  const before = inlinedSummary.summary ?? summarizeInlined(module, kept);
  const after = summarizeModule(frozen);
  if (flags.graph) io.out(frozen.graph.toString());
  if (flags.code) io.out(frozen.code.endsWith('\n') ? frozen.code : `${frozen.code}\n`);
  if (flags.explain) io.out(`${freezeReportOf(frozen).format()}\n`);
  const timing = { loadMs: tLoad - t0, freezeMs: tFreeze - tLoad };
  if (flags.json)
    io.out(`${JSON.stringify({ model, before, after, ...timing, output: flags.output ?? null }, null, 2)}\n`);
  else if (!flags.graph && !flags.code && !flags.explain) io.out(formatSummary(model, before, after, timing));
}

/**
 * Whether `tsfreeze freeze` may consume the loaded module (freeze it without a clone, folds in place: see
 * docs/freeze.md): nothing after the freeze reads the original, unless the run records a report, checks
 * numerics against it, or runs another pipeline (whose inlining the summary instrument may not see: the
 * summary then inlines the original).
 */
export function mayConsume(run: Pick<PassManagerRun, 'instrumentation' | 'pipeline'>): boolean {
  const i = run.instrumentation;
  return run.pipeline === undefined && i.record === undefined && !i.checkNumerics;
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
