// The state of the pickle virtual machine (stack, MARKs, memo) and the operations opcodes share: pops that respect
// MARK boundaries, calls of allow-listed globals, BUILD, APPEND and SETITEM, each failing with BAD_PICKLE.

import { ByteReader } from './byte-reader.js';
import type { GlobalRegistry } from './globals.js';
import { opcodeName } from './opcodes.js';
import { pickleError } from './pickle-errors.js';
import { torchGlobals, torchPersistentLoad } from './torch-tensors.js';
import {
  describeValue,
  PickledObject,
  PickleGlobal,
  PickleTuple,
  noteSourceMemoization,
  type CallSite,
  type PickleValue,
} from './values.js';

/** Options of the pickle machine (see `unpickle`). */
export interface MachineOptions {
  /** What error messages call the pickle (`model.pt:data.pkl`). Default `<pickle>`. */
  readonly name?: string;
  /** The allow-list of globals. Default: `torchGlobals()` (tensors come back as TensorRef). */
  readonly globals?: GlobalRegistry;
  /** Resolves persistent ids (BINPERSID/PERSID). Default: `torchPersistentLoad` (gives StorageRef). */
  readonly persistentLoad?: (pid: PickleValue, site: CallSite) => PickleValue;
}

/** Stack, marks and memo of one unpickling run, with the checked operations opcodes are made of. */
export class PickleMachine {
  protected readonly reader: ByteReader;
  protected readonly source: string;
  protected readonly globals: GlobalRegistry;
  protected readonly persistentLoad: (pid: PickleValue, site: CallSite) => PickleValue;
  protected stack: PickleValue[] = [];
  /** Stack heights at each open MARK; items below the innermost mark are out of reach, as in CPython. */
  protected readonly marks: number[] = [];
  protected readonly memo = new Map<number, PickleValue>();
  /** Offset of the opcode being executed, for messages. */
  protected at = 0;

  constructor(bytes: Uint8Array, options: MachineOptions) {
    this.source = options.name ?? '<pickle>';
    this.reader = new ByteReader(bytes, this.source);
    this.globals = options.globals ?? torchGlobals();
    this.persistentLoad = options.persistentLoad ?? torchPersistentLoad;
  }

  protected fail(what: string): never {
    throw pickleError('BAD_PICKLE', this.source, what, this.at);
  }

  protected get site(): CallSite {
    return { source: this.source, offset: this.at };
  }

  protected push(value: PickleValue): void {
    this.stack.push(value);
  }

  protected pop(): PickleValue {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) this.fail(`${opcodeName(this.reader.bytes[this.at])} on an empty stack`);
    return this.stack.pop() as PickleValue;
  }

  protected top(): PickleValue {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) this.fail(`${opcodeName(this.reader.bytes[this.at])} on an empty stack`);
    return this.stack[this.stack.length - 1];
  }

  /** Pops everything above the innermost MARK, and the mark. */
  protected popMark(): PickleValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) this.fail(`${opcodeName(this.reader.bytes[this.at])} without a MARK`);
    return this.stack.splice(mark);
  }

  protected memoPut(index: number, value: PickleValue): void {
    this.memo.set(index, value);
    noteSourceMemoization(value, true);
  }

  protected memoGet(index: number): PickleValue {
    const value = this.memo.get(index);
    if (value === undefined) this.fail(`memo entry ${index} is read before it is written`);
    return value;
  }

  protected resolveGlobal(module: string, name: string): PickleGlobal {
    return this.globals.resolve(module, name, this.site);
  }

  /** Calls a global (REDUCE, NEWOBJ, INST, OBJ): classes become PickledObjects, functions run. */
  protected call(callable: PickleValue, args: readonly PickleValue[]): PickleValue {
    if (!(callable instanceof PickleGlobal)) this.fail(`cannot call a ${describeValue(callable)}`);
    const behaviour = callable.behaviour;
    if (behaviour.kind === 'class') {
      const object = new PickledObject(callable.qualifiedName, undefined, new PickleTuple([...args]));
      noteSourceMemoization(object, false);
      return object;
    }
    if (behaviour.kind === 'function') return behaviour.call(args, this.site);
    return this.fail(`'${callable.qualifiedName}' cannot be called`);
  }

  protected tupleArgs(value: PickleValue): readonly PickleValue[] {
    if (!(value instanceof PickleTuple))
      this.fail(`call arguments must be a tuple, got ${describeValue(value)}`);
    return value.items;
  }

  protected build(): void {
    const state = this.pop();
    const target = this.top();
    if (target instanceof PickledObject) {
      if (target.state instanceof Map && state instanceof Map)
        for (const [k, v] of state) target.state.set(k, v);
      else target.state = state;
      return;
    }
    // OrderedDicts carry their __dict__ (torch.save's `_metadata`) this way; the dict itself is what matters.
    if (target instanceof Map) return;
    this.fail(`BUILD on a ${describeValue(target)}`);
  }

  protected appendAll(items: PickleValue[]): void {
    const list = this.top();
    if (!Array.isArray(list)) this.fail(`APPEND to a ${describeValue(list)}`);
    for (const item of items) list.push(item);
  }

  protected setAll(items: PickleValue[]): void {
    const dict = this.top();
    if (!(dict instanceof Map)) this.fail(`SETITEM on a ${describeValue(dict)}`);
    if (items.length % 2 !== 0) this.fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  }

  protected textArg(what: string): string {
    return this.reader.line(what, this.at);
  }

  protected fromText<T>(value: T | undefined, what: string): T {
    if (value === undefined) this.fail(`malformed ${what} argument`);
    return value;
  }
}
