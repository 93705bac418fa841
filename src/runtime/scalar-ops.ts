// TorchScript's non-tensor operators (ints, floats, bools, strings, lists, dicts): the aten:: overloads
// control flow and shape arithmetic use. Keyed by base name; the static types tell int from float.

import { RuntimeError, UnsupportedError } from '../errors.js';
import { Device, Tuple, intToString, normalizeInt, type DictKey, type IValue } from '../ir/ivalue.js';
import { OptionalType, type Type } from '../ir/types.js';
import { Tensor } from '../tensor/tensor.js';
import { pyStr } from './ivalue-str.js';

export { pyStr };

/** What a scalar op sees: runtime arguments and the static types around them. */
export interface ScalarCall {
  readonly args: readonly IValue[];
  readonly argTypes: readonly Type[];
  readonly resultType: Type | undefined;
  readonly overload: string;
}

export type ScalarOp = (call: ScalarCall) => IValue;

type Num = number | bigint;

const isNum = (v: IValue): v is Num =>
  typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
const num = (v: IValue): Num => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as Num));
const isFloatType = (t: Type | undefined): boolean => t?.kind === 'float';

// Integer arithmetic: exact through bigint when either side is a bigint or the result leaves the safe range.
function intOp(
  a: Num,
  b: Num,
  f: (x: bigint, y: bigint) => bigint,
  g: (x: number, y: number) => number,
): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = g(a, b);
    // Ints have no negative zero: 0 * -1 must not give -0.
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return normalizeInt(BigInt.asIntN(64, f(BigInt(a), BigInt(b))));
}

