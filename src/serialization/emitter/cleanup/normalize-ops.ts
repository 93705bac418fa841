// NormalizeOps: the compiler turns operator aliases into their canonical operator while loading
// (`x.swapaxes(0, 1)` becomes aten::transpose, `torch.multiply` aten::mul), so frozen graphs, passes and
// kernels see one spelling. Traced archives keep the alias in their code (the tracer records what ran);
// PyTorch 1.13 normalizes them on load, and its frozen graphs count the canonical kinds.

import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';

// Alias -> canonical operator name (both with the same argument lists); in-place forms pair up too.
const PAIRS: readonly [string, string][] = [
  ['absolute', 'abs'],
  ['clip', 'clamp'],
  ['arccos', 'acos'],
  ['arcsin', 'asin'],
  ['arctan', 'atan'],
  ['arctan2', 'atan2'],
  ['arccosh', 'acosh'],
  ['arcsinh', 'asinh'],
  ['arctanh', 'atanh'],
  ['fix', 'trunc'],
  ['negative', 'neg'],
  ['subtract', 'sub'],
  ['greater_equal', 'ge'],
  ['greater', 'gt'],
  ['less_equal', 'le'],
  ['less', 'lt'],
  ['not_equal', 'ne'],
  ['divide', 'div'],
  ['multiply', 'mul'],
  ['true_divide', 'div'],
  ['swapdims', 'transpose'],
  ['swapaxes', 'transpose'],
];
const NOT_IN_PLACE = new Set(['arctan2']);

const ALIASES: ReadonlyMap<string, string> = new Map(
  PAIRS.flatMap(([alias, canonical]) => [
    [`aten::${alias}`, `aten::${canonical}`],
    ...(NOT_IN_PLACE.has(alias) ? [] : [[`aten::${alias}_`, `aten::${canonical}_`] as [string, string]]),
  ]),
);

/** The canonical kind of an operator alias, or undefined. */
export const canonicalKindOf = (kind: string): string | undefined => ALIASES.get(kind);

function replaceKind(node: Node, kind: string): void {
  const graph = node.owningGraph;
  const fresh = graph.create(
    kind,
    node.inputs,
    node.outputs.map((o) => o.type),
  );
  fresh.insertBefore(node);
  fresh.sourceRange = node.sourceRange;
  const names = node.outputs.map((out) => (out.hasDebugName ? out.debugName : undefined));
  node.outputs.forEach((out, i) => out.replaceAllUsesWith(fresh.outputs[i]));
  node.destroy();
  names.forEach((name, i) => name !== undefined && fresh.outputs[i].setDebugName(name));
}

// A step replaces at most the node it is at (the next one is read first).
function normalizeBlock(block: Block): boolean {
  let changed = false;
  const end = block.returnNode;
  for (let node = end.next!, after = node.next!; node !== end; node = after, after = node.next!) {
    const blocks = node.blocks;
    for (let i = 0; i < blocks.length; i++) changed = normalizeBlock(blocks[i]) || changed;
    const kind = ALIASES.get(node.kind);
    if (kind) {
      replaceKind(node, kind);
      changed = true;
    }
  }
  return changed;
}

/** Rewrites every operator alias in the graph to its canonical operator; true when something changed. */
export function normalizeOps(graph: Graph): boolean {
  return normalizeBlock(graph.block);
}
