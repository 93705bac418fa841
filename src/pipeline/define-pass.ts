// Passes and pass managers without ceremony: `definePass({ name, summary, options, run })` for plain
// JavaScript and lambdas (no decorators, no reflect-metadata, no inversify import in the plugin), and
// `createPassManager({ passes, analyses })` for embedders who do not want a container.

import type { Graph } from '../ir/index.js';
import { setServiceRecipe, type ServiceToken } from './bindings.js';
import {
  createContainer,
  getPassManager,
  registerAnalyses,
  registerPasses,
  registerPipelines,
} from './container.js';
import type { ContainerSettings, PipelineDefinitionInput } from './container.js';
import type {
  AnalysisClass,
  ModuleTarget,
  OptionDeclarations,
  OptionsOf,
  Pass,
  PassClass,
  PassContext,
  PassDeclarationInput,
  PassResult,
  PassTargetKind,
} from './contracts.js';
import { declarePass } from './decorators.js';
import type { PassManager } from './pass-manager.js';

/** The services a pass asks for: a key per injected token. */
export type ServiceTokens = Readonly<Record<string, ServiceToken | string>>;

/** What `run` receives as its third argument: each key's resolved service. */
export type ServicesOf<I extends ServiceTokens> = {
  readonly [K in keyof I]: I[K] extends ServiceToken<infer T> ? (unknown extends T ? unknown : T) : unknown;
};

/** The target `run` receives for a target kind. */
export type TargetOf<T extends PassTargetKind> = T extends 'module' ? ModuleTarget : Graph;

/** A pass as plain data plus a `run` function: `definePass({...})`. */
export interface PassDefinition<
  D extends OptionDeclarations,
  S extends string,
  I extends ServiceTokens,
  T extends PassTargetKind,
> extends Omit<PassDeclarationInput, 'options' | 'statistics' | 'target'> {
  readonly target?: T;
  readonly options?: D;
  readonly statistics?: readonly (S | { readonly name: S; readonly description?: string })[];
  /** Services from the container, by token: `{ table: TABLE }` gives `run` a `services.table`. */
  readonly inject?: I;
  run(target: TargetOf<T>, context: PassContext<OptionsOf<D>, S>, services: ServicesOf<I>): PassResult;
}

/** What `definePass` returns: a pass class (register it like any other) typed by its definition. */
export type DefinedPass<D extends OptionDeclarations, S extends string> = PassClass & {
  new (services: Readonly<Record<string, unknown>>): Pass & {
    run(target: never, context: PassContext<OptionsOf<D>, S>): PassResult;
  };
};

/**
 * Defines a pass without a class or decorators. Options, statistic names and services are typed from
 * the definition: `context.options.only` is `readonly string[]` for `{ only: { type: 'string[]' } }`,
 * and `context.count('foldd')` does not compile when the statistics say `['folded']`.
 */
export function definePass<
  const D extends OptionDeclarations = Record<never, never>,
  const S extends string = never,
  const I extends ServiceTokens = Record<never, never>,
  const T extends PassTargetKind = 'graph',
>(definition: PassDefinition<D, S, I, T>): DefinedPass<D, S> {
  const { run, inject, ...declaration } = definition;
  const Defined = class {
    constructor(private readonly services: Readonly<Record<string, unknown>>) {}
    run(target: TargetOf<T>, context: PassContext<OptionsOf<D>, S>): PassResult {
      return run.call(definition, target, context, this.services as ServicesOf<I>);
    }
  };
  Object.defineProperty(Defined, 'name', { value: className(definition.name) });
  declarePass(Defined as unknown as PassClass, declaration as PassDeclarationInput);
  setServiceRecipe(Defined, inject ?? {});
  return Defined as unknown as DefinedPass<D, S>;
}

// `fold-negs` -> `FoldNegs`, so messages name a defined pass the way they name a class.
function className(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}

/** What `createPassManager` takes: the passes, analyses and named pipelines, plus container settings. */
export interface PassManagerSetup extends Omit<ContainerSettings, 'modules'> {
  readonly passes?: readonly PassClass[];
  readonly analyses?: readonly AnalysisClass[];
  readonly pipelines?: readonly (PipelineDefinitionInput | string | object)[];
}

/**
 * A pass manager over exactly these passes, analyses and pipelines, for embedders who do not want to
 * see a container: `createPassManager({ passes: [...builtinPasses, myPass] }).run(graph, 'my-pass')`.
 */
export function createPassManager(setup: PassManagerSetup = {}): PassManager {
  const { passes = [], analyses = [], pipelines = [], ...settings } = setup;
  const container = createContainer(settings);
  registerAnalyses(container, analyses);
  registerPasses(container, passes); // also the analyses the passes require
  registerPipelines(container, pipelines);
  return getPassManager(container);
}
