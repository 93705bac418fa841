// PassManager: plans a pipeline, then runs it on a graph or module: passes on their targets, fixpoint
// and conditional groups, analyses cached and invalidated, instruments around every pass, and a
// PassFailure (with a reproducer) when a pass throws.

import { inject, injectable, multiInject, optional } from 'inversify';
import { hasErrorCode, isTsFreezeError, PassFailure, PipelineError, type TsFreezeError } from '../errors.js';
import { AnalysisManager } from './analysis-manager.js';
import {
  anchorLabel,
  anchorScopes,
  checkAnchors,
  inputScope,
  invocationLabel,
  type RunScope,
} from './anchors.js';
import { changedTargets, verifyPreservedAnalyses } from './analysis-verification.js';
import { bump, checkResult, MANAGER_STATISTICS, passContext, unreportedChange } from './pass-context.js';
import { normalizeSource, withExtensions } from './pipeline-source.js';
import { irStamp } from './ir-stamp.js';
import type { Logger, OptionLiteral, OutputSink, PassContext, PassResult } from './contracts.js';
import type {
  InstrumentationOptions,
  PassInstrument,
  PassInvocation,
  RunInfo,
  RunReport,
} from './instruments/instrument.js';
import { type ParsedPipelineJson } from './pipeline-json.js';
import {
  buildPlan,
  checkExtensionPoints,
  planPasses,
  topScope,
  type PassStep,
  type PlanStep,
} from './plan.js';
import { extensionPoints, type Pipeline, type PipelineDefinition } from './pipeline.js';
import { printPipelineText } from './pipeline-text.js';
import { checkProperties, missingProperty } from './plan-properties.js';
import { expandedPipelineText } from './plan-text.js';
import type { PassRegistry } from './registry.js';
import type { ExtensionInput } from './container.js';
import { checkTarget, isGraphTarget, methodGraphsOf, type PassTarget } from './targets.js';
import { INSTRUMENT, INSTRUMENTATION_DEFAULTS, LOGGER, OUTPUT, PASS_REGISTRY } from './tokens.js';

/** A pipeline in any accepted form: text, a Pipeline, a definition, or a parsed JSON file. */
export type PipelineSource = string | Pipeline | PipelineDefinition | ParsedPipelineJson;

/** Per-run settings. */
export interface RunOptions {
  /** Pipeline-level option values (`$name` references and `when{option=name}` read them). */
  readonly options?: Readonly<Record<string, OptionLiteral>>;
  /** Instruments to switch on (merged over the container's INSTRUMENTATION_DEFAULTS). */
  readonly instrumentation?: InstrumentationOptions;
  /** IR properties the input already has. */
  readonly properties?: readonly string[];
  /** Passes to insert at extension points for this run only (besides those registered in the container). */
  readonly extensions?: readonly ExtensionInput[];
}

/** A planned pipeline: the executable steps and the canonical text of the source. */
export interface Plan {
  readonly steps: readonly PlanStep[];
  readonly text: string;
}

// Errors building a pass or analysis, raised while planning.
const BUILD_ERRORS = ['MISSING_BINDING', 'AMBIGUOUS_BINDING', 'PASS_CONSTRUCTION', 'BAD_PLUGIN'];

export { MANAGER_STATISTICS } from './pass-context.js';

interface RunState {
  readonly report: RunReport;
  readonly analyses: AnalysisManager;
  readonly instruments: readonly PassInstrument[];
  readonly instrumentation: InstrumentationOptions;
  readonly properties: Set<string>;
  /** property -> the pass that last invalidated it (for messages). */
  readonly lostBy: Map<string, string>;
  readonly passesRun: string[];
  /** Whether the latest run of each pass changed the IR (for when{changed=...}). */
  readonly lastChanged: Map<string, boolean>;
  invocations: number;
}

