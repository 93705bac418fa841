// TransformExits: removes the prim::ReturnStmt and prim::LoopContinuation markers the emitter leaves for
// `return`, `break` and `continue`, conditionalizing what follows a possible exit on a has-exited flag and
// routing the exit values to the function's outputs or the loop's carried values; then merges an if that
// only decides such a flag into the if before it (torch/csrc/jit/frontend/exit_transforms.cpp).

import { constantValue, insertConstant } from '../../../ir/constants.js';
import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import { BoolType, UnionType, type Type } from '../../../ir/types.js';
import type { Value } from '../../../ir/value.js';
import { cloneNode } from '../../../ir/clone.js';
import { unifyTypes } from '../../../ops/type-matching.js';
import { flattenWithBlocks, hasWithBlocks, WITH_KIND } from '../with-statement.js';

type ExitStatus = 'will' | 'might' | 'wont' | 'throws';

interface ExitPair {
  readonly hasExited: Value;
  readonly values: readonly Value[];
}

type ExitKind = 'prim::ReturnStmt' | 'prim::LoopContinuation';

class ExitTransformer {
  private readonly trueVal: Value;
  private readonly falseVal: Value;
  private readonly throwsVal: Value;
  private readonly units = new Map<string, Value>();
  private target: Block | null = null;

  constructor(
    private readonly graph: Graph,
    private readonly kind: ExitKind,
  ) {
    const first = graph.block.firstNode ?? graph.block.returnNode;
    this.trueVal = graph.withInsertPoint(first, () => insertConstant(graph, true));
    this.falseVal = graph.withInsertPoint(first, () => insertConstant(graph, false));
    this.throwsVal = this.unit(BoolType);
  }

  run(): void {
    this.transformExits(this.graph.block);
  }

  // One uninitialized value per type, at the start of the graph.
  private unit(type: Type): Value {
    const key = type.str();
    let v = this.units.get(key);
    if (!v) {
      v = this.graph.block.prependNode(this.graph.create('prim::Uninitialized', [], [type])).output();
      this.units.set(key, v);
    }
    return v;
  }

  private status(pair: ExitPair): ExitStatus {
    if (pair.hasExited === this.trueVal) return 'will';
    if (pair.hasExited === this.falseVal) return 'wont';
    if (pair.hasExited === this.throwsVal) return 'throws';
    return 'might';
  }

  private wont(): ExitPair {
    return { hasExited: this.falseVal, values: [] };
  }

  private addIfOutputs(node: Node, whenTrue: readonly Value[], whenFalse: readonly Value[]): void {
    const [t, f] = node.blocks;
    whenTrue.forEach((v) => t.registerOutput(v));
    whenFalse.forEach((v) => f.registerOutput(v));
    whenTrue.forEach((v, i) =>
      node.addOutput(unifyTypes(v.type, whenFalse[i].type) ?? new UnionType([v.type, whenFalse[i].type])),
    );
  }

  private transformLoop(node: Node): ExitPair {
    const body = node.blocks[0];
    const pair = this.transformExits(body);
    const s = this.status(pair);
    // A loop may not run at all, so a throw inside it does not make the loop throw.
    if (s === 'wont' || s === 'throws') return this.wont();
    const g = this.graph;
    const guard = g.withInsertPoint(body, () => g.insert('prim::If', [pair.hasExited], []));
    guard.addBlock().registerOutput(this.falseVal);
    guard.addBlock().registerOutput(body.outputs[0]);
    const nextCond = guard.addOutput(BoolType);
    body.eraseOutput(0);
    body.insertOutput(0, nextCond);
    node.addInput(this.falseVal);
    body.addInput(BoolType);
    body.registerOutput(pair.hasExited);
    const hasExited = node.addOutput(BoolType);
    for (const v of pair.values) {
      node.addInput(this.unit(v.type));
      node.addOutput(v.type);
      body.addInput(v.type);
      body.registerOutput(v);
    }
    return { hasExited, values: node.outputs.slice(node.outputs.length - pair.values.length) };
  }

