// Dead code elimination as torch.jit.load's cleanup runs it: an inverse mark-and-sweep from the graph's
// return and every node with side effects, with loop bodies marked to a fixpoint, then dead if-outputs and
// loop-carried slots removed (torch/csrc/jit/passes/dead_code_elimination.cpp, with an AliasDb). A write is
// kept when it may reach escaped memory (a list's element, an input, an attribute: writesToWildcard) or
// memory something live reads (writesToAlias); a write to a local nobody reads goes (`l.append(x)` on a
// list never read). Marking is first done without an AliasDb, knowing only what alias analysis surely
// says of single nodes (a write to a graph input or an attribute escapes, a write to a live value is
// live); the AliasDb is built and the graph marked again only if some in-place write is left unmarked
// (as the freeze pipeline's dead-code-elimination, which explains why that gives the same marks).

import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import type { Value } from '../../../ir/value.js';
import type { OpFacts } from '../../../ops/facts.js';
import type { OperatorRegistry } from '../../../ops/registry.js';
import { AliasDb } from '../../../analysis/alias-db.js';
import { surelyEscaped, surelyWrittenInputs } from '../../../analysis/alias-rules.js';
import { factsOf, operatorOf } from '../node-schemas.js';

const SIDE_EFFECTS = new Set([
  'prim::Print',
  'prim::RaiseException',
  'prim::SetAttr',
  'aten::warn',
  'aten::save',
  'aten::manual_seed',
  'prim::AddStatValue',
  'prim::TimePoint',
  'prim::CallFunction',
  'prim::CallMethod',
  'prim::rpc_async',
  'prim::rpc_sync',
  'prim::rpc_remote',
  'aten::wait',
  'prim::Enter',
  'prim::Exit',
]);

// Structural nodes the table has no schema for but that are pure.
const PURE = new Set([
  'prim::Constant',
  'prim::ListConstruct',
  'prim::TupleConstruct',
  'prim::DictConstruct',
  'prim::TupleUnpack',
  'prim::ListUnpack',
  'prim::TupleIndex',
  'prim::TupleSlice',
  'prim::GetAttr',
  'prim::unchecked_cast',
  'prim::Uninitialized',
  'prim::isinstance',
  'prim::CreateObject',
  'prim::If',
  'prim::Loop',
]);

/** Removes nodes whose results are unused and that have no effect. */
export function eliminateDeadCode(graph: Graph, registry: OperatorRegistry): void {
  const facts = new NodeFacts(registry, graph.nodeIdBound);
  let eliminator = new DeadCodeEliminator(graph, registry, facts, false);
  eliminator.mark(graph.block);
  if (eliminator.writerLeftUnmarked) {
    eliminator = new DeadCodeEliminator(graph, registry, facts, true);
    eliminator.mark(graph.block);
  }
  eliminator.sweep(graph.block);
}

/**
 * The operator facts of each node, looked up once per elimination (the marking asks again and again).
 * Per-run tables here are indexed by node id (the elimination creates no node): cheaper than Maps and Sets
 * keyed by nodes, which matters for the many small graphs a load cleans up.
 */
class NodeFacts {
  private readonly known: (OpFacts | null | undefined)[];

  constructor(
    private readonly registry: OperatorRegistry,
    idBound: number,
  ) {
    this.known = new Array<OpFacts | null | undefined>(idBound).fill(undefined);
  }

  of(node: Node): OpFacts | undefined {
    const facts = this.known[node.id];
    if (facts !== undefined) return facts ?? undefined;
    const found = factsOf(this.registry, node);
    this.known[node.id] = found ?? null;
    return found;
  }
}

