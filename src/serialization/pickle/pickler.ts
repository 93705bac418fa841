// Writes values as pickle protocol 2 in the style of torch.jit.save's data.pkl / constants.pkl: the same opcodes,
// the same memoization (strings and globals by value; storages, tensors, objects and shared containers by identity)
// and PyTorch's list/dict type-tag forms, so PyTorch reads the result and it matches PyTorch's own bytes.

import { currentLimits } from '../../limits.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { Tensor, type Storage } from '../../tensor/tensor.js';
import { ByteWriter } from './byte-writer.js';
import { checkStructure, childrenOf } from './check-structure.js';
import { OP } from './opcodes.js';
import { pickleError } from './pickle-errors.js';
import {
  describeValue,
  PickledObject,
  PickleDevice,
  PickleFloat,
  PickleGlobal,
  PickleTuple,
  sourceMemoized,
  StorageRef,
  TensorRef,
  typeTagOf,
  type PickleValue,
} from './values.js';

/** A storage the pickle refers to by persistent id; the archive writer stores it as `<folder>/<key>`. */
export interface PickledStorage {
  readonly key: string;
  readonly storage: Storage | StorageRef;
  readonly dtype: DType;
  /** Elements in the storage (as written in the persistent id). */
  readonly numel: number;
}

/** Options of {@link pickle}. */
export interface PickleOptions {
  /** The record key of a storage. Default: `'0'`, `'1'`, ... in order of first use (what torch.jit.save does). */
  readonly persistentId?: (storage: Storage | StorageRef) => string;
  /** Deepest nesting accepted (default: the maxPickleDepth limit). */
  readonly maxDepth?: number;
}

/** The pickle's bytes and the storages it references, each once, in first-use order. */
export interface PickleResult {
  readonly bytes: Uint8Array;
  readonly storages: PickledStorage[];
}

