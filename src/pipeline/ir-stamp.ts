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
  // The manager stamps a module before and after every module pass. A model repeats its classes
  // (densenet121: 433 modules of 108 classes) and a module's methods are its class's (a `type` that has
  // methods): each class's part is made once per stamp.
  const parts: string[] = [];
  const byClass = new Map<object, string>();
  for (const module of modulesOf(target)) {
    const cls = classOf(module);
    let part = cls && byClass.get(cls);
    if (part === undefined) {
      part = methodsPart(module);
      if (cls) byClass.set(cls, part);
    }
    parts.push(part);
  }
  return parts.join('');
}

// `name:id@epoch,` for each method, then `;`.
function methodsPart(module: ModuleTarget): string {
  let part = '';
  for (const m of methodGraphsOf(module)) {
    let id = graphIds.get(m.graph);
    if (id === undefined) graphIds.set(m.graph, (id = nextGraphId++));
    part += `${m.name}:${id}@${m.graph.epoch},`;
  }
  return part + ';';
}

// The class whose methods `module` has (a ScriptModule's `type`), or undefined when it has none.
function classOf(module: ModuleTarget): object | undefined {
  const type = (module as { type?: unknown }).type;
  return typeof type === 'object' && type !== null && 'methods' in type ? type : undefined;
}

// Every module of the tree, pre-order, each once, when the target has the nn.Module traversal (`modules()`
// skips the dotted names namedModules builds); else the target alone.
function modulesOf(module: ModuleTarget): ModuleTarget[] {
  const traversal = module as {
    namedModules?: () => [string, ModuleTarget][];
    modules?: () => ModuleTarget[];
  };
  if (typeof traversal.namedModules !== 'function') return [module];
  return typeof traversal.modules === 'function'
    ? traversal.modules()
    : traversal.namedModules().map(([, m]) => m);
}
