// The inversify container: createContainer() with the core services and instruments, and explicit
// registration of passes, analyses and named pipelines (ContainerModules; nothing registers on import).

import { Container, ContainerModule } from 'inversify';
import { PipelineError } from '../errors.js';
import { verify, type Graph } from '../ir/index.js';
import { OPERATOR_REGISTRY, OperatorRegistry } from '../ops/index.js';
import type {
  AnalysisClass,
  AnalysisDeclaration,
  GraphVerifier,
  Logger,
  OutputSink,
  PassClass,
  PassDeclaration,
} from './contracts.js';
import { bindAnalysis, bindPass } from './bindings.js';
import { checkName, requireAnalysisDeclaration, requirePassDeclaration } from './decorators.js';
import { checkOptionDeclarations } from './options.js';
import type { InstrumentationOptions, RunReport } from './instruments/instrument.js';
import { DisablePassInstrument } from './instruments/disable-pass.js';
import { OptBisectInstrument } from './instruments/opt-bisect.js';
import { PrintIRInstrument } from './instruments/print-ir.js';
import { CheckNumericsInstrument } from './instruments/check-numerics.js';
import { RecordInstrument } from './instruments/record.js';
import { ReproducerInstrument } from './instruments/reproducer.js';
import { StatisticsInstrument } from './instruments/statistics.js';
import { TimingInstrument, type Clock } from './instruments/timing.js';
import { VerifyEachInstrument } from './instruments/verify-each.js';
import { SinkLogger, stderrSink } from './logger.js';
import { PassManager, type PipelineSource, type RunOptions } from './pass-manager.js';
import { parsePipelineDefinition } from './pipeline-json.js';
import { parsePipelineText } from './pipeline-text.js';
import type { Pipeline, PipelineDefinition, PipelineExtension } from './pipeline.js';
import { duplicatePass, PassRegistry } from './registry.js';
import type { PassTarget } from './targets.js';
import {
  ANALYSIS_DECLARATION,
  CLOCK,
  CONTAINER,
  EXTENSION,
  GRAPH_VERIFIER,
  INSTRUMENT,
  INSTRUMENTATION_DEFAULTS,
  LOGGER,
  NAMED_PIPELINE,
  OUTPUT,
  PASS_DECLARATION,
  PASS_MANAGER,
  PASS_REGISTRY,
} from './tokens.js';

/** Services `createContainer` binds; each has a default. */
export interface ContainerSettings {
  /** Where instruments and the default logger write (stderr). */
  readonly output?: OutputSink;
  /** The logger (a SinkLogger on `output` at level warn). */
  readonly logger?: Logger;
  /** The verifier verify-each runs (src/ir's `verify`). */
  readonly verifier?: GraphVerifier;
  /** Instrumentation switched on for every run (e.g. `{ verifyEach: true }` in tests). */
  readonly instrumentation?: InstrumentationOptions;
  /** The timing clock in ms (performance.now). */
  readonly clock?: Clock;
  /** The operator table passes query (OPERATOR_REGISTRY): a fresh OperatorRegistry with PyTorch's ops by default. */
  readonly operatorRegistry?: OperatorRegistry;
  /** More ContainerModules to load (built-in passes, plugins). */
  readonly modules?: readonly ContainerModule[];
}

/**
 * The built-in instruments, in hook order: timing outermost, then printing, verification, disable-pass,
 * bisect, reproducer, statistics; the recorder after them (its pass times leave out the others'
 * before-hooks), the numerics check last (its runs after a pass are not timed as the pass).
 */
export const instrumentsModule = new ContainerModule(({ bind }) => {
  bind(INSTRUMENT).to(TimingInstrument);
  bind(INSTRUMENT).to(PrintIRInstrument);
  bind(INSTRUMENT).to(VerifyEachInstrument);
  bind(INSTRUMENT).to(DisablePassInstrument);
  bind(INSTRUMENT).to(OptBisectInstrument);
  bind(INSTRUMENT).to(ReproducerInstrument);
  bind(INSTRUMENT).to(StatisticsInstrument);
  bind(INSTRUMENT).to(RecordInstrument);
  bind(INSTRUMENT).to(CheckNumericsInstrument);
});

