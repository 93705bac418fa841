// Dead code elimination as torch.jit.load's cleanup runs it: an inverse mark-and-sweep from the graph's
// return and every node with side effects, with loop-carried values kept live to a fixpoint, then dead
// if-outputs and loop-carried slots removed (torch/csrc/jit/passes/dead_code_elimination.cpp). Without an
// alias analysis, every node that writes one of its inputs counts as having side effects.

import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import type { Value } from '../../../ir/value.js';
import type { OperatorRegistry } from '../../../ops/registry.js';

const SIDE_EFFECTS = new Set([
  'prim::Print', 'prim::RaiseException', 'prim::SetAttr', 'aten::warn', 'aten::save', 'aten::manual_seed',
  'prim::AddStatValue', 'prim::TimePoint', 'prim::CallFunction', 'prim::CallMethod', 'prim::rpc_async',
  'prim::rpc_sync', 'prim::rpc_remote', 'aten::wait', 'prim::Enter', 'prim::Exit',
]);

// Structural nodes the table has no schema for but that are pure.
const PURE = new Set(['prim::Constant', 'prim::ListConstruct', 'prim::TupleConstruct', 'prim::DictConstruct',
  'prim::TupleUnpack', 'prim::ListUnpack', 'prim::TupleIndex', 'prim::TupleSlice', 'prim::GetAttr',
  'prim::unchecked_cast', 'prim::Uninitialized', 'prim::isinstance', 'prim::CreateObject', 'prim::If', 'prim::Loop']);

/** Removes nodes whose results are unused and that have no effect. */
export function eliminateDeadCode(graph: Graph, registry: OperatorRegistry): void {
  new DeadCodeEliminator(registry).run(graph.block);
}

class DeadCodeEliminator {
  private readonly marked = new Set<Node>();
  private readonly live = new Set<Value>();
  private readonly memo = new Map<Node, boolean>();

  constructor(private readonly registry: OperatorRegistry) {}

  run(block: Block): void {
    this.markNode(block.returnNode);
    this.markBlock(block);
    this.sweep(block);
  }

  private hasSideEffects(node: Node): boolean {
    const known = this.memo.get(node);
    if (known !== undefined) return known;
    let effects: boolean;
    if (SIDE_EFFECTS.has(node.kind)) effects = true;
    else if (PURE.has(node.kind)) effects = false;
    else effects = this.registry.hasSideEffectsNode(node);
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
      if (node.outputs.some((o) => this.live.has(o))) any = this.markNode(node) || any;
    }
    return any;
  }

  // A block's return only keeps alive what its owner's live outputs need.
  private markReturn(ret: Node): boolean {
    if (this.marked.has(ret)) return false;
    const owner = ret.owningBlock?.owningNode ?? null;
    if (!owner) return this.markNode(ret);
    if (owner.kind === 'prim::Loop') {
      const body = owner.blocks[0];
      owner.outputs.forEach((out, i) => {
        if (this.live.has(out) || body.inputs[i + 1].hasUses()) this.live.add(body.outputs[i + 1]);
      });
      this.live.add(body.outputs[0]);
    } else {
      owner.outputs.forEach((out, i) => {
        if (this.live.has(out)) this.live.add(ret.inputs[i]);
      });
    }
    this.marked.add(ret);
    return true;
  }

  private markNode(node: Node): boolean {
    if (this.marked.has(node)) return false;
    this.marked.add(node);
    for (let n = node.owningBlock?.owningNode ?? null; n; n = n.owningBlock?.owningNode ?? null) this.markNode(n);
    for (const input of node.inputs) this.live.add(input);
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
