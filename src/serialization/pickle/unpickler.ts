// The pickle virtual machine (protocols 0-5), restricted: globals resolve only through an allow-list registry,
// every length is checked against the input, and the result is checked for depth and cycles before it is returned.

import { TsFreezeError } from '../../errors.js';
import { currentLimits } from '../../limits.js';
import { decodeLong, latin1 } from './byte-reader.js';
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
    for (;;) {
      this.at = r.position;
      if (r.atEnd)
        throw pickleError('TRUNCATED', this.source, 'truncated pickle: input ends without STOP', this.at);
      const op = r.u8('opcode', this.at);
      const at = this.at;
      switch (op) {
        case OP.PROTO: {
          const version = r.u8('PROTO', at);
          if (version > HIGHEST_PROTOCOL) {
            throw pickleError(
              'UNSUPPORTED_PICKLE',
              this.source,
              `pickle protocol ${version} is not supported (0 to ${HIGHEST_PROTOCOL})`,
              at,
            );
          }
          break;
        }
        case OP.FRAME:
          // Frames only group opcodes for buffered reading; the declared length must still fit.
          {
            const length = r.u64('FRAME', at);
            if (length > r.remaining) {
              throw pickleError(
                'BAD_LENGTH',
                this.source,
                `FRAME declares ${length} bytes but only ${r.remaining} remain`,
                at,
              );
            }
          }
          break;
        case OP.STOP:
          return this.pop();
        case OP.MARK:
          this.marks.push(this.stack.length);
          break;
        case OP.POP:
          if (this.stack.length > (this.marks.at(-1) ?? 0)) this.stack.pop();
          else this.popMark();
          break;
        case OP.POP_MARK:
          this.popMark();
          break;
        case OP.DUP:
          this.push(this.top());
          break;
        // Scalars.
        case OP.NONE:
          this.push(null);
          break;
        case OP.NEWTRUE:
          this.push(true);
          break;
        case OP.NEWFALSE:
          this.push(false);
          break;
        case OP.BININT:
          this.push(r.i32('BININT', at));
          break;
        case OP.BININT1:
          this.push(r.u8('BININT1', at));
          break;
        case OP.BININT2:
          this.push(r.u16('BININT2', at));
          break;
        case OP.LONG1:
          this.push(decodeLong(r.take(r.u8('LONG1', at), 'LONG1', at)));
          break;
        case OP.LONG4: {
          const length = r.i32('LONG4', at);
          this.push(decodeLong(r.take(length, 'LONG4', at)));
          break;
        }
        case OP.INT:
          this.push(this.fromText(parseIntLine(this.textArg('INT')), 'INT'));
          break;
        case OP.LONG:
          this.push(this.fromText(parseLongLine(this.textArg('LONG')), 'LONG'));
          break;
        case OP.BINFLOAT:
          this.push(new PickleFloat(r.f64be('BINFLOAT', at)));
          break;
        case OP.FLOAT:
          this.push(new PickleFloat(this.fromText(parseFloatLine(this.textArg('FLOAT')), 'FLOAT')));
          break;
        // Strings and bytes.
        case OP.BINUNICODE:
          this.push(r.utf8(r.u32('BINUNICODE', at), 'BINUNICODE', at));
          break;
        case OP.SHORT_BINUNICODE:
          this.push(r.utf8(r.u8('SHORT_BINUNICODE', at), 'SHORT_BINUNICODE', at));
          break;
        case OP.BINUNICODE8:
          this.push(r.utf8(r.u64('BINUNICODE8', at), 'BINUNICODE8', at));
          break;
        case OP.UNICODE:
          this.push(this.fromText(decodeRawUnicodeEscape(this.textArg('UNICODE')), 'UNICODE'));
          break;
        case OP.STRING:
          this.push(this.fromText(decodeStringLiteral(this.textArg('STRING')), 'STRING'));
          break;
        case OP.BINSTRING:
          this.push(latin1(r.take(r.i32('BINSTRING', at), 'BINSTRING', at)));
          break;
        case OP.SHORT_BINSTRING:
          this.push(latin1(r.take(r.u8('SHORT_BINSTRING', at), 'SHORT_BINSTRING', at)));
          break;
        case OP.BINBYTES:
          this.push(r.take(r.u32('BINBYTES', at), 'BINBYTES', at).slice());
          break;
        case OP.SHORT_BINBYTES:
          this.push(r.take(r.u8('SHORT_BINBYTES', at), 'SHORT_BINBYTES', at).slice());
          break;
        case OP.BINBYTES8:
          this.push(r.take(r.u64('BINBYTES8', at), 'BINBYTES8', at).slice());
          break;
        case OP.BYTEARRAY8:
          this.push(r.take(r.u64('BYTEARRAY8', at), 'BYTEARRAY8', at).slice());
          break;
        // Containers.
        case OP.EMPTY_TUPLE:
          this.push(new PickleTuple([]));
          break;
        case OP.TUPLE1: {
          const a = this.pop();
          this.push(new PickleTuple([a]));
          break;
        }
        case OP.TUPLE2: {
          const b = this.pop();
          const a = this.pop();
          this.push(new PickleTuple([a, b]));
          break;
        }
        case OP.TUPLE3: {
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.push(new PickleTuple([a, b, c]));
          break;
        }
        case OP.TUPLE:
          this.push(new PickleTuple(this.popMark()));
          break;
        case OP.EMPTY_LIST:
          this.push([]);
          break;
        case OP.LIST:
          this.push(this.popMark());
          break;
        case OP.APPEND: {
          const item = this.pop();
          this.appendAll([item]);
          break;
        }
        case OP.APPENDS:
          this.appendAll(this.popMark());
          break;
        case OP.EMPTY_DICT:
          this.push(new Map() as PickleDict);
          break;
        case OP.DICT: {
          const items = this.popMark();
          this.push(new Map() as PickleDict);
          this.setAll(items);
          break;
        }
        case OP.SETITEM: {
          const value = this.pop();
          const key = this.pop();
          this.setAll([key, value]);
          break;
        }
        case OP.SETITEMS:
          this.setAll(this.popMark());
          break;
        // Memo.
        case OP.BINPUT:
          this.memoPut(r.u8('BINPUT', at), this.top());
          break;
        case OP.LONG_BINPUT:
          this.memoPut(r.u32('LONG_BINPUT', at), this.top());
          break;
        case OP.PUT:
          this.memoPut(Number(this.fromText(parseLongLine(this.textArg('PUT')), 'PUT')), this.top());
          break;
        case OP.MEMOIZE:
          this.memoPut(this.memo.size, this.top());
          break;
        case OP.BINGET:
          this.push(this.memoGet(r.u8('BINGET', at)));
          break;
        case OP.LONG_BINGET:
          this.push(this.memoGet(r.u32('LONG_BINGET', at)));
          break;
        case OP.GET:
          this.push(this.memoGet(Number(this.fromText(parseLongLine(this.textArg('GET')), 'GET'))));
          break;
        // Globals, calls and objects.
        case OP.GLOBAL: {
          const module = this.textArg('GLOBAL module');
          const name = this.textArg('GLOBAL name');
          this.push(this.resolveGlobal(module, name));
          break;
        }
        case OP.STACK_GLOBAL: {
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string')
            this.fail('STACK_GLOBAL needs two strings');
          this.push(this.resolveGlobal(module, name));
          break;
        }
        case OP.REDUCE: {
          const args = this.tupleArgs(this.pop());
          this.push(this.call(this.pop(), args));
          break;
        }
        case OP.NEWOBJ: {
          const args = this.tupleArgs(this.pop());
          this.push(this.call(this.pop(), args));
          break;
        }
        case OP.NEWOBJ_EX: {
          const kwargs = this.pop();
          const args = this.tupleArgs(this.pop());
          if (!(kwargs instanceof Map) || kwargs.size > 0)
            this.fail('NEWOBJ_EX with keyword arguments is not supported');
          this.push(this.call(this.pop(), args));
          break;
        }
        case OP.INST: {
          const cls = this.resolveGlobal(this.textArg('INST module'), this.textArg('INST name'));
          this.push(this.call(cls, this.popMark()));
          break;
        }
        case OP.OBJ: {
          const [cls, ...args] = this.popMark();
          this.push(this.call(cls ?? null, args));
          break;
        }
        case OP.BUILD:
          this.build();
          break;
        case OP.BINPERSID:
          this.push(this.persistentLoad(this.pop(), this.site));
          break;
        case OP.PERSID:
          this.push(this.persistentLoad(this.textArg('PERSID'), this.site));
          break;
        case OP.EMPTY_SET:
        case OP.ADDITEMS:
        case OP.FROZENSET:
          throw pickleError(
            'UNSUPPORTED_PICKLE',
            this.source,
            `${opcodeName(op)}: sets are not supported (TorchScript has none)`,
            at,
          );
        case OP.EXT1:
        case OP.EXT2:
        case OP.EXT4:
          throw pickleError(
            'UNSUPPORTED_PICKLE',
            this.source,
            `${opcodeName(op)}: the copyreg extension registry is not supported`,
            at,
          );
        case OP.NEXT_BUFFER:
        case OP.READONLY_BUFFER:
          throw pickleError(
            'UNSUPPORTED_PICKLE',
            this.source,
            `${opcodeName(op)}: out-of-band buffers are not supported`,
            at,
          );
        default:
          throw pickleError(
            'UNKNOWN_OPCODE',
            this.source,
            `unknown opcode ${opcodeName(op)} ('${printableByte(op)}')`,
            at,
          );
      }
    }
  }
}

function printableByte(code: number): string {
  return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : `\\x${code.toString(16).padStart(2, '0')}`;
}