  private transformIf(node: Node): ExitPair {
    let thenPair = this.transformExits(node.blocks[0]);
    let elsePair = this.transformExits(node.blocks[1]);
    const t = this.status(thenPair);
    const e = this.status(elsePair);
    let s: ExitStatus;
    if (t === 'throws') s = e;
    else if (e === 'throws') s = t;
    else if (t === 'wont' && e === 'wont') s = 'wont';
    else if (t === 'will' && e === 'will') s = 'will';
    else s = 'might';
    if (s === 'throws') return { hasExited: this.throwsVal, values: [] };
    if (s === 'wont') return this.wont();
    // The branch that does not exit never uses the exit values: uninitialized placeholders of the same types.
    if (t === 'wont' || t === 'throws')
      thenPair = { hasExited: thenPair.hasExited, values: elsePair.values.map((v) => this.unit(v.type)) };
    else if (e === 'wont' || e === 'throws')
      elsePair = { hasExited: elsePair.hasExited, values: thenPair.values.map((v) => this.unit(v.type)) };
    let hasExited: Value;
    if (s === 'will') hasExited = this.trueVal;
    else {
      this.addIfOutputs(node, [thenPair.hasExited], [elsePair.hasExited]);
      hasExited = node.outputs[node.outputs.length - 1];
    }
    this.addIfOutputs(node, thenPair.values, elsePair.values);
    const n = thenPair.values.length;
    return { hasExited, values: node.outputs.slice(node.outputs.length - n) };
  }

  // Moves the rest of the block under `if not has_exited`, with the exit re-stated in the other branch.
  private guardBlockNodes(block: Block, pair: ExitPair, from: Node): ExitPair {
    const g = this.graph;
    const guard = g.create('prim::If', [pair.hasExited], []);
    guard.insertBefore(from);
    const exitBlock = guard.addBlock();
    const guardBlock = guard.addBlock();
    for (let n: Node | null = from; n && n !== block.returnNode;) {
      const next: Node | null = n.next;
      n.moveBefore(guardBlock.returnNode);
      n = next;
    }
    const outs = [...block.outputs];
    outs.forEach((o) => {
      exitBlock.registerOutput(this.unit(o.type));
      guardBlock.registerOutput(o);
      guard.addOutput(o.type);
    });
    for (let i = outs.length - 1; i >= 0; i--) block.eraseOutput(i);
    guard.outputs.forEach((o) => block.registerOutput(o));
    g.create(this.kind, pair.values, []).insertBefore(exitBlock.returnNode);
    return this.transformIf(guard);
  }

  // Nothing after an exit runs: its nodes go, their remaining uses take uninitialized values.
  private deleteAfterExit(block: Block, from: Node | null): void {
    if (!from) return;
    const doomed: Node[] = [];
    for (let n: Node | null = from; n && n !== block.returnNode; n = n.next) doomed.push(n);
    for (const n of doomed.reverse()) {
      for (const o of n.outputs) if (o.hasUses()) o.replaceAllUsesWith(this.unit(o.type));
      n.destroy();
    }
  }

