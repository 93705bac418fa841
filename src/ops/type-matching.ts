// Type rules of schema matching: subtyping as TorchScript checks an argument against a formal type,
// type variables (`t`, `t[]`, `Dict(str, t)`) bound consistently across arguments, and type unification.
// Mirrors c10/core/jit_type.cpp's isSubtypeOf / unifyTypes and matchTypeVariables (read, not copied).

import {
  DictType,
  FutureType,
  ListType,
  OptionalType,
  TensorTensor,
  TupleType,
  UnionType,
  VarType,
  isSubtypeOf,
  type Type,
} from '../ir/types.js';
import { AnyClassTypeImpl, AnyEnumTypeImpl, RRefType } from './schema-types.js';

/** Bindings of type variables by name (`t` -> `Tensor`). */
export type TypeEnv = Map<string, Type>;

/**
 * Whether a value of type `actual` may be passed for formal type `formal` (type variables already
 * substituted; an unbound one accepts anything). Lists, dicts and RRefs are invariant, except that any
 * tensor type matches `Tensor`; tuples, optionals and futures are covariant; `int` is not a `float`.
 */
export function isSchemaSubtype(actual: Type, formal: Type): boolean {
  if (formal.kind === 'Any' || formal instanceof VarType) return true;
  if (formal instanceof AnyClassTypeImpl) return actual.kind === 'Class' && !(actual instanceof RRefType);
  if (formal instanceof AnyEnumTypeImpl) return actual.kind === 'Enum';
  if (formal instanceof RRefType) return actual instanceof RRefType && isInvariant(actual.elem, formal.elem);
  if (formal instanceof OptionalType) {
    if (actual.kind === 'None') return true;
    if (actual instanceof OptionalType) return isSchemaSubtype(actual.elem, formal.elem);
    return isSchemaSubtype(actual, formal.elem);
  }
  if (formal instanceof ListType) return actual instanceof ListType && isInvariant(actual.elem, formal.elem);
  if (formal instanceof DictType) {
    return (
      actual instanceof DictType &&
      isInvariant(actual.key, formal.key) &&
      isInvariant(actual.value, formal.value)
    );
  }
  if (formal instanceof TupleType) {
    return (
      actual instanceof TupleType &&
      actual.elements.length === formal.elements.length &&
      actual.elements.every((e, i) => isSchemaSubtype(e, formal.elements[i]))
    );
  }
  if (formal instanceof FutureType)
    return actual instanceof FutureType && isSchemaSubtype(actual.elem, formal.elem);
  if (formal instanceof UnionType) {
    if (actual instanceof UnionType) return actual.members.every((m) => isSchemaSubtype(m, formal));
    return formal.members.some((m) => isSchemaSubtype(actual, m));
  }
  if (actual instanceof RRefType || formal.kind === 'Class' || formal.kind === 'Enum') {
    return actual.kind === formal.kind && actual.str() === formal.str();
  }
  return isSubtypeOf(actual, formal);
}

// Element types of containers must be equal, refined tensors aside; Any and unbound variables take all.
function isInvariant(actual: Type, formal: Type): boolean {
  if (formal.kind === 'Any' || formal instanceof VarType) return true;
  if (actual.kind === 'Tensor' && formal.kind === 'Tensor') return true;
  if (actual instanceof ListType && formal instanceof ListType) return isInvariant(actual.elem, formal.elem);
  if (actual instanceof OptionalType && formal instanceof OptionalType)
    return isInvariant(actual.elem, formal.elem);
  if (actual instanceof DictType && formal instanceof DictType) {
    return isInvariant(actual.key, formal.key) && isInvariant(actual.value, formal.value);
  }
  if (actual instanceof TupleType && formal instanceof TupleType) {
    return (
      actual.elements.length === formal.elements.length &&
      actual.elements.every((e, i) => isInvariant(e, formal.elements[i]))
    );
  }
  return actual.equals(formal);
}

/** The least type both `a` and `b` fit in (`None` and `int` -> `int?`; two tensor types -> `Tensor`), if any. */
export function unifyTypes(a: Type, b: Type): Type | undefined {
  if (a.kind === 'Tensor' && b.kind === 'Tensor') return a.equals(b) ? a : TensorTensor;
  if (isSchemaSubtype(a, b)) return b;
  if (isSchemaSubtype(b, a)) return a;
  if (a.kind === 'None') return new OptionalType(b);
  if (b.kind === 'None') return new OptionalType(a);
  if (a instanceof OptionalType || b instanceof OptionalType) {
    const inner = unifyTypes(a instanceof OptionalType ? a.elem : a, b instanceof OptionalType ? b.elem : b);
    return inner && new OptionalType(inner);
  }
  if (a instanceof TupleType && b instanceof TupleType && a.elements.length === b.elements.length) {
    const elements: Type[] = [];
    for (let i = 0; i < a.elements.length; i++) {
      const u = unifyTypes(a.elements[i], b.elements[i]);
      if (!u) return undefined;
      elements.push(u);
    }
    return new TupleType(elements);
  }
  return undefined;
}

