// Block: an ordered list of nodes between a prim::Param node (block inputs) and a prim::Return node (outputs).

import { InternalError } from '../errors.js';
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { Type } from './types.js';
import type { Value } from './value.js';

const GAP = 1024;
/** Below this distance between neighbours, positions are re-spaced before precision runs out. */
const MIN_GAP = 1e-3;
/** A re-spaced window needs at least this much room per node (GAP is the room per node at creation). */
const RESPACE_MIN = 1;

/** A basic block (PyTorch's torch::jit::Block). The top block belongs to the graph; others to a node. */
export class Block {
  // (Fields set in the constructor: class-field initializers cost a call per object in cold code.)
  declare readonly paramNode: Node;
  declare readonly returnNode: Node;
  declare readonly graph: Graph;
  /** The node owning this block (prim::If, prim::Loop), or null for the graph's top block. */
  declare readonly owningNode: Node | null;
  /** Unique id within the graph; the graphlib compound vertex is `b<id>`. */
  declare readonly id: number;
  /** @internal the use store's bookkeeping: written to graphlib; destroyed. */
  declare stored: boolean;
  /** @internal */
  declare released: boolean;
  declare private vertexKey: string | undefined;

  constructor(graph: Graph, owningNode: Node | null, id: number) {
    const self = this as {
      graph: Graph;
      owningNode: Node | null;
      id: number;
      paramNode: Node;
      returnNode: Node;
    };
    self.graph = graph;
    self.owningNode = owningNode;
    self.id = id;
    this.stored = false;
    this.released = false;
    this.vertexKey = undefined;
    self.paramNode = graph.createBareNode('prim::Param');
    self.returnNode = graph.createBareNode('prim::Return');
    this.linkBoundaries();
  }

  // An empty list between the param and return nodes. The return node is the list sentinel: ret.next is
  // the first node and ret.prev the last.
  private linkBoundaries(): void {
    const ret = this.returnNode;
    ret.next = ret;
    ret.prev = ret;
    ret.owner = this;
    ret.position = Infinity;
    this.paramNode.owner = this;
    this.paramNode.position = -Infinity;
    this.graph.setVertexParent(this.paramNode, this);
    this.graph.setVertexParent(ret, this);
  }

  /**
   * @internal (Graph.adoptBlock) this block, moved with its owner into `graph`, restarts as the constructor
   * leaves a new one: its id, its param and return nodes adopted in that order, an empty node list. The
   * param node keeps its outputs (the inputs) and the return node its inputs (the outputs) for the mover.
   */
  rehome(graph: Graph, id: number): void {
    const self = this as { graph: Graph; id: number };
    self.graph = graph;
    self.id = id;
    this.vertexKey = undefined;
    this.stored = false;
    this.released = false;
    graph.adoptBareNode(this.paramNode);
    graph.adoptBareNode(this.returnNode);
    // New boundary nodes have no cached overload either.
    this.paramNode.opCache = this.returnNode.opCache = undefined;
    this.linkBoundaries();
  }

  get vertex(): string {
    // Built once: graphlib keys its dictionaries by this string, and a reused string keeps its hash.
    return (this.vertexKey ??= `b${this.id}`);
  }

  get owningGraph(): Graph {
    return this.graph;
  }

  get inputs(): readonly Value[] {
    return this.paramNode.outputs;
  }

  get outputs(): readonly Value[] {
    return this.returnNode.inputs;
  }

  addInput(type: Type, name?: string): Value {
    return this.paramNode.addOutput(type, name);
  }

  insertInput(index: number, type: Type, name?: string): Value {
    return this.paramNode.insertOutput(index, type, name);
  }

  eraseInput(index: number): void {
    this.paramNode.eraseOutput(index);
  }

  registerOutput(value: Value): number {
    this.returnNode.addInput(value);
    return this.returnNode.inputs.length - 1;
  }

  insertOutput(index: number, value: Value): void {
    this.returnNode.insertInput(index, value);
  }

