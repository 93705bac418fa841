// The pass-manager flags `freeze` and `opt` share. Each flag group (src/cli/flags/) declares its
// commander options and what its values do to a run; both commands add every group, so a flag added
// to PASS_MANAGER_FLAG_GROUPS works in both. docs/cli.md lists them.

import type { Command, Option } from 'commander';
import type { Container, ContainerModule } from 'inversify';
import {
  createContainer,
  getPassManager,
  SinkLogger,
  type InstrumentationOptions,
  type OptionLiteral,
  type PassRegistry,
  type PassTarget,
  type Plan,
  type PipelineSource,
  type RunOptions,
  type RunReport,
} from '../pipeline/index.js';
import type { CliIO } from './io.js';
import { checkFlags } from './flags/check-flags.js';
import { failureFlags } from './flags/failure-flags.js';
import { pipelineFlags } from './flags/pipeline-flags.js';
import { pluginFlags } from './flags/plugin-flags.js';
import { printFlags } from './flags/print-flags.js';
import { reportFlags } from './flags/report-flags.js';
import { summaryFlags } from './flags/summary-flags.js';

/** Which command the flags are parsed for, and its defaults. */
export interface PassManagerCommand {
  readonly name: 'freeze' | 'opt';
  /** `opt` verifies after each pass by default (as mlir-opt does); `freeze` does not. */
  readonly verifyEachByDefault: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The parsed values of every flag (commander's camelCase keys). */
export type FlagValues = Readonly<Record<string, unknown>>;

/** What the flags set up for one command run; groups fill it in `apply`. */
export interface PassManagerRun {
  readonly io: CliIO;
  readonly command: PassManagerCommand;
  /** The container: built-in passes, then plugins. */
  readonly container: Container;
  /** Instruments to switch on. */
  readonly instrumentation: Mutable<InstrumentationOptions>;
  /** Pipeline-level option values (`--option name=value`, and the command's own, such as --preserve). */
  readonly pipelineOptions: Record<string, OptionLiteral>;
  /** The pipeline the flags chose (`--passes`, `--pipeline`), if any; the command has its default. */
  pipeline: PipelineSource | undefined;
  /** Called with the plan before any pass runs; returning 'stop' ends the command there (nothing written). */
  readonly onPlan: ((plan: Plan) => 'stop' | void)[];
  /** Called after the pipeline ran, with its report and the transformed target. */
  readonly onFinish: ((report: RunReport, target: PassTarget) => void | Promise<void>)[];
  /** Called when the pipeline failed, before the error reaches the user. */
  readonly onFailure: ((error: unknown) => void)[];
  /** The registry as it is now (after plugins). */
  registry(): PassRegistry;
}

/** One group of flags: its options (for both commands) and how their values shape a run. */
export interface PassManagerFlagGroup {
  readonly name: string;
  options(command: PassManagerCommand): Option[];
  apply?(values: FlagValues, run: PassManagerRun): void | Promise<void>;
}

/** Every shared flag group, applied in this order (plugins first: later groups check pass names). */
export const PASS_MANAGER_FLAG_GROUPS: readonly PassManagerFlagGroup[] = [
  pluginFlags,
  pipelineFlags,
  printFlags,
  summaryFlags,
  checkFlags,
  failureFlags,
  reportFlags,
];

/** Adds every shared flag to a command. */
export function addPassManagerFlags(command: Command, which: PassManagerCommand): Command {
  for (const group of PASS_MANAGER_FLAG_GROUPS) for (const o of group.options(which)) command.addOption(o);
  return command;
}

/** Builds the container (with `modules`, then plugins) and applies every flag group's values. */
export async function setUpPassManager(
  values: FlagValues,
  io: CliIO,
  command: PassManagerCommand,
  modules: readonly ContainerModule[],
): Promise<PassManagerRun> {
  const sink = { write: (text: string) => io.err(text) };
  const container = createContainer({ output: sink, logger: new SinkLogger(sink), modules });
  const run: PassManagerRun = {
    io,
    command,
    container,
    instrumentation: {},
    pipelineOptions: {},
    pipeline: undefined,
    onPlan: [],
    onFinish: [],
    onFailure: [],
    registry: () => getPassManager(container).registry,
  };
  for (const group of PASS_MANAGER_FLAG_GROUPS) await group.apply?.(values, run);
  return run;
}

/**
 * Plans and runs `pipeline` on `target` with what the flags set up. Returns undefined when a flag
 * stopped the command after planning (e.g. --print-pipeline-passes).
 */
export async function runWithFlags(
  run: PassManagerRun,
  target: PassTarget,
  pipeline: PipelineSource,
  extra: RunOptions = {},
): Promise<RunReport | undefined> {
  const pm = getPassManager(run.container);
  const options: RunOptions = {
    ...extra,
    options: { ...extra.options, ...run.pipelineOptions },
    instrumentation: { ...extra.instrumentation, ...run.instrumentation },
  };
  if (run.onPlan.length) {
    const plan = pm.plan(pipeline, options);
    for (const hook of run.onPlan) if (hook(plan) === 'stop') return undefined;
  }
  let report: RunReport;
  try {
    report = pm.run(target, pipeline, options);
  } catch (error) {
    for (const hook of run.onFailure) hook(error);
    throw error;
  }
  for (const hook of run.onFinish) await hook(report, target);
  return report;
}
