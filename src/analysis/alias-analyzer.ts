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
  bindArguments,
  CALLS,
  CREATORS,
  effectiveAlias,
  EXTRACTORS,
  isMutableValue,
  NON_ESCAPING_LIST_USERS,
  type OperatorInfo,
} from './alias-rules.js';
import { MemoryDag } from './memory-dag.js';

export type { OperatorInfo } from './alias-rules.js';

/** How to find the operator a node runs. */
export type EntryLookup = (node: Node) => OperatorInfo | undefined;

/** Everything the analysis learned, for AliasDb's queries. */
export interface AliasFacts {
  readonly dag: MemoryDag;
  readonly elementOf: ReadonlyMap<Value, number>;
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

/** One analysis run over a graph. */
export class AliasAnalyzer {
  readonly dag = new MemoryDag();
  readonly elementOf = new Map<Value, number>();
  readonly wildcardOf = new Map<string, number>();
  readonly writes = new Map<Node, NodeWrites>();
  private readonly wildcardValues = new Set<Value>();

  constructor(
    private readonly entryOf: EntryLookup,
    private readonly frozen: boolean,
    private readonly pytorchLoops = true,
  ) {}

  run(graph: Graph): AliasFacts {
    for (const v of graph.inputs) this.setWildcard(v);
    this.analyzeBlock(graph.block);
    const escapes: [number, number][] = [];
    for (const v of this.wildcardValues) {
      const w = this.wildcardFor(v.type);
      if (w !== undefined) escapes.push([this.elementOf.get(v)!, w]);
    }
    this.dag.seal(escapes);
    return { dag: this.dag, elementOf: this.elementOf, wildcardOf: this.wildcardOf, writes: this.writes };
  }

  // ---- elements ------------------------------------------------------------------------------

  private isMutable(v: Value): boolean {
    return isMutableValue(v);
  }

  /** A fresh element for `v` (kept if it has one: loops meet values twice), holding wildcards of its contents. */
  private giveFreshAlias(v: Value, wildcardContents = true): void {
    const types = aliasTypeSet(v.type);
    if (!types || this.elementOf.has(v)) return;
    const e = this.dag.makeElement(v);
    this.elementOf.set(v, e);
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
    if (!this.elementOf.has(v)) this.giveFreshAlias(v);
    return this.elementOf.get(v)!;
  }

  private wildcardFor(t: Type): number | undefined {
    const types = aliasTypeSet(t);
    return types ? this.wildcardOf.get(aliasTypeKey(singleAliasType(types))) : undefined;
  }

  private getOrCreateWildcard(t: Type): number | undefined {
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
    this.elementFor(v);
    this.wildcardValues.add(v);
    return w;
  }

  private makePointerTo(from: Value, to: Value): void {
    if (nonAliasing(from) || nonAliasing(to)) {
      this.giveFreshAlias(from);
      this.giveFreshAlias(to);
      return;
    }
    const [mf, mt] = [this.isMutable(from), this.isMutable(to)];
    if (mf !== mt || !mf || from === to) return;
    this.dag.makePointerTo(this.elementFor(from), this.elementFor(to));
  }

  private addToContained(inner: Value, container: Value): void {
    if (!this.isMutable(inner)) return;
    this.dag.addContained(this.elementFor(inner), this.elementFor(container));
  }

  private writesOf(n: Node): NodeWrites {
    let w = this.writes.get(n);
    if (!w) this.writes.set(n, (w = { values: [], contents: [], allWildcards: false }));
    return w;
  }

  private registerWrite(v: Value, n: Node, contents = false): void {
    if (!this.isMutable(v)) return;
    this.elementFor(v);
    const w = this.writesOf(n);
    (contents ? w.contents : w.values).push(v);
  }

  // ---- the rules ------------------------------------------------------------------------------

  // The analysis never changes the graph: blocks are walked by their node links.
  private analyzeBlock(block: Block): void {
    const end = block.returnNode;
    for (let n = end.next!; n !== end; n = n.next!) this.analyzeNode(n);
  }

  private analyzeNode(node: Node): void {
    // A node without blocks that neither reads nor makes a value the analysis tracks (int, bool, str: most
    // of a shape check or an error message) adds no element, pointer or write under any rule but wait's.
    if (!node.blocks.length && node.kind !== 'aten::wait' && !readsOrMakesMutable(node)) return;
    this.dispatch(node);
    // Every mutable value has an element; an output no rule covered may be anything.
    const outputs = node.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      if (this.isMutable(o) && !this.elementOf.has(o)) this.setWildcard(o);
    }
  }

  private dispatch(node: Node): void {
    const kind = node.kind;
    if (kind === 'prim::If') return this.analyzeIf(node);
    if (kind === 'prim::Loop') return this.analyzeLoop(node);
    if (kind === 'prim::fork') return this.analyzeFork(node);
    if (kind === 'aten::wait') return this.analyzeWait(node);
    if (kind === 'aten::batch_norm' || kind === 'aten::instance_norm') return this.analyzeNorm(node);
    if (CREATORS.has(kind)) return this.analyzeCreator(node);
    if (kind === 'prim::ListConstruct' || kind === 'prim::TupleConstruct' || kind === 'prim::DictConstruct')
      return this.analyzeContainerConstruct(node);
    if (kind === 'prim::GetAttr' && this.frozen && isModuleType(node.input(0).type))
      return this.analyzeCreator(node); // frozen: each module attribute read is a location of its own
    if (EXTRACTORS.has(kind)) {
      for (const o of node.outputs) this.setWildcard(o);
      return;
    }
    if (kind === 'prim::unchecked_cast' || kind === 'prim::profile' || kind === 'prim::Guard')
      return this.makePointerTo(node.output(), node.input(0));
    if (kind === 'prim::ConstantChunk') {
      for (const o of node.outputs) this.makePointerTo(o, node.input(0));
      return;
    }
    if (kind === 'prim::SetAttr') {
      this.registerWrite(node.input(0), node);
      this.setWildcard(node.input(1));
      return;
    }
    if (kind === 'prim::Print' || kind === 'prim::isinstance') return;
    const entry = CALLS.has(kind) || node.blocks.length ? undefined : this.entryOf(node);
    if (!entry || entry.facts.aliasAnalysis === 'conservative') return this.analyzeConservative(node);
    this.analyzeFromSchema(node, entry);
  }

