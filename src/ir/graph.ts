// Graph: owns the top block, the unique value names, and the graphlib multigraph that stores every use.
// graphlib vertices are nodes (their decimal id) and blocks (`b<id>`, compound parents); an edge
// producer -> user, named by a per-graph use id and labelled by its Use record, is one use. The same
// record sits in the value's use list and the user's input slot; all change together only through
// Node's mutation methods (Graph.addUse/removeUse), and verify() checks they agree. graphlib is written
// in batches, brought up to date whenever it is read (use-store.ts).

import type { Graph as Dataflow } from '@dagrejs/graphlib';
import { assert } from '../errors.js';
import { Block } from './block.js';
import { Node } from './node.js';
import type { Type } from './types.js';
import { UseStore } from './use-store.js';
import { UseRecord, type Value } from './value.js';

/** Renders a node or graph as text; installed by the IR text module (keeps ir/ free of import cycles). */
export interface GraphPrinter {
  printGraph(graph: Graph): string;
  printNode(node: Node): string;
}

let printer: GraphPrinter | undefined;

/** @internal Installs the text printer used by Graph.toString and Node.toString. */
export function installGraphPrinter(p: GraphPrinter): void {
  printer = p;
}

/** Output types of an operator applied to these inputs, from the operator table (undefined: unknown). */
export type OutputInference = (kind: string, inputs: readonly Value[]) => readonly Type[] | undefined;

let outputInference: OutputInference | undefined;

/** @internal Installs how `create` infers outputs (the package entry does, from the operator table). */
export function installOutputInference(infer: OutputInference): void {
  outputInference = infer;
}

const NONE: readonly never[] = Object.freeze([]);
const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** Where `insertNode` puts nodes: before `node`. */
export type InsertPoint = Node;

/** A TorchScript IR graph (PyTorch's torch::jit::Graph). */
export class Graph {
  private readonly useStore: UseStore = new UseStore(this);
  readonly block: Block;
  private nextNodeId = 0;
  private nextBlockId = 0;
  private nextUnique = 0;
  private nextUseId = 0;
  /** Values by name, except the canonical numbered names below (values named through the counter). */
  private readonly names = new Map<string, Value>();
  /**
   * Values named `0`, `1`, `12`, ... (below NUMBERED_LIMIT, no leading zero), indexed by that number: most
   * values take their name from the counter, and this way pay no string or hash for it (the string is made
   * when someone reads the name; see Value.debugName).
   */
  private readonly numbered: (Value | undefined)[] = [];
  private numberedCount = 0;
  /** Per base name B: every `B.j` with 1 <= j < hint is taken (lowered when such a name is freed). */
  private readonly variantHints = new Map<string, number>();
  /** Per base name B and start s > its hint: every `B.j` with s <= j < the entry is taken. */
  private readonly variantFrom = new Map<string, Map<number, number>>();
  /** The number of the name firstFree last returned. */
  private freeNumber = 0;
  private insertPointNode: Node;
  /**
   * Bumped by every change to the IR (uses, nodes, blocks, placement, attributes, outputs, types, names):
   * equal epochs before and after a pass mean it changed nothing. The pass manager compares them to catch
   * a pass that changed the IR but reported `changed: false`. A counter only: costs one add per mutation.
   */
  epoch = 0;

  constructor() {
    this.block = new Block(this, null, this.nextBlockId++);
    this.useStore.createBlock(this.block);
    this.insertPointNode = this.block.returnNode;
  }

  /**
   * The use store: a compound multigraph whose vertices are nodes and blocks and whose edges are uses.
   * Read it freely (it is brought up to date on every read); mutate only through the IR API.
   */
  get dataflow(): Dataflow<unknown, Node | Block, UseRecord> {
    return this.useStore.flushed;
  }

  // ---- structure ----------------------------------------------------------------------------

  get inputs(): readonly Value[] {
    return this.block.inputs;
  }

  get outputs(): readonly Value[] {
    return this.block.outputs;
  }

  get paramNode(): Node {
    return this.block.paramNode;
  }

  get returnNode(): Node {
    return this.block.returnNode;
  }