const SOURCE = '<pickler>';
/** Lists whose type tag has a dedicated `torch.jit._pickle` builder. */
const LIST_BUILDERS: Readonly<Record<string, string>> = {
  'List[int]': 'build_intlist',
  'List[float]': 'build_doublelist',
  'List[bool]': 'build_boollist',
  'List[Tensor]': 'build_tensorlist',
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Pickles `value` (protocol 2). Tensors (Tensor or TensorRef) are written as
 * `torch._utils._rebuild_tensor_v2(persistent_id(('storage', torch.<T>Storage, key, device, numel)), ...)`.
 * Throws UNPICKLABLE for values outside PickleValue, TOO_DEEP / CYCLIC_PICKLE for bad structures.
 */
export function pickle(value: PickleValue, options: PickleOptions = {}): PickleResult {
  checkStructure(value, options.maxDepth ?? currentLimits().maxPickleDepth, SOURCE);
  return new Pickler(options, countContainerUses(value)).run(value);
}

type Container = PickleValue[] | Map<PickleValue, PickleValue> | PickleTuple | PickledObject;

/** How many times each container is referenced (a shared list/dict/tuple is memoized, as PyTorch does). */
function countContainerUses(root: PickleValue): Map<Container, number> {
  const counts = new Map<Container, number>();
  const pending: PickleValue[] = [root];
  while (pending.length > 0) {
    const value = pending.pop() as PickleValue;
    if (!(
      Array.isArray(value) ||
      value instanceof Map ||
      value instanceof PickleTuple ||
      value instanceof PickledObject
    ))
      continue;
    const seen = counts.get(value) ?? 0;
    counts.set(value, seen + 1);
    if (seen === 0) pending.push(...childrenOf(value));
  }
  return counts;
}

class Pickler {
  private readonly out = new ByteWriter();
  private nextMemo = 0;
  private readonly strings = new Map<string, number>();
  private readonly globals = new Map<string, number>();
  /** Tensors, storages, objects and shared containers already written, by identity. */
  private readonly objects = new Map<unknown, number>();
  private readonly storages: PickledStorage[] = [];

  constructor(
    private readonly options: PickleOptions,
    private readonly uses: Map<Container, number>,
  ) {}

  run(value: PickleValue): PickleResult {
    this.out.u8(OP.PROTO);
    this.out.u8(2);
    this.write(value);
    this.out.u8(OP.STOP);
    return { bytes: this.out.finish(), storages: this.storages };
  }

  private put(): number {
    const index = this.nextMemo++;
    if (index < 256) {
      this.out.u8(OP.BINPUT);
      this.out.u8(index);
    } else {
      this.out.u8(OP.LONG_BINPUT);
      this.out.u32(index);
    }
    return index;
  }

  private get(index: number): void {
    if (index < 256) {
      this.out.u8(OP.BINGET);
      this.out.u8(index);
    } else {
      this.out.u8(OP.LONG_BINGET);
      this.out.u32(index);
    }
  }

  /** Writes `value`, or a memo GET if it was written before under `key`. */
  private memoized(key: unknown, writeIt: () => void): void {
    const known = this.objects.get(key);
    if (known !== undefined) return this.get(known);
    writeIt();
    this.objects.set(key, this.put());
  }

  private write(value: PickleValue): void {
    if (value === null) return this.out.u8(OP.NONE);
    if (value === true) return this.out.u8(OP.NEWTRUE);
    if (value === false) return this.out.u8(OP.NEWFALSE);
    if (typeof value === 'number')
      return Number.isInteger(value) ? this.writeInt(BigInt(value)) : this.writeFloat(value);
    if (typeof value === 'bigint') return this.writeInt(value);
    if (typeof value === 'string') return this.writeString(value);
    if (value instanceof PickleFloat) return this.writeFloat(value.value);
    if (value instanceof Uint8Array) return this.writeBytes(value);
    if (value instanceof PickleTuple) return this.shared(value, () => this.writeTuple(value.items));
    if (Array.isArray(value)) return this.shared(value, () => this.writeList(value));
    if (value instanceof Map) return this.shared(value, () => this.writeDict(value));
    if (value instanceof PickledObject) return this.object(value);
    if (value instanceof Tensor || value instanceof TensorRef)
      return this.memoized(value, () => this.writeTensor(value));
    if (value instanceof StorageRef) return this.writeStorage(value, value.dtype, value.numel, value.device);
    if (value instanceof PickleGlobal) return this.writeGlobal(value.module, value.name);
    if (value instanceof PickleDevice) return this.writeDevice(value);
    throw pickleError(
      'UNPICKLABLE',
      SOURCE,
      `cannot pickle a ${describeValue(value as PickleValue)} (${String(value)})`,
    );
  }

  /**
   * Containers are memoized only when referenced more than once, like PyTorch's use-count rule, or when
   * the pickle they were read from memoized them.
   */
  private shared(value: Container, writeIt: () => void): void {
    if ((this.uses.get(value) ?? 0) > 1 || sourceMemoized(value) === true) this.memoized(value, writeIt);
    else writeIt();
  }

  /** Objects are memoized, except those read from a pickle that did not memoize them. */
  private object(value: PickledObject): void {
    if ((this.uses.get(value) ?? 0) <= 1 && sourceMemoized(value) === false) this.writeObject(value);
    else this.memoized(value, () => this.writeObject(value));
  }

  private writeInt(value: bigint): void {
    if (value >= 0n && value < 0x100n) {
      this.out.u8(OP.BININT1);
      this.out.u8(Number(value));
    } else if (value >= 0n && value < 0x10000n) {
      this.out.u8(OP.BININT2);
      this.out.u16(Number(value));
    } else if (value >= -(2n ** 31n) && value < 2n ** 31n) {
      this.out.u8(OP.BININT);
      this.out.i32(Number(value));
    } else {
      // PyTorch writes every other int64 as an 8-byte LONG1; wider Python ints take as many bytes as needed.
      const bytes = value >= INT64_MIN && value <= INT64_MAX ? 8 : minimalLongBytes(value);
      if (bytes < 256) {
        this.out.u8(OP.LONG1);
        this.out.u8(bytes);
      } else {
        this.out.u8(OP.LONG4);
        this.out.i32(bytes);
      }
      let rest = BigInt.asUintN(bytes * 8, value);
      for (let i = 0; i < bytes; i++) {
        this.out.u8(Number(rest & 0xffn));
        rest >>= 8n;
      }
    }
  }

  private writeFloat(value: number): void {
    this.out.u8(OP.BINFLOAT);
    this.out.f64be(value);
  }

  private writeString(value: string): void {
    const known = this.strings.get(value);
    if (known !== undefined) return this.get(known);
    const bytes = new TextEncoder().encode(value);
    this.out.u8(OP.BINUNICODE);
    this.out.u32(bytes.length);
    this.out.bytes(bytes);
    this.strings.set(value, this.put());
  }

  /** Protocol 2 has no bytes opcode: Python 3 writes `_codecs.encode(latin1_text, 'latin1')`. */
  private writeBytes(value: Uint8Array): void {
    this.writeGlobal('_codecs', 'encode');
    let text = '';
    for (const byte of value) text += String.fromCharCode(byte);
    this.writeString(text);
    this.writeString('latin1');
    this.out.u8(OP.TUPLE2);
    this.out.u8(OP.REDUCE);
  }

  private writeGlobal(module: string, name: string): void {
    const key = `${module}\n${name}`;
    const known = this.globals.get(key);
    if (known !== undefined) return this.get(known);
    if (module.includes('\n') || name.includes('\n') || name === '') {
      throw pickleError('UNPICKLABLE', SOURCE, `bad global name '${module}.${name}'`);
    }
    this.out.u8(OP.GLOBAL);
    this.out.ascii(`${module}\n${name}\n`);
    this.globals.set(key, this.put());
  }

  private writeTuple(items: readonly PickleValue[]): void {
    if (items.length === 0) return this.out.u8(OP.EMPTY_TUPLE);
    if (items.length > 3) this.out.u8(OP.MARK);
    for (const item of items) this.write(item);
    this.out.u8(items.length > 3 ? OP.TUPLE : [OP.TUPLE1, OP.TUPLE2, OP.TUPLE3][items.length - 1]);
  }

  /** A tuple written with MARK ... TUPLE whatever its length (how PyTorch writes tensor sizes and call args). */
  private writeMarkedTuple(items: readonly PickleValue[]): void {
    this.out.u8(OP.MARK);
    for (const item of items) this.write(item);
    this.out.u8(OP.TUPLE);
  }

  private writeListBody(items: readonly PickleValue[]): void {
    this.out.u8(OP.EMPTY_LIST);
    this.out.u8(OP.MARK);
    for (const item of items) this.write(item);
    this.out.u8(OP.APPENDS);
  }

  private writeList(list: PickleValue[]): void {
    const tag = typeTagOf(list);
    const builder = tag === undefined ? undefined : LIST_BUILDERS[tag];
    if (builder !== undefined) {
      this.writeGlobal('torch.jit._pickle', builder);
      this.out.u8(OP.MARK);
      this.writeListBody(list);
      this.out.u8(OP.TUPLE);
      this.out.u8(OP.REDUCE);
    } else if (tag !== undefined) {
      this.withTypeTag(tag, () => this.writeListBody(list));
    } else {
      this.writeListBody(list);
    }
  }

  private writeDict(dict: Map<PickleValue, PickleValue>): void {
    const body = (): void => {
      this.out.u8(OP.EMPTY_DICT);
      this.out.u8(OP.MARK);
      for (const [key, item] of dict) {
        this.write(key);
        this.write(item);
      }
      this.out.u8(OP.SETITEMS);
    };
    const tag = typeTagOf(dict);
    if (tag === undefined) body();
    else this.withTypeTag(tag, body);
  }

  /** `torch.jit._pickle.restore_type_tag(value, 'Dict[str, float]')`. */
  private withTypeTag(tag: string, body: () => void): void {
    this.writeGlobal('torch.jit._pickle', 'restore_type_tag');
    body();
    this.writeString(tag);
    this.out.u8(OP.TUPLE2);
    this.out.u8(OP.REDUCE);
  }

  private writeObject(object: PickledObject): void {
    const dot = object.className.lastIndexOf('.');
    if (dot <= 0 || dot === object.className.length - 1) {
      throw pickleError('UNPICKLABLE', SOURCE, `class name '${object.className}' has no module part`);
    }
    this.writeGlobal(object.className.slice(0, dot), object.className.slice(dot + 1));
    this.writeTuple(object.args.items);
    this.out.u8(OP.NEWOBJ);
    if (object.state === undefined) return;
    this.write(object.state);
    this.out.u8(OP.BUILD);
  }

  private writeDevice(device: PickleDevice): void {
    this.writeGlobal('torch', 'device');
    this.writeString(device.toString());
    this.out.u8(OP.TUPLE1);
    this.out.u8(OP.REDUCE);
  }

  /** `('storage', torch.FloatStorage, key, device, numel)` BINPERSID, written once per storage. */
  private writeStorage(storage: Storage | StorageRef, dtype: DType, numel: number, device: string): void {
    // Distinct StorageRef objects naming one record are the same storage.
    const identity = storage instanceof StorageRef ? `ref:${storage.key}` : storage;
    this.memoized(identity, () => {
      const key = this.options.persistentId
        ? this.options.persistentId(storage)
        : String(this.storages.length);
      this.storages.push({ key, storage, dtype, numel });
      this.out.u8(OP.MARK);
      this.writeString('storage');
      this.writeGlobal('torch', DTYPES[dtype].storageName);
      this.writeString(key);
      this.writeString(device);
      this.writeInt(BigInt(numel));
      this.out.u8(OP.TUPLE);
      this.out.u8(OP.BINPERSID);
    });
  }

  private writeTensor(tensor: Tensor | TensorRef): void {
    this.writeGlobal('torch._utils', '_rebuild_tensor_v2');
    this.out.u8(OP.MARK);
    if (tensor instanceof Tensor) {
      this.writeStorage(tensor.storage, tensor.dtype, tensor.storage.numel, tensor.device);
    } else {
      this.writeStorage(tensor.storage, tensor.dtype, tensor.storage.numel, tensor.storage.device);
    }
    this.writeInt(BigInt(tensor.offset));
    this.writeMarkedTuple(tensor.shape);
    this.writeMarkedTuple(tensor.strides);
    this.write(tensor.requiresGrad);
    this.writeGlobal('collections', 'OrderedDict');
    this.out.u8(OP.EMPTY_TUPLE);
    this.out.u8(OP.REDUCE);
    this.out.u8(OP.TUPLE);
    this.out.u8(OP.REDUCE);
  }
}

/** Bytes of the shortest two's complement form of `value` (Python's LONG1 encoding). */
function minimalLongBytes(value: bigint): number {
  let bytes = 1;
  while (value < -(1n << BigInt(bytes * 8 - 1)) || value >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  return bytes;
}
