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
 * Mark-and-sweep like PyTorch's dead_code_elimination.cpp: liveness flows from the graph outputs and
 * side-effecting nodes (inside nested blocks too) to a fixpoint, then a reverse sweep removes the rest,
 * so whole dead chains die in one run.
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
    const keep: Node[] = [];
    const writeNodes: Node[] = [];
    for (const n of graph.allNodes()) {
      const root = this.rootKind(n, context);
      if (root === 'keep') keep.push(n);
      else if (root === 'write') writeNodes.push(n);
    }
    // Liveness without alias analysis first: when every in-place write is live anyway (its result is
    // used, as with resnet's relu_ and add_), the writes' escapes and aliases cannot add anything, and
    // the AliasDb is never built. Otherwise the full marking below decides.
    let live = new Liveness(NO_LOCAL_WRITES);
    live.markRoots(graph, keep);
    if (!writeNodes.every((n) => live.nodes.has(n))) {
      const writes = new LocalWrites(graph, this.ops);
      // Every write is tracked first, so every local write is indexed before liveness reaches its memory.
      const escaping = writeNodes.filter((n) => !writes.track(n));
      live = new Liveness(writes);
      live.markRoots(graph, [...keep, ...escaping]);
    }
    const sweep = new Sweep(live);
    sweep.block(graph.block);
    if (sweep.nodesRemoved) context.count('nodes-removed', sweep.nodesRemoved);
    if (sweep.outputsRemoved) context.count('outputs-removed', sweep.outputsRemoved);
    return { changed: sweep.nodesRemoved + sweep.outputsRemoved > 0 };
  }

  // Whether a node must run even if nothing uses its outputs ('keep'), is an in-place write that must
  // when it may reach escaped memory ('write': otherwise live only if what it writes is), or neither.
  private rootKind(node: Node, context: PassContext): 'keep' | 'write' | 'no' {
    if (node.kind === 'prim::If' || node.kind === 'prim::Loop') return 'no'; // live through their contents
    if (node.blocks.length) return 'keep'; // other block-owning nodes: not understood here, keep
    const facts = this.ops.factsForNode(node);
    if (!facts) {
      if (!node.hasUses())
        context.remark(node, `kept: ${node.kind} is not in the operator table, so it may have side effects`);
      return 'keep';
    }
    if (facts.externalSideEffects) return 'keep';
    return facts.writtenArgs.length > 0 ? 'write' : 'no';
  }
}

/** The tracked writes to memory a value may point to. */
interface WritersOf {
  writersOf(v: Value): Node[];
}

const NO_LOCAL_WRITES: WritersOf = { writersOf: () => [] };

/** In-place writes to local memory, by the memory locations they write (an AliasDb made when first needed). */
class LocalWrites implements WritersOf {
  private db: AliasDb | undefined;
  private readonly byLocation = new Map<number, Node[]>();

  constructor(
    private readonly graph: Graph,
    private readonly ops: OperatorRegistry,
  ) {}

  /** Records a write that escapes nothing and returns true; false when it may write escaped memory. */
  track(node: Node): boolean {
    const db = (this.db ??= new AliasDb(this.graph, this.ops));
    const locations = db.getWrites(node);
    if (locations.size === 0 || db.writesToWildcard(node)) return false;
    for (const l of locations) {
      const writers = this.byLocation.get(l);
      if (writers) writers.push(node);
      else this.byLocation.set(l, [node]);
    }
    return true;
  }

  /** The tracked writes to memory `v` may point to. */
  writersOf(v: Value): Node[] {
    if (!this.db || this.byLocation.size === 0) return [];
    const out: Node[] = [];
    for (const l of this.db.memoryLocations(v)) out.push(...(this.byLocation.get(l) ?? []));
    return out;
  }
}

/** Which nodes and values are live. Worklist-driven: no recursion, so 100k-node chains are fine. */
class Liveness {
  readonly nodes = new Set<Node>();
  readonly values = new Set<Value>();
  /** Live loop-carried slots per prim::Loop. */
  readonly carried = new Map<Node, Set<number>>();
  private readonly nodeQueue: Node[] = [];
  private readonly valueQueue: Value[] = [];

  constructor(private readonly writes: WritersOf) {}

