// Graph: owns the top block, the unique value names, and the graphlib multigraph that stores every use.
// graphlib vertices are nodes (`n<id>`) and blocks (`b<id>`, compound parents); an edge producer -> user
// named by the input slot is one use. Node.inputs is the ordered view of the same edges; both change
// together only through Node's mutation methods, and verify() checks they agree.

import { Graph as Dataflow } from '@dagrejs/graphlib';
import { assert, InternalError } from '../errors.js';
import { Block } from './block.js';
import { Node } from './node.js';
import type { Type } from './types.js';
import type { Use } from './value.js';
import { Value } from './value.js';

/** What an edge carries: the value used and where. */
interface UseLabel {
  readonly value: Value;
  readonly user: Node;
  readonly offset: number;
}

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

/** Where `insertNode` puts nodes: before `node`. */
export type InsertPoint = Node;

/** A TorchScript IR graph (PyTorch's torch::jit::Graph). */
export class Graph {
  /** The use store: a compound multigraph. Read it freely; mutate only through the IR API. */
  readonly dataflow = new Dataflow<unknown, Node | Block, UseLabel>({
    multigraph: true,
    compound: true,
    directed: true,
  });
  readonly block: Block;
  private nextNodeId = 0;
  private nextBlockId = 0;
  private nextUnique = 0;
  private readonly names = new Map<string, Value>();
  private insertPointNode: Node;

  constructor() {
    this.block = new Block(this, null, this.nextBlockId++);
    this.dataflow.setNode(this.block.vertex, this.block);
    this.insertPointNode = this.block.returnNode;
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
  *allNodes(): IterableIterator<Node> {
    const stack: IterableIterator<Node>[] = [this.block.nodes()];
    while (stack.length) {
      const step = stack[stack.length - 1].next();
      if (step.done) {
        stack.pop();
        continue;
      }
      const node = step.value;
      yield node;
      for (let i = node.blocks.length - 1; i >= 0; i--) stack.push(node.blocks[i].nodes());
    }
  }

  /** Every node of the given kind, anywhere in the graph. */
  nodesOfKind(kind: string): Node[] {
    const out: Node[] = [];
    for (const n of this.allNodes()) if (n.kind === kind) out.push(n);
    return out;
  }

  // ---- creation and insertion ---------------------------------------------------------------

  /** Creates a node with `numOutputs` outputs of the given types (not placed: insert it). */
  create(kind: string, inputs: readonly Value[] = [], outputTypes: readonly Type[] = []): Node {
    const node = this.createBareNode(kind);
    for (const v of inputs) node.addInput(v);
    for (const t of outputTypes) node.addOutput(t);
    return node;
  }

  /** @internal a node with no inputs or outputs, registered as a vertex. */
  createBareNode(kind: string): Node {
    const node = new Node(this, kind, this.nextNodeId++);
    this.dataflow.setNode(node.vertex, node);
    return node;
  }

  /** @internal */
  createBlock(owner: Node): Block {
    const block = new Block(this, owner, this.nextBlockId++);
    this.dataflow.setNode(block.vertex, block);
    // The owner may already be placed (blocks added after insertion): nest the block under it now.
    this.dataflow.setParent(block.vertex, owner.vertex);
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
  insert(kind: string, inputs: readonly Value[] = [], outputTypes: readonly Type[] = []): Node {
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
    let name: string;
    do name = String(this.nextUnique++);
    while (this.names.has(name));
    value.assignName(name);
    this.names.set(name, value);
  }

  /** @internal */
  renameValue(value: Value, name: string): void {
    const current = this.names.get(name);
    if (current === value) return;
    if (value.debugName !== '' && this.names.get(value.debugName) === value)
      this.names.delete(value.debugName);
    if (current) {
      // PyTorch moves the previous holder to a fresh `base.N` so the new owner gets the exact name.
      this.names.delete(name);
      const moved = this.freshVariant(name);
      current.assignName(moved);
      this.names.set(moved, current);
    }
    if (/^\d+$/.test(name)) this.nextUnique = Math.max(this.nextUnique, Number(name) + 1);
    value.assignName(name);
    this.names.set(name, value);
  }

  /** A name `base.N` not yet taken (base without its own `.N` suffix). */
  freshVariant(name: string): string {
    const match = /^(.*)\.(\d+)$/.exec(name);
    const base = match && !/^\d+$/.test(match[1]) ? match[1] : name;
    let n = match ? Number(match[2]) + 1 : 1;
    while (this.names.has(`${base}.${n}`)) n++;
    return `${base}.${n}`;
  }

  /** The value with this debug name, if any. */
  valueByName(name: string): Value | undefined {
    return this.names.get(name);
  }

  /** @internal */
  releaseValue(value: Value): void {
    if (this.names.get(value.debugName) === value) this.names.delete(value.debugName);
  }

  /** Number of named (live) values. */
  get valueCount(): number {
    return this.names.size;
  }

  // ---- uses (graphlib) ----------------------------------------------------------------------

  /** @internal */
  addUse(value: Value, user: Node, offset: number): void {
    this.dataflow.setEdge(value.node.vertex, user.vertex, { value, user, offset }, String(offset));
  }

  /** @internal */
  removeUse(value: Value, user: Node, offset: number): void {
    const name = String(offset);
    if (!this.dataflow.hasEdge(value.node.vertex, user.vertex, name)) {
      throw new InternalError(
        `use of %${value.debugName} at ${user.kind} input ${offset} is missing from the use store`,
      );
    }
    this.dataflow.removeEdge(value.node.vertex, user.vertex, name);
  }

  /** @internal renumbers the use edges of `user`'s inputs from `from` on by `delta` (after an insert/remove). */
  shiftUseSlots(user: Node, from: number, delta: number): void {
    const inputs = user.inputs;
    if (from >= inputs.length) return;
    const order = delta > 0 ? [...inputs.keys()].slice(from).reverse() : [...inputs.keys()].slice(from);
    for (const i of order) {
      const v = inputs[i];
      this.removeUse(v, user, i);
      this.addUse(v, user, i + delta);
    }
  }

  /** @internal */
  usesOf(value: Value): Use[] {
    const edges = this.dataflow.outEdges(value.node.vertex) ?? [];
    const uses: Use[] = [];
    for (const e of edges) {
      const label = this.dataflow.edge(e);
      if (label.value === value) uses.push({ user: label.user, offset: label.offset });
    }
    return uses;
  }

  /** @internal */
  hasUses(value: Value): boolean {
    const edges = this.dataflow.outEdges(value.node.vertex) ?? [];
    for (const e of edges) if (this.dataflow.edge(e).value === value) return true;
    return false;
  }

  /** Number of use edges into `node`, as the use store has them (verify compares with node.inputs). */
  useEdgesInto(node: Node): UseLabel[] {
    return (this.dataflow.inEdges(node.vertex) ?? []).map((e) => this.dataflow.edge(e));
  }

  /** @internal */
  setVertexParent(node: Node, block: Block): void {
    // The graph's root stands for the top block: its nodes keep no compound parent, which spares two
    // dictionary updates per node in graphlib (most nodes live there). Nested blocks are compound parents.
    if (block.owningNode === null) {
      if (this.dataflow.parent(node.vertex) !== undefined) this.dataflow.setParent(node.vertex);
      return;
    }
    this.dataflow.setParent(node.vertex, block.vertex);
  }

  /** @internal */
  releaseNode(node: Node): void {
    this.dataflow.removeNode(node.vertex);
  }

  /** @internal */
  releaseBlock(block: Block): void {
    this.dataflow.removeNode(block.vertex);
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
