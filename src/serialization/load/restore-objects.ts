// Turns the unpickled data.pkl into runtime values typed by the imported classes: module objects become
// ScriptModules with every attribute slot filled (an object pickled once and referenced twice stays one
// object), lists/dicts/tuples/devices/floats become IValues of their declared types.

import { Device, normalizeInt, Tuple, type DictKey, type IValue } from '../../ir/ivalue.js';
import {
  NamedClassType,
  OptionalType,
  TupleType,
  UnionType,
  type DictType,
  type ListType,
  type Type,
} from '../../ir/types.js';
import { ClassType } from '../../module/class-type.js';
import type { ScriptObject } from '../../module/script-object.js';
import { createObject } from '../../module/script-module.js';
import { InterfaceDecl } from '../../module/interface-decl.js';
import { TsFreezeError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  describeValue,
  PickleDevice,
  PickledObject,
  PickleFloat,
  PickleTuple,
  type PickleValue,
} from '../pickle/values.js';
import { loadError } from './load-errors.js';

/** How object restoring finds class types and reports errors. */
export interface RestoreContext {
  /** Archive name, for messages. */
  readonly source: string;
  /** The class type named in the pickle (imports its code), or undefined when the archive has none. */
  findClass(qualifiedName: string): Type | undefined;
  /** The pickle restored, for messages (default `data.pkl`). */
  readonly entry?: string;
}

/** Restores pickled values against their declared types. One instance per data.pkl keeps object identity. */
export class ObjectRestorer {
  private readonly objects = new Map<PickledObject, ScriptObject>();
  /** Objects made whose attributes are still to be set, and whether they are being set now. */
  private readonly unfilled: (() => void)[] = [];
  private filling = false;
  // A container pickled once and referenced many times is restored once per declared type: a ~1 KB
  // pickle of lists sharing sub-lists ("billion laughs") would otherwise expand to 2^levels values.
  private readonly restored = new Map<object, Map<Type | 'Any', IValue>>();

  constructor(private readonly ctx: RestoreContext) {}

  private get entry(): string {
    return this.ctx.entry ?? 'data.pkl';
  }

  private fail(path: string, what: string): TsFreezeError {
    return loadError(
      'BAD_OBJECT',
      this.ctx.source,
      `${path ? `attribute '${path}': ` : ''}${what}`,
      this.entry,
    );
  }

  /** The object a pickled `__torch__` instance stands for (created once per pickled instance). */
  restoreObject(pickled: PickledObject, path: string, expected?: Type): ScriptObject {
    const known = this.objects.get(pickled);
    if (known) return known;
    const type = this.ctx.findClass(pickled.className);
    if (!type) {
      throw loadError(
        'MISSING_CODE',
        this.ctx.source,
        `no code for class ${pickled.className} (its object is at '${path || '<root>'}')`,
        this.entry,
      );
    }
    if (!(type instanceof ClassType))
      throw this.fail(path, `${pickled.className} is not a class (it is ${type.str()})`);
    if (expected && !fitsDeclared(type, expected)) {
      throw this.fail(
        path,
        `an object of ${type.qualifiedName} does not fit the declared type ${expected.str()}`,
      );
    }
    if (type.hasMethod('__setstate__'))
      throw this.fail(
        path,
        `${type.qualifiedName} restores itself with __setstate__, which is not supported`,
      );
    const obj = createObject(type);
    this.objects.set(pickled, obj);
    const state = pickled.state;
    if (!(state instanceof Map))
      throw this.fail(
        path,
        `the state of ${type.qualifiedName} is a ${describeValue(state)}, expected a dict`,
      );
    this.unfilled.push(() => {
      for (const a of type.attributes) {
        const sub = path ? `${path}.${a.name}` : a.name;
        if (!state.has(a.name))
          throw this.fail(sub, `missing from the pickled state of ${type.qualifiedName}`);
        const value = this.restore(state.get(a.name) as PickleValue, a.type, sub);
        try {
          obj.setAttr(a.name, value);
        } catch (error) {
          if (error instanceof TsFreezeError) throw this.fail(sub, error.message);
          throw error;
        }
      }
    });
    if (!this.filling) this.fillObjects();
    return obj;
  }

  // Objects inside objects (a submodule chain 1,000 deep, which PyTorch loads) are filled from a work
  // list rather than by recursion: an object's attributes are set once the outermost object is made.
  private fillObjects(): void {
    this.filling = true;
    try {
      for (let i = 0; i < this.unfilled.length; i++) this.unfilled[i]();
    } finally {
      this.filling = false;
      this.unfilled.length = 0;
    }
  }

  /** A pickled value as the IValue of `type`. */
  restore(value: PickleValue, type: Type, path: string): IValue {
    return this.memoized(value, type, () => this.restoreUncached(value, type, path));
  }

  private memoized(value: PickleValue, key: Type | 'Any', restore: () => IValue): IValue {
    const shareable = Array.isArray(value) || value instanceof Map || value instanceof PickleTuple;
    if (!shareable) return restore();
    let byType = this.restored.get(value);
    const known = byType?.get(key);
    if (known !== undefined) return known;
    const result = restore();
    if (!byType) this.restored.set(value, (byType = new Map()));
    byType.set(key, result);
    return result;
  }

