// What the user asked freezing to keep: methods, attributes (by value identity or, for scalars, by owner
// and name), whole submodules, and the submodule chains leading to dotted names (`sub.version`).
// Mirrors AttributePropagator's constructor and resolveName in torch/csrc/jit/passes/freeze_module.cpp.

import { FreezeError, ScriptModule, type Function, type ScriptObject } from '../../src/index.js';
import { AliasedValueSet, isMutableAttributeType } from './identity.js';

/** The `preserve` option of every freezing pass (the freeze pipeline hands each the same names). */
export const PRESERVE_OPTIONS = {
  preserve: {
    type: 'string[]',
    default: [],
    description: 'attributes and methods to keep (dotted paths allowed)',
  },
} as const;

/** The preserved set, grown by freeze-attributes as it finds mutated attributes. */
export class PreservedSet {
  /** Methods that stay (forward, and the names the user gave), with the module whose method each is. */
  readonly methods = new Map<Function, ScriptModule>();
  /** Mutable-typed attribute values that must stay attributes (by alias identity). */
  readonly values = new AliasedValueSet();
  /** Immutable-typed (scalar) attributes that must stay, per owning instance. */
  readonly scalars = new Map<ScriptObject, Set<string>>();
  /** Submodules the user named as a whole: kept with everything in them. */
  readonly submodules = new Set<ScriptModule>();
  /** Attributes named on the way to a dotted name: `sub` in `sub.version`. */
  readonly userPaths = new Map<ScriptObject, Set<string>>();

  /** PyTorch's insertMutableAttr: mutable values by identity, scalars by owner and name. */
  insertAttribute(owner: ScriptObject, name: string): void {
    const attr = owner.type.findAttribute(name);
    const value = owner.getAttr(name);
    if (attr && isMutableAttributeType(attr.type)) this.values.add(value);
    else addTo(this.scalars, owner, name);
  }

  isScalarPreserved(owner: ScriptObject, name: string): boolean {
    return this.scalars.get(owner)?.has(name) ?? false;
  }
}

function addTo(map: Map<ScriptObject, Set<string>>, owner: ScriptObject, name: string): void {
  const set = map.get(owner) ?? new Set<string>();
  set.add(name);
  map.set(owner, set);
}

/** PyTorch's message for freezing a module in training mode. */
export const TRAINING_MODE_MESSAGE =
  'Freezing is currently only implemented for modules in eval mode. Please call .eval() on your module before freezing.';

/** Refuses a module in training mode, with PyTorch's wording and the fix. */
export function checkEvalMode(module: ScriptModule): void {
  if (module.hasAttr('training') && module.training) {
    throw new FreezeError('TRAINING_MODE', TRAINING_MODE_MESSAGE);
  }
}

/** Resolves the user's names against `root`; an unknown name is PyTorch's `Unknown name: x`. */
export function resolvePreserved(root: ScriptModule, names: readonly string[]): PreservedSet {
  const set = new PreservedSet();
  const forward = root.findMethod('forward');
  if (forward) set.methods.set(forward, root);
  for (const name of names) {
    if (!resolveOne(root, name, set)) throw new FreezeError('UNKNOWN_NAME', `Unknown name: ${name}`);
  }
  return set;
}

function resolveOne(root: ScriptModule, name: string, set: PreservedSet): boolean {
  const parts = name.split('.');
  if (parts.some((p) => p === '')) return false;
  const attrName = parts.pop()!;
  let module = root;
  const chain: [ScriptModule, string][] = [];
  for (const part of parts) {
    const child = module.namedChildren().find(([n]) => n === part);
    if (!child) return false;
    chain.push([module, part]);
    module = child[1];
  }
  if (module.hasAttr(attrName)) {
    for (const [parent, child] of chain) addTo(set.userPaths, parent, child);
    const value = module.getAttr(attrName);
    if (value instanceof ScriptModule) set.submodules.add(value);
    set.insertAttribute(module, attrName);
    return true;
  }
  const method = module.findMethod(attrName);
  if (method) {
    for (const [parent, child] of chain) addTo(set.userPaths, parent, child);
    set.methods.set(method, module);
    return true;
  }
  return false;
}
