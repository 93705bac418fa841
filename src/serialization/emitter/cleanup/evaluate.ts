// Compile-time evaluation of operators on constant ints, floats, bools, strings and None: what PyTorch's
// ConstantPropagationImmutableTypes (and the emitter's unary-minus folding) computes with the real kernels.
// Ops outside this set are left alone.

import { constantValue } from '../../../ir/constants.js';
import { Device, normalizeInt, Tuple, type IValue } from '../../../ir/ivalue.js';
import type { Node } from '../../../ir/node.js';
import { FloatType, IntType, OptionalType, TupleType, UnionType, type Type } from '../../../ir/types.js';

/** PyTorch's AliasDb::isMutableType: values that may alias (tensors, containers, objects) are never folded here. */
export function isMutableType(t: Type): boolean {
  switch (t.kind) {
    case 'Tensor':
    case 'List':
    case 'Dict':
    case 'Class':
    case 'Interface':
    case 'Future':
    case 'Any':
    case 'Var':
    case 'Generator':
    case 'Storage':
    case 'Capsule':
      return true;
    case 'Optional':
      return isMutableType((t as OptionalType).elem);
    case 'Tuple':
      return (t as TupleType).elements.some(isMutableType);
    case 'Union':
      return (t as UnionType).members.some(isMutableType);
    default:
      return false;
  }
}

type Num = number | bigint;

function isInt(t: Type): boolean {
  return t.kind === 'int' || t.kind === 'bool';
}

function asBig(v: IValue): bigint {
  return typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));
}

function asNum(v: IValue): number {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
}

const wrap = (x: bigint): Num => normalizeInt(BigInt.asIntN(64, x));

function intArith(op: string, a: bigint, b: bigint): Num | undefined {
  switch (op) {
    case 'add':
      return wrap(a + b);
    case 'sub':
      return wrap(a - b);
    case 'mul':
      return wrap(a * b);
    case 'floordiv': {
      if (b === 0n) return undefined;
      const q = a / b;
      return wrap(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q);
    }
    case 'remainder': {
      if (b === 0n) return undefined;
      const r = a % b;
      return wrap(r !== 0n && r < 0n !== b < 0n ? r + b : r);
    }
    case '__and__':
      return wrap(a & b);
    case '__or__':
      return wrap(a | b);
    case '__xor__':
      return wrap(a ^ b);
    default:
      return undefined;
  }
}

function floatArith(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return b === 0 ? undefined : a / b;
    case 'floordiv':
      return b === 0 ? undefined : Math.floor(a / b);
    case 'remainder': {
      if (b === 0) return undefined;
      const r = a % b;
      return r !== 0 && r < 0 !== b < 0 ? r + b : r;
    }
    case 'pow':
      return a === 0 && b < 0 ? undefined : Math.pow(a, b);
    default:
      return undefined;
  }
}

function compare(op: string, a: IValue, b: IValue): boolean | undefined {
  let c: number;
  if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else if (
    (typeof a === 'number' || typeof a === 'bigint' || typeof a === 'boolean') &&
    (typeof b === 'number' || typeof b === 'bigint' || typeof b === 'boolean')
  ) {
    const x = asNum(a);
    const y = asNum(b);
    c = x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  } else if (a === null || b === null) {
    if (op !== 'eq' && op !== 'ne') return undefined;
    c = a === b ? 0 : 1;
  } else {
    return undefined;
  }
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return !(c === 0);
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    default:
      return undefined;
  }
}

/**
 * The outputs `node` would produce, when all its inputs are prim::Constants and it is one of the
 * operators evaluated here; undefined otherwise.
 */
