// Runtime values (PyTorch's IValue): what constants hold, what the interpreter passes around.

import { Tensor } from '../tensor/tensor.js';
import type { NamedClassType, TupleType, Type } from './types.js';

/** A `torch.device`. */
export class Device {
  constructor(
    readonly type: string,
    readonly index: number | null = null,
  ) {}
  /** Parses `cpu`, `cuda:1`. */
  static parse(text: string): Device {
    const [type, index] = text.split(':');
    return new Device(type, index === undefined ? null : Number(index));
  }
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
}

/** An immutable tuple (lists are plain mutable arrays, so the two never mix up). */
export class Tuple {
  constructor(
    readonly items: readonly IValue[],
    /** Set for named tuples. */
    readonly type?: TupleType,
  ) {}
}

/** A reference to a free function (`prim::Constant[name="fn"]` of type Function). */
export class FunctionRef {
  constructor(readonly qualifiedName: string) {}
}

/** An object of a class type (a module instance or a TorchScript class). Implemented by the module layer. */
export interface ObjectValue {
  readonly type: NamedClassType;
  getAttr(name: string): IValue;
  setAttr(name: string, value: IValue): void;
  hasAttr(name: string): boolean;
}

/** Keys of a Dict: str, int, float, bool or Tensor (by identity). */
export type DictKey = string | number | bigint | boolean | Tensor;

/** A TorchScript runtime value. `int` is a number (a bigint beyond 2^53); `float` a number; the Type says which. */
export type IValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Tensor
  | Device
  | Tuple
  | FunctionRef
  | ObjectValue
  | IValue[]
  | Map<DictKey, IValue>;

/** True for objects of class types. */
export function isObjectValue(v: IValue): v is ObjectValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof Tensor) &&
    !(v instanceof Device) &&
    !(v instanceof Tuple) &&
    !(v instanceof FunctionRef) &&
    !Array.isArray(v) &&
    !(v instanceof Map)
  );
}

/** Formats an int exactly, whether number or bigint. */
export function intToString(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

/** Normalises an integer: bigints inside the safe range become numbers. */
export function normalizeInt(v: number | bigint): number | bigint {
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(v);
  }
  return v;
}

/** A type-directed description of a value, for error messages. */
export function describeValue(v: IValue, type?: Type): string {
  if (v === null) return 'None';
  if (v instanceof Tensor) return `Tensor(${v.dtype}, [${v.shape.join(', ')}])`;
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (v instanceof Map) return `dict of ${v.size}`;
  if (v instanceof Tuple) return `tuple of ${v.items.length}`;
  if (isObjectValue(v)) return `object of ${v.type.str()}`;
  return `${String(v)}${type ? ` : ${type.str()}` : ''}`;
}
