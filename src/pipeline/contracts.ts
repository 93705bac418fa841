// The contracts of the pass framework: what a pass, an analysis, a pass context and an instrument look like.
// Everything a pass author implements or receives is declared here; the machinery lives elsewhere.

import type { Graph, Node } from '../ir/index.js';

// ---- options ----------------------------------------------------------------------------------

/** The type of a pass or pipeline option. Lists accept a single value too (`preserve=version`). */
export type OptionType =
  'boolean' | 'integer' | 'number' | 'string' | 'boolean[]' | 'integer[]' | 'number[]' | 'string[]';

/** A literal option value as written in a pipeline (text or JSON). */
export type OptionLiteral = string | number | boolean | readonly OptionLiteral[];

/** A resolved option value, as a pass receives it. */
export type OptionValue =
  string | number | boolean | readonly string[] | readonly number[] | readonly boolean[];

/** The TypeScript type of a value of option type `T`. */
export type ValueOfOptionType<T extends OptionType> = T extends 'boolean'
  ? boolean
  : T extends 'integer' | 'number'
    ? number
    : T extends 'string'
      ? string
      : T extends 'boolean[]'
        ? readonly boolean[]
        : T extends 'string[]'
          ? readonly string[]
          : readonly number[];

/** One declared option: its type, default (a zero value of the type when omitted) and a description. */
export interface OptionDeclaration<T extends OptionType = OptionType> {
  readonly type: T;
  readonly default?: ValueOfOptionType<T>;
  readonly description: string;
  /** For string options: the allowed values. */
  readonly choices?: readonly string[];
}

/** A table of declared options. */
export type OptionDeclarations = Readonly<Record<string, OptionDeclaration>>;

/** The options object a pass receives, typed from its declarations: `PassContext<OptionsOf<typeof OPTIONS>>`. */
export type OptionsOf<D extends OptionDeclarations> = {
  readonly [K in keyof D]: ValueOfOptionType<D[K]['type']>;
};

/** Resolved options of a pass when their declaration type is not spelled out. */
export type PassOptions = Readonly<Record<string, OptionValue>>;

// ---- targets ----------------------------------------------------------------------------------

/** A method of a module: a name and its graph (first input `self`). */
export interface MethodLike {
  readonly name: string;
  readonly graph: Graph;
}

/**
 * What a module pass receives. Narrow on purpose: the module model (src/module) satisfies it, and so
 * does any object exposing its methods' graphs.
 */
export interface ModuleTarget {
  readonly methods:
    Iterable<MethodLike> | ReadonlyMap<string, { readonly graph: Graph }> | (() => Iterable<MethodLike>);
  /** The direct submodules by attribute name (what `submodules(...)` anchors walk); none when absent. */
  namedChildren?(): Iterable<readonly [string, ModuleTarget]>;
}

/** Whether a pass runs on each method graph or on the whole module. */
export type PassTargetKind = 'graph' | 'module';

// ---- passes -----------------------------------------------------------------------------------

/** What `run` reports. Report `changed` honestly: fixpoints, invalidation and print-changed rely on it. */
export interface PassResult {
  readonly changed: boolean;
  /**
   * Analyses still valid although the IR changed, decided at run time (overrides the declaration's
   * `preserves` for this invocation): `'all'`, or a list of analysis classes/names.
   */
  readonly preserved?: readonly AnalysisRef[] | 'all';
  /** IR properties this invocation broke (besides the declared `invalidatesProperties`): later passes requiring them fail. */
  readonly invalidatedProperties?: readonly string[];
}

/** A statistic a pass counts, with an optional description for the `--stats` report. */
export interface StatisticDeclaration {
  readonly name: string;
  readonly description?: string;
}

/** How a pass names an analysis: its class, its declared name, or its declared token. */
export type AnalysisRef = AnalysisClass | string | symbol;

/** What a pass class declares with `@pass({...})`. */
export interface PassDeclarationInput {
  /** kebab-case; the one name used by pipelines, the CLI, tests and docs. */
  readonly name: string;
  /** One line for `--list-passes` and the docs. */
  readonly summary: string;
  /** 'graph' (default): runs on every method graph of a module. 'module': gets the module. */
  readonly target?: PassTargetKind;
  readonly options?: OptionDeclarations;
  /** Analyses the pass asks for (checked to exist before the pipeline runs). */
  readonly requires?: readonly AnalysisRef[];
  /** Analyses still valid after the pass changed the IR, or 'all'. */
  readonly preserves?: readonly AnalysisRef[] | 'all';
  readonly statistics?: readonly (string | StatisticDeclaration)[];
  /** IR properties that must hold before the pass runs (e.g. 'inlined'). */
  readonly requiresProperties?: readonly string[];
  /** IR properties that hold after it ran. */
  readonly establishesProperties?: readonly string[];
  /** IR properties that no longer hold after it ran (e.g. a pass that outlines calls breaks 'inlined'). */
  readonly invalidatesProperties?: readonly string[];
  /** A required pass is never skipped by opt-bisect (it is needed for correctness, not speed). */
  readonly required?: boolean;
}

