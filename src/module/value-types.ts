// Runtime values against static types: does an IValue fit a Type (setAttr, call arguments), what type
// does a value have when the user gives none, and rewriting class types inside composite types (clone).

import { UnsupportedError } from '../errors.js';
import { constantType } from '../ir/constants.js';
import { Device, FunctionRef, Tuple, isObjectValue, type IValue } from '../ir/ivalue.js';
import {
  DictType,
  FutureType,
  InterfaceType,
  ListType,
  NamedClassType,
  OptionalType,
  TensorTensor,
  TupleType,
  UnionType,
  type Type,
} from '../ir/types.js';
import { Tensor } from '../tensor/tensor.js';

/** Structural check an interface type may provide (InterfaceDecl does); plain InterfaceTypes accept any class. */
interface StructuralInterface {
  accepts(cls: NamedClassType): boolean;
}

function hasStructuralCheck(t: InterfaceType): t is InterfaceType & StructuralInterface {
  return typeof (t as Partial<StructuralInterface>).accepts === 'function';
}

/** Whether `value` may be stored where `type` is declared (PyTorch's isSubtypeOf on the value's type, simplified). */
export function isValueOfType(value: IValue, type: Type): boolean {
  return new ValueTypeCheck().check(value, type);
}

// One check, remembering containers already checked against a type: a list shared by many paths (a
// "billion laughs" pickle) is checked once, not once per path.
class ValueTypeCheck {
  private readonly done = new Map<object, Map<Type, boolean>>();

  check(value: IValue, type: Type): boolean {
    if (!(Array.isArray(value) || value instanceof Map || value instanceof Tuple))
      return this.uncached(value, type);
    let byType = this.done.get(value);
    const known = byType?.get(type);
    if (known !== undefined) return known;
    if (!byType) this.done.set(value, (byType = new Map()));
    byType.set(type, true); // a value that holds itself is accepted where its parts are
    const result = this.uncached(value, type);
    byType.set(type, result);
    return result;
  }

  private uncached(value: IValue, type: Type): boolean {
    const isValueOfType = (v: IValue, t: Type): boolean => this.check(v, t);
    switch (type.kind) {
      case 'Any':
      case 'Var':
        return true;
      case 'None':
        return value === null;
      case 'Optional':
        return value === null || isValueOfType(value, (type as OptionalType).elem);
      case 'Union':
        return (type as UnionType).members.some((m) => isValueOfType(value, m));
      case 'Tensor':
        return value instanceof Tensor;
      case 'int':
      case 'Layout':
      case 'ScalarType':
      case 'MemoryFormat':
        return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
      case 'float':
      case 'complex':
        return typeof value === 'number';
      case 'Number':
        return typeof value === 'number' || typeof value === 'bigint';
      case 'bool':
        return typeof value === 'boolean';
      case 'str':
        return typeof value === 'string';
      case 'Device':
        return value instanceof Device;
      case 'Function':
        return value instanceof FunctionRef;
      case 'List': {
        const elem = (type as ListType).elem;
        return Array.isArray(value) && value.every((v) => isValueOfType(v, elem));
      }
      case 'Dict': {
        const t = type as DictType;
        if (!(value instanceof Map)) return false;
        for (const [k, v] of value) if (!isValueOfType(k, t.key) || !isValueOfType(v, t.value)) return false;
        return true;
      }
      case 'Tuple': {
        const t = type as TupleType;
        return (
          value instanceof Tuple &&
          value.items.length === t.elements.length &&
          value.items.every((v, i) => isValueOfType(v, t.elements[i]))
        );
      }
      case 'Class':
      case 'Enum':
        return value !== null && isObjectValue(value) && value.type.equals(type);
      case 'Interface':
        if (value === null || !isObjectValue(value)) return false;
        return (
          !hasStructuralCheck(type as InterfaceType) ||
          (type as InterfaceType & StructuralInterface).accepts(value.type)
        );
      default:
        // Generators, storages, streams, futures, capsules: nothing to check them against.
        return true;
    }
  }
}

