// Which module instance a module-typed value of a preserved method stands for, found once per value.
// An inlined forward reads thousands of attributes through a few hundred GetAttr chains
// (`self.features.denseblock1.denselayer1.conv1`) that share their prefixes: each value is resolved from its
// parent's answer instead of walking its chain from `self` again for every read.

import { ScriptModule, type Graph, type Value } from '../../src/index.js';
import type { PreservedSet } from './preserved.js';

/** Where a module-typed value leads: the instance and its dotted path below the base, or why nowhere. */
export type ModuleLookup =
  | { readonly ok: true; readonly owner: ScriptModule; readonly path: readonly string[] }
  | { readonly ok: false; readonly reason: string };

const NOT_A_CHAIN: ModuleLookup = {
  ok: false,
  reason: 'the module is not reached by a GetAttr chain from self',
};

/**
 * Resolves values of one graph whose method belongs to `base`, as walking each value's prim::GetAttr chain
 * from the graph's `self` would: the chain must consist of GetAttrs only, and each step must lead to a
 * module the preserved set does not hold. Answers depend on `preserved.values`, so they are dropped
 * whenever that set grows (freeze-attributes adds mutated attributes while it walks).
 */
export class ModuleResolver {
  private readonly memo = new Map<Value, ModuleLookup>();
  private preservedSize: number;
  private readonly self: Value | undefined;

  constructor(
    graph: Graph,
    private readonly base: ScriptModule,
    private readonly preserved: PreservedSet,
  ) {
    this.self = graph.inputs[0];
    this.preservedSize = preserved.values.size;
  }

  /** The module `value` stands for (`value` must be module-typed: the caller checks). */
  resolve(value: Value): ModuleLookup {
    if (this.preserved.values.size !== this.preservedSize) {
      this.memo.clear();
      this.preservedSize = this.preserved.values.size;
    }
    const known = this.memo.get(value);
    if (known) return known;
    // The chain from `value` up to the first value already answered (or `self`, or a non-GetAttr).
    const pending: Value[] = [];
    let v = value;
    let parent: ModuleLookup | undefined;
    for (;;) {
      if (v === this.self) {
        parent = { ok: true, owner: this.base, path: [] };
        this.memo.set(v, parent);
        break;
      }
      const hit = this.memo.get(v);
      if (hit) {
        parent = hit;
        break;
      }
      if (v.node.kind !== 'prim::GetAttr') {
        parent = NOT_A_CHAIN;
        break;
      }
      pending.push(v);
      v = v.node.input();
    }
    // Down again: a failure anywhere above a value is that value's answer (a chain that is no chain is
    // found before any step is looked up; otherwise the first step that fails, from `self` down).
    for (let i = pending.length - 1; i >= 0; i--) {
      const at = pending[i];
      parent = parent.ok ? step(parent, at.node.s('name'), this.preserved) : parent;
      this.memo.set(at, parent);
    }
    return parent;
  }
}

function step(
  from: { readonly owner: ScriptModule; readonly path: readonly string[] },
  name: string,
  preserved: PreservedSet,
): ModuleLookup {
  const next = from.owner.getAttr(name);
  if (preserved.values.has(next)) return { ok: false, reason: `submodule ${name} is preserved` };
  if (!(next instanceof ScriptModule)) return { ok: false, reason: `${name} is not a module` };
  return { ok: true, owner: next, path: [...from.path, name] };
}
