/**
 * remove-list-mutation: a list built and then appended to (or inserted into, or set at a constant index)
 * is built whole, so later passes see a plain list of values.
 *   %l = prim::ListConstruct(%a)
 *   %r = aten::append(%l, %b)            =>   %l = prim::ListConstruct(%a, %b)   (uses of %r use %l)
 *   aten::insert(%l, 0, %c)              =>   %l = prim::ListConstruct(%c, %a, %b)
 *   aten::_set_item(%l, 1, %d)           =>   %l = prim::ListConstruct(%c, %d, %b)
 * The list must be movable to the mutation: same block, and no node in between uses it, has side effects,
 * or writes what it reads (AliasDb); insert and __setitem__ need a constant position (inside the list for
 * __setitem__). Freeze runs it only after unroll-constant-loops unrolled a loop, as PyTorch's
 * runOptimization does. Mirrors RemoveListMutation in torch/csrc/jit/passes/remove_mutation.cpp.
 */

import {
  inject,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  toIValue,
  type Block,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
} from '../src/index.js';
import { currentAliasDb, type AliasDb } from './alias-analysis.js';

@pass({
  name: 'remove-list-mutation',
  summary: 'Fold appends, inserts and constant-index sets that follow a list construction into it',
  statistics: [{ name: 'mutations-removed', description: 'list mutations folded into the ListConstruct' }],
})
export class RemoveListMutation implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    let db: AliasDb | undefined;
    const remover = new Remover(() => (db ??= currentAliasDb(graph, this.ops)), this.ops, context);
    remover.block(graph.block);
    if (remover.removed) context.count('mutations-removed', remover.removed);
    return { changed: remover.removed > 0 };
  }
}

/** Where a mutation puts its element into the list, or why it cannot be folded. */
type Placement = { at: number; replace: boolean } | string;

/** The position a mutation writes, given the list's current length (PyTorch's rules for negative ones). */
export function placementOf(mutation: Node, size: number): Placement {
  if (mutation.kind === 'aten::append') return { at: size, replace: false };
  const index = toIValue(mutation.inputs[1]);
  if (typeof index !== 'number' && typeof index !== 'bigint') return 'the position is not a constant';
  let pos = Number(index);
  if (mutation.kind === 'aten::insert') {
    if (pos < 0) pos = Math.max(pos + size, 0);
    return { at: Math.min(pos, size), replace: false };
  }
  if (pos < 0) pos += size;
  return pos >= 0 && pos < size ? { at: pos, replace: true } : 'the index is outside the list';
}

const MUTATIONS = new Set(['aten::append', 'aten::insert', 'aten::_set_item']);

class Remover {
  removed = 0;

  constructor(
    private readonly db: () => AliasDb,
    private readonly ops: OperatorRegistry,
    private readonly context: PassContext,
  ) {}

  block(block: Block): void {
    for (const node of [...block.nodes()]) {
      for (const b of node.blocks) this.block(b);
      if (!MUTATIONS.has(node.kind) || node.inputs[0]?.node.kind !== 'prim::ListConstruct') continue;
      const list = node.inputs[0].node;
      const placement = placementOf(node, list.inputs.length);
      const why = typeof placement === 'string' ? placement : this.blocker(list, node);
      if (why || typeof placement === 'string') {
        this.context.remark(node, `not folded into the list: ${why}`);
        continue;
      }
      // Transforms the construction + mutation into one construction, placed where the mutation was.
      list.moveBefore(node);
      const element = node.inputs[node.kind === 'aten::append' ? 1 : 2];
      if (placement.replace) list.replaceInput(placement.at, element);
      else list.insertInput(placement.at, element);
      for (const o of node.outputs) o.replaceAllUsesWith(list.output());
      node.destroy();
      this.removed++;
    }
  }

  // Why the list cannot be built at the mutation instead (PyTorch: moveBeforeTopologicallyValid).
  private blocker(list: Node, mutation: Node): string | undefined {
    if (list.owningBlock !== mutation.owningBlock) return 'the list is made in another block';
    const reads = this.db().getReads(list);
    for (let n = list.next; n && n !== mutation; n = n.next) {
      if (usesValue(n, list.output())) return `${n.kind} uses the list before`;
      if (this.ops.factsForNode(n)?.externalSideEffects ?? true) return `${n.kind} has side effects`;
      for (const l of this.db().getWrites(n)) if (reads.has(l)) return `${n.kind} writes what the list holds`;
    }
    return undefined;
  }
}

function usesValue(n: Node, v: ReturnType<Node['output']>): boolean {
  return n.inputs.includes(v) || n.blocks.some((b) => [...b.nodes()].some((inner) => usesValue(inner, v)));
}
