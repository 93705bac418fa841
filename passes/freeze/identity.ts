// Attribute values compared the way freezing needs: by identity, with tensors that share a storage
// counted as the same value (PyTorch's HashAliasedIValues), and containers seen through to what they hold.

import { Tensor, Tuple, isObjectValue, type IValue, type Storage, type Type } from '../../src/index.js';

/** The key that identifies a value for aliasing purposes: a tensor's storage, or the object itself. */
export type IdentityKey = Storage | object;

/** The alias identity of a value (a tensor's storage, or the object itself); undefined for scalars. */
export function keyOf(v: IValue): IdentityKey | undefined {
  if (v instanceof Tensor) return v.storage;
  if (typeof v === 'object' && v !== null) return v;
  return undefined;
}

/** A set of values compared by alias identity. */
export class AliasedValueSet {
  private readonly keys = new Set<IdentityKey>();
  private readonly list: IValue[] = [];
  /** subValueKeys of the first `indexed` values that are not objects, for overlapsAnyNonObject. */
  private readonly subKeys = new Set<IdentityKey>();
  private indexed = 0;

  add(v: IValue): void {
    const k = keyOf(v);
    if (k && !this.keys.has(k)) {
      this.keys.add(k);
      this.list.push(v);
    }
  }

  /** The values, one per identity, in insertion order. */
  values(): readonly IValue[] {
    return this.list;
  }

  has(v: IValue): boolean {
    const k = keyOf(v);
    return k !== undefined && this.keys.has(k);
  }

  /**
   * Whether `v` overlaps (PyTorch's IValue::overlaps) any held value that is not an object: one check
   * against the union of their sub-values, kept up to date as values are added, instead of one per value.
   */
  overlapsAnyNonObject(v: IValue): boolean {
    for (; this.indexed < this.list.length; this.indexed++) {
      const kept = this.list[this.indexed];
      if (!isObjectValue(kept)) subValueKeys(kept, this.subKeys);
    }
    if (this.subKeys.size === 0) return false;
    for (const k of subValueKeys(v)) if (this.subKeys.has(k)) return true;
    return false;
  }

  /** The values held, as keys (for overlap checks). */
  get size(): number {
    return this.keys.size;
  }
}

/** `v` and every value it contains, as identity keys (lists, tuples, dicts, non-module objects). */
export function subValueKeys(v: IValue, out: Set<IdentityKey> = new Set()): Set<IdentityKey> {
  const stack: IValue[] = [v];
  while (stack.length) {
    const x = stack.pop()!;
    const k = keyOf(x);
    if (!k || out.has(k)) continue;
    out.add(k);
    if (Array.isArray(x)) stack.push(...x);
    else if (x instanceof Tuple) stack.push(...x.items);
    else if (x instanceof Map) for (const [key, val] of x) stack.push(key as IValue, val);
  }
  return out;
}

/** PyTorch's IValue::overlaps: do the two values share any sub-value (tensors by storage)? */
export function overlaps(a: IValue, b: IValue): boolean {
  const ka = subValueKeys(a);
  for (const k of subValueKeys(b)) if (ka.has(k)) return true;
  return false;
}

/** Whether an attribute of this type can be changed in place (AliasDb::isMutableType). */
export function isMutableAttributeType(t: Type): boolean {
  switch (t.kind) {
    case 'Tensor':
    case 'List':
    case 'Dict':
    case 'Class':
    case 'Interface':
    case 'Any':
    case 'Future':
      return true;
    case 'Optional':
    case 'Tuple':
    case 'Union':
      return t.containedTypes().some(isMutableAttributeType);
    default:
      return false;
  }
}

/** True for objects of class types (module or not). */
export function isObject(v: IValue): boolean {
  return isObjectValue(v);
}
