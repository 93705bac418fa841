// What a pass did to each node, from the node versions before and after it: added, removed, rewritten
// (kind, attributes or result types changed) or rewired (same operation, other inputs).

import type { RecordedBlock, RecordedNode } from '../../pipeline/index.js';

export type Change = 'added' | 'removed' | 'rewritten' | 'rewired';

/** Node versions by key, over every block of a graph. */
export function versionsByKey(nodes: readonly RecordedNode[], graph: RecordedBlock): Map<number, number> {
  const out = new Map<number, number>();
  const stack: RecordedBlock[] = [graph];
  for (let b = stack.pop(); b; b = stack.pop()) {
    for (const index of b.nodes) {
      out.set(nodes[index].key, index);
      stack.push(...nodes[index].blocks);
    }
  }
  return out;
}

/** The change of every node that changed between two states (keys of either state). */
export function classifyChanges(
  nodes: readonly RecordedNode[],
  before: RecordedBlock | undefined,
  after: RecordedBlock | undefined,
): Map<number, Change> {
  const a = before ? versionsByKey(nodes, before) : new Map<number, number>();
  const b = after ? versionsByKey(nodes, after) : new Map<number, number>();
  const out = new Map<number, Change>();
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (vb === undefined) out.set(key, 'removed');
    else if (vb !== va) {
      const change = compare(nodes[va], nodes[vb]);
      if (change) out.set(key, change);
    }
  }
  for (const key of b.keys()) if (!a.has(key)) out.set(key, 'added');
  return out;
}

function compare(x: RecordedNode, y: RecordedNode): Change | undefined {
  const same = <T>(p: readonly T[], q: readonly T[]): boolean =>
    p.length === q.length && p.every((v, i) => v === q[i]);
  if (
    x.kind !== y.kind ||
    !same(x.attributes, y.attributes) ||
    !same(
      x.outputs.map((o) => o.type),
      y.outputs.map((o) => o.type),
    ) ||
    x.blocks.length !== y.blocks.length
  )
    return 'rewritten';
  if (!same(x.inputs, y.inputs)) return 'rewired';
  // Renames, moves and changes inside blocks (shown on the inner nodes) are not changes of the node.
  return undefined;
}
