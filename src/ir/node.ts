// Node: one operation (`aten::conv2d`, `prim::If`, ...) with ordered inputs, outputs, attributes and nested blocks.

import { InternalError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Attribute, AttributeKind } from './attributes.js';
import type { Block } from './block.js';
import type { Graph } from './graph.js';
import type { IValue } from './ivalue.js';
import type { Type } from './types.js';
import { Value, type UseRecord } from './value.js';

type AttributeValueOf<K extends AttributeKind> = { [A in Attribute as A['kind']]: A['value'] }[K];

// Shared by every node with no inputs, outputs or blocks: replaced by a list of its own on the first
// addition (V8 gives `[]` room for 16 items on its first push; a node has 1-3).
const NO_BLOCKS: Block[] = [];
const NO_VALUES: Value[] = [];
const NO_USES: UseRecord[] = [];
Object.freeze(NO_BLOCKS);
Object.freeze(NO_VALUES);
Object.freeze(NO_USES);

// The fields Node writes under their public read-only types.
interface Writable {
  inputs: Value[];
  outputs: Value[];
  blocks: Block[];
}

/** An IR node (PyTorch's torch::jit::Node). Create nodes through Graph.create / Graph.insertNode. */
export class Node {
  // Fields are set in the constructor, not by class-field initializers (see UseRecord: cold code pays a
  // separate initializer call per object).
  /** @internal intrusive list links, owned by Block. */
  declare prev: Node | null;
  /** @internal */
  declare next: Node | null;
  /** @internal order key within the owning block (gapped, renumbered when the gap closes). */
  declare position: number;
  /** @internal the block this node sits in, or null before insertion / after destruction. */
  declare owner: Block | null;
  /** @internal set once destroyed; every later use of the node is a bug. */
  declare destroyed: boolean;
  /** @internal the use store's bookkeeping: written to graphlib, last block placed in, placement pending. */
  declare stored: boolean;
  /** @internal */
  declare vertexBlock: Block | null;
  /** @internal */
  declare placeDirty: boolean;
  /** @internal a slot the operator registry caches this node's overload in (checked against its types). */
  declare opCache: unknown;

  // inputs, outputs and blocks are data fields, not getters: they are read on every step of every pass,
  // and cold code pays a function call for each getter read. Only this class writes them (see writable).
  declare readonly inputs: readonly Value[];
  /** The use record of each input slot (same order as inputs). */
  declare private inputUses: UseRecord[];
  declare readonly outputs: readonly Value[];
  // Most nodes own no blocks and many no attributes: both are made on first use.
  declare readonly blocks: readonly Block[];
  declare private attrs: Map<string, Attribute> | null;
  /** The attribute map may be another node's too (copyAttributes shares it): copied before a change. */
  declare private attrsShared: boolean;
  /** Where the node came from: `file.py:12:4` as PyTorch prints it after `#`. */
  declare sourceRange: string | undefined;
  /**
   * The submodule the node was inlined from, as a dotted attribute path from the method's `self`
   * (`layer1.0.conv1`); undefined for a method's own nodes. Set by inlining (PyTorch keeps the same
   * fact in the node's inlined call stack); pictures group nodes by it. Not part of the IR text (unlike a
   * traced graph's `scope:`, see nodeScope).
   */
  declare inlinedFrom: string | undefined;
  declare private vertexKey: string | undefined;

  declare readonly graph: Graph;
  declare readonly kind: string;
  /** Unique id within the graph; also the graphlib vertex key (its decimal string: integer-like keys let V8 keep graphlib's per-vertex tables as fast arrays). */
  declare readonly id: number;

  constructor(graph: Graph, kind: string, id: number) {
    const self = this as { graph: Graph; kind: string; id: number };
    self.graph = graph;
    self.kind = kind;
    self.id = id;
    this.prev = null;
    this.next = null;
    this.position = 0;
    this.owner = null;
    this.destroyed = false;
    this.stored = false;
    this.vertexBlock = null;
    this.placeDirty = false;
    this.opCache = undefined;
    const self2 = this as unknown as Writable;
    self2.inputs = NO_VALUES;
    this.inputUses = NO_USES;
    self2.outputs = NO_VALUES;
    self2.blocks = NO_BLOCKS;
    this.attrs = null;
    this.attrsShared = false;
    this.sourceRange = undefined;
    this.inlinedFrom = undefined;
    this.vertexKey = undefined;
  }

  /** The graphlib vertex of this node. */
  get vertex(): string {
    // Built once: graphlib keys its dictionaries by this string, and a reused string keeps its hash.
    return (this.vertexKey ??= String(this.id));
  }

