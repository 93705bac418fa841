// What a pipeline runs on: a Graph, or a module whose method graphs graph passes visit one by one.

import { PipelineError } from '../errors.js';
import { isGraph, type Graph } from '../ir/index.js';
import type { MethodLike, ModuleTarget } from './contracts.js';

/** A pipeline's input. */
export type PassTarget = Graph | ModuleTarget;

/** True when the target is a single graph. */
export function isGraphTarget(target: unknown): target is Graph {
  return isGraph(target);
}

/** True when the target looks like a module (has `methods`). */
export function isModuleTarget(target: unknown): target is ModuleTarget {
  return typeof target === 'object' && target !== null && !isGraph(target) && 'methods' in target;
}

/** The methods of a module with their graphs, in declaration order. */
export function methodGraphsOf(module: ModuleTarget): MethodLike[] {
  const methods = typeof module.methods === 'function' ? module.methods() : module.methods;
  const out: MethodLike[] = [];
  if (methods instanceof Map) {
    for (const [name, method] of methods as ReadonlyMap<string, { readonly graph: Graph }>)
      out.push({ name, graph: method.graph });
  } else {
    for (const method of methods as Iterable<MethodLike>)
      out.push({ name: method.name, graph: method.graph });
  }
  return out;
}

/** Every graph of a target (the graph itself, or each method graph). */
export function graphsOf(target: PassTarget): Graph[] {
  return isGraphTarget(target) ? [target] : methodGraphsOf(target).map((m) => m.graph);
}

/** Checks the pipeline input is a Graph or a module; anything else is a usage error, not a TypeError. */
export function checkTarget(target: unknown): PassTarget {
  if (isGraphTarget(target) || isModuleTarget(target)) return target;
  throw new PipelineError('BAD_TARGET', 'a pipeline runs on a Graph or on a module (an object with methods)');
}
