// Which types alias analysis tracks, and the "alias type" each maps to: PyTorch's isMutableType and
// mapTypeToAliasTypeSet (torch/csrc/jit/ir/alias_analysis.cpp). Values whose types map to the same alias
// type share one wildcard element.

import { AnyType, FutureType, TupleType, UnionType, type Type } from '../ir/types.js';

/**
 * The alias types a value of type `t` may point into (several for a Union), or undefined when nothing
 * of that type can be written in place: Tensor, List, Dict and Class map to themselves (tensors
 * unshaped), Optional to its element, Tuple and Future to their mutable contents, Any to Any. Interfaces,
 * enums, scalars and strings are immutable, as in PyTorch.
 */
export function aliasTypeSet(t: Type): readonly Type[] | undefined {
  let cached = setCache.get(t);
  if (cached === undefined) {
    cached = computeAliasTypeSet(t) ?? null;
    setCache.set(t, cached);
  }
  return cached ?? undefined;
}

const setCache = new WeakMap<Type, readonly Type[] | null>();

function computeAliasTypeSet(t: Type): readonly Type[] | undefined {
  switch (t.kind) {
    case 'Tensor':
    case 'List':
    case 'Dict':
    case 'Class':
      return [t];
    case 'Any':
    case 'Var':
      return [AnyType];
    case 'Optional':
      return aliasTypeSet(t.containedTypes()[0]);
    case 'Union': {
      const members = t.containedTypes().flatMap((m) => aliasTypeSet(m) ?? []);
      return members.length ? members : undefined;
    }
    case 'Future': {
      const inner = aliasTypeSet(t.containedTypes()[0]);
      return inner ? [new FutureType(singleAliasType(inner))] : undefined;
    }
    case 'Tuple': {
      const members = t.containedTypes().flatMap((m) => aliasTypeSet(m) ?? []);
      return members.length ? [new TupleType(members)] : undefined;
    }
    default:
      return undefined;
  }
}

/** PyTorch's AliasDb::isMutableType: true when values of `t` may be written in place or hold such values. */
export function isMutableType(t: Type): boolean {
  const k = t.kind;
  return k === 'Tensor' || k === 'List' || k === 'Class' || k === 'Dict' || aliasTypeSet(t) !== undefined;
}

/** One type standing for a set (a Union of several), as PyTorch's toSingleType. */
export function singleAliasType(set: readonly Type[]): Type {
  return set.length === 1 ? set[0] : new UnionType(set);
}

/** The key two alias types share when they are the same type with tensor shapes erased (`unshapedType`). */
export function aliasTypeKey(t: Type): string {
  let key = keyCache.get(t);
  if (key === undefined) {
    key = computeKey(t);
    keyCache.set(t, key);
  }
  return key;
}

const keyCache = new WeakMap<Type, string>();

function computeKey(t: Type): string {
  switch (t.kind) {
    case 'Tensor':
      return 'Tensor';
    case 'Optional':
      return `${aliasTypeKey(t.containedTypes()[0])}?`;
    case 'List':
      return `${aliasTypeKey(t.containedTypes()[0])}[]`;
    case 'Dict':
      return `Dict(${t.containedTypes().map(aliasTypeKey).join(', ')})`;
    case 'Tuple':
      return `(${t.containedTypes().map(aliasTypeKey).join(', ')})`;
    case 'Union':
      return `Union(${t.containedTypes().map(aliasTypeKey).join(', ')})`;
    case 'Future':
      return `Future[${aliasTypeKey(t.containedTypes()[0])}]`;
    default:
      return t.str();
  }
}

/**
 * The types a value of alias type `t` holds: a container's element types, and for a class its attribute
 * types (PyTorch's ClassType::containedTypes). Class types from parsed IR text know no attributes.
 */
export function heldTypes(t: Type): readonly Type[] {
  if (t.kind === 'Class') {
    const attributes = (t as { attributes?: readonly { type: Type }[] }).attributes;
    return attributes ? attributes.map((a) => a.type) : [];
  }
  return t.containedTypes();
}