  get owningGraph(): Graph {
    return this.graph;
  }

  get owningBlock(): Block | null {
    return this.owner;
  }

  input(i = 0): Value {
    const v = this.inputs[i];
    if (!v) throw new InternalError(`${this.kind} has no input ${i}`);
    return v;
  }

  output(i = 0): Value {
    const v = this.outputs[i];
    if (!v) throw new InternalError(`${this.kind} has no output ${i}`);
    return v;
  }

  /** True if any output is used. */
  hasUses(): boolean {
    // Indexed loops on the per-node paths: passes run cold, where an array iterator costs more than the loop.
    const outs = this.outputs;
    for (let i = 0; i < outs.length; i++) if (outs[i].firstUse !== null) return true;
    return false;
  }

  /** @internal the use record of input slot `index` (the graphlib edge label). */
  inputUse(index: number): UseRecord {
    const u = this.inputUses[index];
    if (!u) throw new InternalError(`${this.kind} has no input ${index}`);
    return u;
  }

  // ---- inputs -------------------------------------------------------------------------------

  addInput(value: Value): Value {
    return this.insertInput(this.inputs.length, value);
  }

  insertInput(index: number, value: Value): Value {
    if (this.destroyed) this.wasDestroyed();
    if (value.graph !== this.graph) this.foreignInput(value);
    const use = this.graph.addUse(value, this, index);
    const list = this.inputs as Value[];
    if (list === NO_VALUES) {
      (this as unknown as Writable).inputs = [value];
      this.inputUses = [use];
    } else if (index === list.length) {
      list.push(value);
      this.inputUses.push(use);
    } else {
      list.splice(index, 0, value);
      this.inputUses.splice(index, 0, use);
      // Later slots move up; their records follow (edges are named by use id, so none is re-keyed).
      for (let i = index + 1; i < this.inputUses.length; i++) this.inputUses[i].offset = i;
    }
    return value;
  }

  /** @internal gives a node without inputs all of them at once (lists of exactly their size). */
  initInputs(values: readonly Value[]): void {
    if (this.destroyed) this.wasDestroyed();
    if (values.length > 0) this.adoptInputs(values.slice());
  }

  /** @internal initInputs taking ownership of `list` (a fresh array nobody else keeps). */
  adoptInputs(list: Value[]): void {
    if (this.destroyed) this.wasDestroyed();
    if (list.length === 0) return;
    if (this.inputs !== NO_VALUES) throw new InternalError(`${this.kind} already has inputs`);
    const uses = new Array<UseRecord>(list.length);
    for (let i = 0; i < list.length; i++) {
      if (list[i].graph !== this.graph) this.foreignInput(list[i]);
      uses[i] = this.graph.addUse(list[i], this, i);
    }
    (this as unknown as Writable).inputs = list;
    this.inputUses = uses;
  }

  /**
   * @internal (Graph.adoptBareNode) this node, taken from another graph, restarts as createBareNode leaves
   * a new one: in `graph` under `id`, unplaced, not in the store. Inputs, outputs, blocks and attributes stay
   * for the mover (clone.ts), which rebuilds the input uses with rewireInputs.
   */
  rehome(graph: Graph, id: number): void {
    const self = this as { graph: Graph; id: number };
    self.graph = graph;
    self.id = id;
    this.vertexKey = undefined;
    this.prev = this.next = null;
    this.owner = null;
    this.position = 0;
    this.stored = false;
    this.vertexBlock = null;
    this.placeDirty = false;
  }

  /**
   * @internal after rehome: input slot i becomes `map(inputs[i])`, its use made slot by slot as adoptInputs
   * makes them (ids, use-list order), recycling the slot's record from the graph the node came from.
   */
  rewireInputs(map: (v: Value) => Value): void {
    const list = this.inputs as Value[];
    const uses = this.inputUses;
    const graph = this.graph;
    for (let i = 0; i < list.length; i++) {
      const v = map(list[i]);
      if (v.graph !== graph) this.foreignInput(v);
      list[i] = v;
      graph.reuseUse(uses[i], v);
    }
  }

  /** @internal appends each input's use record to its value's use list, slot by slot (Graph.restartAsCopy). */
  relinkInputUses(): void {
    const uses = this.inputUses;
    for (let i = 0; i < uses.length; i++) {
      const use = uses[i];
      use.nextUse = null;
      use.value.linkUse(use);
    }
  }

  /** Replaces input `index` with `value`; returns the old input. */
  replaceInput(index: number, value: Value): Value {
    if (this.destroyed) this.wasDestroyed();
    const old = this.inputs[index];
    if (old === undefined) this.input(index); // throws
    if (old === value) return old;
    if (value.graph !== this.graph) this.foreignInput(value);
    (this.inputs as Value[])[index] = value;
    this.inputUses[index] = this.graph.retargetUse(this.inputUses[index], value);
    return old;
  }

