// The graphlib store of one Graph, written in batches. Every vertex (node, block) and edge (use) change is
// appended to a journal, and the journal is replayed into graphlib, in order, when anyone reads the
// store (Graph.dataflow). Replaying skips what has vanished since: a node created and destroyed between
// two reads, or a use added and removed, never touches graphlib. What a reader sees is exactly the
// graphlib state that writing every change at once would have produced. docs/architecture.md has the
// numbers (graphlib's per-edge string keys were ~80% of the cost of copying a graph).

import { Graph as Dataflow } from '@dagrejs/graphlib';
import type { Block } from './block.js';
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
  private readonly store = new Dataflow<unknown, Node | Block, UseRecord>({
    multigraph: true,
    compound: true,
    directed: true,
  });
  private ops: Op[] = [];
  private entities: Entity[] = [];
  /** Journal length after the last compaction: the journal is compacted when it doubles. */
  private compactedLength = 0;

  /** graphlib, brought up to date. */
  get flushed(): Dataflow<unknown, Node | Block, UseRecord> {
    if (this.ops.length) this.flush();
    return this.store;
  }

  createNode(node: Node): void {
    this.append(Op.NodeCreate, node);
  }

  removeNode(node: Node): void {
    if (node.stored) this.append(Op.NodeRemove, node);
  }

  createBlock(block: Block): void {
    this.append(Op.BlockCreate, block);
  }

  removeBlock(block: Block): void {
    if (block.stored) this.append(Op.BlockRemove, block);
  }

  addUse(use: UseRecord): void {
    this.append(Op.UseAdd, use);
  }

  removeUse(use: UseRecord): void {
    if (use.stored) this.append(Op.UseRemove, use);
  }

  /** `node` was placed in `block`: its compound parent is the block (none for the top block). */
  place(node: Node, block: Block): void {
    node.vertexBlock = block;
    if (node.placeDirty) return;
    // A node not yet written starts at graphlib's root, which stands for the top block: nothing to do.
    if (!node.stored && block.owningNode === null) return;
    node.placeDirty = true;
    this.append(Op.Place, node);
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
    const g = this.store;
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
      const b = n.vertexBlock;
      // The graph's root stands for the top block (its nodes keep no compound parent); a node whose
      // block was removed falls back to the root, as graphlib does when it removes a parent.
      const parent = b && b.owningNode !== null && b.stored ? b.vertex : undefined;
      if (g.parent(n.vertex) !== parent) g.setParent(n.vertex, parent);
    }
  }
}