export function foldNode(node: Node): IValue[] | undefined {
  const inputs = node.inputs;
  if (inputs.some((v) => v.node.kind !== 'prim::Constant')) return undefined;
  const args = inputs.map((v) => constantValue(v.node));
  const types = inputs.map((v) => v.type);
  const [ns, op] = node.kind.split('::');
  if (ns === 'prim') return foldPrim(op, node, args);
  if (ns !== 'aten') return undefined;
  const [a, b] = args;
  switch (op) {
    case 'neg':
      if (args.length !== 1) return undefined;
      if (isInt(types[0])) return [wrap(-asBig(a))];
      return typeof a === 'number' ? [-a] : undefined;
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'floordiv':
    case 'remainder':
    case '__and__':
    case '__or__':
    case '__xor__':
    case 'pow': {
      if (op === 'add' && typeof a === 'string' && typeof b === 'string') return [a + b];
      if (args.length !== 2 || !isNumeric(a) || !isNumeric(b)) return undefined;
      if (op === '__and__' || op === '__or__' || op === '__xor__') {
        if (typeof a === 'boolean' && typeof b === 'boolean') {
          return [op === '__and__' ? a && b : op === '__or__' ? a || b : a !== b];
        }
      }
      if (isInt(types[0]) && isInt(types[1]) && op !== 'div' && op !== 'pow') {
        const r = intArith(op, asBig(a), asBig(b));
        return r === undefined ? undefined : [r];
      }
      const r = floatArith(op, asNum(a), asNum(b));
      return r === undefined ? undefined : [r];
    }
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      if (args.length !== 2) return undefined;
      const r = compare(op, a, b);
      return r === undefined ? undefined : [r];
    }
    case '__not__':
      return typeof a === 'boolean' ? [!a] : undefined;
    case '__is__':
    case '__isnot__':
      if (a !== null && b !== null) return undefined;
      return [(a === b) === (op === '__is__')];
    case 'Bool':
      return isNumeric(a) ? [asNum(a) !== 0] : undefined;
    case 'Int':
      if (typeof a === 'boolean') return [a ? 1 : 0];
      if (typeof a === 'number' && Number.isFinite(a) && !isInt(types[0]))
        return [normalizeInt(BigInt(Math.trunc(a)))];
      return undefined;
    case 'Float':
      return isNumeric(a) && isInt(types[0]) ? [asNum(a)] : undefined;
    case 'len':
      return typeof a === 'string' ? [a.length] : undefined;
    case '__contains__':
      return typeof a === 'string' && typeof b === 'string' ? [a.includes(b)] : undefined;
    case 'str':
      if (typeof a === 'string') return [a];
      if (typeof a === 'boolean') return [a ? 'True' : 'False'];
      if (isInt(types[0]) && (typeof a === 'number' || typeof a === 'bigint')) return [String(a)];
      return undefined;
    case 'device':
      return typeof a === 'string' && /^[a-z]+(:\d+)?$/.test(a) ? [Device.parse(a)] : undefined;
    case 'abs':
      if (args.length !== 1 || !isNumeric(a)) return undefined;
      return isInt(types[0]) ? [wrap(asBig(a) < 0n ? -asBig(a) : asBig(a))] : [Math.abs(asNum(a))];
    case '__range_length':
      return rangeLength(args);
    case '__derive_index':
      return args.every(isNumeric) ? [wrap(asBig(args[1]) + asBig(args[0]) * asBig(args[2]))] : undefined;
    case 'find':
      return typeof a === 'string' && typeof b === 'string' && isNumeric(args[2]) && isNumeric(args[3])
        ? [stringFind(a, b, asNum(args[2]), asNum(args[3]))]
        : undefined;
    case '__getitem__': {
      if (typeof a !== 'string' || !isNumeric(b)) return undefined;
      const i = asNum(b) < 0 ? a.length + asNum(b) : asNum(b);
      return i >= 0 && i < a.length ? [a[i]] : undefined;
    }
    default:
      return undefined;
  }
}

function isNumeric(v: IValue): v is Num | boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

// len(range(start, end, step)).
function rangeLength(args: IValue[]): IValue[] | undefined {
  if (args.length !== 3 || !args.every(isNumeric)) return undefined;
  const [lo, hi, step] = args.map(asBig);
  if (step === 0n) return undefined;
  if (step > 0n) return [lo < hi ? wrap((hi - lo - 1n) / step + 1n) : 0];
  return [lo > hi ? wrap((lo - hi - 1n) / -step + 1n) : 0];
}

// aten::find: the substring's index within [start, end) (negative bounds count from the end), or -1.
function stringFind(text: string, sub: string, start: number, end: number): number {
  const size = text.length;
  const s = start < 0 ? Math.max(0, size + start) : start;
  const e = end < 0 ? Math.max(0, size + end + 1) : end;
  const window = e > s ? text.slice(s, e) : '';
  const at = window.length >= sub.length ? window.indexOf(sub) : -1;
  return at < 0 ? -1 : at + s;
}

function foldPrim(op: string, node: Node, args: IValue[]): IValue[] | undefined {
  switch (op) {
    case 'abs':
    case 'min':
    case 'max': {
      if (!args.every(isNumeric) || args.length === 0 || args.length > 2) return undefined;
      const ints = node.inputs.every((v) => isInt(v.type));
      if (op === 'abs')
        return args.length === 1
          ? ints
            ? [wrap(asBig(args[0]) < 0n ? -asBig(args[0]) : asBig(args[0]))]
            : [Math.abs(asNum(args[0]))]
          : undefined;
      if (args.length !== 2) return undefined;
      const pick = asNum(args[0]) < asNum(args[1]) === (op === 'min') ? args[0] : args[1];
      return [ints ? normalizeInt(asBig(pick)) : asNum(pick)];
    }
    case 'TupleConstruct':
      return [new Tuple(args, node.output().type as TupleType)];
    case 'TupleUnpack':
      return args[0] instanceof Tuple && args[0].items.length === node.outputs.length
        ? [...args[0].items]
        : undefined;
    case 'TupleIndex': {
      const t = args[0];
      if (!(t instanceof Tuple)) return undefined;
      const i = asNum(args[1]);
      const item = t.items[i < 0 ? t.items.length + i : i];
      return item === undefined ? undefined : [item];
    }
    default:
      return undefined;
  }
}

/** The type a folded value's constant gets: the output's type, with Scalar results typed by their inputs. */
export function foldedType(node: Node, index: number): Type {
  const t = node.outputs[index].type;
  if (t.kind !== 'Number') return t;
  return node.inputs.every((v) => isInt(v.type)) ? IntType : FloatType;
}
