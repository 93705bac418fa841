// freeze(): torch.jit.freeze for tsfreeze. Clones the module and runs the `freeze` pipeline declared in
// pipelines/freeze.json (or a user's variant of it) on the clone; the original is unchanged. With
// `consume`, the module itself is frozen (moved into the clone's types, no copies) and is unusable after.

import {
  FreezeError,
  ScriptModule,
  analysesModule,
  createContainer,
  getPassManager,
  pipelineDefinitionFromTypedJson,
  pipelinesModule,
  type ContainerSettings,
  type InstrumentationOptions,
  type PipelineDefinition,
  type PipelineSource,
  type RunReport,
  type RunOptions,
  type ExtensionInput,
  type RunRecord,
  RunRecorder,
  isScriptModule,
  consumeModule,
  markOwnsItsTensors,
  type Container,
  type ContainerModule,
} from '../src/index.js';
import { AliasAnalysis } from './alias-analysis.js';
import { checkEvalMode, resolvePreserved } from './freeze/preserved.js';
import { recordFreezeFacts } from './freeze/record-facts.js';
import { freezeReportOf, type AttributeExplanation } from './freeze/report.js';
import freezePipeline from './pipelines/freeze.json' with { type: 'json' };
import { builtinPassesModule } from './index.js';

/** Options of `freeze`, named as in torch.jit.freeze. */
export interface FreezeOptions {
  /** Attributes and methods to keep besides forward (`['version', 'sub.count', 'other_method']`). */
  readonly preservedAttrs?: readonly string[];
  /** Run the passes that may change numerics slightly (default true). */
  readonly optimizeNumerics?: boolean;
  /** Another pipeline to run instead of the built-in `freeze` (a name, text, or parsed JSON). */
  readonly pipeline?: PipelineSource;
  /** Instruments to switch on (timing, print-after-all, verify-each, ...). */
  readonly instrumentation?: InstrumentationOptions;
  /** A container to use (with plugins loaded); a fresh built-in one by default. */
  readonly container?: Container;
  /**
   * Passes to insert at freeze's extension points (`after-inlining`, `before-numerics`, `end`), e.g.
   * `[{ point: 'end', passes: 'my-pass' }]`; the passes must be registered in `container`.
   */
  readonly extensions?: readonly Omit<ExtensionInput, 'pipeline'>[];
  /** Record the run for an HTML report: the result's `record` (write it with `writeReport`). */
  readonly report?: boolean;
  /**
   * Freeze `module` itself instead of a clone of it (PyTorch always clones): the result is the same
   * (graphs, type names, saved bytes), but the method graphs move instead of being copied, and the
   * numerics folds may write a folded weight into the weight's own memory when nothing else can see
   * that memory. `module` is consumed: any later use of it (or of a submodule of it) throws
   * MODULE_CONSUMED, and tensors taken out of it before may hold folded values. For one-shot jobs such
   * as the CLI's (load, freeze, save). Default false. See docs/freeze.md.
   */
  readonly consume?: boolean;
}

/** What consumes a module in a consume freeze (named by the error a later use throws). */
export const CONSUMED_BY = 'freeze(module, { consume: true })';

/** The freeze pipeline as declared in pipelines/freeze.json. */
export const FREEZE_PIPELINE_JSON: unknown = freezePipeline;

let freezeDefinition: PipelineDefinition | undefined;

// The freeze pipeline, built once, on first use. Its JSON is the package's own and the compiler checks
// its shape, so it skips zod (whose first run costs ~10 ms of every freeze in a fresh process);
// test/pipeline/freeze-definition.test.ts checks it equals what zod's validation gives.
function freezeDefinitionOnce(): PipelineDefinition {
  return (freezeDefinition ??= pipelineDefinitionFromTypedJson(freezePipeline));
}

/** The container modules of everything built in: passes, the alias analysis, the `freeze` pipeline. */
export function builtinContainerModules(): ContainerModule[] {
  return [builtinPassesModule, analysesModule([AliasAnalysis]), pipelinesModule([freezeDefinitionOnce()])];
}

/** A container with every built-in pass, the alias analysis and the `freeze` pipeline registered. */
export function createFreezeContainer(settings: ContainerSettings = {}): Container {
  return createContainer({
    ...settings,
    modules: [...builtinContainerModules(), ...(settings.modules ?? [])],
  });
}

