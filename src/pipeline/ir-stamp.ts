// A cheap token of a pass target's IR state, from the graphs' mutation epochs: equal tokens before and
// after a pass mean it changed none of that IR (how the manager catches `changed: false` that is not true).

import type { Graph } from '../ir/index.js';
import type { ModuleTarget } from './contracts.js';
import { isGraphTarget, methodGraphsOf } from './targets.js';

const graphIds = new WeakMap<Graph, number>();
let nextGraphId = 0;

/**
 * A graph: its epoch. A module: which graph each method (of it and every submodule, when it has
 * `namedModules`) has, and their epochs — so replacing or removing a method counts too. Attribute
 * values of module objects are not IR and are not covered.
 */
export function irStamp(target: Graph | ModuleTarget): number | string {
  if (isGraphTarget(target)) return target.epoch;
  const parts: string[] = [];
  for (const module of modulesOf(target)) {
    for (const m of methodGraphsOf(module)) {
      let id = graphIds.get(m.graph);
      if (id === undefined) graphIds.set(m.graph, (id = nextGraphId++));
      parts.push(`${m.name}:${id}@${m.graph.epoch}`);
    }
    parts.push(';');
  }
  return parts.join(',');
}

function modulesOf(module: ModuleTarget): ModuleTarget[] {
  const named = (module as { namedModules?: () => [string, ModuleTarget][] }).namedModules;
  return typeof named === 'function' ? named.call(module).map(([, m]) => m) : [module];
}
