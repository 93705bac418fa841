// Turns runtime values into pickle values the way torch.jit.save's pickler sees them: module objects as
// `__torch__` classes with a dict of every attribute in slot order, floats kept as floats by their
// declared type, typed lists and dicts tagged, and every object (and its class) met once, by identity.

import { SerializationError } from '../../errors.js';
import { Device, FunctionRef, Tuple, isObjectValue, type IValue, type ObjectValue } from '../../ir/ivalue.js';
import { AnyType, DictType, ListType, TupleType, type Type } from '../../ir/types.js';
import { ClassType } from '../../module/class-type.js';
import { getInterpreter } from '../../module/hooks.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  PickledObject,
  PickleDevice,
  PickleFloat,
  PickleTuple,
  setTypeTag,
  type PickleValue,
} from '../pickle/values.js';
import { typeOfValue } from '../printer/literals.js';
import type { TypeNames } from '../printer/type-names.js';

/** A value that cannot go into a .pt file; the message says which one and where. */
export function unserializable(message: string): SerializationError {
  return new SerializationError('UNSERIALIZABLE', message);
}

/** Converts values for one pickle; remembers objects so shared ones are written once. */
export class PickleConverter {
  /** Class types of the objects met, in the order the pickler writes them (root first). */
  readonly classes: ClassType[] = [];
  private readonly objects = new Map<ObjectValue, PickledObject>();
  // Lists, dicts and tuples converted once per declared type: a value shared N times stays shared in the
  // pickle (as PyTorch's pickler memoizes it), instead of being written out once per path (2^levels).
  private readonly containers = new Map<object, Map<Type | undefined, PickleValue>>();

  constructor(private readonly types: TypeNames) {}

  /** `value`, declared as `type`, as a pickle value; `where` names it in errors (`model.sub.weight`). */
  convert(value: IValue, type: Type | undefined, where: string): PickleValue {
    if (!(Array.isArray(value) || value instanceof Map || value instanceof Tuple))
      return this.convertUncached(value, type, where);
    let byType = this.containers.get(value);
    const known = byType?.get(type);
    if (known !== undefined) return known;
    const converted = this.convertUncached(value, type, where);
    if (!byType) this.containers.set(value, (byType = new Map()));
    byType.set(type, converted);
    return converted;
  }

  private convertUncached(value: IValue, type: Type | undefined, where: string): PickleValue {
    const t =
      type === undefined ||
      type.kind === 'Any' ||
      type.kind === 'Optional' ||
      type.kind === 'Union' ||
      type.kind === 'Number'
        ? value === null
          ? undefined
          : typeOfValue(value)
        : type;
    if (
      value === null ||
      typeof value === 'boolean' ||
      typeof value === 'string' ||
      typeof value === 'bigint'
    )
      return value;
    if (typeof value === 'number') {
      return t?.kind === 'float' || !Number.isInteger(value) ? new PickleFloat(value) : value;
    }
    if (value instanceof Tensor) return value;
    if (value instanceof Device) return new PickleDevice(value.type, value.index);
    if (value instanceof Tuple) {
      const elems = t instanceof TupleType ? t.elements : [];
      return new PickleTuple(value.items.map((v, i) => this.convert(v, elems[i], `${where}[${i}]`)));
    }
    if (Array.isArray(value)) {
      const listType = t instanceof ListType ? t : new ListType(AnyType);
      const items = value.map((v, i) => this.convert(v, listType.elem, `${where}[${i}]`));
      return setTypeTag(items, this.types.annotation(listType));
    }
    if (value instanceof Map) {
      const dictType = t instanceof DictType ? t : (typeOfValue(value) as DictType);
      const out = new Map<PickleValue, PickleValue>();
      for (const [k, v] of value) {
        out.set(
          this.convert(k, dictType.key, `${where} key`),
          this.convert(v, dictType.value, `${where}[${String(k)}]`),
        );
      }
      return setTypeTag(out, this.types.annotation(dictType));
    }
    if (value instanceof FunctionRef) {
      throw unserializable(
        `${where} holds the function ${value.qualifiedName}; functions cannot be stored as values`,
      );
    }
    if (isObjectValue(value)) return this.convertObject(value, where);
    throw unserializable(`${where} holds a value of an unknown kind`);
  }

  private convertObject(object: ObjectValue, where: string): PickledObject {
    const known = this.objects.get(object);
    if (known) return known;
    const type = object.type;
    if (!(type instanceof ClassType)) {
      throw unserializable(
        `${where} is an object of ${type.qualifiedName}, whose class definition is not available`,
      );
    }
    const pickled = new PickledObject(this.types.nameOf(type));
    this.objects.set(object, pickled);
    this.classes.push(type);
    const getState = type.findMethod('__getstate__');
    if (getState && type.hasMethod('__setstate__')) {
      // Classes with __getstate__/__setstate__ are stored as whatever __getstate__ returns.
      const state = getInterpreter()(getState, [object]);
      pickled.state = this.convert(state, getState.signature.returns[0], `${where}.__getstate__()`);
      return pickled;
    }
    const state = new Map<PickleValue, PickleValue>();
    for (const attr of type.attributes) {
      let value: IValue;
      try {
        value = object.getAttr(attr.name);
      } catch {
        throw unserializable(`${where}.${attr.name} has no value; every attribute must be set before saving`);
      }
      state.set(attr.name, this.convert(value, attr.type, `${where}.${attr.name}`));
    }
    pickled.state = state;
    return pickled;
  }
}
