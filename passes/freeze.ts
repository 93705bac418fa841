// freeze(): torch.jit.freeze for tsfreeze. Clones the module and runs the `freeze` pipeline declared in
// pipelines/freeze.json (or a user's variant of it) on the clone; the original is unchanged.

import {
  FreezeError,
  ScriptModule,
  analysesModule,
  createContainer,
  getPassManager,
  parsePipelineJson,
  pipelinesModule,
  type ContainerSettings,
  type InstrumentationOptions,
  type PipelineSource,
  type RunReport,
  type Container,
  type ContainerModule,
} from '../src/index.js';
import { AliasAnalysis } from './alias-analysis.js';
import { checkEvalMode, resolvePreserved } from './freeze/preserved.js';
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
}

/** The freeze pipeline as declared in pipelines/freeze.json. */
export const FREEZE_PIPELINE_JSON: unknown = freezePipeline;

const FREEZE_DEFINITION = parsePipelineJson(freezePipeline);

/** The container modules of everything built in: passes, the alias analysis, the `freeze` pipeline. */
export function builtinContainerModules(): ContainerModule[] {
  return [builtinPassesModule, analysesModule([AliasAnalysis]), pipelinesModule([freezePipeline])];
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
}

/** Freezes `module` and returns the frozen copy with the pipeline's report (timing, statistics, remarks). */
export function freezeWithReport(module: ScriptModule, options: FreezeOptions = {}): FreezeResult {
  if (!(module instanceof ScriptModule)) {
    throw new FreezeError(
      'NOT_A_SCRIPT_MODULE',
      "Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to script your 'nn.Module'.",
    );
  }
  // The user-facing checks run first, so their FreezeError reaches the caller as is (not as a PassFailure).
  checkEvalMode(module);
  resolvePreserved(module, options.preservedAttrs ?? []);
  const clone = module.clone();
  const container = options.container ?? createFreezeContainer();
  // The declaration itself, not the name 'freeze': run options only reach the pipeline whose option
  // declarations are at the top level (a named pipeline inside a text pipeline gets its defaults).
  const report = getPassManager(container).run(clone, options.pipeline ?? FREEZE_DEFINITION, {
    options: {
      preservedAttrs: [...(options.preservedAttrs ?? [])],
      optimizeNumerics: options.optimizeNumerics ?? true,
    },
    // Reproducers print the whole IR before every pass: worth it when asked for, too slow by default.
    instrumentation: { reproducer: false, ...options.instrumentation },
  });
  return { module: clone, report };
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