/** The type of a value for an attribute declared without one: objects give their class, tensors `Tensor`, other values what a constant would have. */
export function inferValueType(value: IValue): Type {
  if (value !== null && isObjectValue(value)) return value.type;
  // Attributes are declared `Tensor`, never refined to one tensor's dtype and shape.
  if (value instanceof Tensor) return TensorTensor;
  if (value instanceof Map) {
    const first = value.entries().next();
    if (first.done) throw new UnsupportedError('the type of an empty dict needs to be given explicitly');
    return new DictType(inferValueType(first.value[0]), inferValueType(first.value[1]));
  }
  if (Array.isArray(value) && value.length > 0) return new ListType(inferValueType(value[0]));
  if (value instanceof Tuple && !value.type) return new TupleType(value.items.map(inferValueType));
  return constantType(value);
}

/** How class types map in a clone: identity first, then qualified name (for types that only carry the name). */
export type ClassTypeMap = ReadonlyMap<NamedClassType, NamedClassType>;

/**
 * A function rewriting every class type inside a type through `map` (Optional, List, Dict, Tuple,
 * Union, Future included); it returns its argument itself when nothing inside changes.
 */
export function classTypeMapper(map: ClassTypeMap): (type: Type) => Type {
  if (map.size === 0) return (t) => t;
  const byName = new Map<string, NamedClassType>();
  for (const [from, to] of map) byName.set(`${from.kind}:${from.qualifiedName}`, to);
  // Types are immutable and a clone maps the same few (Tensor, int, the module types) over and over.
  const done = new Map<Type, Type>();
  const walk = (t: Type): Type => {
    let mapped = done.get(t);
    if (mapped === undefined) done.set(t, (mapped = rewrite(t)));
    return mapped;
  };
  const rewrite = (t: Type): Type => {
    if (t instanceof NamedClassType) return map.get(t) ?? byName.get(`${t.kind}:${t.qualifiedName}`) ?? t;
    if (t instanceof OptionalType) {
      const e = walk(t.elem);
      return e === t.elem ? t : new OptionalType(e);
    }
    if (t instanceof ListType) {
      const e = walk(t.elem);
      return e === t.elem ? t : new ListType(e);
    }
    if (t instanceof FutureType) {
      const e = walk(t.elem);
      return e === t.elem ? t : new FutureType(e);
    }
    if (t instanceof DictType) {
      const k = walk(t.key);
      const v = walk(t.value);
      return k === t.key && v === t.value ? t : new DictType(k, v);
    }
    if (t instanceof TupleType) {
      const els = t.elements.map(walk);
      return els.every((e, i) => e === t.elements[i]) ? t : new TupleType(els, t.names, t.qualifiedName);
    }
    if (t instanceof UnionType) {
      const ms = t.members.map(walk);
      return ms.every((m, i) => m === t.members[i]) ? t : new UnionType(ms);
    }
    return t;
  };
  return walk;
}

/** `type` with its class types rewritten through `map` (see classTypeMapper). */
export function remapClassTypes(type: Type, map: ClassTypeMap): Type {
  return classTypeMapper(map)(type);
}

/** Describes a value for error messages: `int 3`, `Tensor(float32, [2, 3])`, `object of __torch__.A`. */
export function describeForError(value: IValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return `bool ${value ? 'True' : 'False'}`;
  if (typeof value === 'bigint') return `int ${value}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `int ${value}` : `float ${value}`;
  if (typeof value === 'string') return `str ${JSON.stringify(value)}`;
  if (value instanceof Tensor) return `Tensor(${value.dtype}, [${value.shape.join(', ')}])`;
  if (value instanceof Device) return `Device ${value.toString()}`;
  if (value instanceof FunctionRef) return `function ${value.qualifiedName}`;
  if (value instanceof Tuple) return `tuple of ${value.items.length}`;
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (value instanceof Map) return `dict of ${value.size}`;
  return `object of ${value.type.str()}`;
}
