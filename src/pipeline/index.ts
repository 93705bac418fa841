// The pass framework's public API: contracts, decorators, tokens, container, manager, pipelines, instruments.

export * from './contracts.js';
export * from './tokens.js';
export { pass, analysis, getPassDeclaration, getAnalysisDeclaration, RESERVED_NAMES } from './decorators.js';
export * from './container.js';
export { PassRegistry, type RegisteredPass } from './registry.js';
export {
  PassManager,
  MANAGER_STATISTICS,
  type PipelineSource,
  type RunOptions,
  type Plan,
} from './pass-manager.js';
export { describeNode } from './pass-context.js';
export { AnalysisManager } from './analysis-manager.js';
export * from './pipeline.js';
export { expandedPipelineText } from './plan-text.js';
export { parsePipelineText, printPipelineText, printValue } from './pipeline-text.js';
export * from './pipeline-json.js';
export { optionTypes, defaultValue, resolveOptions } from './options.js';
export { editDistance, nearestName } from './edit-distance.js';
export { pipelineSyntaxError, unknownPassError, badOptionError } from './errors.js';
export { isGraphTarget, isModuleTarget, methodGraphsOf, graphsOf, type PassTarget } from './targets.js';
export { SinkLogger, BufferSink, stderrSink } from './logger.js';
export * from './instruments/instrument.js';
export { TimingInstrument, formatTimingReport, type TimingNode, type Clock } from './instruments/timing.js';
export { PrintIRInstrument, dumpHeader } from './instruments/print-ir.js';
export { VerifyEachInstrument } from './instruments/verify-each.js';
export { StatisticsInstrument, formatStatistics } from './instruments/statistics.js';
export { OptBisectInstrument } from './instruments/opt-bisect.js';
export { DisablePassInstrument } from './instruments/disable-pass.js';
export { ReproducerInstrument } from './instruments/reproducer.js';
export * from './instruments/record.js';
export * from './instruments/record-snapshot.js';
export {
  CheckNumericsInstrument,
  formatNumericsReport,
  type CheckNumericsOptions,
  type NumericsOutput,
  type NumericsPassEntry,
  type NumericsReport,
} from './instruments/check-numerics.js';
export { synthesizeInputs, type SynthesizedInputs } from './instruments/check-numerics-inputs.js';
// Pass authors inject their dependencies with inversify's decorators; they get them from here, so a
// pass (built-in or plugin) imports nothing but tsfreeze (and never a second, clashing inversify).
export { inject, injectable, multiInject, optional, type Container, type ContainerModule } from 'inversify';
export { definePass, createPassManager } from './define-pass.js';
export type {
  PassDefinition,
  DefinedPass,
  ServiceTokens,
  ServicesOf,
  TargetOf,
  PassManagerSetup,
} from './define-pass.js';
export { serviceToken, type ServiceToken, type PassBinding, type AnalysisBinding } from './bindings.js';
export type { PassDecorator, CheckedPassClass } from './decorators.js';
export {
  parseReproducer,
  ReproducerSchema,
  REPRODUCER_VERSION,
  installModuleSaver,
  type Reproducer,
  type ModuleSaver,
} from './reproducer-format.js';
