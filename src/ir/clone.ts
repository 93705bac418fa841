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
  const copier = new Copier(out, map, { ...options, keepNames: options.keepNames ?? true });
  for (const v of graph.inputs) map.set(v, out.addInput(copier.type(v.type), v.debugName));
  copier.blockBody(graph.block, out.block);
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
  return new Copier(target, valueMap, options).node(node);
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
  return insertGraphBefore(target.insertPoint, callee, inputs, options);
}

/** The checks both ways of inlining make before touching anything; returns the target graph. */
function checkInlineSite(what: string, point: Node, callee: Graph, inputs: readonly Value[]): Graph {
  assert(
    inputs.length === callee.inputs.length,
    `${what}: ${inputs.length} inputs for a graph taking ${callee.inputs.length}`,
  );
  assert(point.owner, 'insert point is not in a block');
  return point.graph;
}

/** insertGraph at a given place: the copies go before `point` (a placed node of the target graph). */
export function insertGraphBefore(
  point: Node,
  callee: Graph,
  inputs: readonly Value[],
  options: CloneOptions = {},
): Value[] {
  const target = checkInlineSite('insertGraph', point, callee, inputs);
  const map = new Map<Value, Value>();
  const calleeInputs = callee.inputs;
  for (let i = 0; i < calleeInputs.length; i++) map.set(calleeInputs[i], inputs[i]);
  const copier = new Copier(target, map, { ...options, keepNames: false });
  // A direct walk of the callee's links (cheaper than the iterator in cold code); each next node is read
  // before its copy is placed, so copies never join the walk, as with the iterator.
  const end = callee.returnNode;
  for (let n = end.next!, after = n.next!; n !== end; n = after, after = n.next!)
    copier.node(n).insertBefore(point);
  return callee.outputs.map((o) => {
    const m = map.get(o) ?? o;
    if (m.graph !== target) assert(false, `insertGraph: output %${o.debugName} has no mapping`);
    return m;
  });
}

/**
 * insertGraphBefore without the copy: `callee`'s nodes themselves move before `point`, and `callee` is left
 * empty and unusable (an inliner's body used for the last time). The target ends exactly as
 * insertGraphBefore would leave it: the same node, block and use ids, value names and use-list order.
 * (One difference: a traced `scope:` read from IR text stays with its node, where a copy has none.)
 */
export function moveGraphBefore(
  point: Node,
  callee: Graph,
  inputs: readonly Value[],
  options: Pick<CloneOptions, 'inlinedFromPrefix'> = {},
): Value[] {
  const target = checkInlineSite('moveGraphBefore', point, callee, inputs);
  assert(callee !== target, 'moveGraphBefore: a graph cannot move into itself');
  const mover = new Mover(target, callee.paramNode, inputs, options.inlinedFromPrefix);
  const end = callee.returnNode;
  for (let n = end.next!; n !== end;) {
    const following = n.next!;
    mover.node(n);
    n.insertBefore(point);
    n = following;
  }
  end.next = end.prev = end;
  return callee.outputs.map(mover.mapInput);
}

/**
 * cloneGraph without the copy, for a graph whose old owner is never used again (freeze's consume mode):
 * returns `graph` itself, left as cloneGraph(graph, { mapType }) would make its copy (names, types through
 * `mapType`, use-list order, the names new values get), but for node, block and use ids, which are kept
 * (ids only index tables; graphlib's edge order follows use ids). No node is re-registered or renamed.
 */
export function moveGraph(graph: Graph, mapType?: (type: Type) => Type): Graph {
  graph.restartAsCopy(mapType);
  return graph;
}

// One move: what Copier.node does, in the same order, to the nodes themselves (see moveGraphBefore).
class Mover {
  private readonly prefix: string | undefined;

  constructor(
    private readonly target: Graph,
    /** The moved graph's prim::Param: its outputs stand for `args`. */
    private readonly param: Node,
    private readonly args: readonly Value[],
    prefix: string | undefined,
  ) {
    this.prefix = prefix || undefined;
  }

  // A moved node's input: an argument for the graph's inputs, else itself (moved before its users).
  readonly mapInput = (v: Value): Value => (v.node === this.param ? this.args[v.offset] : v);