/** What a freeze returns besides the module: the pass manager's report. */
export interface FreezeResult {
  readonly module: ScriptModule;
  readonly report: RunReport;
  /** The run's record, when `report` was asked for (or a recorder given): `renderReport(record)`. */
  readonly record?: RunRecord;
}

/** What a freeze runs: the clone to freeze, the pipeline and the run options (for callers driving the pass manager). */
export interface FreezeRun {
  readonly target: ScriptModule;
  readonly pipeline: PipelineSource;
  readonly runOptions: RunOptions;
  /** Records the run (with freeze's explanations) when a report was asked for. */
  readonly recorder?: RunRecorder;
}

/** Checks `module` can be frozen as asked and returns the clone, pipeline and run options `freeze` runs. */
export function prepareFreeze(module: ScriptModule, options: FreezeOptions = {}): FreezeRun {
  if (!isScriptModule(module)) {
    throw new FreezeError(
      'NOT_A_SCRIPT_MODULE',
      "Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to script your 'nn.Module'.",
    );
  }
  // The user-facing checks run first, so their FreezeError reaches the caller as is (not as a PassFailure).
  // consume gives the module away: only an explicit boolean may ask for that (a truthy typo must not).
  if (options.consume !== undefined && typeof options.consume !== 'boolean') {
    throw new FreezeError(
      'BAD_OPTION',
      `freeze option 'consume' must be true or false, got ${JSON.stringify(options.consume) ?? String(options.consume)}`,
    );
  }
  checkEvalMode(module);
  resolvePreserved(module, options.preservedAttrs ?? []);
  const recorder = options.instrumentation?.record ?? (options.report ? new RunRecorder() : undefined);
  if (recorder) recordFreezeFacts(recorder, module);
  return {
    target: options.consume ? consumeForFreeze(module) : module.clone(),
    // The declaration itself, not the name 'freeze': run options only reach the pipeline whose option
    // declarations are at the top level (a named pipeline inside a text pipeline gets its defaults).
    pipeline: options.pipeline ?? freezeDefinitionOnce(),
    runOptions: {
      options: {
        preservedAttrs: [...(options.preservedAttrs ?? [])],
        optimizeNumerics: options.optimizeNumerics ?? true,
      },
      // Reproducers snapshot the input: off unless asked for (never a side effect of embedding).
      instrumentation: {
        reproducer: false,
        ...options.instrumentation,
        ...(recorder ? { record: recorder } : {}),
      },
      extensions: (options.extensions ?? []).map((x) => ({ ...x, pipeline: 'freeze' })),
    },
    ...(recorder ? { recorder } : {}),
  };
}

// The consume-mode target: the module moved into fresh types (consumeModule), marked as owning its tensors
// so the folds may write into the ones nothing else holds (see ownsItsTensors).
function consumeForFreeze(module: ScriptModule): ScriptModule {
  const target = consumeModule(module, CONSUMED_BY);
  markOwnsItsTensors(target);
  return target;
}

/** Freezes `module` and returns the frozen copy with the pipeline's report (timing, statistics, remarks). */
export function freezeWithReport(module: ScriptModule, options: FreezeOptions = {}): FreezeResult {
  const run = prepareFreeze(module, options);
  const container = options.container ?? createFreezeContainer();
  const report = getPassManager(container).run(run.target, run.pipeline, run.runOptions);
  return { module: run.target, report, ...(run.recorder ? { record: run.recorder.record } : {}) };
}

/** torch.jit.freeze: a frozen copy of an eval-mode module; parameters and attributes become constants. */
export function freeze(module: ScriptModule, options: FreezeOptions = {}): ScriptModule {
  return freezeWithReport(module, options).module;
}

/** Freezes and says, for every attribute, whether it was folded or kept and why. */
export function explainFreeze(
  module: ScriptModule,
  options: FreezeOptions = {},
): { readonly frozen: ScriptModule; readonly attributes: AttributeExplanation[]; readonly text: string } {
  const frozen = freeze(module, options);
  const report = freezeReportOf(frozen);
  return { frozen, attributes: report.explanations(), text: report.format() };
}