class DeadCodeEliminator {
  /** 1 for marked nodes, by node id. */
  private readonly marked: Uint8Array;
  private readonly live = new Set<Value>();
  /** Memory locations of the live values, once an AliasDb exists. */
  private readonly liveLocations = new Set<number>();
  /** hasSideEffects by node id: 0 unknown, 1 no, 2 yes. */
  private readonly memo: Uint8Array;
  private readonly written = new Map<Node, readonly Value[]>();
  private db: AliasDb | null | undefined;
  /**
   * The last marking round passed a node that writes in place without marking it. Only such a node can be
   * marked by a later round (a value read before it in program order turns live after the reverse walk
   * passed it; every other mark is decided after all of a node's users): while this stays false after a
   * round, that round was the last, and every write is marked (no AliasDb could add a mark).
   */
  writerLeftUnmarked = false;

  constructor(
    private readonly graph: Graph,
    private readonly registry: OperatorRegistry,
    private readonly facts: NodeFacts,
    /** Without it, a write escapes or reaches a live value only where alias analysis surely says so. */
    private readonly useAliasDb: boolean,
  ) {
    this.marked = new Uint8Array(graph.nodeIdBound);
    this.memo = new Uint8Array(graph.nodeIdBound);
  }

  // Inputs alias analysis registers as written by `node` (some of them: see surelyWrittenInputs).
  private surelyWritten(node: Node): readonly Value[] {
    let written = this.written.get(node);
    if (!written) {
      written = surelyWrittenInputs(node, operatorOf(this.registry, node));
      this.written.set(node, written);
    }
    return written;
  }

  private writesToWildcard(node: Node): boolean {
    if (!this.useAliasDb) {
      const written = this.surelyWritten(node);
      for (let i = 0; i < written.length; i++) if (surelyEscaped(written[i])) return true;
      return false;
    }
    return this.aliasDb()?.writesToWildcard(node) ?? true;
  }

  // Built when first needed, and only for graphs that write something in place.
  private aliasDb(): AliasDb | null {
    if (this.db === undefined) {
      let writes = false;
      for (const n of this.graph.allNodes()) if (this.facts.of(n)?.writtenArgs.length) writes = true;
      this.db = writes
        ? new AliasDb(this.graph, this.registry, { entryOf: (n) => operatorOf(this.registry, n) })
        : null;
      if (this.db)
        for (const v of this.live) for (const l of this.db.memoryLocations(v)) this.liveLocations.add(l);
    }
    return this.db;
  }

  private addLive(v: Value): void {
    if (this.live.has(v)) return;
    this.live.add(v);
    const db = this.db;
    if (db) for (const l of db.memoryLocations(v)) this.liveLocations.add(l);
  }

  mark(block: Block): void {
    this.markNode(block.returnNode);
    // To a fixpoint: a list that becomes live late (put into a container that an If returns) makes the
    // appends to it, seen earlier in the reverse walk, live on the next round (see writerLeftUnmarked).
    do this.writerLeftUnmarked = false;
    while (this.markBlock(block) && this.writerLeftUnmarked);
  }

  private hasSideEffects(node: Node): boolean {
    const known = this.memo[node.id];
    if (known !== 0) return known === 2;
    let effects: boolean;
    if (SIDE_EFFECTS.has(node.kind)) effects = true;
    else if (PURE.has(node.kind)) effects = false;
    else {
      const facts = this.facts.of(node);
      effects =
        !facts || facts.externalSideEffects || (facts.writtenArgs.length > 0 && this.writesToWildcard(node));
    }
    if (!effects) effects = this.blocksHaveSideEffects(node.blocks);
    this.memo[node.id] = effects ? 2 : 1;
    return effects;
  }

  private blocksHaveSideEffects(blocks: readonly Block[]): boolean {
    for (let i = 0; i < blocks.length; i++) {
      const end = blocks[i].returnNode;
      for (let n = end.next!; n !== end; n = n.next!) if (this.hasSideEffects(n)) return true;
    }
    return false;
  }

