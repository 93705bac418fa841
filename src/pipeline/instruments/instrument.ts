// The instrument contract: hooks the pass manager calls around the pipeline, groups and every pass,
// and the run report they read. Instruments are injectable (multi-bound to INSTRUMENT).

import { printGraph, type Graph, type PrintOptions } from '../../ir/index.js';
import type {
  ModuleTarget,
  OptionLiteral,
  OutputSink,
  PluginRecord,
  PassDeclaration,
  PassOptions,
  PassResult,
  Remark,
} from '../contracts.js';
import { isGraphTarget, methodGraphsOf, type PassTarget } from '../targets.js';
import type { CheckNumericsOptions, NumericsReport } from './check-numerics.js';
import type { RunRecorder } from './record.js';

/** Which instruments a run switches on (API options; the CLI flags map onto these). */
export interface InstrumentationOptions {
  /** Print a timing tree after the run (`--time-passes`). */
  readonly timePasses?: boolean;
  /** Print the IR before every pass (true) or before the named passes. */
  readonly printBefore?: boolean | readonly string[];
  /** Print the IR after every pass (`--print-after-all`) or after the named passes (`--print-after NAME`). */
  readonly printAfter?: boolean | readonly string[];
  /** Print the IR at the start and after each pass that changed it (`--print-changed`), or as a unified diff ('diff'). */
  readonly printChanged?: boolean | 'diff';
  /** Print the IR a failing pass left behind (`--print-after-failure`). */
  readonly printAfterFailure?: boolean;
  /** Print only these methods of a module (`--filter-print-methods`); all when absent. */
  readonly printMethods?: readonly string[];
  /** Recompute the analyses a changed pass says it preserved and report stale ones (`--verify-analysis-invalidation`). */
  readonly verifyAnalysisInvalidation?: boolean;
  /**
   * A pass that changed the IR but returned `{ changed: false }` (caught by the graphs' mutation epochs):
   * 'error' (default) fails it with CHANGED_NOT_REPORTED; 'warn' records a warning and treats it as
   * changed, preserving nothing (`--unreported-changes=warn`, for a plugin you cannot fix).
   */
  readonly unreportedChanges?: 'error' | 'warn';
  /** Skip every invocation of these passes (`--disable-pass`). */
  readonly disabledPasses?: readonly string[];
  /** Run the IR verifier on the input and after every pass (`--verify-each`; on in tests). */
  readonly verifyEach?: boolean;
  /** Print the statistics the passes counted (`--stats`). */
  readonly statistics?: boolean;
  /** Write a reproducer when a pass fails: true (default) in the temp dir, `{ dir }` elsewhere, false never. */
  readonly reproducer?: boolean | { readonly dir?: string };
  /** Run only the first N optional pass invocations (`--opt-bisect-limit N`); -1 or undefined: all. */
  readonly optBisectLimit?: number;
  /** Record the run for a report (`--report FILE`): timings, counts and the graphs each pass changed. */
  readonly record?: RunRecorder;
  /**
   * Run the module before the pipeline and after every changing pass and compare its outputs with a
   * float64 run of the original (`--check-numerics`); the result is `report.numerics`.
   */
  readonly checkNumerics?: boolean | CheckNumericsOptions;
}

/** One execution of one pass on one target (a graph, a method graph, or a module). */
export interface PassInvocation {
  readonly pass: PassDeclaration;
  readonly options: PassOptions;
  /** What `run` receives: a graph (also each method graph of a module) or the module. */
  readonly target: Graph | ModuleTarget;
  /** The module being processed, when the pipeline input is a module. */
  readonly module: ModuleTarget | undefined;
  /** `graph`, the method name, or `module` (in a submodule: `layer1.0.forward`, `layer1.0`). */
  readonly label: string;
  /** The method whose graph `target` is, when the input is a module. */
  readonly methodName?: string;
  /** The dotted path of `module` from the input inside `submodules(...)`; '' (or absent) for the input. */
  readonly modulePath?: string;
  /** This pass with its resolved options, as pipeline text (what a reproducer runs). */
  readonly text: string;
  /** 1-based count of invocations so far in the run. */
  readonly number: number;
}

