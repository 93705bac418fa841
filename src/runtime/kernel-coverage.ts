// Which operators tsfreeze can run: per overload of the operator table (docs/kernels.md) and per model
// (`tsfreeze show MODEL.pt --ops`), so a missing kernel is found before running, with where it is used.

import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { ClassType } from '../module/class-type.js';
import type { ScriptModule } from '../module/script-module.js';
import type { OperatorEntry, OperatorRegistry } from '../ops/index.js';
import { implementationOf } from './dispatch.js';
import { isInterpretedKind } from './plan.js';
import { refusalOf } from './kernels/refused.js';
import { SCALAR_OPS } from './scalar-ops.js';

/** How an operator runs: a tensor kernel, a scalar/container op, the interpreter itself, or not at all. */
export type KernelState = 'kernel' | 'scalar' | 'interpreter' | 'refused' | 'missing';

/** The state of one overload, with the reason when refused. */
export interface KernelStatus {
  readonly state: KernelState;
  readonly reason?: string;
}

/** What the runtime does with an overload of the table. */
export function kernelStatusOf(entry: OperatorEntry): KernelStatus {
  if (isInterpretedKind(entry.name)) return { state: 'interpreter' };
  const impl = implementationOf(entry);
  if (impl) return { state: impl.kind };
  const reason = refusalOf(entry.key);
  return reason ? { state: 'refused', reason } : { state: 'missing' };
}

/** Every overload of the table with its state, in table order. */
export function kernelCoverage(registry: OperatorRegistry): { entry: OperatorEntry; status: KernelStatus }[] {
  return registry.entries().map((entry) => ({ entry, status: kernelStatusOf(entry) }));
}

/** One operator a model uses. */
export interface OpUse {
  /** The overload key (`aten::conv2d`), or the node kind when no overload accepts the node. */
  readonly key: string;
  readonly schema?: string;
  readonly status: KernelStatus;
  /** How many nodes call it. */
  count: number;
  /** The source line of the first node that calls it (`code/__torch__/m.py:12:4`), when known. */
  readonly firstUse?: string;
}

/** The graphs a module's code holds: every method of every class it loaded, and every free function. */
export function codeGraphsOf(module: ScriptModule): Graph[] {
  const cu = module.type.cu;
  const graphs: Graph[] = [];
  for (const type of cu.types)
    if (type instanceof ClassType) for (const fn of type.methods) graphs.push(fn.graph);
  for (const fn of cu.freeFunctions) graphs.push(fn.graph);
  return graphs;
}

function statusOfNode(
  node: Node,
  registry: OperatorRegistry,
): { key: string; schema?: string; status: KernelStatus } {
  if (isInterpretedKind(node.kind)) return { key: node.kind, status: { state: 'interpreter' } };
  const entry = registry.entryForNode(node);
  if (entry) return { key: entry.key, schema: entry.schema.toString(), status: kernelStatusOf(entry) };
  // Kinds outside the table that the by-name scalar table still runs (prim ops of old archives).
  if (node.kind in SCALAR_OPS) return { key: node.kind, status: { state: 'scalar' } };
  return {
    key: node.kind,
    status: { state: 'missing', reason: 'no overload of the operator table accepts its inputs' },
  };
}

/** The operators the given graphs use, most used first. */
export function opsUsed(graphs: readonly Graph[], registry: OperatorRegistry): OpUse[] {
  const uses = new Map<string, OpUse>();
  for (const graph of graphs) {
    for (const node of graph.allNodes()) {
      const found = statusOfNode(node, registry);
      const use = uses.get(found.key);
      if (use) use.count++;
      else uses.set(found.key, { ...found, count: 1, firstUse: node.sourceRange });
    }
  }
  return [...uses.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
