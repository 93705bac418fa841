// Builds the memory graph of one IR graph, node by node, as PyTorch's AliasDb::analyze does
// (torch/csrc/jit/ir/alias_analysis.cpp): fresh elements for creators, pointers for views and control
// flow, wildcards for what escapes (container elements, attribute stores, graph inputs, unknown code),
// and the writes each node makes. Where PyTorch 1.13 is unsound the analysis is more conservative
// (see analyzeLoop); docs/freeze.md lists the differences.

import type { Block } from '../ir/block.js';
import { toIValue } from '../ir/constants.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Type } from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { aliasTypeKey, aliasTypeSet, heldTypes, singleAliasType } from './alias-types.js';
import {
  isMutableValue,
  NON_ESCAPING_LIST_USERS,
  OWN_RULE_OF_KIND,
  type OwnRule,
  schemaAliasPlan,
  type OperatorInfo,
  type SchemaAliasPlan,
} from './alias-rules.js';
import { MemoryDag } from './memory-dag.js';

export type { OperatorInfo } from './alias-rules.js';

/** How to find the operator a node runs. */
export type EntryLookup = (node: Node) => OperatorInfo | undefined;

/** Everything the analysis learned, for AliasDb's queries. */
export interface AliasFacts {
  readonly dag: MemoryDag;
  readonly elements: ValueElements;
  /** Wildcard element per alias type key. */
  readonly wildcardOf: ReadonlyMap<string, number>;
  /** Per node: values it writes, values whose contents it writes, or every wildcard. */
  readonly writes: ReadonlyMap<Node, NodeWrites>;
}

/** The writes one node makes, before they are resolved to memory locations. */
export interface NodeWrites {
  readonly values: Value[];
  readonly contents: Value[];
  allWildcards: boolean;
}

/**
 * The element of each value (a Map<Value, number> without hashing): by the producer's node id, the slots of
 * its outputs as they were when analysed. A slot answers only for the value it was filled for; once the graph
 * changed (an output inserted or erased shifts the others' offsets), a value its slot does not answer for is
 * looked up by identity, as a Map would.
 */
export class ValueElements {
  private byValue: Map<Value, number> | undefined;
  private readonly epoch: number;

  constructor(
    private readonly graph: Graph,
    /** Per node id: 1 + the first slot of the node's outputs, or 0. */
    private readonly base: Int32Array,
    /** 1 + element of each output slot, or 0. */
    private readonly slots: Int32Array,
    private readonly dag: MemoryDag,
  ) {
    this.epoch = graph.epoch;
  }

  /** The element of `v`, or -1 (a value made after the analysis, or one it gave no element). */
  of(v: Value): number {
    const id = v.node.id;
    // Nodes made later have higher ids; a node none of whose outputs had an element has base 0.
    const b = id < this.base.length ? this.base[id] : 0;
    if (b === 0) return -1;
    const e = (this.slots[b - 1 + v.offset] ?? 0) - 1;
    if (e >= 0 && this.dag.labelOf(e) === v) return e;
    if (this.graph.epoch === this.epoch) return -1; // offsets as analysed: the slot's answer is the answer
    return this.identityMap().get(v) ?? -1;
  }

  private identityMap(): Map<Value, number> {
    if (this.byValue) return this.byValue;
    const map = new Map<Value, number>();
    for (let e = 0; e < this.dag.size; e++) {
      const label = this.dag.labelOf(e);
      if (typeof label !== 'string') map.set(label as Value, e);
    }
    return (this.byValue = map);
  }
}

