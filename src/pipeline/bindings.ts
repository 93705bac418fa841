// How passes and analyses are bound and built. Each class gets its own service id, so the registry
// builds them one at a time, only when a pipeline uses them: a plugin pass whose dependency is not
// bound fails alone, with a message naming the plugin, the pass and the token (not inversify's raw
// "No bindings found", and never breaking --list-passes or unrelated pipelines).

import type { Container, ContainerModuleLoadOptions } from 'inversify';
import { PipelineError } from '../errors.js';
import type { AnalysisDeclaration, PassDeclaration, PluginRecord } from './contracts.js';
import {
  ANALYSIS,
  ANALYSIS_BINDING,
  ANALYSIS_DECLARATION,
  PASS,
  PASS_BINDING,
  PASS_DECLARATION,
} from './tokens.js';

/** A pass as bound in a container. */
export interface PassBinding {
  readonly declaration: PassDeclaration;
  readonly serviceId: symbol;
}

/** An analysis as bound in a container. */
export interface AnalysisBinding {
  readonly declaration: AnalysisDeclaration;
  readonly serviceId: symbol;
}

/** A service a pass or analysis asks for by token: what `definePass({ inject })` lists. */
export type ServiceToken<T = unknown> = symbol & { readonly __service?: T };

/** A typed token: `const TABLE = serviceToken<InvolutionTable>('my-plugin.Table')` (a Symbol.for key). */
export function serviceToken<T>(key: string): ServiceToken<T> {
  return Symbol.for(key) as ServiceToken<T>;
}

// Symbol.for: a class made by definePass in another copy of the package still carries its recipe.
const SERVICES = Symbol.for('tsfreeze.services');

/** @internal Records that instances of `cls` are built as `new cls(services)` with these tokens resolved. */
export function setServiceRecipe(cls: object, services: Readonly<Record<string, symbol | string>>): void {
  Object.defineProperty(cls, SERVICES, { value: services, enumerable: false });
}

function serviceRecipe(cls: object): Readonly<Record<string, symbol | string>> | undefined {
  return Object.prototype.hasOwnProperty.call(cls, SERVICES)
    ? (cls as Record<symbol, Readonly<Record<string, symbol | string>>>)[SERVICES]
    : undefined;
}

type Bind = ContainerModuleLoadOptions['bind'];
type Ctor = new (...args: unknown[]) => object;

function bindClass(bind: Bind, id: symbol, cls: object): void {
  const recipe = serviceRecipe(cls);
  if (recipe) {
    bind(id).toDynamicValue((ctx) => {
      const services: Record<string, unknown> = {};
      for (const [key, token] of Object.entries(recipe)) services[key] = ctx.get(token);
      return new (cls as Ctor)(services);
    });
  } else {
    bind(id).to(cls as Ctor);
  }
}

/** @internal Binds a pass: its own service id, its declaration, and the PASS multi-binding. */
export function bindPass(bind: Bind, declaration: PassDeclaration): void {
  const serviceId = Symbol(`tsfreeze.pass:${declaration.name}`);
  bindClass(bind, serviceId, declaration.passClass);
  bind(PASS_BINDING).toConstantValue({ declaration, serviceId } satisfies PassBinding);
  bind(PASS_DECLARATION).toConstantValue(declaration);
  bind(PASS).toDynamicValue((ctx) => ctx.get(serviceId));
}

/** @internal Binds an analysis the same way. */
export function bindAnalysis(bind: Bind, declaration: AnalysisDeclaration): void {
  const serviceId = Symbol(`tsfreeze.analysis:${declaration.name}`);
  bindClass(bind, serviceId, declaration.analysisClass);
  bind(ANALYSIS_BINDING).toConstantValue({ declaration, serviceId } satisfies AnalysisBinding);
  bind(ANALYSIS_DECLARATION).toConstantValue(declaration);
  bind(ANALYSIS).toDynamicValue((ctx) => ctx.get(serviceId));
}

/**
 * Builds a pass or analysis. Inversify's binding errors become a PipelineError naming what failed to
 * build, the plugin that registered it and the token: MISSING_BINDING or AMBIGUOUS_BINDING.
 */
export function buildBound<T>(
  container: Container,
  serviceId: symbol,
  what: string,
  plugin: PluginRecord | undefined,
): T {
  try {
    return container.get<T>(serviceId);
  } catch (error) {
    throw bindingError(error, what, plugin);
  }
}

function bindingError(error: unknown, what: string, plugin: PluginRecord | undefined): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const from = plugin ? ` (registered by plugin ${plugin.spec})` : '';
  const missing = /No bindings found for service: "([^"]+)"/.exec(message);
  if (missing) {
    return new PipelineError(
      'MISSING_BINDING',
      `${what}${from} cannot be created: nothing is bound to ${missing[1]}, which it injects; ` +
        `${plugin ? "the plugin's register(container)" : 'the code registering it'} must bind it`,
      { cause: error },
    );
  }
  const ambiguous = /Ambiguous bindings found for service: "([^"]+)"/.exec(message);
  if (ambiguous) {
    return new PipelineError(
      'AMBIGUOUS_BINDING',
      `${what}${from} cannot be created: ${ambiguous[1]}, which it injects, is bound more than once ` +
        '(is a plugin loaded twice from two places, or does it bind a service the host already binds?)',
      { cause: error },
    );
  }
  if (/Missing required @injectable|Unexpected|metadata/i.test(message)) {
    return new PipelineError('BAD_PLUGIN', `${what}${from} cannot be created: ${message}`, { cause: error });
  }
  return new PipelineError('PASS_CONSTRUCTION', `${what}${from} threw while being created: ${message}`, {
    cause: error,
  });
}
