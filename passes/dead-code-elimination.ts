/**
 * dead-code-elimination: removes nodes whose outputs are unused and that have no side effects.
 *   %y = aten::mul(%x, %x)   # %y unused            =>  (removed, and %x's producer too if now unused)
 *   %a, %b = prim::If(%c)    # %b unused            =>  %a = prim::If(%c), each block's `-> (...)` loses %b's slot
 *   prim::Loop carrying %i, %acc with %acc unused   =>  the loop carries only %i
 * Side effects come from the operator table: prim::SetAttr, prim::RaiseException, prim::Print and calls
 * (prim::CallMethod) stay, as does any op the table does not know. An in-place write (`add_`, `append`)
 * stays when it may reach escaped memory (AliasDb.writesToWildcard: an input, an attribute, a list's
 * element) or memory a live value may point to; a write to a local nobody reads goes with it
 * (`l = []; l.append(x)` with `l` unused), as PyTorch's DCE with its AliasDb does.
 * Mark-and-sweep as PyTorch 1.13's dead_code_elimination.cpp: one reverse walk from the graph outputs
 * (loop bodies until nothing new is marked), so a write is live only if a live node met later in the walk
 * (earlier in the program, or anywhere in an enclosing loop) may read what it writes; then a reverse sweep
 * removes unmarked unused nodes and unused If / Loop outputs, so whole dead chains die in one run.
 */

import {
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  type Block,
  type Graph,
  type GraphPass,
  type Node,
  type OpFacts,
  type PassContext,
  type PassResult,
  type Value,
  inject,
  surelyEscaped,
  surelyWrittenInputs,
} from '../src/index.js';
import { currentAliasDb, type AliasDb } from './alias-analysis.js';

@pass({
  name: 'dead-code-elimination',
  summary: 'Remove nodes whose outputs are unused and that have no side effects, and unused block outputs',
  statistics: [
    { name: 'nodes-removed', description: 'dead nodes destroyed (nested ones included)' },
    { name: 'outputs-removed', description: 'unused prim::If outputs and prim::Loop carried values removed' },
  ],
})
export class DeadCodeElimination implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    // A graph this table left dead-code-free and nobody changed since (its epoch moves with every IR
    // change): a second run would find nothing (freeze's numerics fixpoint ends with one on resnet50).
    const clean = cleanGraphs.get(graph);
    if (clean && clean.epoch === graph.epoch && clean.ops === this.ops && clean.version === this.ops.version)
      return { changed: false };
    const keep: MustKeep = (node, facts, wildcardWrite) =>
      this.hasSideEffects(node, facts, context, wildcardWrite);
    // Marking without alias analysis first, knowing only what it surely says of single nodes (a write to a
    // graph input or an attribute escapes; a write to a value already live is live): when every in-place
    // write is marked anyway (its result is used, as resnet's relu_ and add_; batch norm's
    // num_batches_tracked.add_(1) writes an attribute), the AliasDb could only add marks to writes, which
    // are all marked already, so the AliasDb is never built. Otherwise mark again with it.
    let marker = new Marker(graph, this.ops, keep, false);
    marker.run();
    if (!marker.writers.every((n) => marker.isMarked(n))) {
      marker = new Marker(graph, this.ops, keep, true);
      marker.run();
    }
    const sweep = new Sweep(marker);
    sweep.block(graph.block);
    if (sweep.nodesRemoved) context.count('nodes-removed', sweep.nodesRemoved);
    if (sweep.outputsRemoved) context.count('outputs-removed', sweep.outputsRemoved);
    cleanGraphs.set(graph, { epoch: graph.epoch, ops: this.ops, version: this.ops.version });
    return { changed: sweep.nodesRemoved + sweep.outputsRemoved > 0 };
  }

  // A node that must run even if nothing uses its outputs (If and Loop: through their contents).
  private hasSideEffects(
    node: Node,
    facts: OpFacts | undefined,
    context: PassContext,
    wildcardWrite: (n: Node) => boolean,
  ): boolean {
    if (node.kind === 'prim::If' || node.kind === 'prim::Loop') return false;
    if (node.blocks.length) return true; // other block-owning nodes: not understood here, keep
    if (!facts) {
      if (!node.hasUses())
        context.remark(node, `kept: ${node.kind} is not in the operator table, so it may have side effects`);
      return true;
    }
    if (facts.externalSideEffects) return true;
    // A write to escaped memory is a side effect; other writes live only if what they write is read later.
    return facts.writtenArgs.length > 0 && wildcardWrite(node);
  }
}

