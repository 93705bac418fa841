// The pickle virtual machine (protocols 0-5), restricted: globals resolve only through an allow-list registry,
// every length is checked against the input, and the result is checked for depth and cycles before it is returned.

import { TsFreezeError } from '../../errors.js';
import { currentLimits } from '../../limits.js';
import { decodeLong, latin1, type ByteReader } from './byte-reader.js';
import { checkStructure } from './check-structure.js';
import { HIGHEST_PROTOCOL, OP, opcodeName } from './opcodes.js';
import { PickleMachine, type MachineOptions } from './pickle-machine.js';
import { pickleError } from './pickle-errors.js';
import {
  decodeRawUnicodeEscape,
  decodeStringLiteral,
  parseFloatLine,
  parseIntLine,
  parseLongLine,
} from './protocol0.js';
import { PickleFloat, PickleTuple, type PickleDict, type PickleValue } from './values.js';

/**
 * Options of {@link unpickle}: `name` (what error messages call the pickle, default `<pickle>`), `globals`
 * (the allow-list, default `torchGlobals()`, so tensors come back as TensorRef), `persistentLoad`
 * (default `torchPersistentLoad`, giving StorageRef) and `maxDepth`.
 */
export interface UnpickleOptions extends MachineOptions {
  /** Deepest nesting of containers accepted (default: the maxPickleDepth limit). */
  readonly maxDepth?: number;
}

/** @deprecated the default nesting limit is now the maxPickleDepth limit (src/limits.ts). */
export const DEFAULT_MAX_DEPTH = 5000;

/**
 * Decodes one pickle into neutral values (see PickleValue). Throws SerializationError with code
 * FORBIDDEN_GLOBAL, UNKNOWN_OPCODE, TRUNCATED, BAD_LENGTH, TOO_DEEP, CYCLIC_PICKLE, BAD_PICKLE,
 * UNSUPPORTED_PICKLE, BAD_PERSISTENT_ID or BAD_TENSOR; messages name the pickle and the byte offset.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions = {}): PickleValue {
  return new Unpickler(bytes, options).load();
}

/** One run of the pickle machine over one input. */
class Unpickler extends PickleMachine {
  private readonly maxDepth: number;

  constructor(bytes: Uint8Array, options: UnpickleOptions) {
    super(bytes, options);
    this.maxDepth = options.maxDepth ?? currentLimits().maxPickleDepth;
  }