/** One analysis run over a graph. */
export class AliasAnalyzer {
  readonly dag = new MemoryDag();
  // Value -> element (see ValueElements): per node id 1 + the first slot of its outputs; per slot 1 + element.
  private readonly base: Int32Array;
  private slots: Int32Array;
  private usedSlots = 0;
  readonly wildcardOf = new Map<string, number>();
  readonly writes = new Map<Node, NodeWrites>();
  /** Wildcard element per type object met (a shortcut to wildcardOf's key). */
  private readonly wildcardOfType = new Map<Type, number | undefined>();
  // The escaped elements and the wildcard each escaped into (PyTorch's setWildcard), each element once.
  private readonly escapes: number[] = [];
  private readonly escapeWildcards: number[] = [];
  private readonly escaped: Uint8Array[] = [new Uint8Array(1024)];
  /** bindArguments' result (one schema node at a time). */
  private readonly bound: unknown[] = [];

  constructor(
    private readonly entryOf: EntryLookup,
    private readonly frozen: boolean,
    private readonly pytorchLoops: boolean,
    graph: Graph,
  ) {
    this.base = new Int32Array(graph.nodeIdBound);
    this.slots = new Int32Array(Math.max(64, graph.nodeIdBound));
  }

  run(graph: Graph): AliasFacts {
    for (const v of graph.inputs) this.setWildcard(v);
    this.analyzeBlock(graph.block);
    this.dag.seal(this.escapes, this.escapeWildcards);
    const elements = new ValueElements(graph, this.base, this.slots, this.dag);
    return { dag: this.dag, elements, wildcardOf: this.wildcardOf, writes: this.writes };
  }

  // ---- elements ------------------------------------------------------------------------------

  /** The element of `v`, or -1. */
  private elementOf(v: Value): number {
    const b = this.base[v.node.id];
    return b === 0 ? -1 : this.slots[b - 1 + v.offset] - 1;
  }

  /** A new element for `v`, which has none. */
  private newElement(v: Value): number {
    const node = v.node;
    let b = this.base[node.id];
    if (b === 0) {
      const n = node.outputs.length;
      if (this.usedSlots + n > this.slots.length) {
        const grown = new Int32Array(Math.max(this.slots.length * 2, this.usedSlots + n));
        grown.set(this.slots);
        this.slots = grown;
      }
      b = this.base[node.id] = this.usedSlots + 1;
      this.usedSlots += n;
    }
    const e = this.dag.makeElement(v);
    this.slots[b - 1 + v.offset] = e + 1;
    return e;
  }

  /** A fresh element for `v` (kept if it has one: loops meet values twice), holding wildcards of its contents. */
  private giveFreshAlias(v: Value, wildcardContents = true): void {
    const t = v.type;
    if (t.kind === 'Tensor') {
      // Tensors (most values) hold nothing.
      if (this.elementOf(v) < 0) this.newElement(v);
      return;
    }
    const types = aliasTypeSet(t);
    if (!types || this.elementOf(v) >= 0) return;
    const e = this.newElement(v);
    if (wildcardContents) this.holdWildcards(e, types);
  }

  private holdWildcards(e: number, types: readonly Type[]): void {
    if (types.length > 1) {
      // A Union may be any of its members: point at each member's wildcard.
      for (const t of types) {
        const w = this.getOrCreateWildcard(t);
        if (w !== undefined && w !== e) this.dag.makePointerTo(e, w);
      }
      return;
    }
    const t = types[0];
    if (t.kind === 'Tensor') return; // holds nothing
    for (const inner of heldTypes(t)) {
      const w = this.getOrCreateWildcard(inner);
      if (w !== undefined) this.dag.addContained(w, e);
    }
  }

  private elementFor(v: Value): number {
    const e = this.elementOf(v);
    if (e >= 0) return e;
    this.giveFreshAlias(v);
    return this.elementOf(v);
  }

  private getOrCreateWildcard(t: Type): number | undefined {
    // The same type objects come back for most values (one Tensor type per graph, mostly).
    if (this.wildcardOfType.has(t)) return this.wildcardOfType.get(t);
    const w = this.makeWildcard(t);
    this.wildcardOfType.set(t, w);
    return w;
  }

  private makeWildcard(t: Type): number | undefined {
    const types = aliasTypeSet(t);
    if (!types) return undefined;
    const single = singleAliasType(types);
    const key = aliasTypeKey(single);
    const existing = this.wildcardOf.get(key);
    if (existing !== undefined) return existing;
    const w = this.dag.makeElement(`WILDCARD for type ${key}`);
    this.wildcardOf.set(key, w);
    this.holdWildcards(w, types);
    return w;
  }

