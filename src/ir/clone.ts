// Copying IR: a whole graph, one node (with its blocks) into another graph, or a graph inlined at the insert point.

import { assert, InternalError } from '../errors.js';
import type { Block } from './block.js';
import { Graph } from './graph.js';
import type { Node } from './node.js';
import type { Type } from './types.js';
import type { Value } from './value.js';

export interface CloneOptions {
  /** Rewrites types on the way (e.g. `self`'s class type when a module type is cloned). */
  readonly mapType?: (type: Type) => Type;
  /** Keep the source's value names (true for whole-graph copies; names are made unique anyway). */
  readonly keepNames?: boolean;
  /** Prefixes the copies' inlinedFrom paths (inlining a submodule's method: its attribute path from the caller). */
  readonly inlinedFromPrefix?: string;
}

/** A deep copy of `graph`: same names, nodes, attributes, source ranges and types (through `mapType`). */
export function cloneGraph(graph: Graph, options: CloneOptions = {}): Graph {
  const out = new Graph();
  const map = new Map<Value, Value>();
  const mapType = options.mapType ?? ((t: Type) => t);
  for (const v of graph.inputs) map.set(v, out.addInput(mapType(v.type), v.debugName));
  cloneBlockBody(graph.block, out.block, map, { ...options, keepNames: options.keepNames ?? true });
  return out;
}

/**
 * Creates a copy of `node` (and its nested blocks) in `target`, not placed. Inputs are looked up in
 * `valueMap` (missing ones map to themselves, which must then belong to `target`); outputs are added to it.
 */
export function cloneNode(
  target: Graph,
  node: Node,
  valueMap: Map<Value, Value>,
  options: CloneOptions = {},
): Node {
  const mapType = options.mapType ?? identity;
  const inputs = node.inputs;
  const mapped: Value[] = new Array<Value>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const m = valueMap.get(inputs[i]) ?? inputs[i];
    if (m.graph !== target) unmapped(inputs[i], node);
    mapped[i] = m;
  }
  const copy = target.create(node.kind, mapped, NO_TYPES);
  copy.copyAttributes(node);
  copy.sourceRange = node.sourceRange;
  // The registry's overload cache checks kind and type identity on use, so the copy can start from the
  // source's: inlined nodes then skip the signature lookup (mapped types simply miss).
  copy.opCache = node.opCache;
  copy.inlinedFrom = joinModulePath(options.inlinedFromPrefix, node.inlinedFrom);
  for (const o of node.outputs) {
    valueMap.set(
      o,
      copy.addOutput(mapType(o.type), options.keepNames || o.hasDebugName ? o.debugName : undefined),
    );
  }
  for (const b of node.blocks) {
    const nb = copy.addBlock();
    for (const v of b.inputs)
      valueMap.set(
        v,
        nb.addInput(mapType(v.type), options.keepNames || v.hasDebugName ? v.debugName : undefined),
      );
    cloneBlockBody(b, nb, valueMap, options);
  }
  return copy;
}

const identity = (t: Type): Type => t;
// No outputs from the schema: the copy gets the source's outputs (with their names) below.
const NO_TYPES: readonly Type[] = Object.freeze([]);

function unmapped(v: Value, node: Node): never {
  throw new InternalError(
    `cloneNode: input %${v.debugName} of ${node.kind} has no mapping into the target graph`,
  );
}

// Copies the nodes and outputs of `from` into the empty block `to` (whose inputs are already mapped).
function cloneBlockBody(from: Block, to: Block, valueMap: Map<Value, Value>, options: CloneOptions): void {
  const target = to.graph;
  for (const n of from.nodes()) to.appendNode(cloneNode(target, n, valueMap, options));
  for (const o of from.outputs) {
    const m = valueMap.get(o) ?? o;
    assert(m.graph === target, `cloneGraph: block output %${o.debugName} has no mapping`);
    to.registerOutput(m);
  }
}

/**
 * Inlines `callee` at `target`'s insert point with `inputs` bound to its inputs; returns the values
 * that stand for its outputs. Names from the callee are kept where free, made unique where not.
 */
export function insertGraph(
  target: Graph,
  callee: Graph,
  inputs: readonly Value[],
  options: CloneOptions = {},
): Value[] {
  assert(
    inputs.length === callee.inputs.length,
    `insertGraph: ${inputs.length} inputs for a graph taking ${callee.inputs.length}`,
  );
  const map = new Map<Value, Value>();
  callee.inputs.forEach((v, i) => map.set(v, inputs[i]));
  const nodeOptions = { ...options, keepNames: false };
  for (const n of callee.nodes()) target.insertNode(cloneNode(target, n, map, nodeOptions));
  return callee.outputs.map((o) => {
    const m = map.get(o) ?? o;
    assert(m.graph === target, `insertGraph: output %${o.debugName} has no mapping`);
    return m;
  });
}

/** `a.b` + `c` = `a.b.c`; either side may be empty. */
export function joinModulePath(prefix: string | undefined, path: string | undefined): string | undefined {
  if (!prefix) return path;
  return path ? `${prefix}.${path}` : prefix;
}