function floorDivInt(a: bigint, b: bigint): bigint {
  if (b === 0n)
    throw new RuntimeError('ZERO_DIVISION', 'ZeroDivisionError: integer division or modulo by zero');
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pyModInt(a: bigint, b: bigint): bigint {
  if (b === 0n)
    throw new RuntimeError('ZERO_DIVISION', 'ZeroDivisionError: integer division or modulo by zero');
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function pyModFloat(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** True when the call computes in floats: any float-typed argument (or a float runtime value under Scalar). */
function floatMode(call: ScalarCall): boolean {
  return call.argTypes.some(
    (t, i) =>
      isFloatType(t) ||
      (t.kind === 'Number' && typeof call.args[i] === 'number' && !Number.isInteger(call.args[i])),
  );
}

function arith(
  call: ScalarCall,
  fi: (x: bigint, y: bigint) => bigint,
  gi: (x: number, y: number) => number,
  ff: (x: number, y: number) => number,
): IValue {
  const [a, b] = call.args;
  if (typeof a === 'string' && typeof b === 'string') return a + b; // aten::add.str
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b]; // aten::add.t
  if (!isNum(a) || !isNum(b)) throw new UnsupportedError(`scalar op on ${typeof a} and ${typeof b}`);
  if (floatMode(call) || isFloatType(call.resultType)) return ff(Number(num(a)), Number(num(b)));
  return intOp(num(a), num(b), fi, gi);
}

function compare(call: ScalarCall, f: (c: number) => boolean): boolean {
  const [a, b] = call.args;
  return f(compareValues(a, b));
}

/** Three-way comparison of two scalars, strings or lists (Python ordering). */
export function compareValues(a: IValue, b: IValue): number {
  if (isNum(a) && isNum(b)) {
    const x = num(a);
    const y = num(b);
    if (typeof x === 'bigint' || typeof y === 'bigint') {
      const bx = typeof x === 'bigint' ? x : Number.isInteger(x) ? BigInt(x) : null;
      const by = typeof y === 'bigint' ? y : Number.isInteger(y) ? BigInt(y) : null;
      if (bx !== null && by !== null) return bx < by ? -1 : bx > by ? 1 : 0;
      return Number(x) < Number(y) ? -1 : Number(x) > Number(y) ? 1 : 0;
    }
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new UnsupportedError('comparison of these values');
}

/** Python equality for IValues (tensors by identity, containers by content). */
export function valuesEqual(a: IValue, b: IValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (isNum(a) && isNum(b)) return compareValues(a, b) === 0;
  if (a instanceof Device && b instanceof Device) return a.toString() === b.toString();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a instanceof Tuple && b instanceof Tuple) {
    return a.items.length === b.items.length && a.items.every((x, i) => valuesEqual(x, b.items[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k)!)) return false;
    return true;
  }
  return false;
}

/** Python's repr of a float: shortest round-trip digits, always with a '.' or exponent. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  let s = String(x);
  if (/e/.test(s)) {
    // JS: 1e-7 / 1.5e+21; Python: 1e-07 / 1.5e+21.
    s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return s;
}

// aten::format: each `{}` takes the next argument, printed as str() prints it; extra arguments are ignored.
function pyFormat(call: ScalarCall): string {
  const [fmt, ...rest] = call.args;
  let i = 0;
  return String(fmt).replace(/\{\}/g, () => {
    if (i >= rest.length)
      throw new RuntimeError('FORMAT_ARGS', `Too few arguments for format string: ${String(fmt)}`);
    const t = call.argTypes[1 + i];
    return pyStr(rest[i++], t);
  });
}

function toInt(v: IValue): Num {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') {
    const t = v.trim();
    if (!/^[+-]?\d+$/.test(t))
      throw new RuntimeError('VALUE_ERROR', `invalid literal for int() with base 10: '${v}'`);
    return normalizeInt(BigInt(t));
  }
  if (v instanceof Tensor) {
    const e = v.item();
    return typeof e === 'bigint' ? normalizeInt(e) : Math.trunc(Number(e));
  }
  throw new UnsupportedError('int() of this value');
}

function toFloat(v: IValue): number {
  if (v instanceof Tensor) return Number(v.item());
  if (typeof v === 'string') return Number(v);
  return Number(num(v));
}

function truthy(v: IValue): boolean {
  if (v instanceof Tensor) return Boolean(Number(v.item()));
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return Boolean(v);
}

function index(list: readonly IValue[] | string, i: Num): number {
  let k = Number(i);
  if (k < 0) k += list.length;
  if (k < 0 || k >= list.length) throw new RuntimeError('INDEX_ERROR', 'IndexError: list index out of range');
  return k;
}

function containerKey(v: IValue): DictKey {
  return v as DictKey;
}

function sliceBounds(len: number, start: IValue, end: IValue, step: IValue): number[] {
  const st = step === null ? 1 : Number(step);
  if (st === 0) throw new RuntimeError('VALUE_ERROR', 'slice step cannot be zero');
  const clamp = (v: IValue, dflt: number): number => {
    if (v === null) return dflt;
    let x = Number(v);
    if (x < 0) x += len;
    return st > 0 ? Math.min(Math.max(x, 0), len) : Math.min(Math.max(x, -1), len - 1);
  };
  const s = clamp(start, st > 0 ? 0 : len - 1);
  const e = clamp(end, st > 0 ? len : -1);
  const out: number[] = [];
  for (let i = s; st > 0 ? i < e : i > e; i += st) out.push(i);
  return out;
}

/** The scalar/container operators by base name (`aten::add` handles add.int, add.float, add.str, add.t ...). */
export const SCALAR_OPS: Readonly<Record<string, ScalarOp>> = {
  'aten::add': (c) =>
    arith(
      c,
      (x, y) => x + y,
      (x, y) => x + y,
      (x, y) => x + y,
    ),
  'aten::sub': (c) =>
    arith(
      c,
      (x, y) => x - y,
      (x, y) => x - y,
      (x, y) => x - y,
    ),
  'aten::mul': (c) => {
    const [a, b] = c.args;
    if (Array.isArray(a) && isNum(b)) return Array.from({ length: Math.max(0, Number(b)) }, () => a).flat();
    if (typeof a === 'string' && isNum(b)) return a.repeat(Math.max(0, Number(b)));
    return arith(
      c,
      (x, y) => x * y,
      (x, y) => x * y,
      (x, y) => x * y,
    );
  },
  'aten::div': (c) => Number(num(c.args[0])) / Number(num(c.args[1])),
  'aten::floordiv': (c) =>
    arith(
      c,
      floorDivInt,
      (x, y) => {
        if (y === 0)
          throw new RuntimeError('ZERO_DIVISION', 'ZeroDivisionError: integer division or modulo by zero');
        return Math.floor(x / y);
      },
      (x, y) => Math.floor(x / y),
    ),
  'aten::remainder': (c) => arith(c, pyModInt, (x, y) => Number(pyModInt(BigInt(x), BigInt(y))), pyModFloat),
  'aten::__round_to_zero_floordiv': (c) =>
    arith(
      c,
      (x, y) => x / y,
      (x, y) => Math.trunc(x / y),
      (x, y) => Math.trunc(x / y),
    ),
  'aten::pow': (c) => {
    const [a, b] = c.args.map((v) => Number(num(v)));
    return a ** b;
  },
  'aten::neg': (c) => (typeof c.args[0] === 'bigint' ? normalizeInt(-c.args[0]) : -Number(num(c.args[0]))),
  'aten::abs': (c) =>
    typeof c.args[0] === 'bigint'
      ? normalizeInt(c.args[0] < 0n ? -c.args[0] : c.args[0])
      : Math.abs(Number(num(c.args[0]))),
  'aten::eq': (c) => valuesEqual(c.args[0], c.args[1]),
  'aten::ne': (c) => !valuesEqual(c.args[0], c.args[1]),
  'aten::lt': (c) => compare(c, (x) => x < 0),
  'aten::le': (c) => compare(c, (x) => x <= 0),
  'aten::gt': (c) => compare(c, (x) => x > 0),
  'aten::ge': (c) => compare(c, (x) => x >= 0),
  'aten::__is__': (c) => c.args[0] === c.args[1] || (c.args[0] === null && c.args[1] === null),
  'aten::__isnot__': (c) => !(c.args[0] === c.args[1] || (c.args[0] === null && c.args[1] === null)),
  'aten::__not__': (c) => !truthy(c.args[0]),
  'aten::__and__': (c) =>
    typeof c.args[0] === 'boolean'
      ? Boolean(c.args[0]) && Boolean(c.args[1])
      : intOp(
          num(c.args[0]),
          num(c.args[1]),
          (x, y) => x & y,
          (x, y) => Number(BigInt(x) & BigInt(y)),
        ),
  'aten::__or__': (c) =>
    typeof c.args[0] === 'boolean'
      ? Boolean(c.args[0]) || Boolean(c.args[1])
      : intOp(
          num(c.args[0]),
          num(c.args[1]),
          (x, y) => x | y,
          (x, y) => Number(BigInt(x) | BigInt(y)),
        ),
  'aten::Int': (c) => toInt(c.args[0]),
  'aten::Float': (c) => toFloat(c.args[0]),
  'aten::Bool': (c) => truthy(c.args[0]),
  'aten::ScalarImplicit': (c) => (c.args[0] as Tensor).item() as IValue,
  'aten::str': (c) => pyStr(c.args[0], c.argTypes[0]),
  'aten::format': pyFormat,
  'aten::len': (c) => {
    const v = c.args[0];
    if (Array.isArray(v) || typeof v === 'string') return v.length;
    if (v instanceof Map) return v.size;
    if (v instanceof Tensor) {
      if (v.dim === 0) throw new RuntimeError('TYPE_ERROR', 'len() of a 0-d tensor');
      return v.shape[0];
    }
    throw new UnsupportedError('len() of this value');
  },
  'aten::__getitem__': (c) => {
    const [container, key] = c.args;
    if (Array.isArray(container)) return container[index(container, num(key))];
    if (typeof container === 'string') return container[index(container, num(key))];
    if (container instanceof Map) {
      if (!container.has(containerKey(key))) throw new RuntimeError('KEY_ERROR', `KeyError: ${pyStr(key)}`);
      return container.get(containerKey(key))!;
    }
    throw new UnsupportedError('__getitem__ on this value');
  },
  'aten::_set_item': (c) => {
    const [container, key, value] = c.args;
    if (Array.isArray(container)) container[index(container, num(key))] = value;
    else if (container instanceof Map) container.set(containerKey(key), value);
    return null;
  },
  'aten::__contains__': (c) => {
    const [container, key] = c.args;
    if (container instanceof Map) return container.has(containerKey(key));
    if (Array.isArray(container)) return container.some((x) => valuesEqual(x, key));
    if (typeof container === 'string') return container.includes(String(key));
    throw new UnsupportedError('__contains__ on this value');
  },
  'aten::append': (c) => {
    (c.args[0] as IValue[]).push(c.args[1]);
    return c.args[0];
  },
  'aten::extend': (c) => {
    (c.args[0] as IValue[]).push(...(c.args[1] as IValue[]));
    return null;
  },
  'aten::insert': (c) => {
    const list = c.args[0] as IValue[];
    let i = Number(num(c.args[1]));
    if (i < 0) i = Math.max(0, i + list.length);
    list.splice(Math.min(i, list.length), 0, c.args[2]);
    return null;
  },
  'aten::pop': (c) => {
    const list = c.args[0] as IValue[];
    if (!list.length) throw new RuntimeError('INDEX_ERROR', 'IndexError: pop from empty list');
    const i = c.args.length > 1 ? index(list, num(c.args[1])) : list.length - 1;
    return list.splice(i, 1)[0];
  },
  'aten::clear': (c) => {
    (c.args[0] as IValue[]).length = 0;
    return null;
  },
  'aten::copy': (c) =>
    Array.isArray(c.args[0]) ? [...c.args[0]] : new Map(c.args[0] as Map<DictKey, IValue>),
  'aten::list': (c) => (typeof c.args[0] === 'string' ? [...c.args[0]] : [...(c.args[0] as IValue[])]),
  'aten::slice': (c) => {
    const [v, start, end, step] = c.args;
    if (typeof v === 'string')
      return sliceBounds(v.length, start, end, step)
        .map((i) => v[i])
        .join('');
    const list = v as IValue[];
    return sliceBounds(list.length, start, end, step).map((i) => list[i]);
  },
  'aten::keys': (c) => [...(c.args[0] as Map<DictKey, IValue>).keys()] as IValue[],
  'aten::values': (c) => [...(c.args[0] as Map<DictKey, IValue>).values()],
  'aten::items': (c) => [...(c.args[0] as Map<DictKey, IValue>)].map(([k, v]) => new Tuple([k as IValue, v])),
  'aten::get': (c) => {
    const m = c.args[0] as Map<DictKey, IValue>;
    const k = containerKey(c.args[1]);
    return m.has(k) ? m.get(k)! : (c.args[2] ?? null);
  },
  'aten::find': (c) => String(c.args[0]).indexOf(String(c.args[1]), Number(c.args[2] ?? 0)),
  'aten::startswith': (c) => String(c.args[0]).startsWith(String(c.args[1])),
  'aten::endswith': (c) => String(c.args[0]).endsWith(String(c.args[1])),
  'aten::lower': (c) => String(c.args[0]).toLowerCase(),
  'aten::upper': (c) => String(c.args[0]).toUpperCase(),
  'aten::join': (c) => (c.args[1] as string[]).join(String(c.args[0])),
  // all(int[]/float[]/bool[]) and any(...): Python's all()/any() over a list (the Tensor overloads are kernels).
  'aten::all': (c) => (c.args[0] as IValue[]).every(truthy),
  'aten::any': (c) => (c.args[0] as IValue[]).some(truthy),
  'aten::min': (c) => minMax(c, -1),
  'aten::max': (c) => minMax(c, 1),
  'aten::floor': (c) => Math.floor(Number(num(c.args[0]))),
  'aten::ceil': (c) => Math.ceil(Number(num(c.args[0]))),
  'aten::sqrt': (c) => Math.sqrt(Number(num(c.args[0]))),
  'aten::exp': (c) => Math.exp(Number(num(c.args[0]))),
  'aten::log': (c) => Math.log(Number(num(c.args[0]))),
  'aten::is_grad_enabled': () => false,
  // tsfreeze records no gradients: grad mode is always off, so `torch.no_grad()`'s switch has nothing to do.
  'aten::set_grad_enabled': () => null,
  'aten::is_autocast_enabled': () => false,
  'aten::warn': () => null,
  'aten::__range_length': (c) => {
    const [lo, hi, step] = c.args.map((v) => Number(num(v)));
    if (step === 0) throw new RuntimeError('VALUE_ERROR', 'range() arg 3 must not be zero');
    return step > 0 ? Math.max(0, Math.ceil((hi - lo) / step)) : Math.max(0, Math.ceil((lo - hi) / -step));
  },
  'aten::__derive_index': (c) => {
    const [i, start, step] = c.args.map((v) => Number(num(v)));
    return start + i * step;
  },
};

function minMax(c: ScalarCall, sign: number): IValue {
  const items: IValue[] = c.args.length === 1 && Array.isArray(c.args[0]) ? c.args[0] : [...c.args];
  if (!items.length) throw new RuntimeError('VALUE_ERROR', 'min()/max() arg is an empty sequence');
  return items.reduce((best, x) => (compareValues(x, best) * sign > 0 ? x : best));
}

/** Whether a scalar op exists for `kind` when none of its arguments is a Tensor. */
export function hasScalarOp(kind: string): boolean {
  return kind in SCALAR_OPS;
}

/** Unwraps `T?` for the result type of a scalar call. */
export function resultTypeOf(t: Type | undefined): Type | undefined {
  return t instanceof OptionalType ? t.elem : t;
}

/** For messages: an int or float rendered exactly. */
export function formatNumber(v: Num, type?: Type): string {
  return type?.kind === 'float' ? pyFloatRepr(Number(v)) : intToString(v);
}
