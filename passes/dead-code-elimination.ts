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
  AliasDb,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  type Block,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Value,
  inject,
  surelyEscaped,
  surelyWrittenInputs,
} from '../src/index.js';

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
    const keep = (node: Node, wildcardWrite: (n: Node) => boolean): boolean =>
      this.hasSideEffects(node, context, wildcardWrite);
    // Marking without alias analysis first, knowing only what it surely says of single nodes (a write to a
    // graph input or an attribute escapes; a write to a value already live is live): when every in-place
    // write is marked anyway (its result is used, as resnet's relu_ and add_; batch norm's
    // num_batches_tracked.add_(1) writes an attribute), the AliasDb could only add marks to writes, which
    // are all marked already, so the AliasDb is never built. Otherwise mark again with it.
    let marker = new Marker(graph, this.ops, keep, false);
    marker.run();
    const writes = [...graph.allNodes()].filter(
      (n) => (this.ops.factsForNode(n)?.writtenArgs.length ?? 0) > 0,
    );
    if (!writes.every((n) => marker.marked.has(n))) {
      marker = new Marker(graph, this.ops, keep, true);
      marker.run();
    }
    const sweep = new Sweep(marker.marked);
    sweep.block(graph.block);
    if (sweep.nodesRemoved) context.count('nodes-removed', sweep.nodesRemoved);
    if (sweep.outputsRemoved) context.count('outputs-removed', sweep.outputsRemoved);
    return { changed: sweep.nodesRemoved + sweep.outputsRemoved > 0 };
  }

  // A node that must run even if nothing uses its outputs (If and Loop: through their contents).
  private hasSideEffects(node: Node, context: PassContext, wildcardWrite: (n: Node) => boolean): boolean {
    if (node.kind === 'prim::If' || node.kind === 'prim::Loop') return false;
    if (node.blocks.length) return true; // other block-owning nodes: not understood here, keep
    const facts = this.ops.factsForNode(node);
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

/**
 * PyTorch's marking: a reverse walk from the block's return, marking a node when it has side effects, when
 * one of its outputs is live, or when it writes memory a live value may point to. Liveness of a write is
 * therefore decided where the walk meets it: a value that becomes live only at an earlier node (e.g. the
 * initial value of a loop, needed by the loop itself) does not revive writes met before. Loop bodies are
 * walked again until nothing new is marked (a value read in the next iteration). Block nesting is the only
 * recursion, so 100k-node chains are fine.
 */
class Marker {
  readonly marked = new Set<Node>();
  private readonly live = new Set<Value>();
  private readonly returned = new Set<Block>();
  private readonly sideEffects = new Map<Node, boolean>();
  private db: AliasDb | undefined;
  /** Memory locations of the live values, kept once the AliasDb exists (writesToAlias on the live set). */
  private readonly liveLocations = new Set<number>();
  private readonly writesOf = new Map<Node, ReadonlySet<number>>();
  private readonly writtenInputs = new Map<Node, readonly Value[]>();

  constructor(
    private readonly graph: Graph,
    private readonly ops: OperatorRegistry,
    private readonly mustKeep: (node: Node, wildcardWrite: (n: Node) => boolean) => boolean,
    /** Without it, a write escapes or reaches a live value only where that is sure (the fast first pass). */
    private readonly useAliasDb: boolean,
  ) {}

  run(): void {
    for (const v of this.graph.outputs) this.addLive(v);
    this.returned.add(this.graph.block);
    this.markBlock(this.graph.block);
  }

  private alias(): AliasDb {
    if (!this.db) {
      this.db = new AliasDb(this.graph, this.ops);
      for (const v of this.live) for (const l of this.db.memoryLocations(v)) this.liveLocations.add(l);
    }
    return this.db;
  }

  private addLive(v: Value): void {
    if (this.live.has(v)) return;
    this.live.add(v);
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
    for (const n of block.nodes()) if (this.hasSideEffects(n)) any = this.mark(n) || any;
    any = this.markReturn(block) || any;
    for (const n of block.nodesReversed()) {
      if (n.kind === 'prim::Loop') any = this.markLoop(n) || any;
      else for (const b of n.blocks) any = this.markBlock(b) || any;
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
    if (this.returned.has(block)) return false;
    this.returned.add(block);
    const owner = block.owningNode!;
    if (owner.kind === 'prim::Loop') {
      owner.outputs.forEach((o, i) => {
        if (this.live.has(o) || block.inputs[i + 1].hasUses()) this.addLive(block.outputs[i + 1]);
      });
      this.addLive(block.outputs[0]);
    } else if (owner.kind === 'prim::If') {
      owner.outputs.forEach((o, i) => {
        if (this.live.has(o)) this.addLive(block.outputs[i]);
      });
    } else {
      for (const v of block.outputs) this.addLive(v);
    }
    return true;
  }

  private markIfLive(n: Node): boolean {
    if (n.outputs.some((o) => this.live.has(o))) return this.mark(n);
    if (!this.writesAnything(n)) return false;
    // Writing a live value itself is writing to what it points to: the AliasDb's answer, without it.
    if (this.surelyWritten(n).some((v) => this.live.has(v))) return this.mark(n);
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
    if (this.marked.has(n)) return false;
    for (let m: Node | null | undefined = n; m && !this.marked.has(m); m = m.owningBlock?.owningNode) {
      this.marked.add(m);
      for (const v of m.inputs) this.addLive(v);
    }
    return true;
  }

  private hasSideEffects(n: Node): boolean {
    let known = this.sideEffects.get(n);
    if (known === undefined) {
      known =
        this.mustKeep(n, (w) => this.writesToWildcard(w)) ||
        ((n.kind === 'prim::If' || n.kind === 'prim::Loop') &&
          n.blocks.some((b) => [...b.nodes()].some((inner) => this.hasSideEffects(inner))));
      this.sideEffects.set(n, known);
    }
    return known;
  }

  // Whether `n` (or a node in its blocks) may write anything: the AliasDb is only asked about those.
  private writesAnything(n: Node): boolean {
    if (n.blocks.length)
      return n.blocks.some((b) => [...b.nodes()].some((inner) => this.writesAnything(inner)));
    return (this.ops.factsForNode(n)?.writtenArgs.length ?? 0) > 0;
  }
}

/** Removes what Marker did not mark (and no one uses), innermost uses first, as PyTorch's sweep does. */
class Sweep {
  nodesRemoved = 0;
  outputsRemoved = 0;

  constructor(private readonly marked: ReadonlySet<Node>) {}

  // Reverse order: a node's users (later in the block, or inside later nodes' blocks) are gone first.
  block(block: Block): void {
    for (const n of block.nodesReversed()) {
      if (n.kind === 'prim::If') this.pruneIf(n);
      else if (n.kind === 'prim::Loop') this.pruneLoop(n);
      for (const b of n.blocks) this.block(b);
      if (this.marked.has(n) || n.hasUses()) continue;
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
