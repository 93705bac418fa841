/**
 * The concat rule of `peephole` (PyTorch's CombineConcats, torch/csrc/jit/passes/concat_opt.cpp): a cat
 * whose only use is one slot of a list that is only concatenated along the same constant dim is spliced in.
 *   %l1 = prim::ListConstruct(%b, %c); %c1 = aten::cat(%l1, %d)
 *   %l2 = prim::ListConstruct(%a, %c1, %e); %c2 = aten::cat(%l2, %d)
 *     =>  %l3 = prim::ListConstruct(%a, %b, %c, %e); %c2 = aten::cat(%l3, %d)
 * Chains combine all the way; of two inner cats of one outer cat only the first combines in a run, as in
 * PyTorch (the next run takes the other). The inner list must hold the same values where the outer cat reads them:
 * nothing between the inner list and its cat may use the list or write what it holds (AliasDb).
 */

import { toIValue, type AliasDb, type Graph, type Node, type Value } from '../src/index.js';

/** A cat feeding one slot of the list of a later cat on the same dim. */
interface Combinable {
  readonly first: Node;
  readonly second: Node;
  readonly slot: number;
}

/** Combines every chain of such cats; returns how many cats were folded into another. Leftovers go. */
export function combineConcats(graph: Graph, makeDb: () => AliasDb): number {
  let cached: AliasDb | undefined;
  const db = (): AliasDb => (cached ??= makeDb());
  const pairs: Combinable[] = [];
  for (const n of graph.allNodes()) {
    if (n.kind !== 'aten::cat') continue;
    const pair = matchCombinable(n, db);
    if (pair) pairs.push(pair);
  }
  if (!pairs.length) return 0;
  // Each cat's new list (PyTorch's getListConstructInputs, quirks included: a cat that already takes
  // another's inputs keeps them, and a second inner cat of the same outer one waits for a later run).
  const lists = new Map<Node, Value[]>();
  for (const { first, second, slot } of pairs) {
    const added = listInputs(second);
    let current = lists.get(first);
    if (current) lists.delete(first);
    else current = [];
    if (!lists.has(second)) lists.set(second, current);
    if (current.length === 0) current.push(...listInputs(first));
    current.unshift(...added.slice(0, slot));
    current.push(...added.slice(slot + 1));
  }
  for (const [cat, inputs] of lists) {
    const old = cat.input(0).node;
    const g = cat.owningGraph;
    // Transforms cat(ListConstruct(.., cat(ListConstruct(xs)), ..)) into cat(ListConstruct(.., xs, ..)).
    const list = g.withInsertPoint(cat, () => g.insert('prim::ListConstruct', inputs, [old.output().type]));
    cat.replaceInput(0, list.output());
    removeIfDead(old);
  }
  return pairs.length;
}

function listInputs(cat: Node): Value[] {
  return [...cat.input(0).node.inputs];
}

function matchCombinable(cat: Node, db: () => AliasDb): Combinable | undefined {
  const dim = toIValue(cat.inputs[1]);
  const list = cat.input(0).node;
  if (typeof dim !== 'number' && typeof dim !== 'bigint') return undefined;
  if (list.kind !== 'prim::ListConstruct') return undefined;
  const uses = cat.output().uses();
  if (uses.length !== 1 || uses[0].user.kind !== 'prim::ListConstruct') return undefined;
  const next = uses[0].user;
  const nextUses = next.output().uses();
  if (nextUses.length !== 1 || nextUses[0].user.kind !== 'aten::cat') return undefined;
  const second = nextUses[0].user;
  const nextDim = toIValue(second.inputs[1]);
  if (nextDim === undefined || Number(nextDim) !== Number(dim) || second.input(0) !== next.output())
    return undefined;
  // Last: the walk may build the AliasDb (a whole-graph analysis most cats never need).
  if (!unchangedUntil(list, cat, db)) return undefined;
  return { first: cat, second, slot: uses[0].offset };
}

// PyTorch asks couldMoveBeforeTopologically(list, cat); here, conservatively: same block, and no node in
// between has side effects, uses the list, or writes memory the list holds.
function unchangedUntil(list: Node, cat: Node, db: () => AliasDb): boolean {
  if (list.owningBlock !== cat.owningBlock) return false;
  const holds = list.inputs;
  for (let n = list.next; n && n !== cat; n = n.next) {
    if (n.inputs.includes(list.output())) return false;
    if (n.kind === 'prim::RaiseException' || n.kind === 'prim::Print' || n.kind === 'prim::SetAttr')
      return false;
    if (usesInside(n, list.output()) || db().writesToAlias(n, holds)) return false;
  }
  return true;
}

function usesInside(n: Node, v: Value): boolean {
  return n.blocks.some((b) =>
    [...b.nodes()].some((inner) => inner.inputs.includes(v) || usesInside(inner, v)),
  );
}

// Removes `node` and, recursively, the producers only it used (lists and cats the combination bypassed).
function removeIfDead(node: Node): void {
  if (node.hasUses() || node.destroyed) return;
  const inputs = [...new Set(node.inputs.map((v) => v.node))];
  node.destroy();
  for (const producer of inputs)
    if ((producer.kind === 'prim::ListConstruct' || producer.kind === 'aten::cat') && !producer.hasUses())
      removeIfDead(producer);
}