  addInput(type: Type, name?: string): Value {
    return this.block.addInput(type, name);
  }

  insertInput(index: number, type: Type, name?: string): Value {
    return this.block.insertInput(index, type, name);
  }

  eraseInput(index: number): void {
    this.block.eraseInput(index);
  }

  registerOutput(value: Value): number {
    return this.block.registerOutput(value);
  }

  eraseOutput(index: number): void {
    this.block.eraseOutput(index);
  }

  /** Top-level nodes in order (safe while erasing the current one). */
  nodes(): IterableIterator<Node> {
    return this.block.nodes();
  }

  /** Every node, depth-first through nested blocks, in program order. Iterative: no recursion limit. */
  allNodes(): IterableIterator<Node> {
    return new AllNodes(this.block);
  }

  /** Every node of the given kind, anywhere in the graph. */
  nodesOfKind(kind: string): Node[] {
    const out: Node[] = [];
    for (const n of this.allNodes()) if (n.kind === kind) out.push(n);
    return out;
  }

  // ---- creation and insertion ---------------------------------------------------------------

  /**
   * Creates a node (not placed: insert it) with outputs of the given types. Without `outputTypes`, the
   * outputs and their types come from the operator's schema for these inputs (`create('aten::neg', [x])`
   * has one Tensor output); an op the table does not know gets none. Pass `[]` for no outputs.
   */
  create(kind: string, inputs: readonly Value[] = NONE, outputTypes?: readonly Type[]): Node {
    const node = this.createBareNode(kind);
    node.initInputs(inputs);
    const types = outputTypes ?? outputInference?.(kind, inputs) ?? NONE;
    for (let i = 0; i < types.length; i++) node.addOutput(types[i]);
    return node;
  }

  /** @internal a node with no inputs or outputs, registered as a vertex. */
  createBareNode(kind: string): Node {
    this.epoch++;
    const node = new Node(this, kind, this.nextNodeId++);
    this.useStore.createNode(node);
    return node;
  }

  /**
   * @internal takes `node` from another graph as if createBareNode had made it here (fresh id, unplaced,
   * not yet written to the store); its inputs, outputs and blocks are the caller's to move (clone.ts).
   */
  adoptBareNode(node: Node): void {
    this.epoch++;
    node.rehome(this, this.nextNodeId++);
    this.useStore.createNode(node);
  }

  /** @internal takes `block` (owned by a node being moved here) as createBlock would make it: ids in the same order. */
  adoptBlock(block: Block): void {
    this.epoch++;
    block.rehome(this, this.nextBlockId++);
    this.useStore.createBlock(block);
  }

  /** @internal */
  createBlock(owner: Node): Block {
    this.epoch++;
    const block = new Block(this, owner, this.nextBlockId++);
    // Nested under its owner's vertex when the store is written.
    this.useStore.createBlock(block);
    return block;
  }

  /** The node before which `insertNode` inserts. */
  get insertPoint(): Node {
    return this.insertPointNode;
  }

  setInsertPoint(point: Node | Block): void {
    this.insertPointNode = point instanceof Block ? point.returnNode : point;
  }

  /** Runs `fn` with the insert point set to `point` (a node: before it; a block: at its end), then restores it. */
  withInsertPoint<T>(point: Node | Block, fn: () => T): T {
    const saved = this.insertPointNode;
    this.setInsertPoint(point);
    try {
      return fn();
    } finally {
      this.insertPointNode = saved;
    }
  }

  /** Places a created node at the insert point. */
  insertNode(node: Node): Node {
    assert(this.insertPointNode.owner, 'insert point is not in a block');
    node.insertBefore(this.insertPointNode);
    return node;
  }

  /** Creates and places a node at the insert point. */
  insert(kind: string, inputs: readonly Value[] = NONE, outputTypes?: readonly Type[]): Node {
    return this.insertNode(this.create(kind, inputs, outputTypes));
  }

  // ---- values and names ---------------------------------------------------------------------

  /** @internal */
  registerValue(value: Value, name?: string): void {
    if (name !== undefined && name !== '') {
      this.renameValue(value, name);
    } else {
      this.assignUnique(value);
    }
  }

