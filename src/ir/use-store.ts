// The graphlib store of one Graph, built on the first read and written in batches after that. Until anyone
// reads the store (Graph.dataflow) it is not kept at all: most graphs (inliner bodies, every graph during
// freezing) are never read, and keeping it cost a journal entry per created node, use and placement.
// The first read builds graphlib from the live IR in one go; from then on every vertex (node, block) and
// edge (use) change is appended to a journal, replayed into graphlib, in order, on the next read. Replaying
// skips what has vanished since: a node created and destroyed between two reads, or a use added and
// removed, never touches graphlib. What a reader sees is exactly the graphlib state that writing every
// change at once would have produced (graphlib orders its tables by insertion, so the first build inserts
// blocks and uses in creation order: ids; node keys are integer-like and V8 orders those numerically).
// docs/architecture.md has the numbers (graphlib's per-edge string keys were ~80% of the cost of copying
// a graph; the journal was ~10% of inlining).

import { Graph as Dataflow } from '@dagrejs/graphlib';
import type { Block } from './block.js';
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { UseRecord } from './value.js';

const enum Op {
  NodeCreate,
  NodeRemove,
  BlockCreate,
  BlockRemove,
  UseAdd,
  UseRemove,
  Place,
}

type Entity = Node | Block | UseRecord;

/** The batched graphlib store: vertices are nodes and blocks, edges are uses labelled by their record. */
export class UseStore {
  /** graphlib, made on the first read (null until then: nothing is journaled either). */
  private store: Dataflow<unknown, Node | Block, UseRecord> | null = null;
  /** True once graphlib exists (every change is journaled from then on); Graph skips the calls before. */
  journaled = false;
  /** Before the first read: every node and block made in (or adopted by) the graph, in creation order. */
  private nodesMade: Node[] = [];
  private blocksMade: Block[] = [];
  /**
   * How many of the entries in those lists are gone (destroyed) since their last compaction. They are
   * compacted when at least half are: a growing graph (its entries mostly live) is never scanned for nothing.
   */
  private madeGone = 0;
  private ops: Op[] = [];
  private entities: Entity[] = [];
  /** Journal length after the last compaction: the journal is compacted when it doubles. */
  private compactedLength = 0;

  constructor(private readonly graph: Graph) {}

  /** graphlib, brought up to date. */
  get flushed(): Dataflow<unknown, Node | Block, UseRecord> {
    if (this.store === null) return this.build();
    if (this.ops.length) this.flush();
    return this.store;
  }

  createNode(node: Node): void {
    if (this.store === null) {
      this.nodesMade.push(node);
      const gone = this.madeGone;
      if (gone > 1024 && 2 * gone > this.nodesMade.length + this.blocksMade.length) this.compactMade();
    } else this.append(Op.NodeCreate, node);
  }

  removeNode(node: Node): void {
    if (node.stored) this.append(Op.NodeRemove, node);
    else if (this.store === null) this.madeGone++;
  }

  createBlock(block: Block): void {
    if (this.store === null) this.blocksMade.push(block);
    else this.append(Op.BlockCreate, block);
  }

  removeBlock(block: Block): void {
    if (block.stored) this.append(Op.BlockRemove, block);
    else if (this.store === null) this.madeGone++;
  }

  addUse(use: UseRecord): void {
    if (this.store !== null) this.append(Op.UseAdd, use);
  }

  removeUse(use: UseRecord): void {
    if (use.stored) this.append(Op.UseRemove, use);
  }

  /** `node` was placed in `block`: its compound parent is the block (none for the top block). */
  place(node: Node, block: Block): void {
    node.vertexBlock = block;
    if (node.placeDirty || this.store === null) return;
    // A node not yet written starts at graphlib's root, which stands for the top block: nothing to do.
    if (!node.stored && block.owningNode === null) return;
    node.placeDirty = true;
    this.append(Op.Place, node);
  }

  // A node or block made here that is still here (not destroyed, not moved to another graph).
  private liveNode(n: Node): boolean {
    return !n.destroyed && n.graph === this.graph;
  }

  private liveBlock(b: Block): boolean {
    return !b.released && b.graph === this.graph;
  }

  // Drops what is gone from the lists of made nodes and blocks, so a graph never read stays bounded. (Nodes
  // moved to another graph are gone too, but not counted: the graph they left is not used again.)
  private compactMade(): void {
    const nodes = this.nodesMade;
    let k = 0;
    for (let i = 0; i < nodes.length; i++) if (this.liveNode(nodes[i])) nodes[k++] = nodes[i];
    nodes.length = k;
    const blocks = this.blocksMade;
    k = 0;
    for (let i = 0; i < blocks.length; i++) if (this.liveBlock(blocks[i])) blocks[k++] = blocks[i];
    blocks.length = k;
    this.madeGone = 0;
  }