  /** `v` escaped: it may alias anything else of its type that escaped (PyTorch's setWildcard). */
  setWildcard(v: Value): number | undefined {
    const w = this.getOrCreateWildcard(v.type);
    if (w === undefined) return undefined;
    const e = this.elementFor(v);
    const page = this.escaped[e >> 10] ?? (this.escaped[e >> 10] = new Uint8Array(1024));
    if (page[e & 1023] === 0) {
      page[e & 1023] = 1;
      this.escapes.push(e);
      this.escapeWildcards.push(w);
    }
    return w;
  }

  private makePointerTo(from: Value, to: Value): void {
    if (nonAliasing(from) || nonAliasing(to)) {
      this.giveFreshAlias(from);
      this.giveFreshAlias(to);
      return;
    }
    if (from === to || !isMutableValue(from) || !isMutableValue(to)) return;
    this.dag.makePointerTo(this.elementFor(from), this.elementFor(to));
  }

  private addToContained(inner: Value, container: Value): void {
    if (!isMutableValue(inner)) return;
    this.dag.addContained(this.elementFor(inner), this.elementFor(container));
  }

  private writesOf(n: Node): NodeWrites {
    let w = this.writes.get(n);
    if (!w) this.writes.set(n, (w = { values: [], contents: [], allWildcards: false }));
    return w;
  }

  private registerWrite(v: Value, n: Node, contents = false): void {
    if (!isMutableValue(v)) return;
    this.elementFor(v);
    const w = this.writesOf(n);
    (contents ? w.contents : w.values).push(v);
  }

  // ---- the rules ------------------------------------------------------------------------------

  // The analysis never changes the graph: blocks are walked by their node links.
  private analyzeBlock(block: Block): void {
    const end = block.returnNode;
    for (let n = end.next!; n !== end; n = n.next!) {
      // A node without blocks that neither reads nor makes a value the analysis tracks (int, bool, str: most
      // of a shape check or an error message) adds no element, pointer or write under any rule but wait's.
      if (n.blocks.length === 0) {
        const inputs = n.inputs;
        let tracked = false;
        for (let i = 0; i < inputs.length && !tracked; i++) {
          const v = inputs[i];
          tracked = v.type.kind === 'Tensor' || isMutableValue(v);
        }
        if (!tracked && !makesMutable(n) && n.kind !== 'aten::wait') continue;
      }
      this.analyzeNode(n);
    }
  }