  private transformExits(block: Block): ExitPair {
    const previous = this.target;
    const owner = block.owningNode;
    if (
      (owner?.kind === 'prim::Loop' && this.kind === 'prim::LoopContinuation') ||
      (!owner && this.kind === 'prim::ReturnStmt')
    ) {
      this.target = block;
    }
    let pair = this.wont();
    for (let node: Node | null = block.firstNode; node;) {
      const next: Node | null = node.next === block.returnNode ? null : node.next;
      switch (node.kind) {
        case 'prim::RaiseException':
          pair = { hasExited: this.throwsVal, values: [] };
          break;
        case 'prim::ReturnStmt':
        case 'prim::LoopContinuation':
          if (node.kind === this.kind) {
            pair = { hasExited: this.trueVal, values: [...node.inputs] };
            node.destroy();
          }
          break;
        case 'prim::If':
          pair = this.transformIf(node);
          break;
        case 'prim::Loop':
          pair = this.transformLoop(node);
          break;
        // A with statement exits as its body does; its exits block runs on every path out.
        case WITH_KIND:
          pair = this.transformExits(node.blocks[0]);
          break;
        default:
          break;
      }
      const s = this.status(pair);
      if (s === 'will' || s === 'throws') {
        this.deleteAfterExit(block, next);
        break;
      }
      if (s === 'might') {
        if (next) pair = this.guardBlockNodes(block, pair, next);
        break;
      }
      node = next;
    }
    if (this.target === block) {
      const s = this.status(pair);
      if (s === 'might') {
        const g = this.graph;
        const choose = g.create('prim::If', [pair.hasExited], []);
        choose.insertBefore(block.returnNode);
        choose.addBlock();
        choose.addBlock();
        this.addIfOutputs(choose, pair.values, [...block.outputs]);
        replaceOutputs(block, choose.outputs);
      } else if (s === 'will') {
        replaceOutputs(block, pair.values);
      }
      pair = this.wont();
    }
    this.target = previous;
    return pair;
  }
}

function replaceOutputs(block: Block, values: readonly Value[]): void {
  const copy = [...values];
  for (let i = block.outputs.length - 1; i >= 0; i--) block.eraseOutput(i);
  copy.forEach((v) => block.registerOutput(v));
}

// (The read-only walks here follow the node links directly: cheaper than iterators in cold code.)
function hasKind(block: Block, kind: string): boolean {
  const end = block.returnNode;
  for (let n = end.next!; n !== end; n = n.next!) {
    if (n.kind === kind) return true;
    const blocks = n.blocks;
    for (let i = 0; i < blocks.length; i++) if (hasKind(blocks[i], kind)) return true;
  }
  return false;
}

// Whether a block always raises, as the transformer decides it: a raise, or an if raising in both branches.
function alwaysThrows(block: Block): boolean {
  const end = block.returnNode;
  for (let n = end.next!; n !== end; n = n.next!) {
    if (n.kind === 'prim::RaiseException') return true;
    if (n.kind === 'prim::If' && alwaysThrows(n.blocks[0]) && alwaysThrows(n.blocks[1])) return true;
  }
  return false;
}

// Deletes what follows a raise (or an if raising in both branches) in `block` and its inner blocks;
// returns whether the block raises.
function pruneAfterThrow(block: Block, unit: (type: Type) => Value): boolean {
  for (let n: Node | null = block.firstNode; n; n = n.next === block.returnNode ? null : n.next) {
    let throws = n.kind === 'prim::RaiseException';
    if (n.kind === 'prim::If') {
      const t = pruneAfterThrow(n.blocks[0], unit);
      const e = pruneAfterThrow(n.blocks[1], unit);
      throws = t && e;
    } else {
      for (const b of n.blocks) pruneAfterThrow(b, unit);
    }
    if (!throws) continue;
    const doomed: Node[] = [];
    for (let d: Node | null = n.next; d && d !== block.returnNode; d = d.next) doomed.push(d);
    for (const d of doomed.reverse()) {
      for (const o of d.outputs) if (o.hasUses()) o.replaceAllUsesWith(unit(o.type));
      d.destroy();
    }
    return true;
  }
  return false;
}