  // The first read: graphlib as replaying every change since the graph was made would leave it.
  private build(): Dataflow<unknown, Node | Block, UseRecord> {
    const g = new Dataflow<unknown, Node | Block, UseRecord>({
      multigraph: true,
      compound: true,
      directed: true,
    });
    const nodes: Node[] = [];
    for (const n of this.nodesMade) {
      if (n.stored || !this.liveNode(n)) continue;
      g.setNode(n.vertex, n);
      n.stored = true;
      nodes.push(n);
    }
    for (const b of this.blocksMade) {
      if (b.stored || !this.liveBlock(b)) continue;
      g.setNode(b.vertex, b);
      if (b.owningNode) g.setParent(b.vertex, b.owningNode.vertex);
      b.stored = true;
    }
    this.nodesMade = [];
    this.blocksMade = [];
    this.madeGone = 0;
    // Every live use is an input slot of a live node; graphlib gets them in the order they were made.
    const uses: UseRecord[] = [];
    for (const n of nodes) for (let i = 0; i < n.inputs.length; i++) uses.push(n.inputUse(i));
    uses.sort((a, b) => a.id - b.id);
    for (const u of uses) {
      g.setEdge(u.value.node.vertex, u.user.vertex, u, u.edgeName);
      u.stored = true;
    }
    for (const n of nodes) {
      const parent = this.parentOf(n);
      if (parent !== undefined) g.setParent(n.vertex, parent);
    }
    this.store = g;
    this.journaled = true;
    return g;
  }

  // The compound parent of a written node: its last block's vertex; the root (undefined) for the top block
  // and for a node whose block was removed, as graphlib does when it removes a parent.
  private parentOf(n: Node): string | undefined {
    const b = n.vertexBlock;
    return b && b.owningNode !== null && b.stored ? b.vertex : undefined;
  }

  private append(op: Op, entity: Entity): void {
    this.ops.push(op);
    this.entities.push(entity);
    if (this.ops.length > 2 * this.compactedLength + 1024) this.compact();
  }

  // An entry replay would skip: its entity vanished before being written, or was never written.
  private static dead(op: Op, e: Entity): boolean {
    switch (op) {
      case Op.NodeCreate:
      case Op.Place:
        return (e as Node).destroyed;
      case Op.BlockCreate:
        return (e as Block).released;
      case Op.UseAdd:
        return !(e as UseRecord).live;
      default:
        return !(e as Node | Block | UseRecord).stored;
    }
  }

  // Drops dead entries (in order), so a long-lived graph that is never read keeps a bounded journal.
  private compact(): void {
    let k = 0;
    for (let i = 0; i < this.ops.length; i++) {
      if (UseStore.dead(this.ops[i], this.entities[i])) continue;
      this.ops[k] = this.ops[i];
      this.entities[k++] = this.entities[i];
    }
    this.ops.length = k;
    this.entities.length = k;
    this.compactedLength = k;
  }

  private flush(): void {
    const g = this.store!;
    const { ops, entities } = this;
    this.ops = [];
    this.entities = [];
    this.compactedLength = 0;
    const placed: Node[] = [];
    for (let i = 0; i < ops.length; i++) {
      const e = entities[i];
      switch (ops[i]) {
        case Op.NodeCreate: {
          const n = e as Node;
          if (n.destroyed) break;
          g.setNode(n.vertex, n);
          n.stored = true;
          break;
        }
        case Op.NodeRemove: {
          const n = e as Node;
          if (!n.stored) break;
          g.removeNode(n.vertex);
          n.stored = false;
          break;
        }
        case Op.BlockCreate: {
          const b = e as Block;
          if (b.released) break;
          g.setNode(b.vertex, b);
          // A live block's owner is live and was created before it: nest the block under it.
          if (b.owningNode) g.setParent(b.vertex, b.owningNode.vertex);
          b.stored = true;
          break;
        }
        case Op.BlockRemove: {
          const b = e as Block;
          if (!b.stored) break;
          g.removeNode(b.vertex);
          b.stored = false;
          break;
        }
        case Op.UseAdd: {
          const u = e as UseRecord;
          if (!u.live) break;
          g.setEdge(u.value.node.vertex, u.user.vertex, u, u.edgeName);
          u.stored = true;
          break;
        }
        case Op.UseRemove: {
          const u = e as UseRecord;
          if (!u.stored) break;
          g.removeEdge(u.value.node.vertex, u.user.vertex, u.edgeName);
          u.stored = false;
          break;
        }
        case Op.Place:
          placed.push(e as Node);
          break;
      }
    }
    // Parents last, from each node's final block: every block a live node sits in exists by now.
    for (const n of placed) {
      n.placeDirty = false;
      if (!n.stored) continue;
      // The graph's root stands for the top block (its nodes keep no compound parent).
      const parent = this.parentOf(n);
      if (g.parent(n.vertex) !== parent) g.setParent(n.vertex, parent);
    }
  }
}