  markRoots(graph: Graph, roots: readonly Node[]): void {
    for (const v of graph.outputs) this.value(v);
    for (const n of roots) this.node(n);
    this.drain();
  }

  private node(n: Node): void {
    if (this.nodes.has(n)) return;
    this.nodes.add(n);
    this.nodeQueue.push(n);
  }

  private value(v: Value): void {
    if (this.values.has(v)) return;
    this.values.add(v);
    this.valueQueue.push(v);
    // Writes to memory a live value may point to are live too.
    for (const w of this.writes.writersOf(v)) this.node(w);
  }

  private carry(loop: Node, j: number): void {
    let set = this.carried.get(loop);
    if (!set) this.carried.set(loop, (set = new Set()));
    if (set.has(j)) return;
    set.add(j);
    const body = loop.blocks[0];
    this.node(loop);
    this.value(loop.inputs[j + 2]);
    this.value(body.outputs[j + 1]);
    this.value(loop.outputs[j]);
    this.value(body.inputs[j + 1]);
  }

  private drain(): void {
    while (this.nodeQueue.length || this.valueQueue.length) {
      const v = this.valueQueue.pop();
      if (v) this.fromValue(v);
      const n = this.nodeQueue.pop();
      if (n) this.fromNode(n);
    }
  }

  // A live node keeps its enclosing node alive and needs its inputs.
  private fromNode(n: Node): void {
    const owner = n.owningBlock?.owningNode;
    if (owner) this.node(owner);
    if (n.kind === 'prim::Loop') {
      this.value(n.inputs[0]); // max trip count
      this.value(n.inputs[1]); // initial condition
      this.value(n.blocks[0].outputs[0]); // continue condition
      return;
    }
    for (const v of n.inputs) this.value(v);
    if (n.kind !== 'prim::If') for (const b of n.blocks) for (const o of b.outputs) this.value(o);
  }

  // A live value keeps its producer alive; for If/Loop only the matching block slot.
  private fromValue(v: Value): void {
    const producer = v.node;
    if (producer.kind === 'prim::Param') {
      const owner = producer.owningBlock?.owningNode;
      if (!owner) return; // a graph input
      if (owner.kind === 'prim::Loop' && v.offset > 0) this.carry(owner, v.offset - 1);
      else this.node(owner);
    } else if (producer.kind === 'prim::If') {
      this.node(producer);
      for (const b of producer.blocks) this.value(b.outputs[v.offset]);
    } else if (producer.kind === 'prim::Loop') {
      this.carry(producer, v.offset);
    } else {
      this.node(producer);
    }
  }
}

/** Removes what Liveness did not mark, innermost uses first. */
class Sweep {
  nodesRemoved = 0;
  outputsRemoved = 0;

  constructor(private readonly live: Liveness) {}

  // Reverse order: a node's users (later in the block, or inside later nodes' blocks) are gone first.
  block(block: Block): void {
    for (const n of block.nodesReversed()) {
      if (!this.live.nodes.has(n)) {
        this.nodesRemoved += 1 + countNested(n);
        n.destroy();
      } else if (n.kind === 'prim::If') {
        this.pruneIf(n);
      } else if (n.kind === 'prim::Loop') {
        this.pruneLoop(n);
      } else {
        for (const b of n.blocks) this.block(b);
      }
    }
  }

  // Transforms `%a, %b = prim::If(...)` with %b dead into `%a = prim::If(...)`.
  private pruneIf(n: Node): void {
    for (let i = n.outputs.length - 1; i >= 0; i--) {
      if (this.live.values.has(n.outputs[i])) continue;
      for (const b of n.blocks) b.eraseOutput(i);
      n.eraseOutput(i);
      this.outputsRemoved++;
    }
    for (const b of n.blocks) this.block(b);
  }

  // Transforms a loop carrying a dead value into one that does not carry it.
  private pruneLoop(n: Node): void {
    const body = n.blocks[0];
    const liveSlots = this.live.carried.get(n) ?? new Set<number>();
    const dead: number[] = [];
    for (let j = n.outputs.length - 1; j >= 0; j--) if (!liveSlots.has(j)) dead.push(j);
    for (const j of dead) body.eraseOutput(j + 1);
    this.block(body);
    for (const j of dead) {
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