  private analyzeNode(node: Node): void {
    this.dispatch(node, RULES.get(node.kind) ?? Rule.Operator);
    // Every mutable value has an element; an output no rule covered may be anything.
    const outputs = node.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      if (this.elementOf(o) < 0 && isMutableValue(o)) this.setWildcard(o);
    }
  }

  private dispatch(node: Node, rule: Rule): void {
    switch (rule) {
      case Rule.If:
        return this.analyzeIf(node);
      case Rule.Loop:
        return this.analyzeLoop(node);
      case Rule.Fork:
        return this.analyzeFork(node);
      case Rule.Wait:
        return this.analyzeWait(node);
      case Rule.Norm:
        return this.analyzeNorm(node);
      case Rule.Creator:
        return this.analyzeCreator(node);
      case Rule.ContainerConstruct:
        return this.analyzeContainerConstruct(node);
      case Rule.GetAttr:
        // Frozen: each module attribute read is a location of its own.
        if (this.frozen && isModuleType(node.input(0).type)) return this.analyzeCreator(node);
        return this.analyzeExtractor(node);
      case Rule.Extractor:
        return this.analyzeExtractor(node);
      case Rule.PointsToInput:
        return this.makePointerTo(node.output(), node.input(0));
      case Rule.ConstantChunk:
        for (let i = 0, os = node.outputs; i < os.length; i++) this.makePointerTo(os[i], node.input(0));
        return;
      case Rule.SetAttr:
        this.registerWrite(node.input(0), node);
        this.setWildcard(node.input(1));
        return;
      case Rule.Nothing:
        return;
      case Rule.Conservative:
        return this.analyzeConservative(node);
      case Rule.Operator: {
        const entry = node.blocks.length ? undefined : this.entryOf(node);
        if (!entry || entry.facts.aliasAnalysis === 'conservative') return this.analyzeConservative(node);
        return this.analyzeFromSchema(node, entry);
      }
    }
  }

  private analyzeExtractor(node: Node): void {
    for (let i = 0, os = node.outputs; i < os.length; i++) this.setWildcard(os[i]);
  }

  private analyzeCreator(node: Node): void {
    for (let i = 0, bs = node.blocks; i < bs.length; i++) this.analyzeScope(bs[i]);
    for (let i = 0, os = node.outputs; i < os.length; i++) this.giveFreshAlias(os[i]);
  }

  // A nested scope run elsewhere (a closure, a forked body): what it is given and returns escapes.
  private analyzeScope(block: Block): void {
    for (let i = 0, vs = block.inputs; i < vs.length; i++) this.setWildcard(vs[i]);
    this.analyzeBlock(block);
    for (let i = 0, vs = block.outputs; i < vs.length; i++) this.setWildcard(vs[i]);
  }

  private analyzeIf(node: Node): void {
    const { blocks, outputs } = node;
    for (let b = 0; b < blocks.length; b++) this.analyzeBlock(blocks[b]);
    if (outputs.length === 0) return; // most: `if cond: raise`
    if (blocks.length !== 2) {
      for (let i = 0; i < outputs.length; i++)
        for (let b = 0; b < blocks.length; b++) this.makePointerTo(outputs[i], blocks[b].outputs[i]);
      return;
    }
    const thenResults = blocks[0].outputs;
    const elseResults = blocks[1].outputs;
    for (let i = 0; i < outputs.length; i++) {
      this.makePointerTo(outputs[i], thenResults[i]);
      this.makePointerTo(outputs[i], elseResults[i]);
    }
  }

  /**
   * With `pytorchLoops` (the default, AliasDbOptions.loops), PyTorch 1.13's analyzeLoop: the body's carried
   * inputs point at the loop's initial values only and the loop's results at the body's results only, so a
   * value the body makes and carries into the next iteration, where it is written, counts as unwritten.
   * Otherwise ('fixpoint') the body inputs also point at the body outputs and the loop outputs at the
   * initial values (a loop that runs no iteration): the fixpoint over all iterations, sound.
   */
  private analyzeLoop(node: Node): void {
    const body = node.blocks[0];
    const carried = node.inputs.slice(2);
    const bodyInputs = body.inputs.slice(1);
    const bodyOutputs = body.outputs.slice(1);
    carried.forEach((v, i) => this.makePointerTo(bodyInputs[i], v));
    this.analyzeBlock(body);
    if (!this.pytorchLoops) bodyOutputs.forEach((v, i) => this.makePointerTo(bodyInputs[i], v));
    node.outputs.forEach((o, i) => {
      this.makePointerTo(o, bodyOutputs[i]);
      if (!this.pytorchLoops) this.makePointerTo(o, carried[i]);
    });
  }

  /**
   * A fork's block is its body inline (PyTorch keeps it in a subgraph it does not look into): its reads
   * and writes are seen like any others. What it captures escapes; the Future holds what it returns.
   */
  private analyzeFork(node: Node): void {
    for (let i = 0, vs = node.inputs; i < vs.length; i++) this.setWildcard(vs[i]);
    for (let i = 0, bs = node.blocks; i < bs.length; i++) this.analyzeBlock(bs[i]);
    for (let i = 0, os = node.outputs; i < os.length; i++) this.giveFreshAlias(os[i]);
    const body = node.blocks[0];
    if (body && node.outputs.length === 1)
      for (let i = 0, vs = body.outputs; i < vs.length; i++) this.addToContained(vs[i], node.output());
  }

  // `wait` returns anything (PyTorch's analyzeWait) and, on a fork of this graph, what its block returned
  // (without making that escape); the task may have written whatever escaped, so wait writes every wildcard.
  private analyzeWait(node: Node): void {
    const fork = node.inputs[0]?.node;
    const body = fork?.kind === 'prim::fork' ? fork.blocks[0] : undefined;
    node.outputs.forEach((o, i) => {
      const w = this.getOrCreateWildcard(o.type);
      if (w === undefined) return;
      this.dag.makePointerTo(this.elementFor(o), w);
      if (body && node.outputs.length === body.outputs.length) this.makePointerTo(o, body.outputs[i]);
    });
    this.writesOf(node).allWildcards = true;
  }

  // batch_norm / instance_norm write their running stats when they may train (frozen graphs never do).
  private analyzeNorm(node: Node): void {
    for (let i = 0, os = node.outputs; i < os.length; i++) this.giveFreshAlias(os[i]);
    if (this.frozen && node.kind === 'aten::batch_norm') return;
    // Argument 5 is `training` (batch_norm) or `use_input_stats` (instance_norm).
    if (node.inputs[5] && toIValue(node.inputs[5]) === false) return;
    this.registerWrite(node.inputs[3], node);
    this.registerWrite(node.inputs[4], node);
  }

  private analyzeConservative(node: Node): void {
    for (let i = 0, bs = node.blocks; i < bs.length; i++) this.analyzeScope(bs[i]);
    for (let i = 0, vs = node.inputs; i < vs.length; i++) {
      const v = vs[i];
      if (!isMutableValue(v)) continue;
      this.registerWrite(v, node, true);
      this.setWildcard(v);
    }
    for (let i = 0, os = node.outputs; i < os.length; i++) this.setWildcard(os[i]);
  }

  // A container's elements escape, unless its one use is an op that neither keeps nor returns them.
  private analyzeContainerConstruct(node: Node): void {
    const container = node.output();
    if (!isMutableValue(container)) return;
    const user = container.numUses === 1 ? container.uses()[0].user : undefined;
    if (user && (nonEscapingListUse(user.kind, container) || this.returnedTuple(user, container))) {
      this.giveFreshAlias(container, false);
      for (let i = 0, vs = node.inputs; i < vs.length; i++) this.addToContained(vs[i], container);
      return;
    }
    this.giveFreshAlias(container);
    const e = this.elementOf(container);
    for (let i = 0, vs = node.inputs; i < vs.length; i++) {
      const v = vs[i];
      const w = this.setWildcard(v);
      if (w !== undefined) this.dag.addContained(w, e);
    }
  }

  // PyTorch's functionalNonEscapingTupleUse: a tuple only returned by the graph holds its elements as they
  // are (the graph outputs' contents are what escapes), instead of making them wildcards.
  private returnedTuple(user: Node, container: Value): boolean {
    return (
      container.type.kind === 'Tuple' &&
      user.kind === 'prim::Return' &&
      user.owningBlock === container.node.owningGraph.block
    );
  }

  // Alias annotations of the schema bind outputs to inputs; `!` writes, `-> *` escapes.
  private analyzeFromSchema(node: Node, entry: OperatorInfo): void {
    const plan = schemaAliasPlan(entry.schema);
    const outputs = node.outputs;
    const nOut = Math.min(outputs.length, plan.returns.length);
    if (plan.plain) {
      // No annotation anywhere (most operators): every output is fresh.
      for (let i = 0; i < nOut; i++) this.giveFreshAlias(outputs[i]);
      return;
    }
    const bound = this.bindArguments(node, plan);
    for (let i = 0; i < nOut; i++) {
      const actual = outputs[i];
      const formal = plan.returns[i];
      if (!formal) {
        this.giveFreshAlias(actual);
        continue;
      }
      if (!isMutableValue(actual)) continue;
      if (formal.isWildcardBefore) {
        this.setWildcard(actual);
        continue;
      }
      const sets = formal.beforeSets;
      for (let s = 0; s < sets.length; s++) {
        const to = boundValue(bound, sets[s]);
        if (to) this.makePointerTo(actual, to);
        else if (sets.length === 1) this.giveFreshAlias(actual);
      }
      if (formal.isWrite) this.registerWrite(actual, node, formal.contents);
    }
  }

  // The schema rule's binding (alias-rules' bindArguments), registering the writes and escapes of the
  // bound arguments on the way. Returns [set, value, set, value, ...], valid until the next call.
  private bindArguments(node: Node, plan: SchemaAliasPlan): unknown[] {
    const bound = this.bound;
    bound.length = 0;
    const inputs = node.inputs;
    const args = plan.arguments;
    const n = Math.min(inputs.length, args.length);
    for (let i = 0; i < n; i++) {
      const formal = args[i];
      if (!formal) continue;
      const actual = inputs[i];
      if (!isMutableValue(actual)) continue;
      const set = formal.beforeSets[0];
      if (set === undefined || boundValue(bound, set)) continue;
      bound.push(set, actual);
      if (formal.isWrite) this.registerWrite(actual, node, formal.contents);
      if (formal.isWildcardAfter) this.setWildcard(actual);
    }
    return bound;
  }
}

