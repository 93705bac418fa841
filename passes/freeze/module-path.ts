// Following prim::GetAttr chains from `self` to the module instance a value stands for.

import { ClassType, ScriptModule, type Graph, type Value } from '../../src/index.js';

/** The attribute names from the graph's `self` to `value` (`['layer1', '0']`), or undefined if not a chain. */
export function modulePath(value: Value, graph: Graph): string[] | undefined {
  const names: string[] = [];
  let v = value;
  const self = graph.inputs[0];
  while (v !== self) {
    const node = v.node;
    if (node.kind !== 'prim::GetAttr') return undefined;
    names.unshift(node.s('name'));
    v = node.input();
  }
  return names;
}

/** True if values of this type are module instances. */
export function isModuleType(value: Value): boolean {
  const t = value.type;
  return (t instanceof ClassType && t.isModule) || t.kind === 'Interface';
}

/** The module at `path` below `root`, or undefined when a step is not a module. */
export function moduleAt(root: ScriptModule, path: readonly string[]): ScriptModule | undefined {
  let m: ScriptModule = root;
  for (const name of path) {
    if (!m.hasAttr(name)) return undefined;
    const next = m.getAttr(name);
    if (!(next instanceof ScriptModule)) return undefined;
    m = next;
  }
  return m;
}
