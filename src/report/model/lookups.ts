// Finding nodes for links: the readers of a module attribute (prim::GetAttr chains from self), and the
// users of a constant, by name, in a graph state.

import type { RecordedBlock, RecordedNode } from '../../pipeline/index.js';

/** Keys of the nodes in `graph` that read the attribute at dotted `path` (the last GetAttr of each chain). */
export function attributeReaders(
  nodes: readonly RecordedNode[],
  graph: RecordedBlock,
  path: string,
): number[] {
  const self = graph.params[0]?.id;
  const pathOf = new Map<number, string>(); // value id -> attribute path from self
  const out: number[] = [];
  visit(nodes, graph, (n) => {
    if (n.kind !== 'prim::GetAttr' || n.outputs.length !== 1) return;
    const name = /^name="(.*)"$/.exec(n.attributes.find((a) => a.startsWith('name=')) ?? '')?.[1];
    if (name === undefined) return;
    const base = n.inputs[0] === self ? '' : pathOf.get(n.inputs[0]);
    if (base === undefined) return;
    const p = base ? `${base}.${name}` : name;
    pathOf.set(n.outputs[0].id, p);
    if (p === path) out.push(n.key);
  });
  return out;
}

/** Keys of the nodes using the value named `name` (a folded constant shows in its users' labels). */
export function usersOfValue(nodes: readonly RecordedNode[], graph: RecordedBlock, name: string): number[] {
  let id: number | undefined;
  visit(nodes, graph, (n) => {
    for (const o of n.outputs) if (o.name === name) id = o.id;
  });
  if (id === undefined) return [];
  const out: number[] = [];
  visit(nodes, graph, (n) => {
    if (n.inputs.includes(id!)) out.push(n.key);
  });
  return out;
}

/** Visits every node of every block, in order. */
export function visit(
  nodes: readonly RecordedNode[],
  graph: RecordedBlock,
  f: (n: RecordedNode) => void,
): void {
  const walk = (b: RecordedBlock): void => {
    for (const i of b.nodes) {
      f(nodes[i]);
      nodes[i].blocks.forEach(walk);
    }
  };
  walk(graph);
}