  /** Replaces every occurrence of `from` among the inputs with `to`. */
  replaceInputWith(from: Value, to: Value): void {
    const list = this.inputs;
    for (let i = 0; i < list.length; i++) if (list[i] === from) this.replaceInput(i, to);
  }

  removeInput(index: number): void {
    if (this.destroyed) this.wasDestroyed();
    this.input(index);
    this.graph.removeUse(this.inputUses[index]);
    const list = this.inputs as Value[];
    if (index === list.length - 1) {
      list.pop();
      this.inputUses.pop();
      return;
    }
    list.splice(index, 1);
    this.inputUses.splice(index, 1);
    for (let i = index; i < this.inputUses.length; i++) this.inputUses[i].offset = i;
  }

  removeAllInputs(): void {
    // From the last slot: no later slot's offset changes.
    const list = this.inputs as Value[];
    if (list.length === 0) return;
    if (this.destroyed) this.wasDestroyed();
    const uses = this.inputUses;
    for (let i = list.length - 1; i >= 0; i--) {
      this.graph.removeUse(uses[i]);
      list.pop();
      uses.pop();
    }
  }

  // ---- outputs ------------------------------------------------------------------------------

  addOutput(type: Type, name?: string): Value {
    return this.insertOutput(this.outputs.length, type, name);
  }

  insertOutput(index: number, type: Type, name?: string): Value {
    if (this.destroyed) this.wasDestroyed();
    const graph = this.graph;
    graph.epoch++;
    const value = new Value(graph, this, index, type);
    const outs = this.outputs as Value[];
    if (outs === NO_VALUES) (this as unknown as Writable).outputs = [value];
    else if (index === outs.length) outs.push(value);
    else {
      outs.splice(index, 0, value);
      for (let i = index + 1; i < outs.length; i++) outs[i].offset = i;
    }
    graph.registerValue(value, name);
    // Uses are keyed by value, not by offset, so later outputs' uses need no rewiring.
    return value;
  }

  /** Erases output `index`; refused while it has uses. */
  eraseOutput(index: number): void {
    const value = this.output(index);
    if (value.hasUses()) {
      throw new InternalError(`cannot erase output %${value.debugName} of ${this.kind}: it still has uses`);
    }
    this.graph.epoch++;
    const outs = this.outputs as Value[];
    outs.splice(index, 1);
    for (let i = index; i < outs.length; i++) outs[i].offset = i;
    this.graph.releaseValue(value);
  }

  // ---- blocks -------------------------------------------------------------------------------

  addBlock(): Block {
    if (this.destroyed) this.wasDestroyed();
    const block = this.graph.createBlock(this);
    if (this.blocks === NO_BLOCKS) (this as unknown as Writable).blocks = [block];
    else (this.blocks as Block[]).push(block);
    return block;
  }

  eraseBlock(index: number): void {
    const block = this.blocks[index];
    // (Messages built only when thrown, here and below: these run for every erased block and moved node.)
    if (!block) throw new InternalError(`${this.kind} has no block ${index}`);
    (this.blocks as Block[]).splice(index, 1);
    block.destroy();
  }

  // ---- attributes ---------------------------------------------------------------------------

  hasAttribute(name: string): boolean {
    return this.attrs !== null && this.attrs.has(name);
  }

  /** Number of attributes (without listing them). */
  get attributeCount(): number {
    return this.attrs === null ? 0 : this.attrs.size;
  }

  attributeNames(): string[] {
    return this.attrs === null ? [] : [...this.attrs.keys()];
  }

  attribute(name: string): Attribute | undefined {
    return this.attrs === null ? undefined : this.attrs.get(name);
  }

  setAttribute(name: string, attribute: Attribute): this {
    this.graph.epoch++;
    this.ownAttributes().set(name, attribute);
    return this;
  }

  removeAttribute(name: string): void {
    this.graph.epoch++;
    if (this.attrs?.has(name)) this.ownAttributes().delete(name);
  }

  // The attribute map, this node's alone (made, or copied from a shared one).
  private ownAttributes(): Map<string, Attribute> {
    if (this.attrs === null) this.attrs = new Map();
    else if (this.attrsShared) {
      this.attrs = new Map(this.attrs);
      this.attrsShared = false;
    }
    return this.attrs;
  }

  private attr<K extends AttributeKind>(name: string, kind: K): AttributeValueOf<K> {
    const a = this.attrs?.get(name);
    if (!a || a.kind !== kind) {
      throw new InternalError(`${this.kind} has no ${kind} attribute '${name}'`);
    }
    return a.value as AttributeValueOf<K>;
  }

