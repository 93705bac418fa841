// The neutral, typed values the unpickler produces and the pickler consumes. They keep the distinctions
// TorchScript needs (1 vs 1.0, tuple vs list, List[int] vs a generic list) without knowing any ClassType.

import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A Python float. Wrapped so that `1.0` stays distinguishable from the int `1`. */
export class PickleFloat {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return Number.isInteger(this.value) ? this.value.toFixed(1) : String(this.value);
  }
}

/** A Python tuple (immutable; distinct from a list). */
export class PickleTuple implements Iterable<PickleValue> {
  constructor(readonly items: readonly PickleValue[]) {}

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<PickleValue> {
    return this.items[Symbol.iterator]();
  }
}

/** Where a global is called from, for error messages. */
export interface CallSite {
  readonly source: string;
  readonly offset: number;
}

/** How a resolved global behaves when the pickle calls it or names it. */
export type GlobalBehaviour =
  /** A pure data constructor (REDUCE / NEWOBJ call it with the argument tuple's items). */
  | {
      readonly kind: 'function';
      readonly call: (args: readonly PickleValue[], site: CallSite) => PickleValue;
    }
  /** A TorchScript class (`__torch__.*`): NEWOBJ/REDUCE make a PickledObject, BUILD sets its state. */
  | { readonly kind: 'class' }
  /** A storage type (`torch.FloatStorage`): only a marker inside persistent ids. */
  | { readonly kind: 'storage'; readonly dtype: DType };

/** A global the allow-list resolved (`torch._utils._rebuild_tensor_v2`, `__torch__.MyModule`, `torch.FloatStorage`). */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly behaviour: GlobalBehaviour,
  ) {}

  /** `module.name`, as Python prints it. */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * An instance of a TorchScript class, built by `GLOBAL '__torch__... Cls'`, `NEWOBJ` and `BUILD`.
 * Modules carry a dict (Map) of attribute name -> value as `state`; classes with `__getstate__` carry
 * whatever it returned. The module layer maps it onto a ClassType.
 */
export class PickledObject {
  constructor(
    /** Fully qualified class name: `__torch__.torch.nn.modules.linear.Linear`. */
    readonly className: string,
    /** The state BUILD applied; undefined until then (an object without BUILD has none). */
    public state: PickleValue | undefined = undefined,
    /** Arguments given to NEWOBJ/REDUCE (empty for everything PyTorch writes). */
    readonly args: PickleTuple = new PickleTuple([]),
  ) {}
}

// Whether the pickle a container or object was read from memoized it (PyTorch memoizes one only while
// something else holds it, which the pickle alone cannot tell): re-pickling it then writes the same bytes.
const sourceMemoization = new WeakMap<object, boolean>();

/** Records that the unpickled `value` was (or was not) memoized by its pickle. */
export function noteSourceMemoization(value: PickleValue, memoized: boolean): void {
  if (typeof value === 'object' && value !== null) sourceMemoization.set(value, memoized);
}

/** Whether the pickle `value` was read from memoized it; undefined for values not read from a pickle. */
export function sourceMemoized(value: object): boolean | undefined {
  return sourceMemoization.get(value);
}

/** A `torch.device` (`cpu`, `cuda:0`). */
export class PickleDevice {
  constructor(
    readonly type: string,
    readonly index: number | null = null,
  ) {}

  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
}

/** A storage record named by a persistent id: `('storage', torch.FloatStorage, '0', 'cpu', 6)`. */
export class StorageRef {
  constructor(
    /** Record name: `0` for `data/0` (or `constants/0`). */
    readonly key: string,
    readonly dtype: DType,
    /** Where it was saved (`cpu`, `cuda:0`); tsfreeze computes on the CPU regardless. */
    readonly device: string,
    /** Number of elements in the whole storage. */
    readonly numel: number,
  ) {}
}

/** A tensor whose storage was not loaded: what `_rebuild_tensor_v2` gives without a storage loader. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    /** Offset into the storage, in elements. */
    readonly offset: number,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly requiresGrad: boolean,
  ) {}

  get dtype(): DType {
    return this.storage.dtype;
  }
}

/** A Python dict: keys are str, int, float, bool, None or tuples; insertion order is kept as in Python. */
export type PickleDict = Map<PickleValue, PickleValue>;

/**
 * Any value a pickle can hold here. Ints are numbers, or bigints outside the safe range; floats are
 * PickleFloat; None is null; bytes are Uint8Array; lists are arrays; dicts are Maps.
 */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleFloat
  | PickleTuple
  | PickleValue[]
  | PickleDict
  | PickledObject
  | PickleGlobal
  | PickleDevice
  | StorageRef
  | TensorRef
  | Tensor;

const typeTags = new WeakMap<object, string>();

/**
 * The TorchScript type PyTorch recorded for a list or dict: `List[int]` (from `build_intlist`),
 * `List[Tensor]`, `List[float]`, `List[bool]`, or any string given to `restore_type_tag`
 * (`Dict[str, float]`, `List[str]`). Undefined for untagged values.
 */
export function typeTagOf(value: PickleValue): string | undefined {
  return typeof value === 'object' && value !== null ? typeTags.get(value) : undefined;
}

/** Records the TorchScript type of a list or dict (the pickler writes it back the way PyTorch does). */
export function setTypeTag<T extends PickleValue[] | PickleDict>(value: T, tag: string): T {
  typeTags.set(value, tag);
  return value;
}

/** The plain JS number of an int or float value, or undefined when it is neither. */
export function numberOf(value: PickleValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof PickleFloat) return value.value;
  return undefined;
}

/** A short description of a value's Python type for error messages (`tuple`, `int`, `__torch__.M`). */
export function describeValue(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof PickleFloat) return 'float';
  if (value instanceof PickleTuple) return 'tuple';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Map) return 'dict';
  if (value instanceof PickledObject) return value.className;
  if (value instanceof PickleGlobal) return value.qualifiedName;
  if (value instanceof PickleDevice) return 'torch.device';
  if (value instanceof StorageRef) return 'storage';
  return 'Tensor';
}
