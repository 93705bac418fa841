/**
 * freeze-cleanup: after attributes were folded and the graphs optimized, removes from the frozen module
 * every attribute, method and submodule the preserved methods no longer use.
 *   module M { weight, bias, training, lin: Linear{weight, bias}, helper() }   (forward folded everything)
 *     =>  module M { }  with forward only
 * Kept: attributes a remaining prim::GetAttr/SetAttr reads or writes (and values identical to them),
 * what the user preserved, and whole submodules that escape (are returned) or were preserved by name.
 * Class types shared by several instances are trimmed to what all of them need.
 * Mirrors cleanupFrozenModule / recordReferencedAttrs / handleSharedClassType / removeUnusedAttrs in
 * torch/csrc/jit/passes/freeze_module.cpp. Run it once, after freeze-attributes and the graph clean-ups.
 */

import {
  FreezeError,
  ScriptModule,
  isSubtypeOf,
  pass,
  type ClassType,
  type Function,
  type Graph,
  type ModulePass,
  type ModuleTarget,
  type PassContext,
  type PassResult,
} from '../src/index.js';
import { isMutableAttributeType } from './freeze/identity.js';
import { PRESERVE_OPTIONS, resolvePreserved, type PreservedSet } from './freeze/preserved.js';
import { freezeReportOf, type FreezeReport } from './freeze/report.js';

/** Per class type: the attribute slots to keep, or 'all'. */
type KeepTable = Map<ClassType, Set<string> | 'all'>;

@pass({
  name: 'freeze-cleanup',
  summary: 'Remove the attributes, methods and submodules a frozen module no longer uses',
  target: 'module',
  options: PRESERVE_OPTIONS,
  statistics: [
    { name: 'attributes-removed', description: 'attribute slots removed from class types' },
    { name: 'methods-removed', description: 'methods removed' },
  ],
  required: true,
})
export class FreezeCleanup implements ModulePass {
  run(target: ModuleTarget, context: PassContext<{ preserve: readonly string[] }>): PassResult {
    if (!(target instanceof ScriptModule))
      throw new FreezeError('NOT_A_MODULE', 'freeze-cleanup runs on a ScriptModule');
    const preserved = resolvePreserved(target, context.options.preserve);
    const report = freezeReportOf(target);
    const keep: KeepTable = new Map();
    const instances = new Map<ClassType, Set<ScriptModule>>();
    for (const [fn] of preserved.methods) {
      recordReferencedAttrs(fn.graph, target, preserved);
      markKept(target, fn.graph, preserved, keep, instances);
    }
    if (preserved.methods.size === 0) keep.set(target.type, 'all'); // no forward: nothing was frozen
    let changed = false;
    const paths = modulePaths(target);
    for (const [type, slots] of keep) {
      if (slots === 'all') continue;
      const removed = type.attributes.filter((a) => !slots.has(a.name)).map((a) => a.name);
      for (const name of removed) {
        for (const m of instances.get(type) ?? []) {
          const at = paths.get(m);
          report.note(at ? `${at}.${name}` : name, {
            kind: 'removed',
            reason: 'no preserved method uses it after freezing',
          });
        }
      }
      if (removed.length) {
        type.removeAttributes(removed);
        context.count('attributes-removed', removed.length);
        changed = true;
      }
      for (const fn of [...type.methods]) {
        if (isPreservedMethod(fn, preserved)) continue;
        type.removeMethod(fn.name);
        context.count('methods-removed');
        changed = true;
      }
    }
    return { changed };
  }
}

function isPreservedMethod(fn: Function, preserved: PreservedSet): boolean {
  return preserved.methods.has(fn);
}

// Every attribute still read or written by the graph is referenced; so are the user's dotted paths.
function recordReferencedAttrs(graph: Graph, root: ScriptModule, preserved: PreservedSet): void {
  const modules = new Set<ScriptModule>([root]);
  for (const n of graph.allNodes()) {
    if ((n.kind !== 'prim::GetAttr' && n.kind !== 'prim::SetAttr') || n.inputs.length === 0) continue;
    const name = n.s('name');
    const inputType = n.input(0).type;
    for (const m of [...modules]) {
      if (!m.type.equals(inputType) || !m.hasAttr(name)) continue;
      preserved.insertAttribute(m, name);
      const attr = m.getAttr(name);
      if (attr instanceof ScriptModule) modules.add(attr);
    }
  }
  for (const [owner, names] of preserved.userPaths)
    for (const name of names) preserved.insertAttribute(owner, name);
}

// Which slots each type keeps; a module returned by the graph or preserved whole keeps everything.
function markKept(
  module: ScriptModule,
  graph: Graph,
  preserved: PreservedSet,
  keep: KeepTable,
  instances: Map<ClassType, Set<ScriptModule>>,
): void {
  const type = module.type;
  if (graph.outputs.some((o) => isSubtypeOf(type, o.type)) || preserved.submodules.has(module)) {
    keep.set(type, 'all');
    return;
  }
  const set = instances.get(type) ?? new Set<ScriptModule>();
  set.add(module);
  instances.set(type, set);
  let slots = keep.get(type);
  if (slots === 'all') return;
  if (!slots) {
    slots = new Set<string>();
    keep.set(type, slots);
  }
  for (const attr of type.attributes) {
    if (!module.hasAttr(attr.name)) continue;
    const value = module.getAttr(attr.name);
    const kept = isMutableAttributeType(attr.type)
      ? preserved.values.has(value)
      : preserved.isScalarPreserved(module, attr.name);
    if (!kept) continue;
    slots.add(attr.name);
    if (value instanceof ScriptModule) markKept(value, graph, preserved, keep, instances);
  }
}

// The first dotted path from the root to each module instance ('' for the root), for the report.
function modulePaths(root: ScriptModule): Map<ScriptModule, string> {
  const paths = new Map<ScriptModule, string>();
  for (const [path, m] of root.namedModules()) if (!paths.has(m)) paths.set(m, path);
  return paths;
}

export type { FreezeReport };
