// Value: an SSA value, produced by exactly one node's output slot; its uses live in the graph's graphlib store.

import { assert } from '../errors.js';
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { Type } from './types.js';

/** One use of a value: input slot `offset` of node `user`. */
export interface Use {
  readonly user: Node;
  readonly offset: number;
}

/** An SSA value (PyTorch's torch::jit::Value). Names are unique per graph. */
export class Value {
  /** Set by the graph when names are assigned; unique within the graph. */
  private name = '';

  constructor(
    readonly graph: Graph,
    /** Producer: a node, or a block's prim::Param node for block inputs. */
    readonly node: Node,
    /** Output slot in the producer. Kept up to date when outputs are erased. */
    public offset: number,
    public type: Type,
  ) {}

  /** The unique name printed after `%`. */
  get debugName(): string {
    return this.name;
  }

  /** True when the name came from source rather than the unique counter. */
  get hasDebugName(): boolean {
    return !/^\d+$/.test(this.name);
  }

  /**
   * Renames the value. As in PyTorch, if another value holds the name it is moved to a fresh
   * `name.N`, so this value gets exactly the name asked for.
   */
  setDebugName(name: string): this {
    this.graph.renameValue(this, name);
    return this;
  }

  /** @internal Used by Graph only, which keeps its name table in sync. */
  assignName(name: string): void {
    this.name = name;
  }

  setType(type: Type): this {
    this.type = type;
    return this;
  }

  /** Every use, in the order the uses were made. */
  uses(): Use[] {
    return this.graph.usesOf(this);
  }

  hasUses(): boolean {
    return this.graph.hasUses(this);
  }

  /** Points every use of this value at `other`. */
  replaceAllUsesWith(other: Value): void {
    assert(other !== this, 'replaceAllUsesWith: a value cannot replace itself');
    for (const use of this.uses()) use.user.replaceInput(use.offset, other);
  }

  /** Points the uses that come after `node` (in program order, including nested blocks) at `other`. */
  replaceAllUsesAfterNodeWith(node: Node, other: Value): void {
    for (const use of this.uses()) {
      if (node.isBefore(use.user)) use.user.replaceInput(use.offset, other);
    }
  }

  /** Points the first use at `other`. */
  replaceFirstUseWith(other: Value): void {
    const first = this.uses()[0];
    assert(first, `replaceFirstUseWith: %${this.name} has no uses`);
    first.user.replaceInput(first.offset, other);
  }

  toString(): string {
    return `%${this.name}`;
  }
}