function boundValue(bound: readonly unknown[], set: string): Value | undefined {
  for (let i = 0; i < bound.length; i += 2) if (bound[i] === set) return bound[i + 1] as Value;
  return undefined;
}

/** How analyzeNode handles a kind (PyTorch's analyzeImpl dispatch): one table lookup per node. */
const enum Rule {
  Operator,
  If,
  Loop,
  Fork,
  Wait,
  Norm,
  Creator,
  ContainerConstruct,
  GetAttr,
  Extractor,
  PointsToInput,
  ConstantChunk,
  SetAttr,
  Nothing,
  Conservative,
}

// OwnRule (alias-rules.ts, the shared table) to this file's dispatch codes.
const RULE_CODE: Readonly<Record<OwnRule, Rule>> = {
  if: Rule.If,
  loop: Rule.Loop,
  fork: Rule.Fork,
  wait: Rule.Wait,
  norm: Rule.Norm,
  creator: Rule.Creator,
  containerConstruct: Rule.ContainerConstruct,
  getAttr: Rule.GetAttr,
  extractor: Rule.Extractor,
  pointsToInput: Rule.PointsToInput,
  constantChunk: Rule.ConstantChunk,
  setAttr: Rule.SetAttr,
  nothing: Rule.Nothing,
  conservative: Rule.Conservative,
};