/** The normalised declaration the framework reads (defaults filled in). */
export interface PassDeclaration {
  readonly name: string;
  readonly summary: string;
  readonly target: PassTargetKind;
  readonly options: OptionDeclarations;
  readonly requires: readonly AnalysisRef[];
  readonly preserves: readonly AnalysisRef[] | 'all';
  readonly statistics: readonly StatisticDeclaration[];
  readonly requiresProperties: readonly string[];
  readonly establishesProperties: readonly string[];
  readonly invalidatesProperties: readonly string[];
  readonly required: boolean;
  /** The class carrying the declaration. */
  readonly passClass: PassClass;
}

/** A pass that runs on one graph. `O`: its options (`OptionsOf<typeof OPTIONS>`); `S`: its statistic names. */
export interface GraphPass<O extends object = PassOptions, S extends string = string> {
  run(graph: Graph, context: PassContext<O, S>): PassResult;
}

/** A pass that runs on a whole module. */
export interface ModulePass<
  M extends ModuleTarget = ModuleTarget,
  O extends object = PassOptions,
  S extends string = string,
> {
  run(module: M, context: PassContext<O, S>): PassResult;
}

/** Any pass instance. */
export interface Pass {
  run(target: never, context: never): PassResult;
}

/** A pass class (constructed by the container, so constructor parameters are injected). */
export type PassClass = abstract new (...args: never[]) => Pass;

/** A diagnostic note from a pass: why something did not apply. Data, not an exception. */
export interface Remark {
  readonly pass: string;
  /** Where: `method forward`, or `graph`. */
  readonly target: string;
  /** The node it is about, printed briefly (`aten::batch_norm -> %y`), if any. */
  readonly node?: string;
  readonly message: string;
}

/** What a pass receives besides its target. `S` narrows `count` to the declared statistic names. */
export interface PassContext<O extends object = PassOptions, S extends string = string> {
  readonly pass: PassDeclaration;
  /** This invocation's options: validated, defaults filled, pipeline references resolved. */
  readonly options: O;
  /** The pipeline-level options of the enclosing pipeline (e.g. freeze's optimizeNumerics). */
  readonly pipelineOptions: PassOptions;
  /** The module when the pipeline runs on a module (also for graph passes, which see one method at a time). */
  readonly module: ModuleTarget | undefined;
  /** The method whose graph a graph pass is processing, when the input is a module. */
  readonly methodName: string | undefined;
  readonly logger: Logger;
  /** Adds `n` (default 1) to a declared statistic; an undeclared name is a bug in the pass. */
  count(statistic: S, n?: number): void;
  /** Records why something was not done (`not folded: conv output has other users`). */
  remark(node: Node | undefined, message: string): void;
  /**
   * The result of an analysis on the current target (a graph analysis: the graph; a module analysis:
   * the module), computed on first request and cached until a pass that does not preserve it changes the IR.
   */
  getAnalysis<R>(analysis: AnalysisClass<R>, target?: Graph | ModuleTarget): R;
  getAnalysis(analysis: string | symbol, target?: Graph | ModuleTarget): unknown;
}

// ---- analyses ---------------------------------------------------------------------------------

/** What an analysis class declares with `@analysis({...})`. */
export interface AnalysisDeclarationInput {
  readonly name: string;
  readonly summary?: string;
  /** A token to request it by (`Symbol.for('my-plugin.AliasDb')`), for code that cannot import the class. */
  readonly token?: symbol;
  /** 'graph' (default) or 'module': what `compute` receives. */
  readonly target?: PassTargetKind;
}

/** The normalised analysis declaration. */
export interface AnalysisDeclaration {
  readonly name: string;
  readonly summary: string;
  readonly token: symbol | undefined;
  readonly target: PassTargetKind;
  readonly analysisClass: AnalysisClass;
}

/** An analysis: a computation over a graph or module whose result is cached and invalidated. */
export interface Analysis<T = Graph, R = unknown> {
  compute(target: T, context: AnalysisContext): R;
  /**
   * What `--verify-analysis-invalidation` compares between a cached result and a fresh one: a plain
   * form of `result` (strings, numbers, arrays, plain objects). Without it, the result itself is
   * walked structurally (IR objects by identity, Maps and Sets by content).
   */
  fingerprint?(result: R): unknown;
}

/** What an analysis receives: other analyses (on the same target by default) and the logger. */
export interface AnalysisContext {
  readonly logger: Logger;
  getAnalysis<R>(analysis: AnalysisClass<R>, target?: Graph | ModuleTarget): R;
  getAnalysis(analysis: string | symbol, target?: Graph | ModuleTarget): unknown;
}

/** An analysis class; `R` is what `compute` returns. */
export type AnalysisClass<R = unknown> = abstract new (...args: never[]) => {
  compute(target: never, context: AnalysisContext): R;
};

// ---- services ---------------------------------------------------------------------------------

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The logger (token LOGGER). */
export interface Logger {
  log(level: LogLevel, message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A text sink (token OUTPUT): where instruments write. */
export interface OutputSink {
  write(text: string): void;
}

/** The IR verifier (token GRAPH_VERIFIER): throws VerifyError on a broken invariant. */
export type GraphVerifier = (graph: Graph) => void;

/** A plugin loaded into a container (`--plugin`): what was asked for, the file it resolved to, its passes. */
export interface PluginRecord {
  /** As given: a path or a package name. */
  readonly spec: string;
  /** The absolute file imported. */
  readonly file: string;
  /** Names of the passes it registered. */
  readonly passes: readonly string[];
}
