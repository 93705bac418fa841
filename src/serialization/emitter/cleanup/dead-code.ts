// Dead code elimination as torch.jit.load's cleanup runs it: an inverse mark-and-sweep from the graph's
// return and every node with side effects, with loop-carried values kept live to a fixpoint, then dead
// if-outputs and loop-carried slots removed (torch/csrc/jit/passes/dead_code_elimination.cpp). A write to
// a container or tensor made in this graph (`l.append(x)`) is kept only while that value is live; a write
// to anything else (inputs, attributes, list elements) counts as a side effect.

import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import type { Value } from '../../../ir/value.js';
import type { OperatorRegistry } from '../../../ops/registry.js';
import { factsOf, schemaOf } from '../node-schemas.js';

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
  new DeadCodeEliminator(registry).run(graph.block);
}

/** Where a value's memory comes from: a value made in this graph, or anywhere ('wildcard'). */
type Root = Value | 'wildcard';

const FRESH = new Set([
  'prim::ListConstruct',
  'prim::DictConstruct',
  'prim::TupleConstruct',
  'prim::Constant',
  'prim::CreateObject',
]);

class DeadCodeEliminator {
  private readonly marked = new Set<Node>();
  private readonly live = new Set<Value>();
  private readonly liveRoots = new Set<Value>();
  private readonly memo = new Map<Node, boolean>();
  private readonly roots = new Map<Value, Root>();

  constructor(private readonly registry: OperatorRegistry) {}

  // Follows outputs that alias an input (`append` returns its list, `view` its tensor) back to where the
  // memory was made; block parameters, attributes and list elements may be anything.
  private rootOf(v: Value): Root {
    const known = this.roots.get(v);
    if (known) return known;
    let root: Root = 'wildcard';
    const node = v.node;
    if (FRESH.has(node.kind)) root = v;
    else if (node.kind !== 'prim::Param' && !PURE.has(node.kind)) {
      const schema = schemaOf(this.registry, node);
      if (schema && !schema.isVarret && !schema.returnsWildcard(v.offset)) {
        const aliased = schema.aliasOf(v.offset);
        if (aliased.length === 0) root = v;
        else if (aliased.length === 1 && aliased[0] < node.inputs.length)
          root = this.rootOf(node.inputs[aliased[0]]);
      }
    }
    this.roots.set(v, root);
    return root;
  }

  // The roots a node writes, or 'wildcard' when one of them is unknown.
  private writtenRoots(node: Node): Value[] | 'wildcard' {
    const facts = factsOf(this.registry, node);
    if (!facts) return 'wildcard';
    const out: Value[] = [];
    for (const i of facts.writtenArgs) {
      const input = node.inputs[i];
      if (!input) return 'wildcard';
      const root = this.rootOf(input);
      if (root === 'wildcard') return 'wildcard';
      out.push(root);
    }
    return out;
  }

  private addLive(v: Value): void {
    if (this.live.has(v)) return;
    this.live.add(v);
    const root = this.rootOf(v);
    if (root !== 'wildcard') this.liveRoots.add(root);
  }

  run(block: Block): void {
    this.markNode(block.returnNode);
    // To a fixpoint: a list that becomes live late (put into a container that an If returns) makes the
    // appends to it, seen earlier in the reverse walk, live on the next round.
    while (this.markBlock(block));
    this.sweep(block);
  }

  private hasSideEffects(node: Node): boolean {
    const known = this.memo.get(node);
    if (known !== undefined) return known;
    let effects: boolean;
    if (SIDE_EFFECTS.has(node.kind)) effects = true;
    else if (PURE.has(node.kind)) effects = false;
    else {
      const facts = factsOf(this.registry, node);
      effects =
        !facts ||
        facts.externalSideEffects ||
        (facts.writtenArgs.length > 0 && this.writtenRoots(node) === 'wildcard');
    }
    if (!effects) effects = node.blocks.some((b) => [...b.nodes()].some((n) => this.hasSideEffects(n)));
    this.memo.set(node, effects);
    return effects;
  }

  private markBlock(block: Block): boolean {
    let any = false;
    for (const node of block.nodes()) if (this.hasSideEffects(node)) any = this.markNode(node) || any;
    any = this.markReturn(block.returnNode) || any;
    for (const node of [...block.nodes()].reverse()) {
      if (node.kind === 'prim::Loop') {
        let again: boolean;
        do {
          again = this.markBlock(node.blocks[0]);
          any = again || any;
        } while (again);
      } else {
        for (const b of node.blocks) any = this.markBlock(b) || any;
      }
      if (node.outputs.some((o) => this.live.has(o)) || this.writesLive(node))
        any = this.markNode(node) || any;
    }
    return any;
  }

  // A tracked write to memory something live reads (PyTorch's AliasDb::writesToAlias on the live set).
  private writesLive(node: Node): boolean {
    if (PURE.has(node.kind) || SIDE_EFFECTS.has(node.kind)) return false;
    const facts = factsOf(this.registry, node);
    if (!facts || facts.writtenArgs.length === 0) return false;
    const roots = this.writtenRoots(node);
    return roots === 'wildcard' || roots.some((r) => this.liveRoots.has(r));
  }

  // A block's return only keeps alive what its owner's live outputs need.
  private markReturn(ret: Node): boolean {
    if (this.marked.has(ret)) return false;
    const owner = ret.owningBlock?.owningNode ?? null;
    if (!owner) return this.markNode(ret);
    if (owner.kind === 'prim::Loop') {
      const body = owner.blocks[0];
      owner.outputs.forEach((out, i) => {
        if (this.live.has(out) || body.inputs[i + 1].hasUses()) this.addLive(body.outputs[i + 1]);
      });
      this.addLive(body.outputs[0]);
    } else {
      owner.outputs.forEach((out, i) => {
        if (this.live.has(out)) this.addLive(ret.inputs[i]);
      });
    }
    this.marked.add(ret);
    return true;
  }

  private markNode(node: Node): boolean {
    if (this.marked.has(node)) return false;
    this.marked.add(node);
    for (let n = node.owningBlock?.owningNode ?? null; n; n = n.owningBlock?.owningNode ?? null)
      this.markNode(n);
    for (const input of node.inputs) this.addLive(input);
    return true;
  }

  private sweep(block: Block): void {
    for (const node of block.nodesReversed()) {
      if (node.kind === 'prim::If') this.removeDeadIfOutputs(node);
      if (node.kind === 'prim::Loop') this.removeDeadLoopOutputs(node);
      for (const b of node.blocks) this.sweep(b);
      if (!this.marked.has(node) && !node.hasUses()) node.destroy();
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