/** Runs pipelines. Get one from the container: `container.get<PassManager>(PASS_MANAGER)`. */
@injectable()
export class PassManager {
  constructor(
    @inject(PASS_REGISTRY) readonly registry: PassRegistry,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OUTPUT) private readonly output: OutputSink,
    @multiInject(INSTRUMENT) @optional() private readonly instruments: readonly PassInstrument[] = [],
    @inject(INSTRUMENTATION_DEFAULTS) @optional() private readonly defaults: InstrumentationOptions = {},
  ) {
    this.instruments = instruments ?? [];
    this.defaults = defaults ?? {};
  }

  /** Parses (if text) and plans a pipeline without running it: every name, option and property checked. */
  plan(source: PipelineSource, options: RunOptions = {}): Plan {
    const { pipeline, declarations, owner, name } = normalizeSource(source);
    const scope = topScope(declarations, options.options ?? {}, owner, name);
    const registry = withExtensions(this.registry, options.extensions ?? []);
    if (name !== undefined) checkExtensionPoints(registry, name, extensionPoints(pipeline.elements));
    const steps = buildPlan(registry, pipeline.elements, scope);
    checkProperties(steps, options.properties ?? [], this.registry);
    // Every analysis a pass requires or preserves must be registered (a typo here would fail mid-run).
    const analyses = new AnalysisManager(this.registry.analyses, this.logger);
    for (const step of planPasses(steps)) {
      const d = step.declaration;
      for (const ref of [...d.requires, ...(d.preserves === 'all' ? [] : d.preserves)])
        analyses.nameOf(ref, `pass '${d.name}'`);
    }
    return { steps, text: printPipelineText(pipeline) };
  }

  /** Runs a pipeline on a graph or module, in place. Throws PipelineError before any change, PassFailure on a failing pass. */
  run(target: PassTarget, source: PipelineSource, options: RunOptions = {}): RunReport {
    checkTarget(target);
    const instrumentation: InstrumentationOptions = { ...this.defaults, ...options.instrumentation };
    const instruments = this.instruments.filter((i) => i.isEnabled(instrumentation));
    const report: RunReport = {
      changed: false,
      executed: [],
      statistics: {},
      remarks: [],
      warnings: [],
      analysisComputations: {},
      properties: [],
    };
    const runInfo = (text: string, expanded: string): RunInfo => ({
      target,
      pipelineText: text,
      expandedPipeline: expanded,
      pipelineOptions: options.options ?? {},
      plugins: this.registry.plugins,
      options: instrumentation,
      output: this.output,
      report,
    });
    let plan: Plan;
    try {
      plan = this.plan(source, options);
    } catch (error) {
      // A pass that cannot be built (a plugin's missing binding) fails here: reproducible too, when asked.
      if (!BUILD_ERRORS.includes((error as { code?: string }).code ?? '')) throw error;
      const text = printPipelineText(normalizeSource(source).pipeline);
      let path: string | undefined;
      for (const i of instruments) path = i.runFailed?.(runInfo(text, text), error) ?? path;
      if (!path || !isTsFreezeError(error)) throw error;
      throw new PipelineError(
        error.code,
        `${error.message}\nreproducer: ${path}\nreplay it: tsfreeze opt --run-reproducer ${path}`,
        { cause: error },
      );
    }
    const state: RunState = {
      report,
      analyses: new AnalysisManager(this.registry.analyses, this.logger),
      instruments,
      instrumentation,
      properties: new Set(options.properties ?? []),
      lostBy: new Map(),
      passesRun: [],
      lastChanged: new Map(),
      invocations: 0,
    };
    checkAnchors(plan.steps, inputScope(target));
    const info = runInfo(plan.text, expandedPipelineText(plan.steps));
    for (const i of instruments) i.beforePipeline?.(info);
    report.changed = this.runSteps(plan.steps, inputScope(target), state);
    for (const [name, n] of state.analyses.computations) report.analysisComputations[name] = n;
    report.properties.push(...[...state.properties].sort());
    for (const i of instruments) i.afterPipeline?.(info, report);
    return report;
  }

  private runSteps(steps: readonly PlanStep[], scope: RunScope, state: RunState): boolean {
    let changed = false;
    for (const step of steps) {
      switch (step.kind) {
        case 'pass':
          changed = this.runPass(step, scope, state) || changed;
          break;
        case 'when':
          if (!step.active) break;
          this.group(
            state,
            { kind: 'when', label: step.label },
            () => (changed = this.runSteps(step.body, scope, state) || changed),
          );
          break;
        case 'when-changed':
          if (!state.lastChanged.get(step.pass)) break;
          this.group(
            state,
            { kind: 'when', label: step.label },
            () => (changed = this.runSteps(step.body, scope, state) || changed),
          );
          break;
        case 'pipeline':
          this.group(
            state,
            { kind: 'pipeline', label: step.name },
            () => (changed = this.runSteps(step.body, scope, state) || changed),
          );
          break;
        case 'fixpoint':
          changed = this.runFixpoint(step.body, step.max, step.label, scope, state) || changed;
          break;
        case 'anchor':
          // The whole body on each named part in turn (MLIR's nested pass managers).
          for (const inner of anchorScopes(step, scope))
            this.group(
              state,
              { kind: 'anchor', label: anchorLabel({ on: step.on, names: [inner.method ?? inner.path] }) },
              () => (changed = this.runSteps(step.body, inner, state) || changed),
            );
          break;
      }
    }
    return changed;
  }

  private runFixpoint(
    body: readonly PlanStep[],
    max: number,
    label: string,
    scope: RunScope,
    state: RunState,
  ): boolean {
    let any = false;
    for (let iteration = 1; ; iteration++) {
      let changed = false;
      this.group(
        state,
        { kind: 'fixpoint', label, iteration },
        () => (changed = this.runSteps(body, scope, state)),
      );
      any ||= changed;
      if (!changed) return any;
      if (iteration >= max) {
        const names = [...new Set(body.flatMap(stepNames))].join(',');
        const message = `${label}(${names}) reached its limit of ${max} iterations while the IR was still changing`;
        state.report.warnings.push(message);
        state.report.remarks.push({ pass: 'fixpoint', target: 'pipeline', message });
        this.logger.warn(message);
        bump(state.report, MANAGER_STATISTICS, 'fixpoint-limit-reached', 1);
        return any;
      }
    }
  }

  private group(
    state: RunState,
    info: Parameters<NonNullable<PassInstrument['beforeGroup']>>[0],
    body: () => void,
  ): void {
    for (const i of state.instruments) i.beforeGroup?.(info);
    body();
    for (const i of state.instruments) i.afterGroup?.(info);
  }

  private runPass(step: PassStep, scope: RunScope, state: RunState): boolean {
    const decl = step.declaration;
    const { target } = scope;
    type Unit = Pick<PassInvocation, 'target' | 'label' | 'module' | 'methodName' | 'modulePath'>;
    const modulePath = scope.path;
    let units: Unit[];
    if (decl.target === 'module') {
      if (isGraphTarget(target)) {
        throw new PipelineError(
          'WRONG_TARGET',
          `pass '${decl.name}' runs on modules, but the pipeline input is a single graph`,
        );
      }
      units = [{ target, label: invocationLabel(scope), module: target, modulePath }];
    } else if (isGraphTarget(target)) {
      units = [{ target, label: 'graph', module: undefined }];
    } else {
      units = methodGraphsOf(target)
        .filter((m) => scope.method === undefined || m.name === scope.method)
        .map((m) => ({
          target: m.graph,
          label: invocationLabel(scope, m.name),
          module: target,
          methodName: m.name,
          modulePath,
        }));
    }
    let changed = false;
    for (const unit of units) {
      const invocation: PassInvocation = {
        pass: decl,
        options: step.options,
        ...unit,
        text: step.text,
        number: ++state.invocations,
      };
      changed = this.invoke(step, invocation, scope, state) || changed;
    }
    state.passesRun.push(decl.name);
    // Every declared statistic of a pass that ran reads as a number (0 when nothing was counted).
    const table = (state.report.statistics[decl.name] ??= {});
    for (const st of decl.statistics) table[st.name] ??= 0;
    state.lastChanged.set(decl.name, changed);
    for (const p of decl.establishesProperties) {
      state.properties.add(p);
      state.lostBy.delete(p);
    }
    return changed;
  }

  // One pass on one target, with every instrument hook; failures become PassFailure.
  private invoke(step: PassStep, invocation: PassInvocation, scope: RunScope, state: RunState): boolean {
    const decl = step.declaration;
    if (state.instruments.some((i) => i.shouldRun && !i.shouldRun(invocation))) {
      state.report.executed.push({ pass: decl.name, label: invocation.label, changed: false, skipped: true });
      for (const i of state.instruments) i.passSkipped?.(invocation);
      return false;
    }
    for (const p of decl.requiresProperties)
      if (!state.properties.has(p)) throw missingProperty(decl.name, p, this.registry, state.lostBy.get(p));
    let result: PassResult;
    try {
      for (const i of state.instruments) i.beforePass?.(invocation);
      const context = passContext(step, invocation, state.report, state.analyses, this.logger);
      const before = irStamp(invocation.target);
      result = checkResult(
        decl.name,
        (step.instance.run as (t: unknown, c: PassContext) => unknown).call(
          step.instance,
          invocation.target,
          context,
        ),
      );
      if (!result.changed && irStamp(invocation.target) !== before)
        result = unreportedChange(invocation, state.instrumentation, state.report, this.logger);
      for (const i of state.instruments) i.afterPass?.(invocation, result);
      this.afterChange(invocation, result, scope, state);
    } catch (error) {
      if (hasErrorCode(error, 'PASS_FAILED')) throw error;
      const failure = { error, passesBefore: [...state.passesRun] };
      let reproducer: string | undefined;
      for (const i of state.instruments) reproducer = i.passFailed?.(invocation, failure) ?? reproducer;
      throw new PassFailure(decl.name, [...state.passesRun], reproducer, error);
    }
    state.report.executed.push({
      pass: decl.name,
      label: invocation.label,
      changed: result.changed,
      skipped: false,
    });
    return result.changed;
  }

  // After a pass ran: analyses and IR properties it broke are dropped; with --verify-analysis-invalidation,
  // what it kept is recomputed and compared.
  private afterChange(
    invocation: PassInvocation,
    result: PassResult,
    scope: RunScope,
    state: RunState,
  ): void {
    const decl = invocation.pass;
    for (const p of [...decl.invalidatesProperties, ...(result.invalidatedProperties ?? [])]) {
      state.properties.delete(p);
      state.lostBy.set(p, decl.name);
    }
    if (!result.changed) return;
    const preserved = result.preserved ?? decl.preserves;
    state.analyses.invalidate(invocation.target, preserved, invocation.module, scope.enclosing);
    if (state.instrumentation.verifyAnalysisInvalidation)
      verifyPreservedAnalyses(state.analyses, changedTargets(invocation, scope), decl.name);
  }
}

function stepNames(step: PlanStep): string[] {
  if (step.kind === 'pass') return [step.declaration.name];
  if (step.kind === 'pipeline') return [step.name];
  if (step.kind === 'anchor') return [anchorLabel(step)];
  return step.body.flatMap(stepNames);
}

/** True for errors a user fixes in the pipeline or its input (shown without a stack trace). */
export function isUserError(error: unknown): error is TsFreezeError {
  return isTsFreezeError(error) && error.code !== 'INTERNAL';
}
