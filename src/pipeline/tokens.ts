// Dependency-injection tokens of the pass framework: one Symbol per extension point or service.
// Each token has an interface of the same role in contracts.ts (Theia's contribution-provider style).

/** Multi-bound: every pass class (`bind(PASS).to(MyPass)`); resolved by the PassRegistry. */
export const PASS = Symbol.for('tsfreeze.Pass');
/** Multi-bound constants `{ name, passClass }`: lets registration find duplicate names without instantiating passes. */
export const PASS_DECLARATION = Symbol.for('tsfreeze.PassDeclaration');
/** Multi-bound constants: the analysis classes registered (to register each once). */
export const ANALYSIS_DECLARATION = Symbol.for('tsfreeze.AnalysisDeclaration');
/** Multi-bound: every analysis class. */
export const ANALYSIS = Symbol.for('tsfreeze.Analysis');
/** Multi-bound constants: named pipelines (`PipelineDefinition`), usable by name inside other pipelines. */
export const NAMED_PIPELINE = Symbol.for('tsfreeze.NamedPipeline');
/** Multi-bound: pass instruments (timing, printing, verification, ...). */
export const INSTRUMENT = Symbol.for('tsfreeze.Instrument');
/** The logger passes and the manager report through (`Logger`). */
export const LOGGER = Symbol.for('tsfreeze.Logger');
/** Where instruments write their reports (`OutputSink`); stderr by default. */
export const OUTPUT = Symbol.for('tsfreeze.Output');
/** The IR verifier used by verify-each (`GraphVerifier`). */
export const GRAPH_VERIFIER = Symbol.for('tsfreeze.GraphVerifier');
/** Default instrumentation settings for every run of the container's pass managers (`InstrumentationOptions`). */
export const INSTRUMENTATION_DEFAULTS = Symbol.for('tsfreeze.InstrumentationDefaults');
/** The pass registry service (`PassRegistry`). */
export const PASS_REGISTRY = Symbol.for('tsfreeze.PassRegistry');
/** The pass manager service (`PassManager`). */
export const PASS_MANAGER = Symbol.for('tsfreeze.PassManager');
/** The clock instruments time passes with (`() => milliseconds`); performance.now by default. */
export const CLOCK = Symbol.for('tsfreeze.Clock');
/** Multi-bound constants (`PluginRecord`): the plugins loaded into the container, for messages and reproducers. */
export const PLUGIN = Symbol.for('tsfreeze.Plugin');
/** Multi-bound constants (`PassBinding`): each registered pass's declaration and the service id it is built from. */
export const PASS_BINDING = Symbol.for('tsfreeze.PassBinding');
/** Multi-bound constants (`AnalysisBinding`): each registered analysis's declaration and service id. */
export const ANALYSIS_BINDING = Symbol.for('tsfreeze.AnalysisBinding');
/** The container itself, so the registry can build passes one at a time (a broken one cannot break the rest). */
export const CONTAINER = Symbol.for('tsfreeze.Container');
/** Multi-bound constants (`PipelineExtension`): passes plugins insert at a pipeline's extension points. */
export const EXTENSION = Symbol.for('tsfreeze.Extension');
