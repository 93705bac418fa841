// Variable scopes of the emitter: one frame per block being emitted. Values are bound directly (SSA is
// built as we go); a read inside a loop body of a variable defined outside creates a provisional block
// input, settled when the loop ends (carried if the body reassigns it, else replaced by the outer value).
// The sets of "stored" names reproduce what PyTorch's convert_to_ssa sees as prim::Store nodes per block.

import type { Block } from '../../ir/block.js';
import type { Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { Sugared } from './sugared.js';

/** A first-class variable: its SSA value and the type the emitter sees it with (its annotation, if any). */
export interface Binding {
  readonly value: Value;
  readonly type: Type;
}

/** What kind of block a frame emits into. */
export type FrameKind = 'def' | 'if' | 'loop' | 'closure' | 'comprehension';

/** One scope: the variables assigned while emitting `block`. */
export class Frame {
  /** Current binding of every variable visible from this frame that was assigned or read here. */
  readonly vars = new Map<string, Binding>();
  /** Non-first-class names (a module namespace bound to a name); never carried through control flow. */
  readonly sugared = new Map<string, Sugared>();
  /** Names assigned in this block, in first-assignment order (PyTorch's prim::Store set of the block). */
  readonly stored = new Set<string>();
  /** Loop frames: block inputs made for outer variables read in the body, by name. */
  readonly provisional = new Map<string, Value>();

  constructor(
    readonly block: Block,
    readonly parent: Frame | null,
    readonly kind: FrameKind,
  ) {}

  /** Binds `name` in this frame and records the store. */
  store(name: string, value: Value, type: Type): void {
    this.vars.set(name, { value, type });
    this.stored.add(name);
  }

  /** True if `name` was assigned in this frame or an enclosing one (convert_to_ssa's findInAnyFrame). */
  isDefined(name: string): boolean {
    return this.stored.has(name) || (this.parent?.isDefined(name) ?? false);
  }

  /** A non-first-class binding visible from here. */
  findSugared(name: string): Sugared | undefined {
    return this.sugared.get(name) ?? this.parent?.findSugared(name);
  }

  /**
   * The binding of `name` as seen from this frame. Crossing into a loop body from outside creates (once)
   * a provisional block input of the loop body, typed as the outer variable.
   */
  lookup(name: string, nameInput: (name: string) => string | undefined): Binding | undefined {
    const own = this.vars.get(name);
    if (own) return own;
    if (!this.parent) return undefined;
    const outer = this.parent.lookup(name, nameInput);
    if (!outer) return undefined;
    if (this.kind !== 'loop') return outer;
    const input = this.block.addInput(outer.type, nameInput(name));
    this.provisional.set(name, input);
    const binding = { value: input, type: outer.type };
    this.vars.set(name, binding);
    return binding;
  }

  /** Like lookup, but never creates loop inputs: what a variable holds right now, from outside any loop. */
  peek(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.peek(name);
  }
}

/** `x is not None` in a condition: inside the true (or false) branch, `name` has the narrower `type`. */
export interface Refinement {
  readonly name: string;
  readonly type: Type;
}

/** Refinements that hold when a condition is true / false (PyTorch's RefinementSet). */
export class RefinementSet {
  constructor(
    readonly whenTrue: readonly Refinement[] = [],
    readonly whenFalse: readonly Refinement[] = [],
  ) {}

  static readonly EMPTY = new RefinementSet();

  and(rhs: RefinementSet): RefinementSet {
    return new RefinementSet(union(this.whenTrue, rhs.whenTrue), intersect(this.whenFalse, rhs.whenFalse));
  }

  or(rhs: RefinementSet): RefinementSet {
    return new RefinementSet(intersect(this.whenTrue, rhs.whenTrue), union(this.whenFalse, rhs.whenFalse));
  }

  not(): RefinementSet {
    return new RefinementSet(this.whenFalse, this.whenTrue);
  }
}

// Refinements agreeing on a name are kept; conflicting ones dropped (isinstance(x, int) and isinstance(x, float)).
function union(a: readonly Refinement[], b: readonly Refinement[]): Refinement[] {
  const result = [...a];
  for (const r of b) {
    const at = result.findIndex((e) => e.name === r.name);
    if (at < 0) result.push(r);
    else if (!result[at].type.equals(r.type)) result.splice(at, 1);
  }
  return result;
}

function intersect(a: readonly Refinement[], b: readonly Refinement[]): Refinement[] {
  return a.filter((r) => b.some((e) => e.name === r.name && e.type.equals(r.type)));
}

/** A condition: its bool value, refinements, and whether it is known at compile time (a static if). */
export interface CondValue {
  readonly value: Value;
  readonly refinements: RefinementSet;
  readonly staticIf?: boolean;
}

/** PyTorch's meaningfulName: `_3` and `$tmp` names are not kept as value names. */
export function meaningfulName(name: string): boolean {
  if (name.length === 0 || name[0] === '$') return false;
  if (name[0] !== '_') return true;
  for (let i = 1; i < name.length; i++) if (name[i] < '0' || name[i] > '9') return true;
  return false;
}