  private assignUnique(value: Value): void {
    const numbered = this.numbered;
    let n = this.nextUnique;
    while (n < NUMBERED_LIMIT && numbered[n] !== undefined) n++;
    if (n < NUMBERED_LIMIT) {
      this.nextUnique = n + 1;
      value.assignCounterIndex(n);
      numbered[n] = value;
      this.numberedCount++;
      return;
    }
    // Past the table's range (only after a huge numbered name from source): names by string.
    let name: string;
    do name = String(this.nextUnique++);
    while (this.names.has(name));
    value.assignName(name);
    this.names.set(name, value);
  }

  /** @internal */
  renameValue(value: Value, name: string): void {
    const k = numberedIndex(name);
    const current = k >= 0 ? this.numbered[k] : this.names.get(name);
    if (current === value) return;
    this.epoch++;
    this.unbind(value);
    if (current !== undefined) {
      // PyTorch moves the previous holder to a fresh `base.N` so the new owner gets the exact name.
      if (k >= 0) this.numbered[k] = undefined;
      else this.names.delete(name);
      // (A variant has a dot: never a numbered name.)
      const moved = this.variant(name, true);
      current.assignName(moved);
      this.names.set(moved, current);
    } else if (k >= 0) this.numberedCount++;
    if (k >= 0) {
      value.assignCounterIndex(k, name);
      this.numbered[k] = value;
      this.nextUnique = Math.max(this.nextUnique, k + 1);
      return;
    }
    value.assignName(name);
    // Numbered names push the counter past them; past 2^53 a counter of doubles would stop moving (a hang).
    if (!value.hasDebugName) {
      const n = Number(name);
      if (n < Number.MAX_SAFE_INTEGER) this.nextUnique = Math.max(this.nextUnique, n + 1);
    }
    this.names.set(name, value);
  }

  // Frees the name `value` holds, if it still holds it.
  private unbind(value: Value): void {
    const k = value.counterIndex;
    if (k >= 0) {
      if (this.numbered[k] === value) {
        this.numbered[k] = undefined;
        this.numberedCount--;
      }
      return;
    }
    const name = value.debugName;
    if (name !== '' && this.names.get(name) === value) this.freeName(name);
  }

  /** A name `base.N` not yet taken (base without its own `.N` suffix): the smallest such N from the start. */
  freshVariant(name: string): string {
    return this.variant(name, false);
  }

  // freshVariant; `take`: the caller gives the name to a value right away, so the hints can start past it
  // (the next collision on the same base then probes once, not twice).
  private variant(name: string, take: boolean): string {
    // `x.7` has base `x` and starts at 8; a name without a numeric suffix (or with an all-digit head,
    // `3.5`, which keeps the whole name as base) starts at 1 (after its own suffix if it has one).
    let base = name;
    let start = 1;
    const dot = name.lastIndexOf('.');
    if (dot >= 0 && isDigitRun(name, dot + 1, name.length) && !hasLineBreak(name, dot)) {
      start = Number(name.slice(dot + 1)) + 1;
      if (!isDigitRun(name, 0, dot)) base = name.slice(0, dot);
    }
    // Names below the hint are known taken: repeated collisions on one base probe once, not from 1.
    const hint = this.variantHints.get(base) ?? 1;
    if (start <= hint) {
      const free = this.firstFree(base, hint);
      const n = this.freeNumber;
      this.variantHints.set(base, take ? n + 1 : n);
      return free;
    }
    // A start past the hint (`x.7` again and again): resume where the last probe from it ended.
    let from = this.variantFrom.get(base);
    if (!from) this.variantFrom.set(base, (from = new Map()));
    const free = this.firstFree(base, from.get(start) ?? start);
    const n = this.freeNumber;
    from.set(start, take ? n + 1 : n);
    return free;
  }

  // The first `base.j` with j >= n that no value holds, its j left in freeNumber. The probed string itself
  // is returned: the probe has hashed it, so the caller's map insertion does not hash a fresh copy again.
  private firstFree(base: string, n: number): string {
    const names = this.names;
    let name = `${base}.${n}`;
    while (names.has(name)) name = `${base}.${++n}`;
    this.freeNumber = n;
    return name;
  }