/** The graphs a run left without dead code: the graph's epoch then and the operator table it asked. */
const cleanGraphs = new WeakMap<Graph, { epoch: number; ops: OperatorRegistry; version: number }>();

/**
 * Whether a node must run for its effects alone, given its operator facts (undefined: unknown op). Only
 * asked for unknown ops, ops with external side effects or writes, and nodes with blocks: others have none.
 */
type MustKeep = (node: Node, facts: OpFacts | undefined, wildcardWrite: (n: Node) => boolean) => boolean;

/**
 * Marker's state per node id: its other bits are made (MET); it has side effects; it (or a node in its
 * blocks) writes something; it is marked live.
 */
const MET = 1;
const SIDE_EFFECTS = 2;
const WRITES = 4;
const MARKED = 8;
/** On a block's return node: the block's outputs were made live (markReturn ran for it). */
const RETURNED = 16;
/** Outputs at this offset or later are kept live in a set; earlier ones as bits per producer node id. */
const LIVE_BITS = 31;

/**
 * PyTorch's marking: a reverse walk from the block's return, marking a node when it has side effects, when
 * one of its outputs is live, or when it writes memory a live value may point to. Liveness of a write is
 * therefore decided where the walk meets it: a value that becomes live only at an earlier node (e.g. the
 * initial value of a loop, needed by the loop itself) does not revive writes met before. Loop bodies are
 * walked again until nothing new is marked (a value read in the next iteration). Block nesting is the only
 * recursion, so 100k-node chains are fine. Marking never changes the graph, so blocks are walked by their
 * node links (no iterator objects: freezing runs this cold, several times, on every node).
 */
class Marker {
  /** The nodes whose operator writes an argument in place (every node's bits are made once, by `bits`). */
  readonly writers: Node[] = [];
  /** MET | SIDE_EFFECTS | WRITES | MARKED per node id (the operator facts are read once per node and run). */
  readonly state: Uint8Array;
  /** Live outputs per producer node id, bit `offset` (offsets below LIVE_BITS); later ones in liveHigh. */
  private readonly liveOut: Int32Array;
  private readonly liveHigh = new Set<Value>();
  /** Every live value in the order it became live, for the AliasDb once built (only when useAliasDb). */
  private readonly live: Value[] = [];
  private db: AliasDb | undefined;
  /** Memory locations of the live values, kept once the AliasDb exists (writesToAlias on the live set). */
  private readonly liveLocations = new Set<number>();
  private readonly writesOf = new Map<Node, ReadonlySet<number>>();
  private readonly writtenInputs = new Map<Node, readonly Value[]>();
  private readonly wildcardWrite = (n: Node): boolean => this.writesToWildcard(n);

  constructor(
    private readonly graph: Graph,
    private readonly ops: OperatorRegistry,
    private readonly mustKeep: MustKeep,
    /** Without it, a write escapes or reaches a live value only where that is sure (the fast first pass). */
    private readonly useAliasDb: boolean,
  ) {
    // Tables indexed by node id, not sets of nodes and values: marking runs several times per freeze on
    // every node, and typed-array reads cost a fraction of hashed lookups.
    this.state = new Uint8Array(graph.nodeIdBound);
    this.liveOut = new Int32Array(graph.nodeIdBound);
  }

  isMarked(n: Node): boolean {
    return (this.state[n.id] & MARKED) !== 0;
  }

  // One word holds the liveness of a node's first LIVE_BITS outputs: no per-output test for most nodes.
  private anyOutputLive(n: Node): boolean {
    if (this.liveOut[n.id] !== 0) return true;
    const outputs = n.outputs;
    for (let i = LIVE_BITS; i < outputs.length; i++) if (this.liveHigh.has(outputs[i])) return true;
    return false;
  }

  private isLive(v: Value): boolean {
    const offset = v.offset;
    return offset < LIVE_BITS ? (this.liveOut[v.node.id] & (1 << offset)) !== 0 : this.liveHigh.has(v);
  }