/** A group being entered or left: a fixpoint iteration, an active `when`, or a named pipeline. */
export interface GroupInfo {
  readonly kind: 'fixpoint' | 'when' | 'pipeline' | 'anchor';
  /** `fixpoint(c,d)`, `when{option=x}`, the pipeline name, or `methods(forward)` / `submodules(layer1.0)`. */
  readonly label: string;
  /** For fixpoint groups: the 1-based iteration. */
  readonly iteration?: number;
}

/** What every hook can see about the run. */
export interface RunInfo {
  readonly target: PassTarget;
  /** The whole pipeline as canonical text. */
  readonly pipelineText: string;
  /** The pipeline as it runs: named pipelines inlined, `when` decided, options resolved (runnable text). */
  readonly expandedPipeline: string;
  /** The pipeline-level option values of the run. */
  readonly pipelineOptions: Readonly<Record<string, OptionLiteral>>;
  /** The plugins loaded into the container. */
  readonly plugins: readonly PluginRecord[];
  readonly options: InstrumentationOptions;
  readonly output: OutputSink;
  /** The report being filled (statistics and remarks so far); complete in afterPipeline. */
  readonly report: RunReport;
}

/** What failed and what ran before, for the reproducer. */
export interface FailureInfo {
  readonly error: unknown;
  readonly passesBefore: readonly string[];
}

/** One pass invocation as the report lists it. */
export interface ExecutedPass {
  readonly pass: string;
  readonly label: string;
  readonly changed: boolean;
  /** True when opt-bisect skipped it. */
  readonly skipped: boolean;
}

/** What a run returns. */
export interface RunReport {
  changed: boolean;
  readonly executed: ExecutedPass[];
  /** pass name -> statistic -> count (only counted statistics). `pass-manager` holds the manager's own. */
  readonly statistics: Record<string, Record<string, number>>;
  readonly remarks: Remark[];
  readonly warnings: string[];
  /** analysis name -> times computed (cache misses). */
  readonly analysisComputations: Record<string, number>;
  /** IR properties established by the end of the run. */
  readonly properties: string[];
  /** The numerics check, when `checkNumerics` was on. */
  numerics?: NumericsReport;
}

/** An instrument. Every hook is optional; `isEnabled` decides per run from the options. */
export interface PassInstrument {
  readonly name: string;
  isEnabled(options: InstrumentationOptions): boolean;
  beforePipeline?(run: RunInfo): void;
  afterPipeline?(run: RunInfo, report: RunReport): void;
  beforeGroup?(group: GroupInfo): void;
  afterGroup?(group: GroupInfo): void;
  /** Returning false skips the invocation (opt-bisect). */
  shouldRun?(invocation: PassInvocation): boolean;
  beforePass?(invocation: PassInvocation): void;
  /** May throw (verify-each): the manager reports it as a failure of this pass. */
  afterPass?(invocation: PassInvocation, result: PassResult): void;
  passSkipped?(invocation: PassInvocation): void;
  /** Called when the pass (or an afterPass hook) threw; may return the path of a reproducer it wrote. */
  passFailed?(invocation: PassInvocation, failure: FailureInfo): string | undefined;
  /** Called when the run failed before any pass (a pass that cannot be built); may return a reproducer path. */
  runFailed?(run: RunInfo, error: unknown): string | undefined;
}

/** The IR of a target as text: the graph, or each method graph under a `// method NAME` line. */
export function irText(
  target: Graph | ModuleTarget,
  options: PrintOptions = {},
  methods?: readonly string[],
): string {
  if (isGraphTarget(target)) return ensureNewline(printGraph(target, options));
  return methodGraphsOf(target)
    .filter((m) => !methods || methods.includes(m.name))
    .map((m) => `// method ${m.name}\n${ensureNewline(printGraph(m.graph, options))}`)
    .join('');
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
