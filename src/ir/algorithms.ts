// Graph algorithms over the use store, written iteratively: graphlib's own topsort/postorder recurse and
// overflow the stack on chains of ~4,650 nodes, so IR code never calls them.

import type { Graph as Dataflow } from '@dagrejs/graphlib';

/**
 * Kahn's topological sort of a graphlib graph's vertices (optionally a subset). Throws if a cycle
 * exists, naming a vertex on it. O(V + E), no recursion.
 */
export function topologicalOrder<N, E>(
  g: Dataflow<unknown, N, E>,
  vertices: readonly string[] = g.nodes(),
): string[] {
  const inSet = new Set(vertices);
  const indegree = new Map<string, number>();
  for (const v of vertices) indegree.set(v, 0);
  for (const v of vertices) {
    for (const w of g.successors(v) ?? [])
      if (inSet.has(w)) indegree.set(w, (indegree.get(w) ?? 0) + countEdges(g, v, w));
  }
  const ready: string[] = [];
  for (const [v, d] of indegree) if (d === 0) ready.push(v);
  const order: string[] = [];
  while (ready.length) {
    const v = ready.pop()!;
    order.push(v);
    for (const w of g.successors(v) ?? []) {
      if (!inSet.has(w)) continue;
      const d = indegree.get(w)! - countEdges(g, v, w);
      indegree.set(w, d);
      if (d === 0) ready.push(w);
    }
  }
  if (order.length !== vertices.length) {
    const stuck = [...indegree].find(([, d]) => d > 0)?.[0];
    throw new Error(`graph has a cycle through ${stuck}`);
  }
  return order;
}

function countEdges<N, E>(g: Dataflow<unknown, N, E>, v: string, w: string): number {
  return g.outEdges(v, w)?.length ?? 0;
}

/** True if the graph (or the subset) has no cycle. */
export function isAcyclic<N, E>(g: Dataflow<unknown, N, E>, vertices?: readonly string[]): boolean {
  try {
    topologicalOrder(g, vertices);
    return true;
  } catch {
    return false;
  }
}

/** Every vertex reachable from `start` along edges (iterative DFS), `start` included. */
export function reachableFrom<N, E>(g: Dataflow<unknown, N, E>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length) {
    const v = stack.pop()!;
    for (const w of g.successors(v) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen;
}