  run(): void {
    const outputs = this.graph.outputs;
    for (let i = 0; i < outputs.length; i++) this.addLive(outputs[i]);
    this.state[this.graph.block.returnNode.id] |= RETURNED;
    this.markBlock(this.graph.block);
  }

  private alias(): AliasDb {
    if (!this.db) {
      this.db = currentAliasDb(this.graph, this.ops);
      for (const v of this.live) for (const l of this.db.memoryLocations(v)) this.liveLocations.add(l);
    }
    return this.db;
  }

  private addLive(v: Value): void {
    const offset = v.offset;
    if (offset < LIVE_BITS) {
      const id = v.node.id;
      const bit = 1 << offset;
      if (this.liveOut[id] & bit) return;
      this.liveOut[id] |= bit;
    } else {
      if (this.liveHigh.has(v)) return;
      this.liveHigh.add(v);
    }
    if (!this.useAliasDb) return;
    this.live.push(v);
    if (this.db) for (const l of this.db.memoryLocations(v)) this.liveLocations.add(l);
  }

  // AliasDb.writesToAlias(n, live), from the live values' locations gathered as they became live.
  private writesLive(n: Node): boolean {
    const db = this.alias();
    let writes = this.writesOf.get(n);
    if (!writes) this.writesOf.set(n, (writes = db.getWrites(n)));
    for (const l of writes) if (this.liveLocations.has(l)) return true;
    return false;
  }

  private markBlock(block: Block): boolean {
    let any = false;
    const end = block.returnNode;
    const state = this.state;
    for (let n = end.next!; n !== end; n = n.next!) {
      const known = state[n.id];
      if ((known & MET ? known : this.bits(n)) & SIDE_EFFECTS) any = this.mark(n) || any;
    }
    any = this.markReturn(block) || any;
    for (let n = end.prev!; n !== end; n = n.prev!) {
      if (n.kind === 'prim::Loop') any = this.markLoop(n) || any;
      else {
        const blocks = n.blocks;
        for (let i = 0; i < blocks.length; i++) any = this.markBlock(blocks[i]) || any;
      }
      any = this.markIfLive(n) || any;
    }
    return any;
  }

  private markLoop(loop: Node): boolean {
    let any = false;
    while (this.markBlock(loop.blocks[0])) any = true;
    return any;
  }

  // A block's outputs are live where what they become outside is; a loop's also when the next iteration reads them.
  private markReturn(block: Block): boolean {
    const end = block.returnNode.id;
    if (this.state[end] & RETURNED) return false;
    this.state[end] |= RETURNED;
    const owner = block.owningNode!;
    const results = owner.outputs;
    const returned = block.outputs;
    if (owner.kind === 'prim::Loop') {
      const carried = block.inputs;
      for (let i = 0; i < results.length; i++)
        if (this.isLive(results[i]) || carried[i + 1].hasUses()) this.addLive(returned[i + 1]);
      this.addLive(returned[0]);
    } else if (owner.kind === 'prim::If') {
      for (let i = 0; i < results.length; i++) if (this.isLive(results[i])) this.addLive(returned[i]);
    } else {
      for (let i = 0; i < returned.length; i++) this.addLive(returned[i]);
    }
    return true;
  }

  private markIfLive(n: Node): boolean {
    if (this.anyOutputLive(n)) return this.mark(n);
    const known = this.state[n.id];
    if (!((known & MET ? known : this.bits(n)) & WRITES)) return false;
    // Writing a live value itself is writing to what it points to: the AliasDb's answer, without it.
    if (this.surelyWritten(n).some((v) => this.isLive(v))) return this.mark(n);
    return this.useAliasDb && this.writesLive(n) ? this.mark(n) : false;
  }

  // Inputs alias analysis registers as written by `n` (some of them: see surelyWrittenInputs).
  private surelyWritten(n: Node): readonly Value[] {
    let written = this.writtenInputs.get(n);
    if (!written) this.writtenInputs.set(n, (written = surelyWrittenInputs(n, this.ops.entryForNode(n))));
    return written;
  }

  // AliasDb.writesToWildcard, from the analysis itself or (without it) only where it surely says yes.
  private writesToWildcard(n: Node): boolean {
    if (this.useAliasDb) return this.alias().writesToWildcard(n);
    return this.surelyWritten(n).some(surelyEscaped);
  }

