// Value: an SSA value, produced by exactly one node's output slot. Each value keeps the list of its uses;
// every use is also a graphlib edge (producer -> user) whose label is that same Use record.

import { assert, InternalError } from '../errors.js';
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { Type } from './types.js';

/** One use of a value: input slot `offset` of node `user`. */
export interface Use {
  readonly user: Node;
  readonly offset: number;
}

/**
 * @internal The record of one use, shared by the value's use list, the user's input slot and the graphlib
 * edge it labels (named `edgeName`). The offset follows the slot when earlier inputs are inserted or
 * removed, so no edge is ever re-keyed. Records are made, unlinked and relinked only by Graph
 * (addUse/removeUse/retargetUse/reuseUse).
 */
export class UseRecord implements Use {
  // Fields are set in the constructor, not by class-field initializers: V8 runs those as a separate
  // function per object, which cold code (freezing runs mostly cold) pays on every record, value and node.
  /** Neighbours in the value's use list (in the order the uses were made). */
  declare prevUse: UseRecord | null;
  declare nextUse: UseRecord | null;
  /**
   * False once removed: a removed record keeps its last user and offset. Relinked only by Graph.retargetUse
   * (same slot, another value: replaceInput before graphlib is built) and Graph.reuseUse (moves).
   */
  declare live: boolean;
  /** Written to graphlib (the store is written in batches: see use-store.ts). */
  declare stored: boolean;

  /** (Mutable for Graph.reuseUse only: a record is otherwise fixed to its value.) */
  declare value: Value;
  declare readonly user: Node;
  declare offset: number;
  /** A per-graph use id: the graphlib edge is named by it, so slot changes never rename the edge. */
  declare id: number;

  constructor(value: Value, user: Node, offset: number, id: number) {
    this.value = value;
    (this as { user: Node }).user = user;
    this.offset = offset;
    this.id = id;
    this.prevUse = null;
    this.nextUse = null;
    this.live = true;
    this.stored = false;
  }

  /** The graphlib edge name (made when the store is written, not per use). */
  get edgeName(): string {
    return this.id.toString(36);
  }
}

// Names the counter assigns are all digits; names from source are not.
function isDigits(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** An SSA value (PyTorch's torch::jit::Value). Names are unique per graph. */
export class Value {
  // (Set in the constructor, as UseRecord's.)
  /** Set by the graph when names are assigned; unique within the graph ('' until read for a counter name). */
  declare private name: string;
  /** @internal the number of a canonical numbered name (`%12`: 12, made by the counter or given), else -1. */
  declare counterIndex: number;
  declare private fromSource: boolean;
  /** @internal the use list (first and last record) and its length; changed only by Graph.addUse/removeUse. */
  declare firstUse: UseRecord | null;
  /** @internal */
  declare lastUse: UseRecord | null;
  /** @internal */
  declare useCount: number;

  declare readonly graph: Graph;
  /** Producer: a node, or a block's prim::Param node for block inputs. */
  declare readonly node: Node;
  /** Output slot in the producer. Kept up to date when outputs are erased. */
  declare offset: number;
  declare type: Type;

  constructor(graph: Graph, node: Node, offset: number, type: Type) {
    const self = this as { graph: Graph; node: Node };
    self.graph = graph;
    self.node = node;
    this.offset = offset;
    this.type = type;
    this.name = '';
    this.counterIndex = -1;
    this.fromSource = true;
    this.firstUse = null;
    this.lastUse = null;
    this.useCount = 0;
  }

  /** The unique name printed after `%`. */
  get debugName(): string {
    const name = this.name;
    if (name !== '' || this.counterIndex < 0) return name;
    // A counter name becomes a string only when read (most values are never printed).
    return (this.name = String(this.counterIndex));
  }

  /** True when the name came from source rather than the unique counter. */
  get hasDebugName(): boolean {
    return this.fromSource;
  }

  /**
   * Renames the value. As in PyTorch, if another value holds the name it is moved to a fresh
   * `name.N`, so this value gets exactly the name asked for.
   */
  setDebugName(name: string): this {
    this.graph.renameValue(this, name);
    return this;
  }

  /**
   * @internal the value's node moved into `graph` (clone.ts): it restarts as a new Value there, with no
   * name and no uses (its old use records belong to the graph it came from). Register its name next.
   */
  rehome(graph: Graph): void {
    (this as { graph: Graph }).graph = graph;
    this.name = '';
    this.counterIndex = -1;
    this.fromSource = true;
    this.firstUse = this.lastUse = null;
    this.useCount = 0;
  }

  /** @internal Used by Graph only, which keeps its name table in sync. */
  assignName(name: string): void {
    this.name = name;
    this.counterIndex = -1;
    this.fromSource = !isDigits(name);
  }

  /** @internal the canonical numbered name `index` (its string `name` when the caller has it). */
  assignCounterIndex(index: number, name = ''): void {
    this.name = name;
    this.counterIndex = index;
    this.fromSource = false;
  }

  setType(type: Type): this {
    if (type !== this.type) this.graph.epoch++;
    this.type = type;
    return this;
  }

  /** Every use, in the order the uses were made (a copy: safe to change uses while walking it). */
  uses(): Use[] {
    const out: Use[] = new Array<Use>(this.useCount);
    let i = 0;
    for (let u = this.firstUse; u; u = u.nextUse) out[i++] = u;
    return out;
  }

  hasUses(): boolean {
    return this.firstUse !== null;
  }

  /** Number of uses. */
  get numUses(): number {
    return this.useCount;
  }

  /** @internal appends `use` to the use list. */
  linkUse(use: UseRecord): void {
    use.prevUse = this.lastUse;
    if (this.lastUse) this.lastUse.nextUse = use;
    else this.firstUse = use;
    this.lastUse = use;
    this.useCount++;
  }

  /** @internal takes `use` out of the use list. */
  unlinkUse(use: UseRecord): void {
    if (!use.live || use.value !== this) {
      throw new InternalError(
        `use of %${this.debugName} at ${use.user.kind} input ${use.offset} is missing from its use list`,
      );
    }
    if (use.prevUse) use.prevUse.nextUse = use.nextUse;
    else this.firstUse = use.nextUse;
    if (use.nextUse) use.nextUse.prevUse = use.prevUse;
    else this.lastUse = use.prevUse;
    use.prevUse = use.nextUse = null;
    use.live = false;
    this.useCount--;
  }

  /** Points every use of this value at `other`. */
  replaceAllUsesWith(other: Value): void {
    assert(other !== this, 'replaceAllUsesWith: a value cannot replace itself');
    for (let u = this.firstUse; u; u = this.firstUse) u.user.replaceInput(u.offset, other);
  }

  /** Points the uses that come after `node` (in program order, including nested blocks) at `other`. */
  replaceAllUsesAfterNodeWith(node: Node, other: Value): void {
    for (const use of this.uses()) {
      if (node.isBefore(use.user)) use.user.replaceInput(use.offset, other);
    }
  }

  /** Points the first use at `other`. */
  replaceFirstUseWith(other: Value): void {
    const first = this.firstUse;
    if (!first) throw new InternalError(`replaceFirstUseWith: %${this.debugName} has no uses`);
    first.user.replaceInput(first.offset, other);
  }

  toString(): string {
    return `%${this.debugName}`;
  }
}