  i(name: string): number | bigint {
    return this.attr(name, 'i');
  }
  f(name: string): number {
    return this.attr(name, 'f');
  }
  s(name: string): string {
    return this.attr(name, 's');
  }
  t(name: string): Tensor {
    return this.attr(name, 't');
  }
  ival(name: string): IValue {
    return this.attr(name, 'ival');
  }
  ty(name: string): Type {
    return this.attr(name, 'ty');
  }
  setI(name: string, value: number | bigint): this {
    return this.setAttribute(name, { kind: 'i', value });
  }
  setF(name: string, value: number): this {
    return this.setAttribute(name, { kind: 'f', value });
  }
  setS(name: string, value: string): this {
    return this.setAttribute(name, { kind: 's', value });
  }
  setT(name: string, value: Tensor): this {
    return this.setAttribute(name, { kind: 't', value });
  }
  setIval(name: string, value: IValue): this {
    return this.setAttribute(name, { kind: 'ival', value });
  }
  setTy(name: string, value: Type): this {
    return this.setAttribute(name, { kind: 'ty', value });
  }

  /** Copies every attribute of `other` onto this node. */
  copyAttributes(other: Node): this {
    if (other.attrs === null) return this;
    this.graph.epoch++;
    if (this.attrs === null) {
      // Copies (inlining, cloning) rarely change attributes: share the map until one side does.
      this.attrs = other.attrs;
      this.attrsShared = other.attrsShared = true;
      return this;
    }
    const attrs = this.ownAttributes();
    for (const [k, v] of other.attrs) attrs.set(k, v);
    return this;
  }

  // ---- placement ----------------------------------------------------------------------------

  /** Inserts this (not yet placed) node before `other`. */
  insertBefore(other: Node): this {
    if (this.destroyed) this.wasDestroyed();
    // (Messages built only when thrown: every placed node passes here.)
    const block = other.owner;
    if (!block) throw new InternalError(`insertBefore: ${other.kind} is not in a block`);
    if (this.owner)
      throw new InternalError(`insertBefore: ${this.kind} is already in a block; use moveBefore`);
    block.linkBefore(this, other);
    return this;
  }

  /** Inserts this (not yet placed) node after `other`. */
  insertAfter(other: Node): this {
    if (!other.next) throw new InternalError(`insertAfter: ${other.kind} is not in a block`);
    return this.insertBefore(other.next);
  }

  /** Moves a placed node before `other` (possibly into another block). */
  moveBefore(other: Node): this {
    this.unlink();
    return this.insertBefore(other);
  }

  moveAfter(other: Node): this {
    this.unlink();
    return this.insertAfter(other);
  }

  /** Takes the node out of its block without destroying it. */
  private unlink(): void {
    if (!this.owner) throw new InternalError(`${this.kind} is not in a block`);
    this.owner.unlinkNode(this);
  }

  /** True if this node executes before `other` (both placed; works across nested blocks). */
  isBefore(other: Node): boolean {
    return this.graph.compareOrder(this, other) < 0;
  }

  isAfter(other: Node): boolean {
    return this.graph.compareOrder(this, other) > 0;
  }

  /** Removes the node. Refused while any output is still used (as in PyTorch and torch.fx). */
  destroy(): void {
    if (this.destroyed) this.wasDestroyed();
    const outs = this.outputs;
    for (let i = 0; i < outs.length; i++) {
      const out = outs[i];
      if (out.firstUse !== null) {
        const users = out
          .uses()
          .map((u) => u.user.kind)
          .join(', ');
        throw new InternalError(
          `cannot destroy ${this.kind}: output %${out.debugName} is still used by ${users}`,
        );
      }
    }
    for (let i = this.blocks.length - 1; i >= 0; i--) this.eraseBlock(i);
    this.removeAllInputs();
    if (this.owner) this.owner.unlinkNode(this);
    for (let i = 0; i < outs.length; i++) this.graph.releaseValue(outs[i]);
    this.graph.releaseNode(this);
    this.destroyed = true;
  }

  // (A function, so the message is only built when it is thrown: inputs are added very often.)
  private foreignInput(value: Value): never {
    throw new InternalError(`${this.kind}: input %${value.debugName} belongs to another graph`);
  }

  // (Callers test `destroyed` themselves: a call per mutation costs in cold code.)
  private wasDestroyed(): never {
    throw new InternalError(`${this.kind} (node ${this.id}) was already destroyed`);
  }

  toString(): string {
    return this.graph.printNode(this);
  }
}