  // Marks `n` and the nodes owning it, and makes their inputs live.
  private mark(n: Node): boolean {
    const state = this.state;
    if (state[n.id] & MARKED) return false;
    const liveOut = this.liveOut;
    for (let m: Node | null | undefined = n; m && !(state[m.id] & MARKED); m = m.owner?.owningNode) {
      state[m.id] |= MARKED;
      const inputs = m.inputs;
      for (let i = 0; i < inputs.length; i++) {
        // addLive's common case inline (a call per input is most of marking's cost in cold code).
        const v = inputs[i];
        if (v.offset < LIVE_BITS && !this.useAliasDb) liveOut[v.node.id] |= 1 << v.offset;
        else this.addLive(v);
      }
    }
    return true;
  }

  private bits(n: Node): number {
    const id = n.id;
    const known = this.state[id];
    if (known & MET) return known;
    const bits = this.makeBits(n) | MET;
    this.state[id] |= bits;
    return this.state[id];
  }

  // Side effects: the node's own (If and Loop: also those of a node in their blocks). Writes: a node
  // without blocks writes when its operator writes an argument; one with blocks when a node in them does.
  private makeBits(n: Node): number {
    const facts = this.ops.factsForNode(n);
    const writes = facts !== undefined && facts.writtenArgs.length > 0;
    const blocks = n.blocks;
    // Most nodes: a known pure-enough op without blocks, which mustKeep would answer false for.
    if (!writes && facts !== undefined && !facts.externalSideEffects && !blocks.length) return 0;
    if (writes) this.writers.push(n);
    let bits = this.mustKeep(n, facts, this.wildcardWrite) ? SIDE_EFFECTS : 0;
    if (!blocks.length) return writes ? bits | WRITES : bits;
    let inner = 0;
    for (let i = 0; i < blocks.length; i++) {
      const end = blocks[i].returnNode;
      for (let m = end.next!; m !== end; m = m.next!) inner |= this.bits(m);
    }
    if (inner & WRITES) bits |= WRITES;
    if ((n.kind === 'prim::If' || n.kind === 'prim::Loop') && inner & SIDE_EFFECTS) bits |= SIDE_EFFECTS;
    return bits;
  }
}

/** Removes what Marker did not mark (and no one uses), innermost uses first, as PyTorch's sweep does. */
class Sweep {
  nodesRemoved = 0;
  outputsRemoved = 0;

  constructor(private readonly marker: Marker) {}

  // Reverse order: a node's users (later in the block, or inside later nodes' blocks) are gone first.
  // Walked by node links, the previous node read first: only the current node is ever destroyed here.
  block(block: Block): void {
    const end = block.returnNode;
    for (let n = end.prev!, prev = n.prev; n !== end; n = prev!, prev = n.prev) {
      if (n.kind === 'prim::If') this.pruneIf(n);
      else if (n.kind === 'prim::Loop') this.pruneLoop(n);
      const blocks = n.blocks;
      for (let i = 0; i < blocks.length; i++) this.block(blocks[i]);
      if (this.marker.state[n.id] & MARKED || n.hasUses()) continue;
      this.nodesRemoved += 1 + countNested(n);
      n.destroy();
    }
  }

  // Transforms `%a, %b = prim::If(...)` with %b unused into `%a = prim::If(...)`.
  private pruneIf(n: Node): void {
    for (let i = n.outputs.length - 1; i >= 0; i--) {
      if (n.outputs[i].hasUses()) continue;
      for (const b of n.blocks) b.eraseOutput(i);
      n.eraseOutput(i);
      this.outputsRemoved++;
    }
  }

  // Transforms a loop carrying a value used neither after it nor in its body into one that does not carry it.
  private pruneLoop(n: Node): void {
    const body = n.blocks[0];
    for (let j = n.outputs.length - 1; j >= 0; j--) {
      if (n.outputs[j].hasUses() || body.inputs[j + 1].hasUses()) continue;
      body.eraseOutput(j + 1);
      body.eraseInput(j + 1);
      n.eraseOutput(j);
      n.removeInput(j + 2);
      this.outputsRemoved++;
    }
  }
}

function countNested(n: Node): number {
  let count = 0;
  const stack = [...n.blocks];
  for (let b = stack.pop(); b; b = stack.pop()) {
    for (const inner of b.nodes()) {
      count++;
      stack.push(...inner.blocks);
    }
  }
  return count;
}