  eraseOutput(index: number): void {
    this.returnNode.removeInput(index);
  }

  get isEmpty(): boolean {
    return this.returnNode.next === this.returnNode;
  }

  /** First node, or null when empty. */
  get firstNode(): Node | null {
    const n = this.returnNode.next!;
    return n === this.returnNode ? null : n;
  }

  get lastNode(): Node | null {
    const n = this.returnNode.prev!;
    return n === this.returnNode ? null : n;
  }

  /** The nodes in order. Safe while erasing the current node (the next one is read before yielding). */
  nodes(): IterableIterator<Node> {
    return new NodesForward(this);
  }

  /** The nodes in reverse order, safe while erasing the current node. */
  nodesReversed(): IterableIterator<Node> {
    return new NodesReversed(this);
  }

  // When the node after the current one was removed while the caller held the current one, continue
  // after the current node if it is still here. If both are gone there is no way to know where the
  // walk was: fail loudly rather than silently skip the rest of the block.
  /** @internal (NodesForward) */
  recover(current: Node, removed: Node): Node {
    if (current.owner === this && current.next) return current.next;
    throw new InternalError(
      `Block.nodes(): ${current.kind} and the node after it (${removed.kind}) were both removed while iterating; ` +
        'iterate over a copy ([...block.nodes()]) when a step removes nodes other than the current one',
    );
  }

  /** Appends a (not yet placed) node at the end. */
  appendNode(node: Node): Node {
    node.insertBefore(this.returnNode);
    return node;
  }

  /** Puts a (not yet placed) node first. */
  prependNode(node: Node): Node {
    node.insertBefore(this.returnNode.next!);
    return node;
  }

  /** @internal links `node` before `before` (which is in this block). */
  linkBefore(node: Node, before: Node): void {
    // (Checks and helpers written out: every placed node passes here, mostly in cold code.)
    if (before.owner !== this) throw new InternalError('linkBefore: anchor is not in this block');
    const graph = this.graph;
    graph.epoch++;
    const end = this.returnNode;
    const prev = before.prev!;
    node.prev = prev;
    node.next = before;
    prev.next = node;
    before.prev = node;
    node.owner = this;
    const lo = prev === end ? -Infinity : prev.position;
    const hi = before === end ? Infinity : before.position;
    const position = positionBetween(lo, hi);
    node.position = position;
    // Midpoints run out of precision after ~40 inserts at one spot: then re-space a window around it.
    if (!(position > lo && position - lo >= MIN_GAP && hi - position >= MIN_GAP)) this.respace(node);
    graph.setVertexParent(node, this);
  }

  /** @internal */
  unlinkNode(node: Node): void {
    if (node.owner !== this) throw new InternalError('unlinkNode: node is not in this block');
    this.graph.epoch++;
    node.prev!.next = node.next;
    node.next!.prev = node.prev;
    node.prev = null;
    node.next = null;
    node.owner = null;
  }

  /**
   * Spreads positions evenly over a window around `node`, doubling the window until the room between
   * its outer neighbours is at least RESPACE_MIN per node (the block's ends are unbounded). Each re-spacing
   * leaves gaps proportional to the window, so repeated inserts at one spot cost O(log n) amortized
   * instead of a whole-block renumbering every few dozen inserts.
   */
  private respace(node: Node): void {
    const end = this.returnNode;
    let first = node;
    let last = node;
    let count = 1;
    for (let want = 8; ; want *= 2) {
      while (count < want && (first.prev !== end || last.next !== end)) {
        if (first.prev !== end) {
          first = first.prev!;
          count++;
        }
        if (last.next !== end && count < want) {
          last = last.next!;
          count++;
        }
      }
      const lo = first.prev === end ? -Infinity : first.prev!.position;
      const hi = last.next === end ? Infinity : last.next!.position;
      const atEnds = lo === -Infinity || hi === Infinity;
      if (atEnds || (hi - lo) / (count + 1) >= RESPACE_MIN) {
        const start = lo === -Infinity ? (hi === Infinity ? 0 : hi - GAP * (count + 1)) : lo;
        const step = atEnds ? GAP : (hi - lo) / (count + 1);
        let pos = start + (lo === -Infinity && hi === Infinity ? 0 : step);
        for (let n = first; ; n = n.next!) {
          n.position = pos;
          pos += step;
          if (n === last) break;
        }
        return;
      }
      if (first.prev === end && last.next === end) {
        this.renumber();
        return;
      }
    }
  }