  node(node: Node): void {
    const target = this.target;
    target.adoptBareNode(node);
    if (node.inputs.length > 0) node.rewireInputs(this.mapInput);
    const from = node.inlinedFrom;
    if (this.prefix !== undefined) node.inlinedFrom = from ? `${this.prefix}.${from}` : this.prefix;
    this.values(node.outputs);
    const blocks = node.blocks;
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k];
      const ret = b.returnNode;
      // The block's node list, read before adoptBlock empties it; each node is taken before it moves.
      let n = ret.next!;
      target.adoptBlock(b);
      this.values(b.inputs);
      while (n !== ret) {
        const following = n.next!;
        this.node(n);
        b.appendNode(n);
        n = following;
      }
      if (ret.inputs.length > 0) ret.rewireInputs(this.mapInput);
    }
  }

  // Outputs (or block inputs) named in the target as addOutput names a copy's: source names kept where free.
  private values(values: readonly Value[]): void {
    const target = this.target;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const name = v.hasDebugName ? v.debugName : undefined;
      v.rehome(target);
      target.registerValue(v, name);
    }
  }
}

// One copy operation's settings, resolved once (not per node or block).
class Copier {
  private readonly mapType: ((type: Type) => Type) | undefined;
  private readonly keepNames: boolean;
  private readonly prefix: string | undefined;

  constructor(
    private readonly target: Graph,
    private readonly valueMap: Map<Value, Value>,
    options: CloneOptions,
  ) {
    this.mapType = options.mapType;
    this.keepNames = options.keepNames === true;
    this.prefix = options.inlinedFromPrefix || undefined;
  }

  type(t: Type): Type {
    return this.mapType === undefined ? t : this.mapType(t);
  }

  node(node: Node): Node {
    const { target, valueMap } = this;
    const copy = target.createBareNode(node.kind);
    const inputs = node.inputs;
    if (inputs.length > 0) {
      const mapped: Value[] = new Array<Value>(inputs.length);
      for (let i = 0; i < inputs.length; i++) {
        const m = valueMap.get(inputs[i]) ?? inputs[i];
        if (m.graph !== target) unmapped(inputs[i], node);
        mapped[i] = m;
      }
      copy.adoptInputs(mapped);
    }
    copy.copyAttributes(node);
    copy.sourceRange = node.sourceRange;
    // The registry's overload cache checks kind and type identity on use, so the copy can start from the
    // source's: inlined nodes then skip the signature lookup (mapped types simply miss).
    copy.opCache = node.opCache;
    const from = node.inlinedFrom;
    copy.inlinedFrom = this.prefix === undefined ? from : from ? `${this.prefix}.${from}` : this.prefix;
    const outputs = node.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      valueMap.set(o, copy.addOutput(this.type(o.type), this.nameOf(o)));
    }
    const blocks = node.blocks;
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k];
      const nb = copy.addBlock();
      const bInputs = b.inputs;
      for (let i = 0; i < bInputs.length; i++) {
        const v = bInputs[i];
        valueMap.set(v, nb.addInput(this.type(v.type), this.nameOf(v)));
      }
      this.blockBody(b, nb);
    }
    return copy;
  }

  // Copies the nodes and outputs of `from` into the empty block `to` (whose inputs are already mapped).
  blockBody(from: Block, to: Block): void {
    const target = this.target;
    const end = from.returnNode;
    for (let n = end.next!; n !== end; n = n.next!) to.appendNode(this.node(n));
    for (const o of from.outputs) {
      const m = this.valueMap.get(o) ?? o;
      if (m.graph !== target) assert(false, `cloneGraph: block output %${o.debugName} has no mapping`);
      to.registerOutput(m);
    }
  }

  private nameOf(v: Value): string | undefined {
    return this.keepNames || v.hasDebugName ? v.debugName : undefined;
  }
}

function unmapped(v: Value, node: Node): never {
  throw new InternalError(
    `cloneNode: input %${v.debugName} of ${node.kind} has no mapping into the target graph`,
  );
}

/** `a.b` + `c` = `a.b.c`; either side may be empty. */
export function joinModulePath(prefix: string | undefined, path: string | undefined): string | undefined {
  if (!prefix) return path;
  return path ? `${prefix}.${path}` : prefix;
}