  // Frees `name`; a freed `B.j` may be the smallest free variant of B again.
  private freeName(name: string): void {
    this.names.delete(name);
    if (this.variantHints.size === 0 && this.variantFrom.size === 0) return;
    const dot = name.lastIndexOf('.');
    if (dot < 0) return;
    const base = name.slice(0, dot);
    const j = Number(name.slice(dot + 1));
    const hint = this.variantHints.get(base);
    if (hint !== undefined && j < hint) this.variantHints.set(base, j);
    const from = this.variantFrom.get(base);
    if (from) for (const [s, n] of from) if (s <= j && j < n) from.set(s, j);
  }

  /**
   * @internal moveGraph's in-place move (clone.ts): leaves this graph as cloneGraph(this, { mapType }) would
   * make its copy, but for node, block and use ids (kept: only tables and graphlib's edge order read them).
   * Types go through `mapType`; every use list is remade in program order (a copy makes its uses walking
   * the nodes); the naming state is what registering the live names afresh leaves: the live values' names
   * only, the counter just past the highest number taken, no variant hints (they only save probes), insert
   * point at the end.
   */
  restartAsCopy(mapType: ((type: Type) => Type) | undefined): void {
    this.epoch++;
    // The name tables are rebuilt from the live values (a name some edit failed to free would make later
    // variants differ from the copy's).
    const { names, numbered } = this;
    names.clear();
    numbered.fill(undefined); // (not length = 0: a sparse refill could turn the array into a dictionary)
    this.numberedCount = 0;
    let counter = 0;
    const restart = (values: readonly Value[]): void => {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (mapType !== undefined) v.type = mapType(v.type);
        v.firstUse = v.lastUse = null;
        v.useCount = 0;
        const k = v.counterIndex;
        if (k >= 0) {
          numbered[k] = v;
          this.numberedCount++;
          counter = Math.max(counter, k + 1);
          continue;
        }
        const name = v.debugName;
        names.set(name, v);
        if (!v.hasDebugName) {
          const n = Number(name);
          if (n < Number.MAX_SAFE_INTEGER) counter = Math.max(counter, n + 1);
        }
      }
    };
    // Definitions first (a use list restarts empty at its value), then the uses in the order a copy makes them.
    const restartBlock = (block: Block): void => {
      restart(block.inputs);
      const end = block.returnNode;
      for (let n = end.next!; n !== end; n = n.next!) {
        restart(n.outputs);
        const blocks = n.blocks;
        for (let i = 0; i < blocks.length; i++) restartBlock(blocks[i]);
      }
    };
    const relinkBlock = (block: Block): void => {
      const end = block.returnNode;
      for (let n = end.next!; n !== end; n = n.next!) {
        n.relinkInputUses();
        const blocks = n.blocks;
        for (let i = 0; i < blocks.length; i++) relinkBlock(blocks[i]);
      }
      end.relinkInputUses();
    };
    restartBlock(this.block);
    relinkBlock(this.block);
    this.nextUnique = counter;
    this.variantHints.clear();
    this.variantFrom.clear();
    this.insertPointNode = this.block.returnNode;
  }

  /** The value with this debug name, if any. */
  valueByName(name: string): Value | undefined {
    const k = numberedIndex(name);
    return k >= 0 ? this.numbered[k] : this.names.get(name);
  }

  /** @internal */
  releaseValue(value: Value): void {
    this.unbind(value);
  }

  /** Every node id (block boundary nodes included) is below this: for tables indexed by node id. */
  get nodeIdBound(): number {
    return this.nextNodeId;
  }

  /** Number of named (live) values. */
  get valueCount(): number {
    return this.names.size + this.numberedCount;
  }

  // ---- uses (graphlib) ----------------------------------------------------------------------

  /** @internal records a use: links it into the value's use list and adds its graphlib edge. */
  addUse(value: Value, user: Node, offset: number): UseRecord {
    this.epoch++;
    const use = new UseRecord(value, user, offset, this.nextUseId++);
    // Value.linkUse, inlined (passes run this cold, where each call costs): append to the use list.
    const last = value.lastUse;
    use.prevUse = last;
    if (last !== null) last.nextUse = use;
    else value.firstUse = use;
    value.lastUse = use;
    value.useCount++;
    if (this.useStore.journaled) this.useStore.addUse(use);
    return use;
  }

  /**
   * @internal addUse for a node moved in from another graph (clone.ts), recycling `use`, the record of the
   * same slot there: the old graph is left unusable, so its record restarts here as a new one would.
   */
  reuseUse(use: UseRecord, value: Value): UseRecord {
    this.epoch++;
    use.value = value;
    use.id = this.nextUseId++;
    use.prevUse = use.nextUse = null;
    use.live = true;
    use.stored = false;
    value.linkUse(use);
    this.useStore.addUse(use);
    return use;
  }

  /**
   * @internal removeUse(use) then addUse(value, use.user, use.offset) in one (Node.replaceInput). Until
   * graphlib is built the record itself moves to `value`'s use list with the id a new one would get: one
   * allocation less per replaced input (with graphlib, its edge must be remade under a new name).
   */
  retargetUse(use: UseRecord, value: Value): UseRecord {
    if (this.useStore.journaled) {
      this.removeUse(use);
      return this.addUse(value, use.user, use.offset);
    }
    this.epoch++;
    use.value.unlinkUse(use);
    use.value = value;
    use.id = this.nextUseId++;
    use.live = true;
    value.linkUse(use);
    return use;
  }

  /** @internal removes a use from its value's use list and the use store. */
  removeUse(use: UseRecord): void {
    this.epoch++;
    use.value.unlinkUse(use);
    if (use.stored) this.useStore.removeUse(use);
  }

  /** The use records on edges into `node`, as the use store has them (verify compares with node.inputs). */
  useEdgesInto(node: Node): UseRecord[] {
    return (this.dataflow.inEdges(node.vertex) ?? []).map((e) => this.dataflow.edge(e));
  }

  /** @internal `node` was placed in `block` (its compound parent in the store). */
  setVertexParent(node: Node, block: Block): void {
    if (this.useStore.journaled) this.useStore.place(node, block);
    else node.vertexBlock = block;
  }

  /** @internal */
  releaseNode(node: Node): void {
    this.epoch++;
    this.useStore.removeNode(node);
  }

  /** @internal */
  releaseBlock(block: Block): void {
    this.epoch++;
    block.released = true;
    this.useStore.removeBlock(block);
  }

  /** Number of live nodes, including every block's param and return nodes. */
  get vertexNodeCount(): number {
    let n = 0;
    for (const v of this.dataflow.nodes()) if (!v.startsWith('b')) n++;
    return n;
  }

  // ---- order --------------------------------------------------------------------------------

  /** Negative if `a` runs before `b`, positive if after, 0 if same. Works across nested blocks. */
  compareOrder(a: Node, b: Node): number {
    if (a === b) return 0;
    // Siblings (the common case) need no ancestry.
    const owner = a.owner;
    if (owner !== null && owner === b.owner) return a.position - b.position;
    const pathA = ancestry(a);
    const pathB = ancestry(b);
    // Walk down from the top block while both paths agree on the block.
    let i = 0;
    while (i + 1 < pathA.length && i + 1 < pathB.length && pathA[i] === pathB[i]) {
      if (pathA[i + 1] !== pathB[i + 1]) break;
      i++;
    }
    const na = pathA[i];
    const nb = pathB[i];
    assert(na !== undefined && nb !== undefined, 'compareOrder: node is not placed in this graph');
    if (na === nb) return pathA.length - pathB.length; // one is inside the other's blocks
    assert(na.owner === nb.owner, 'compareOrder: nodes are in unrelated blocks');
    return na.position - nb.position;
  }

  // ---- printing -----------------------------------------------------------------------------

  toString(): string {
    assert(printer, 'no IR printer installed: import tsfreeze from src/index.ts');
    return printer.printGraph(this);
  }

  /** @internal */
  printNode(node: Node): string {
    assert(printer, 'no IR printer installed: import tsfreeze from src/index.ts');
    return printer.printNode(node);
  }
}