  // Marking changes no links: the walks follow them directly (cheaper than iterators in cold code).
  private markBlock(block: Block): boolean {
    let any = false;
    const end = block.returnNode;
    for (let n = end.next!; n !== end; n = n.next!) if (this.hasSideEffects(n)) any = this.markNode(n) || any;
    any = this.markReturn(end) || any;
    for (let node = end.prev!; node !== end; node = node.prev!) {
      const blocks = node.blocks;
      if (node.kind === 'prim::Loop') {
        let again: boolean;
        do {
          again = this.markBlock(blocks[0]);
          any = again || any;
        } while (again);
      } else {
        for (let i = 0; i < blocks.length; i++) any = this.markBlock(blocks[i]) || any;
      }
      if (this.anyLive(node.outputs) || this.writesLive(node)) any = this.markNode(node) || any;
      else if (!this.marked[node.id] && this.facts.of(node)?.writtenArgs.length)
        this.writerLeftUnmarked = true;
    }
    return any;
  }

  private anyLive(values: readonly Value[]): boolean {
    for (let i = 0; i < values.length; i++) if (this.live.has(values[i])) return true;
    return false;
  }

  // A write to memory something live reads (PyTorch's AliasDb::writesToAlias on the live set).
  private writesLive(node: Node): boolean {
    if (PURE.has(node.kind) || SIDE_EFFECTS.has(node.kind)) return false;
    const facts = this.facts.of(node);
    if (!facts || facts.writtenArgs.length === 0) return false;
    // Writing a live value itself is writing to what it points to: the AliasDb's answer, without it.
    if (this.anyLive(this.surelyWritten(node))) return true;
    if (!this.useAliasDb) return false;
    const db = this.aliasDb();
    if (!db) return true;
    for (const l of db.getWrites(node)) if (this.liveLocations.has(l)) return true;
    return false;
  }

  // A block's return only keeps alive what its owner's live outputs need.
  private markReturn(ret: Node): boolean {
    if (this.marked[ret.id]) return false;
    const owner = ret.owningBlock?.owningNode ?? null;
    if (!owner) return this.markNode(ret);
    const outputs = owner.outputs;
    if (owner.kind === 'prim::Loop') {
      const body = owner.blocks[0];
      for (let i = 0; i < outputs.length; i++)
        if (this.live.has(outputs[i]) || body.inputs[i + 1].hasUses()) this.addLive(body.outputs[i + 1]);
      this.addLive(body.outputs[0]);
    } else {
      for (let i = 0; i < outputs.length; i++) if (this.live.has(outputs[i])) this.addLive(ret.inputs[i]);
    }
    this.marked[ret.id] = 1;
    return true;
  }

  private markNode(node: Node): boolean {
    if (this.marked[node.id]) return false;
    this.marked[node.id] = 1;
    for (let n = node.owningBlock?.owningNode ?? null; n; n = n.owningBlock?.owningNode ?? null)
      this.markNode(n);
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) this.addLive(inputs[i]);
    return true;
  }

  // Backwards; a step destroys at most the node it is at (never the one before it, read first).
  sweep(block: Block): void {
    const end = block.returnNode;
    for (let node = end.prev!, before = node.prev!; node !== end; node = before, before = node.prev!) {
      if (node.kind === 'prim::If') this.removeDeadIfOutputs(node);
      if (node.kind === 'prim::Loop') this.removeDeadLoopOutputs(node);
      const blocks = node.blocks;
      for (let i = 0; i < blocks.length; i++) this.sweep(blocks[i]);
      if (!this.marked[node.id] && !node.hasUses()) node.destroy();
    }
  }

  private removeDeadIfOutputs(node: Node): void {
    for (let i = node.outputs.length - 1; i >= 0; i--) {
      if (node.outputs[i].hasUses()) continue;
      node.eraseOutput(i);
      for (const b of node.blocks) b.eraseOutput(i);
    }
  }

  private removeDeadLoopOutputs(node: Node): void {
    const body = node.blocks[0];
    for (let i = node.outputs.length - 1; i >= 0; i--) {
      if (node.outputs[i].hasUses() || body.inputs[i + 1].hasUses()) continue;
      node.eraseOutput(i);
      node.removeInput(i + 2);
      body.eraseInput(i + 1);
      body.eraseOutput(i + 1);
    }
  }
}