  load(): PickleValue {
    let result: PickleValue;
    try {
      result = this.run();
    } catch (error) {
      if (error instanceof TsFreezeError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw pickleError('BAD_PICKLE', this.source, `cannot unpickle (${why})`, this.at, error);
    }
    checkStructure(result, this.maxDepth, this.source);
    return result;
  }

  private run(): PickleValue {
    const r = this.reader;
    const bytes = r.bytes;
    const handlers = HANDLERS;
    for (;;) {
      const at = r.position;
      this.at = at;
      if (at >= bytes.length)
        throw pickleError('TRUNCATED', this.source, 'truncated pickle: input ends without STOP', at);
      const op = bytes[at];
      r.position = at + 1;
      if (op === STOP) return this.pop();
      const handler = handlers[op];
      if (handler === undefined) {
        throw pickleError(
          'UNKNOWN_OPCODE',
          this.source,
          `unknown opcode ${opcodeName(op)} ('${printableByte(op)}')`,
          at,
        );
      }
      handler(this, r, at);
    }
  }

  // What each opcode does, by name (STOP is the loop's). One table lookup per opcode: a switch over 68
  // `case OP.X` labels compares its way down the list, and that was most of unpickling data.pkl (cold code).
  static handlers(): Partial<Record<OpName, Handler>> {
    const unsupported =
      (why: string): Handler =>
      (m, _r, at) => {
        throw pickleError('UNSUPPORTED_PICKLE', m.source, `${opcodeName(m.reader.bytes[at])}: ${why}`, at);
      };
    const call: Handler = (m) => {
      const args = m.tupleArgs(m.pop());
      m.push(m.call(m.pop(), args));
    };
    return {
      PROTO: (m, r, at) => {
        const version = r.u8('PROTO', at);
        if (version > HIGHEST_PROTOCOL) {
          throw pickleError(
            'UNSUPPORTED_PICKLE',
            m.source,
            `pickle protocol ${version} is not supported (0 to ${HIGHEST_PROTOCOL})`,
            at,
          );
        }
      },
      // Frames only group opcodes for buffered reading; the declared length must still fit.
      FRAME: (m, r, at) => {
        const length = r.u64('FRAME', at);
        if (length > r.remaining) {
          throw pickleError(
            'BAD_LENGTH',
            m.source,
            `FRAME declares ${length} bytes but only ${r.remaining} remain`,
            at,
          );
        }
      },
      MARK: (m) => void m.marks.push(m.stack.length),
      POP: (m) => {
        if (m.stack.length > (m.marks.at(-1) ?? 0)) m.stack.pop();
        else m.popMark();
      },
      POP_MARK: (m) => void m.popMark(),
      DUP: (m) => m.push(m.top()),
      // Scalars.
      NONE: (m) => m.push(null),
      NEWTRUE: (m) => m.push(true),
      NEWFALSE: (m) => m.push(false),
      BININT: (m, r, at) => m.push(r.i32('BININT', at)),
      BININT1: (m, r, at) => m.push(r.u8('BININT1', at)),
      BININT2: (m, r, at) => m.push(r.u16('BININT2', at)),
      LONG1: (m, r, at) => m.push(decodeLong(r.take(r.u8('LONG1', at), 'LONG1', at))),
      LONG4: (m, r, at) => {
        const length = r.i32('LONG4', at);
        m.push(decodeLong(r.take(length, 'LONG4', at)));
      },
      INT: (m) => m.push(m.fromText(parseIntLine(m.textArg('INT')), 'INT')),
      LONG: (m) => m.push(m.fromText(parseLongLine(m.textArg('LONG')), 'LONG')),
      BINFLOAT: (m, r, at) => m.push(new PickleFloat(r.f64be('BINFLOAT', at))),
      FLOAT: (m) => m.push(new PickleFloat(m.fromText(parseFloatLine(m.textArg('FLOAT')), 'FLOAT'))),
      // Strings and bytes.
      BINUNICODE: (m, r, at) => m.push(r.utf8(r.u32('BINUNICODE', at), 'BINUNICODE', at)),
      SHORT_BINUNICODE: (m, r, at) => m.push(r.utf8(r.u8('SHORT_BINUNICODE', at), 'SHORT_BINUNICODE', at)),
      BINUNICODE8: (m, r, at) => m.push(r.utf8(r.u64('BINUNICODE8', at), 'BINUNICODE8', at)),
      UNICODE: (m) => m.push(m.fromText(decodeRawUnicodeEscape(m.textArg('UNICODE')), 'UNICODE')),
      STRING: (m) => m.push(m.fromText(decodeStringLiteral(m.textArg('STRING')), 'STRING')),
      BINSTRING: (m, r, at) => m.push(latin1(r.take(r.i32('BINSTRING', at), 'BINSTRING', at))),
      SHORT_BINSTRING: (m, r, at) =>
        m.push(latin1(r.take(r.u8('SHORT_BINSTRING', at), 'SHORT_BINSTRING', at))),
      BINBYTES: (m, r, at) => m.push(r.take(r.u32('BINBYTES', at), 'BINBYTES', at).slice()),
      SHORT_BINBYTES: (m, r, at) => m.push(r.take(r.u8('SHORT_BINBYTES', at), 'SHORT_BINBYTES', at).slice()),
      BINBYTES8: (m, r, at) => m.push(r.take(r.u64('BINBYTES8', at), 'BINBYTES8', at).slice()),
      BYTEARRAY8: (m, r, at) => m.push(r.take(r.u64('BYTEARRAY8', at), 'BYTEARRAY8', at).slice()),
      // Containers.
      EMPTY_TUPLE: (m) => m.push(new PickleTuple([])),
      TUPLE1: (m) => {
        const a = m.pop();
        m.push(new PickleTuple([a]));
      },
      TUPLE2: (m) => {
        const b = m.pop();
        const a = m.pop();
        m.push(new PickleTuple([a, b]));
      },
      TUPLE3: (m) => {
        const c = m.pop();
        const b = m.pop();
        const a = m.pop();
        m.push(new PickleTuple([a, b, c]));
      },
      TUPLE: (m) => m.push(new PickleTuple(m.popMark())),
      EMPTY_LIST: (m) => m.push([]),
      LIST: (m) => m.push(m.popMark()),
      APPEND: (m) => {
        const item = m.pop();
        m.appendAll([item]);
      },
      APPENDS: (m) => m.appendAll(m.popMark()),
      EMPTY_DICT: (m) => m.push(new Map() as PickleDict),
      DICT: (m) => {
        const items = m.popMark();
        m.push(new Map() as PickleDict);
        m.setAll(items);
      },
      SETITEM: (m) => {
        const value = m.pop();
        const key = m.pop();
        m.setAll([key, value]);
      },
      SETITEMS: (m) => m.setAll(m.popMark()),
      // Memo.
      BINPUT: (m, r, at) => m.memoPut(r.u8('BINPUT', at), m.top()),
      LONG_BINPUT: (m, r, at) => m.memoPut(r.u32('LONG_BINPUT', at), m.top()),
      PUT: (m) => m.memoPut(Number(m.fromText(parseLongLine(m.textArg('PUT')), 'PUT')), m.top()),
      MEMOIZE: (m) => m.memoPut(m.memo.size, m.top()),
      BINGET: (m, r, at) => m.push(m.memoGet(r.u8('BINGET', at))),
      LONG_BINGET: (m, r, at) => m.push(m.memoGet(r.u32('LONG_BINGET', at))),
      GET: (m) => m.push(m.memoGet(Number(m.fromText(parseLongLine(m.textArg('GET')), 'GET')))),
      // Globals, calls and objects.
      GLOBAL: (m) => {
        const module = m.textArg('GLOBAL module');
        const name = m.textArg('GLOBAL name');
        m.push(m.resolveGlobal(module, name));
      },
      STACK_GLOBAL: (m) => {
        const name = m.pop();
        const module = m.pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          return m.fail('STACK_GLOBAL needs two strings');
        m.push(m.resolveGlobal(module, name));
      },
      REDUCE: call,
      NEWOBJ: call,
      NEWOBJ_EX: (m) => {
        const kwargs = m.pop();
        const args = m.tupleArgs(m.pop());
        if (!(kwargs instanceof Map) || kwargs.size > 0)
          m.fail('NEWOBJ_EX with keyword arguments is not supported');
        m.push(m.call(m.pop(), args));
      },
      INST: (m) => {
        const cls = m.resolveGlobal(m.textArg('INST module'), m.textArg('INST name'));
        m.push(m.call(cls, m.popMark()));
      },
      OBJ: (m) => {
        const [cls, ...args] = m.popMark();
        m.push(m.call(cls ?? null, args));
      },
      BUILD: (m) => m.build(),
      BINPERSID: (m) => m.push(m.persistentLoad(m.pop(), m.site)),
      PERSID: (m) => m.push(m.persistentLoad(m.textArg('PERSID'), m.site)),
      EMPTY_SET: unsupported('sets are not supported (TorchScript has none)'),
      ADDITEMS: unsupported('sets are not supported (TorchScript has none)'),
      FROZENSET: unsupported('sets are not supported (TorchScript has none)'),
      EXT1: unsupported('the copyreg extension registry is not supported'),
      EXT2: unsupported('the copyreg extension registry is not supported'),
      EXT4: unsupported('the copyreg extension registry is not supported'),
      NEXT_BUFFER: unsupported('out-of-band buffers are not supported'),
      READONLY_BUFFER: unsupported('out-of-band buffers are not supported'),
    };
  }
}

type OpName = keyof typeof OP;
type Handler = (m: Unpickler, r: ByteReader, at: number) => void;

const STOP = OP.STOP;
// Indexed by opcode byte; undefined for bytes that are no opcode (and for STOP).
const HANDLERS: (Handler | undefined)[] = (() => {
  const table = new Array<Handler | undefined>(256).fill(undefined);
  for (const [name, handler] of Object.entries(Unpickler.handlers())) table[OP[name as OpName]] = handler;
  return table;
})();

function printableByte(code: number): string {
  return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : `\\x${code.toString(16).padStart(2, '0')}`;
}