  private renumber(): void {
    let pos = 0;
    for (let n = this.returnNode.next!; n !== this.returnNode; n = n.next!) {
      n.position = pos;
      pos += GAP;
    }
  }

  /** Destroys every node, then the block's own param and return nodes. */
  destroy(): void {
    const end = this.returnNode;
    end.removeAllInputs();
    // Last to first (users before producers); a node's destroy unlinks only itself.
    for (let n = end.prev!; n !== end;) {
      const prev = n.prev!;
      n.destroy();
      n = prev;
    }
    // Boundary nodes are not linked into the list.
    this.paramNode.owner = null;
    this.paramNode.destroy();
    end.owner = null;
    end.destroy();
    this.graph.releaseBlock(this);
  }
}

// A position strictly between two neighbours' (±Infinity: the block's ends), GAP from a lone neighbour.
function positionBetween(lo: number, hi: number): number {
  if (lo === -Infinity) return hi === Infinity ? 0 : hi - GAP;
  if (hi === Infinity) return lo + GAP;
  return lo + (hi - lo) / 2;
}

// The walks of nodes() and nodesReversed() as iterator objects rather than generators (V8 runs these
// about twice as fast; every pass walks blocks this way). Each step does what the generator did
// between two yields, reading the links at the same moments. Each iterator is also its own step result
// (`value`, `done`): a walk allocates one object, not one per node. for-of, spreads and Array.from read a
// result before asking for the next, as the iterator protocol's every consumer in this code does.
const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

class NodesForward implements IterableIterator<Node> {
  /** The step result (see above): the node just reached. */
  declare value: Node;
  declare done: false;
  declare private readonly block: Block;
  declare private following: Node | null;
  declare private state: 0 | 1 | 2; // not started, walking, finished

  constructor(block: Block) {
    this.value = block.returnNode;
    this.done = false;
    this.block = block;
    this.following = null;
    this.state = 0;
  }

  [Symbol.iterator](): IterableIterator<Node> {
    return this;
  }

  next(): IteratorResult<Node> {
    const block = this.block;
    const end = block.returnNode;
    let n: Node;
    if (this.state === 1) {
      const next = this.following!;
      n = next.destroyed || next.owner !== block ? block.recover(this.value, next) : next;
    } else if (this.state === 0) {
      this.state = 1;
      n = end.next!;
    } else return DONE;
    if (n === end) {
      this.state = 2;
      this.following = null;
      return DONE;
    }
    this.value = n;
    this.following = n.next!;
    return this;
  }
}

class NodesReversed implements IterableIterator<Node> {
  /** The step result (see above): the node just reached. */
  declare value: Node;
  declare done: false;
  declare private readonly block: Block;
  declare private previous: Node | null;
  declare private state: 0 | 1 | 2;

  constructor(block: Block) {
    this.value = block.returnNode;
    this.done = false;
    this.block = block;
    this.previous = null;
    this.state = 0;
  }

  [Symbol.iterator](): IterableIterator<Node> {
    return this;
  }

  next(): IteratorResult<Node> {
    const end = this.block.returnNode;
    let n: Node;
    if (this.state === 1) {
      n = this.previous!;
      if (n.destroyed) return this.finish();
    } else if (this.state === 0) {
      this.state = 1;
      n = end.prev!;
    } else return DONE;
    if (n === end) return this.finish();
    this.value = n;
    this.previous = n.prev!;
    return this;
  }

  private finish(): IteratorResult<Node> {
    this.state = 2;
    this.previous = null;
    return DONE;
  }
}