/** A container holding the pass manager, registry, instruments, logger and output; add passes to it. */
export function createContainer(settings: ContainerSettings = {}): Container {
  const container = new Container();
  container.bind(CONTAINER).toConstantValue(container);
  const output = settings.output ?? stderrSink;
  container.bind(OUTPUT).toConstantValue(output);
  container.bind(LOGGER).toConstantValue(settings.logger ?? new SinkLogger(output));
  const registry = settings.operatorRegistry ?? new OperatorRegistry();
  // The default verifier checks structure and the arity of known operators (passes rely on both).
  const arity = registry.arityChecker();
  container
    .bind(GRAPH_VERIFIER)
    .toConstantValue(settings.verifier ?? ((g: Graph) => verify(g, { checkNode: arity })));
  container.bind(INSTRUMENTATION_DEFAULTS).toConstantValue(settings.instrumentation ?? {});
  if (settings.clock) container.bind(CLOCK).toConstantValue(settings.clock);
  container.bind(OPERATOR_REGISTRY).toConstantValue(registry);
  container.bind(PASS_REGISTRY).to(PassRegistry);
  container.bind(PASS_MANAGER).to(PassManager);
  container.load(instrumentsModule);
  for (const m of settings.modules ?? []) container.load(m);
  return container;
}

/** A ContainerModule binding pass classes (each built on first use; also multi-bound to PASS). */
export function passesModule(passClasses: readonly PassClass[]): ContainerModule {
  const decls = passClasses.map(requirePassDeclaration);
  return new ContainerModule(({ bind }) => {
    for (const d of decls) bindPass(bind, d);
  });
}

/** A ContainerModule binding analysis classes (each built on first use; also multi-bound to ANALYSIS). */
export function analysesModule(analysisClasses: readonly AnalysisClass[]): ContainerModule {
  const decls = analysisClasses.map(requireAnalysisDeclaration);
  return new ContainerModule(({ bind }) => {
    for (const d of decls) bindAnalysis(bind, d);
  });
}

/** A named pipeline as code gives it: the pipeline as text or object, summary and options optional. */
export interface PipelineDefinitionInput {
  readonly name: string;
  readonly summary?: string;
  readonly options?: PipelineDefinition['options'];
  readonly pipeline: PipelineDefinition['pipeline'] | string;
}

/** A ContainerModule binding named pipelines (definitions, or JSON text/values defining them). */
export function pipelinesModule(
  definitions: readonly (PipelineDefinitionInput | string | object)[],
): ContainerModule {
  const defs = definitions.map(toDefinition);
  return new ContainerModule(({ bind }) => {
    for (const d of defs) bind(NAMED_PIPELINE).toConstantValue(d);
  });
}

function allBound<T>(container: Container, token: symbol): T[] {
  return container.isBound(token) ? container.getAll<T>(token) : [];
}

/**
 * Registers third-party (or built-in) passes. A name already taken, by an earlier registration or
 * within the list, is an error naming both classes. Analysis classes the passes require or preserve
 * are registered too when missing.
 */
export function registerPasses(container: Container, passClasses: readonly PassClass[]): void {
  const taken = new Map<string, PassDeclaration>();
  for (const d of allBound<PassDeclaration>(container, PASS_DECLARATION)) taken.set(d.name, d);
  const fresh: PassClass[] = [];
  for (const cls of passClasses) {
    const d = requirePassDeclaration(cls);
    const existing = taken.get(d.name);
    if (existing) {
      if (existing.passClass === d.passClass) continue;
      throw duplicatePass(d.name, existing.passClass.name, d.passClass.name);
    }
    taken.set(d.name, d);
    fresh.push(cls);
  }
  const analyses = passClasses
    .map(requirePassDeclaration)
    .flatMap((d) => [...d.requires, ...(d.preserves === 'all' ? [] : d.preserves)])
    .filter((r): r is AnalysisClass => typeof r === 'function');
  registerAnalyses(container, analyses);
  container.load(passesModule(fresh));
}