// The usual function: one return, the last statement of its body, nothing that exits elsewhere. Its value
// simply becomes the output (what the full transform gives, without building its flags).
function transformSingleReturn(graph: Graph): boolean {
  const block = graph.block;
  const placeholder = block.lastNode;
  const ret = placeholder?.prev;
  if (!placeholder || !ret || ret.kind !== 'prim::ReturnStmt' || block.outputs[0] !== placeholder.output()) {
    return false;
  }
  let returns = 0;
  const scan = (b: Block): boolean => {
    const end = b.returnNode;
    for (let n = end.next!; n !== end; n = n.next!) {
      if (n.kind === 'prim::LoopContinuation') return false;
      if (n.kind === 'prim::ReturnStmt' && ++returns > 1) return false;
      const blocks = n.blocks;
      for (let i = 0; i < blocks.length; i++) if (!scan(blocks[i])) return false;
    }
    return true;
  };
  if (!scan(block) || alwaysThrows(block)) return false;
  // Inside branches, what follows a raise still goes, its uses taking uninitialized values.
  const units = new Map<string, Value>();
  const unit = (type: Type): Value => {
    let v = units.get(type.str());
    if (!v)
      units.set(
        type.str(),
        (v = block.prependNode(graph.create('prim::Uninitialized', [], [type])).output()),
      );
    return v;
  };
  // The transformer makes its bool placeholder first; doing the same keeps the placeholders' order.
  unit(BoolType);
  // Pruning changes only the inner blocks; unit() puts nodes first, before the walk's position.
  const end = block.returnNode;
  for (let n = end.next!; n !== end; n = n.next!) {
    const blocks = n.blocks;
    for (let i = 0; i < blocks.length; i++) pruneAfterThrow(blocks[i], unit);
  }
  const value = ret.input(0);
  replaceOutputs(block, [value]);
  placeholder.destroy();
  ret.destroy();
  return true;
}

/**
 * Runs TransformExits: loop continuations first, then returns, then merges decided-flag ifs; then with
 * statements are flattened to their Enter ... Exit form, as PyTorch's convertWithBlocksToEnterExitNodes
 * does at the end of its TransformExits.
 */
export function transformExits(graph: Graph): void {
  // A with body that raises ends its enclosing block too: the full transform knows that.
  if (hasWithBlocks(graph.block) || !transformSingleReturn(graph)) {
    if (hasKind(graph.block, 'prim::LoopContinuation')) {
      new ExitTransformer(graph, 'prim::LoopContinuation').run();
    }
    new ExitTransformer(graph, 'prim::ReturnStmt').run();
  }
  inlineConsecutiveIfs(graph, graph.block);
  flattenWithBlocks(graph);
}

function boolConstant(v: Value): boolean | undefined {
  if (v.node.kind !== 'prim::Constant') return undefined;
  const c = constantValue(v.node);
  return typeof c === 'boolean' ? c : undefined;
}

// `if a: f = True else: f = False` followed by `if f: ...`: the second if is copied into the first's branches.
function inlineConsecutive(graph: Graph, node: Node): boolean {
  const second = node.next;
  if (node.kind !== 'prim::If' || !second || second.kind !== 'prim::If') return false;
  const cond = second.input(0);
  if (cond.node !== node) return false;
  const thenValue = boolConstant(node.blocks[0].outputs[cond.offset]);
  const elseValue = boolConstant(node.blocks[1].outputs[cond.offset]);
  if (thenValue === undefined || elseValue === undefined || thenValue === elseValue) return false;
  node.blocks.forEach((firstBlock, i) => {
    const secondBlock = second.blocks[(i === 0 ? thenValue : elseValue) ? 0 : 1];
    const map = new Map<Value, Value>();
    node.outputs.forEach((o, k) => map.set(o, firstBlock.outputs[k]));
    for (const n of secondBlock.nodes()) firstBlock.appendNode(cloneNode(graph, n, map));
    for (const o of secondBlock.outputs) firstBlock.registerOutput(map.get(o) ?? o);
  });
  for (const out of [...second.outputs]) {
    const fresh = node.addOutput(out.type);
    out.replaceAllUsesWith(fresh);
  }
  second.destroy();
  return true;
}

function inlineConsecutiveIfs(graph: Graph, block: Block): void {
  for (let node: Node | null = block.firstNode; node;) {
    for (const b of node.blocks) inlineConsecutiveIfs(graph, b);
    if (!inlineConsecutive(graph, node)) node = node.next === block.returnNode ? null : node.next;
  }
}