/** Numbered names at or past this live in the name map (the table stays an array of small indices). */
const NUMBERED_LIMIT = 1_000_000_000;

// The number a canonical numbered name stands for (`12` -> 12), or -1 (`012`, `x`, `1.5`, too long).
function numberedIndex(name: string): number {
  const len = name.length;
  if (len === 0 || len > 9) return -1;
  let k = 0;
  for (let i = 0; i < len; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57 || (c === 48 && i === 0 && len > 1)) return -1;
    k = k * 10 + (c - 48);
  }
  return k;
}

// True if name[from, to) is one or more ASCII digits (the regex \d+).
function isDigitRun(name: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// True if name[0, to) holds a line terminator (a regex `.` stops there: such a name has no `.N` suffix).
function hasLineBreak(name: string, to: number): boolean {
  for (let i = 0; i < to; i++) {
    const c = name.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

// The chain of nodes from the top block down to `node`: [outermost, ..., node].
function ancestry(node: Node): Node[] {
  const path: Node[] = [];
  let n: Node | null = node;
  while (n) {
    path.push(n);
    n = n.owner?.owningNode ?? null;
  }
  return path.reverse();
}

const GRAPH = Symbol.for('tsfreeze.Graph');
Object.defineProperty(Graph.prototype, GRAPH, { value: true });

/** True for a Graph from any copy of the package (a brand, not instanceof: plugins may bundle their own). */
export function isGraph(value: unknown): value is Graph {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[GRAPH] === true;
}

// Graph.allNodes as an iterator object (faster than a generator in V8): pre-order, a node's blocks
// entered on the step after it was returned (when the generator resumed), so a caller may still
// change them in between. One object walks every block: the innermost open block's cursor in fields, the
// outer ones (and a node's later blocks, not yet started) on a stack of (block, current, following)
// triples. Each block is walked as Block.nodes() walks it, reading the same links at the same moments
// (safe while erasing the current node). Like Block.nodes(), the iterator is its own step result.
class AllNodes implements IterableIterator<Node> {
  // (Fields set in the constructor: class-field initializers cost a call per object in cold code.)
  /** The step result: the node just reached. */
  declare value: Node;
  declare done: false;
  /** The innermost open block, the node last returned from it (null: not started) and its successor then. */
  declare private block: Block;
  declare private current: Node | null;
  declare private following: Node | null;
  declare private readonly stack: (Block | Node | null)[];
  /** The node just returned, whose blocks open on the next step. */
  declare private entered: Node | null;
  declare private finished: boolean;

  constructor(block: Block) {
    this.value = block.returnNode;
    this.done = false;
    this.block = block;
    this.current = null;
    this.following = null;
    this.stack = [];
    this.entered = null;
    this.finished = false;
  }

  [Symbol.iterator](): IterableIterator<Node> {
    return this;
  }

  next(): IteratorResult<Node> {
    if (this.finished) return DONE;
    const last = this.entered;
    if (last !== null) {
      this.entered = null;
      const inner = last.blocks;
      if (inner.length > 0) {
        const stack = this.stack;
        stack.push(this.block, this.current, this.following);
        for (let i = inner.length - 1; i > 0; i--) stack.push(inner[i], null, null);
        this.block = inner[0];
        this.current = this.following = null;
      }
    }
    for (;;) {
      const block = this.block;
      const end = block.returnNode;
      const current = this.current;
      let n: Node;
      if (current === null) n = end.next!;
      else {
        const following = this.following!;
        n = following.destroyed || following.owner !== block ? block.recover(current, following) : following;
      }
      if (n !== end) {
        this.current = this.entered = this.value = n;
        this.following = n.next;
        return this;
      }
      const stack = this.stack;
      const k = stack.length;
      if (k === 0) {
        this.finished = true;
        this.current = this.following = null;
        return DONE;
      }
      this.following = stack[k - 1] as Node | null;
      this.current = stack[k - 2] as Node | null;
      this.block = stack[k - 3] as Block;
      stack.length = k - 3;
    }
  }
}