/** Registers analysis classes (each once; two classes with one name are an error). */
export function registerAnalyses(container: Container, analysisClasses: readonly AnalysisClass[]): void {
  const taken = new Map<string, AnalysisDeclaration>();
  for (const d of allBound<AnalysisDeclaration>(container, ANALYSIS_DECLARATION)) taken.set(d.name, d);
  const fresh: AnalysisClass[] = [];
  for (const cls of analysisClasses) {
    const d = requireAnalysisDeclaration(cls);
    const existing = taken.get(d.name);
    if (existing) {
      if (existing.analysisClass === d.analysisClass) continue;
      throw new PipelineError(
        'DUPLICATE_ANALYSIS',
        `analysis name '${d.name}' is declared by both ${existing.analysisClass.name} and ${d.analysisClass.name}`,
      );
    }
    taken.set(d.name, d);
    fresh.push(cls);
  }
  if (fresh.length) container.load(analysesModule(fresh));
}

/** Registers named pipelines, usable by name in other pipelines and from the CLI. */
export function registerPipelines(
  container: Container,
  definitions: readonly (PipelineDefinitionInput | string | object)[],
): void {
  const defs = definitions.map(toDefinition);
  const names = new Set(allBound<PipelineDefinition>(container, NAMED_PIPELINE).map((d) => d.name));
  for (const d of defs) {
    if (names.has(d.name))
      throw new PipelineError('DUPLICATE_NAME', `pipeline '${d.name}' is already registered`);
    names.add(d.name);
  }
  container.load(pipelinesModule(defs));
}

function toDefinition(d: PipelineDefinitionInput | string | object): PipelineDefinition {
  if (typeof d === 'object' && d !== null && 'pipeline' in d && 'name' in d) {
    const def = d as PipelineDefinitionInput;
    const pipeline = typeof def.pipeline === 'string' ? parsePipelineText(def.pipeline) : def.pipeline;
    checkName('pipeline', def.name);
    checkOptionDeclarations(`pipeline '${def.name}'`, def.options ?? {});
    return { name: def.name, summary: def.summary ?? '', options: def.options ?? {}, pipeline };
  }
  return parsePipelineDefinition(d);
}

/** Passes to insert at an extension point: text (`'my-pass{x=1}'`) or a Pipeline. */
export interface ExtensionInput {
  /** The named pipeline (`freeze`); omitted: every pipeline declaring the point. */
  readonly pipeline?: string;
  readonly point: string;
  readonly passes: string | Pipeline;
}

/** A ContainerModule inserting passes at extension points. */
export function extensionsModule(extensions: readonly ExtensionInput[]): ContainerModule {
  const parsed: PipelineExtension[] = extensions.map((x) => {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(x.point))
      throw new PipelineError('BAD_DECLARATION', `extension point name '${x.point}' is not a name`);
    const pipeline = typeof x.passes === 'string' ? parsePipelineText(x.passes) : x.passes;
    return {
      ...(x.pipeline === undefined ? {} : { pipeline: x.pipeline }),
      point: x.point,
      elements: pipeline.elements,
    };
  });
  return new ContainerModule(({ bind }) => {
    for (const x of parsed) bind(EXTENSION).toConstantValue(x);
  });
}

/**
 * Inserts passes at a pipeline's extension point, without copying the pipeline:
 * `registerExtension(container, { pipeline: 'freeze', point: 'before-numerics', passes: 'my-pass' })`.
 * A point the pipeline does not declare is UNKNOWN_EXTENSION_POINT when that pipeline is planned.
 */
export function registerExtension(container: Container, extension: ExtensionInput): void {
  container.load(extensionsModule([extension]));
}

/** The container's pass manager (a fresh one, seeing everything registered so far). */
export function getPassManager(container: Container): PassManager {
  return container.get<PassManager>(PASS_MANAGER);
}

/** Runs a pipeline on a graph or module with the container's passes: `getPassManager(c).run(...)`. */
export function runPipeline(
  container: Container,
  target: PassTarget,
  pipeline: PipelineSource,
  options?: RunOptions,
): RunReport {
  return getPassManager(container).run(target, pipeline, options);
}