const RULES = new Map<string, Rule>([...OWN_RULE_OF_KIND].map(([kind, rule]) => [kind, RULE_CODE[rule]]));

function makesMutable(node: Node): boolean {
  const outputs = node.outputs;
  for (let i = 0; i < outputs.length; i++) if (isMutableValue(outputs[i])) return true;
  return false;
}

function nonEscapingListUse(userKind: string, container: Value): boolean {
  return container.type.kind === 'List' && NON_ESCAPING_LIST_USERS.has(userKind);
}

/** PyTorch's nonAliasingValue: None, or a placeholder that is never read. */
export function nonAliasing(v: Value): boolean {
  return mustBeNone(v) || v.node.kind === 'prim::Uninitialized';
}

/** PyTorch's Value::mustBeNone. */
export function mustBeNone(v: Value): boolean {
  const t = v.type.kind;
  if (t === 'None') return true;
  const n = v.node;
  const k = n.kind;
  return (
    k === 'prim::AutogradZero' || (t === 'Optional' && k === 'prim::Constant' && !n.hasAttribute('value'))
  );
}

// Module class types (parsed IR does not say, so a class there counts as a module).
export function isModuleType(t: Type): boolean {
  return t.kind === 'Class' && (t as { isModule?: boolean }).isModule !== false;
}