  private restoreUncached(value: PickleValue, type: Type, path: string): IValue {
    switch (type.kind) {
      case 'Optional':
        return value === null ? null : this.restore(value, (type as OptionalType).elem, path);
      case 'None':
        if (value !== null) throw this.fail(path, `expected None, found ${describeValue(value)}`);
        return null;
      case 'Tensor':
        if (!(value instanceof Tensor))
          throw this.fail(path, `expected a Tensor, found ${describeValue(value)}`);
        return value;
      case 'int':
      case 'Layout':
      case 'ScalarType':
      case 'MemoryFormat':
        if (typeof value === 'number' || typeof value === 'bigint') return normalizeInt(value);
        if (typeof value === 'boolean') return value ? 1 : 0;
        throw this.fail(path, `expected an int, found ${describeValue(value)}`);
      case 'float':
        if (value instanceof PickleFloat) return value.value;
        if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
        throw this.fail(path, `expected a float, found ${describeValue(value)}`);
      case 'Number':
      case 'complex':
        if (value instanceof PickleFloat) return value.value;
        if (typeof value === 'number' || typeof value === 'bigint') return normalizeInt(value);
        throw this.fail(path, `expected a number, found ${describeValue(value)}`);
      case 'bool':
        if (typeof value !== 'boolean')
          throw this.fail(path, `expected a bool, found ${describeValue(value)}`);
        return value;
      case 'str':
        if (typeof value !== 'string') throw this.fail(path, `expected a str, found ${describeValue(value)}`);
        return value;
      case 'Device':
        if (value instanceof PickleDevice) return new Device(value.type, value.index);
        if (typeof value === 'string') return Device.parse(value);
        throw this.fail(path, `expected a device, found ${describeValue(value)}`);
      case 'List': {
        const elem = (type as ListType).elem;
        const items = value instanceof PickleTuple ? value.items : value;
        if (!Array.isArray(items)) throw this.fail(path, `expected a list, found ${describeValue(value)}`);
        return items.map((v, i) => this.restore(v, elem, `${path}[${i}]`));
      }
      case 'Dict': {
        const t = type as DictType;
        if (!(value instanceof Map)) throw this.fail(path, `expected a dict, found ${describeValue(value)}`);
        const out = new Map<DictKey, IValue>();
        for (const [k, v] of value) {
          const key = this.restore(k, t.key, `${path}[key]`);
          out.set(key as DictKey, this.restore(v, t.value, `${path}[${String(key)}]`));
        }
        return out;
      }
      case 'Tuple': {
        const t = type as TupleType;
        const items = value instanceof PickleTuple ? value.items : Array.isArray(value) ? value : undefined;
        if (!items || items.length !== t.elements.length)
          throw this.fail(path, `expected a tuple of ${t.elements.length}, found ${describeValue(value)}`);
        return new Tuple(
          items.map((v, i) => this.restore(v, t.elements[i], `${path}[${i}]`)),
          t.names ? t : undefined,
        );
      }
      case 'Class':
      case 'Interface':
        if (!(value instanceof PickledObject))
          throw this.fail(path, `expected an object of ${type.str()}, found ${describeValue(value)}`);
        return this.restoreObject(value, path, type);
      case 'Union':
        return this.restoreUnion(value, type as UnionType, path);
      default:
        return this.restoreAny(value, path);
    }
  }

  private restoreUnion(value: PickleValue, type: UnionType, path: string): IValue {
    for (const m of type.members) {
      try {
        return this.restore(value, m, path);
      } catch (error) {
        if (!(error instanceof TsFreezeError)) throw error;
      }
    }
    throw this.fail(path, `${describeValue(value)} fits none of ${type.str()}`);
  }

  /** An untyped (Any) value: converted by what it is. */
  restoreAny(value: PickleValue, path: string): IValue {
    return this.memoized(value, 'Any', () => this.restoreAnyUncached(value, path));
  }

  private restoreAnyUncached(value: PickleValue, path: string): IValue {
    if (value === null || typeof value === 'boolean' || typeof value === 'string' || value instanceof Tensor)
      return value;
    if (typeof value === 'number' || typeof value === 'bigint') return normalizeInt(value);
    if (value instanceof PickleFloat) return value.value;
    if (value instanceof PickleDevice) return new Device(value.type, value.index);
    if (value instanceof PickleTuple)
      return new Tuple(value.items.map((v, i) => this.restoreAny(v, `${path}[${i}]`)));
    if (Array.isArray(value)) return value.map((v, i) => this.restoreAny(v, `${path}[${i}]`));
    if (value instanceof Map) {
      const out = new Map<DictKey, IValue>();
      for (const [k, v] of value) out.set(this.restoreAny(k, path) as DictKey, this.restoreAny(v, path));
      return out;
    }
    if (value instanceof PickledObject) return this.restoreObject(value, path);
    throw this.fail(path, `cannot use a ${describeValue(value)} here`);
  }
}

// Whether objects of `type` may sit where `expected` is declared: the same class, or an interface it implements.
function fitsDeclared(type: ClassType, expected: Type): boolean {
  if (expected instanceof OptionalType) return fitsDeclared(type, expected.elem);
  if (expected instanceof InterfaceDecl) return expected.accepts(type);
  if (expected instanceof NamedClassType) return expected.equals(type);
  return expected.kind === 'Any';
}

/** True for class types whose objects restore into modules. */
export function isModuleClass(t: Type | undefined): t is ClassType {
  return t instanceof ClassType && t.isModule;
}