/** True if `type` mentions a type variable. */
export function hasTypeVariables(type: Type): boolean {
  return type instanceof VarType || type.containedTypes().some(hasTypeVariables);
}

/**
 * Binds the type variables of `formal` from `actual` into `env`. Returns undefined on success or the
 * reason the two cannot match (a variable already bound to a type that does not unify, or a shape mismatch).
 */
export function matchTypeVariables(formal: Type, actual: Type, env: TypeEnv): string | undefined {
  if (!hasTypeVariables(formal)) return undefined;
  if (formal instanceof VarType) {
    const bound = env.get(formal.name);
    if (!bound) {
      env.set(formal.name, actual);
      return undefined;
    }
    const unified = unifyTypes(bound, actual);
    if (!unified) return `type variable '${formal.name}' was bound to ${bound.str()} but got ${actual.str()}`;
    env.set(formal.name, unified);
    return undefined;
  }
  if (formal instanceof OptionalType) {
    if (actual.kind === 'None') return undefined;
    return matchTypeVariables(formal.elem, actual instanceof OptionalType ? actual.elem : actual, env);
  }
  if (formal instanceof ListType) {
    if (!(actual instanceof ListType)) return `expected a list, got ${actual.str()}`;
    return matchTypeVariables(formal.elem, actual.elem, env);
  }
  if (formal instanceof DictType) {
    if (!(actual instanceof DictType)) return `expected a dict, got ${actual.str()}`;
    return (
      matchTypeVariables(formal.key, actual.key, env) ?? matchTypeVariables(formal.value, actual.value, env)
    );
  }
  if (formal instanceof TupleType) {
    if (!(actual instanceof TupleType) || actual.elements.length !== formal.elements.length) {
      return `expected a tuple of ${formal.elements.length}, got ${actual.str()}`;
    }
    for (let i = 0; i < formal.elements.length; i++) {
      const why = matchTypeVariables(formal.elements[i], actual.elements[i], env);
      if (why) return why;
    }
    return undefined;
  }
  if (formal instanceof FutureType) {
    if (!(actual instanceof FutureType)) return `expected a Future, got ${actual.str()}`;
    return matchTypeVariables(formal.elem, actual.elem, env);
  }
  if (formal instanceof RRefType) {
    if (!(actual instanceof RRefType)) return `expected an RRef, got ${actual.str()}`;
    return matchTypeVariables(formal.elem, actual.elem, env);
  }
  return `cannot match ${formal.str()} against ${actual.str()}`;
}

/** `type` with bound variables replaced; unbound ones stay as VarType. */
export function substituteTypeVariables(type: Type, env: TypeEnv): Type {
  if (!hasTypeVariables(type)) return type;
  if (type instanceof VarType) return env.get(type.name) ?? type;
  if (type instanceof OptionalType) return new OptionalType(substituteTypeVariables(type.elem, env));
  if (type instanceof ListType) return new ListType(substituteTypeVariables(type.elem, env));
  if (type instanceof DictType) {
    return new DictType(substituteTypeVariables(type.key, env), substituteTypeVariables(type.value, env));
  }
  if (type instanceof TupleType)
    return new TupleType(type.elements.map((e) => substituteTypeVariables(e, env)));
  if (type instanceof FutureType) return new FutureType(substituteTypeVariables(type.elem, env));
  if (type instanceof RRefType) return new RRefType(substituteTypeVariables(type.elem, env));
  if (type instanceof UnionType)
    return new UnionType(type.members.map((m) => substituteTypeVariables(m, env)));
  return type;
}

/** True if a homogeneous tuple may be passed as list type `list` (PyTorch converts it implicitly). */
export function tupleConvertsToList(tuple: TupleType, list: ListType): Type | undefined {
  let elem: Type | undefined;
  for (const e of tuple.elements) {
    elem = elem ? unifyTypes(elem, e) : e;
    if (!elem) return undefined;
  }
  const target = elem ?? list.elem;
  if (list.elem instanceof VarType) return new ListType(target);
  return tuple.elements.every((e) => isSchemaSubtype(e, list.elem)) ? new ListType(list.elem) : undefined;
}