  private analyzeCreator(node: Node): void {
    for (const b of node.blocks) this.analyzeScope(b);
    for (const o of node.outputs) this.giveFreshAlias(o);
  }

  // A nested scope run elsewhere (a closure, a forked body): what it is given and returns escapes.
  private analyzeScope(block: Block): void {
    for (const v of block.inputs) this.setWildcard(v);
    this.analyzeBlock(block);
    for (const v of block.outputs) this.setWildcard(v);
  }

  private analyzeIf(node: Node): void {
    const { blocks, outputs } = node;
    for (let b = 0; b < blocks.length; b++) this.analyzeBlock(blocks[b]);
    for (let i = 0; i < outputs.length; i++)
      for (let b = 0; b < blocks.length; b++) this.makePointerTo(outputs[i], blocks[b].outputs[i]);
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
    for (const v of node.inputs) this.setWildcard(v);
    for (const b of node.blocks) this.analyzeBlock(b);
    for (const o of node.outputs) this.giveFreshAlias(o);
    const body = node.blocks[0];
    if (body && node.outputs.length === 1)
      for (const v of body.outputs) this.addToContained(v, node.output());
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
    for (const o of node.outputs) this.giveFreshAlias(o);
    if (this.frozen && node.kind === 'aten::batch_norm') return;
    // Argument 5 is `training` (batch_norm) or `use_input_stats` (instance_norm).
    if (node.inputs[5] && toIValue(node.inputs[5]) === false) return;
    this.registerWrite(node.inputs[3], node);
    this.registerWrite(node.inputs[4], node);
  }

  private analyzeConservative(node: Node): void {
    for (const b of node.blocks) this.analyzeScope(b);
    for (const v of node.inputs) {
      if (!this.isMutable(v)) continue;
      this.registerWrite(v, node, true);
      this.setWildcard(v);
    }
    for (const o of node.outputs) this.setWildcard(o);
  }

  // A container's elements escape, unless its one use is an op that neither keeps nor returns them.
  private analyzeContainerConstruct(node: Node): void {
    const container = node.output();
    if (!this.isMutable(container)) return;
    const uses = container.uses();
    if (
      uses.length === 1 &&
      (nonEscapingListUse(uses[0].user.kind, container) || this.returnedTuple(uses[0].user, container))
    ) {
      this.giveFreshAlias(container, false);
      for (const v of node.inputs) this.addToContained(v, container);
      return;
    }
    this.giveFreshAlias(container);
    const e = this.elementOf.get(container)!;
    for (const v of node.inputs) {
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
    const schema = entry.schema;
    const bound = bindArguments(node, schema, (actual, formal) => {
      if (formal.info.isWrite) this.registerWrite(actual, node, formal.contents);
      if (formal.info.isWildcardAfter) this.setWildcard(actual);
    });
    node.outputs.forEach((actual, i) => {
      const ret = schema.returns[i];
      if (!ret) return;
      const formal = effectiveAlias(ret.alias);
      if (!formal) return this.giveFreshAlias(actual);
      if (!this.isMutable(actual)) return;
      if (formal.info.isWildcardBefore) {
        this.setWildcard(actual);
        return;
      }
      for (const set of formal.info.beforeSets) {
        const to = bound.get(set);
        if (to) this.makePointerTo(actual, to);
        else if (formal.info.beforeSets.length === 1) this.giveFreshAlias(actual);
      }
      if (formal.info.isWrite) this.registerWrite(actual, node, formal.contents);
    });
  }
}

function readsOrMakesMutable(node: Node): boolean {
  const { inputs, outputs } = node;
  for (let i = 0; i < inputs.length; i++) if (isMutableValue(inputs[i])) return true;
  for (let i = 0; i < outputs.length; i++) if (isMutableValue(outputs[i])) return true;
  return false;
}

function nonEscapingListUse(userKind: string, container: Value): boolean {
  return container.type.kind === 'List' && NON_ESCAPING_LIST_USERS.has(userKind);
}

/** PyTorch's nonAliasingValue: None, or a placeholder that is never read. */
function nonAliasing(v: Value): boolean {
  return mustBeNone(v) || v.node.kind === 'prim::Uninitialized';
}

/** PyTorch's Value::mustBeNone. */
export function mustBeNone(v: Value): boolean {
  if (v.type.kind === 'None') return true;
  const n = v.node;
  return (
    n.kind === 'prim::AutogradZero' ||
    (n.kind === 'prim::Constant' && !n.hasAttribute('value') && v.type.kind === 'Optional')
  );
}

// Module class types (parsed IR does not say, so a class there counts as a module).
function isModuleType(t: Type): boolean {
  return t.kind === 'Class' && (t as { isModule?: boolean }).isModule !== false;
}
