// TorchScript builtins on ints, floats, lists and dicts that models use, keyed by overload: max/min in
// all their prim:: forms, sum of lists, del, sort/sorted, list.remove/reverse/count/index, dict
// pop/setdefault/popitem/update, the implicit tensor-to-number conversions, and devices.

import { RuntimeError } from '../../errors.js';
import { Device, Tuple, normalizeInt, type DictKey, type IValue } from '../../ir/ivalue.js';
import { DTYPES } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { compareValues, pyStr, valuesEqual, type ScalarCall, type ScalarOp } from '../scalar-ops.js';

type Num = number | bigint;
type Dict = Map<DictKey, IValue>;

const list = (c: ScalarCall, i: number): IValue[] => c.args[i] as IValue[];
const dict = (c: ScalarCall, i: number): Dict => c.args[i] as Dict;

// max(a, b) is `a > b ? a : b` and min `a < b ? a : b`, so a NaN on the right wins and on the left loses.
function pick(a: IValue, b: IValue, sign: 1 | -1): IValue {
  return compareValues(a, b) * sign > 0 ? a : b;
}

function extreme(items: readonly IValue[], sign: 1 | -1, name: string): IValue {
  if (!items.length) throw new RuntimeError('VALUE_ERROR', `${name}() arg is an empty sequence`);
  let best = items[0];
  for (const x of items.slice(1)) if (compareValues(x, best) * sign > 0) best = x;
  return best;
}

// max/min of two lists: the first differing element decides; else the longer list is the larger.
function listExtreme(a: IValue[], b: IValue[], sign: 1 | -1): IValue[] {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c * sign > 0 ? a : b;
  }
  return (a.length - b.length) * sign > 0 ? a : b;
}

function maxMin(sign: 1 | -1): ScalarOp {
  const name = sign > 0 ? 'max' : 'min';
  return (c) => {
    if (c.args.length === 1) return extreme(list(c, 0), sign, name);
    const [a, b] = c.args;
    if (Array.isArray(a) && Array.isArray(b)) return listExtreme(a, b, sign);
    return pick(a, b, sign);
  };
}

function sum(c: ScalarCall, asFloat: boolean): IValue {
  const items = list(c, 0);
  if (asFloat) return items.reduce<number>((s, x) => s + Number(x), 0);
  let total: Num = 0;
  for (const x of items) {
    const v = typeof x === 'boolean' ? (x ? 1 : 0) : (x as Num);
    total =
      typeof total === 'number' && typeof v === 'number' && Number.isSafeInteger(total + v)
        ? total + v
        : normalizeInt(BigInt.asIntN(64, BigInt(total) + BigInt(v)));
  }
  return total;
}

function listIndex(items: readonly IValue[], i: IValue): number {
  let k = Number(i);
  if (k < 0) k += items.length;
  if (k < 0 || k >= items.length)
    throw new RuntimeError('INDEX_ERROR', 'IndexError: list index out of range');
  return k;
}

function deleteKey(c: ScalarCall): null {
  const d = dict(c, 0);
  const key = c.args[1] as DictKey;
  if (!d.has(key)) throw new RuntimeError('KEY_ERROR', `KeyError: ${pyStr(c.args[1])}`);
  d.delete(key);
  return null;
}

function sorted(items: readonly IValue[], reverse: boolean): IValue[] {
  const out = [...items];
  // Stable, like std::stable_sort on `<`; reverse sorts by `>` (equal items keep their order).
  out.sort((x, y) => (reverse ? -1 : 1) * tensorAwareCompare(x, y));
  return out;
}

function tensorAwareCompare(a: IValue, b: IValue): number {
  if (a instanceof Tensor && b instanceof Tensor) {
    const x = Number(a.item());
    const y = Number(b.item());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const c = compareValues(a, b);
  return Number.isNaN(c) ? 0 : c;
}

// A 0-dim tensor used where a number is expected (checkImplicitTensorToNum).
function implicit(c: ScalarCall, toInt: boolean): IValue {
  const t = c.args[0] as Tensor;
  if (t.requiresGrad)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Cannot input a tensor that requires grad as a scalar argument',
    );
  if (t.dim !== 0)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Cannot input a tensor of dimension other than 0 as a scalar argument`,
    );
  const info = DTYPES[t.dtype];
  if (toInt && (info.isFloatingPoint || info.isComplex))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Cannot input a tensor of type ${info.irName} as an integral argument`,
    );
  const v = t.item();
  if (typeof v === 'boolean') return toInt ? (v ? 1 : 0) : v;
  if (typeof v === 'bigint') return toInt ? normalizeInt(v) : Number(v);
  return toInt ? Math.trunc(v) : v;
}

const DEVICE_TYPES = [
  'cpu',
  'cuda',
  'ipu',
  'xpu',
  'mkldnn',
  'opengl',
  'opencl',
  'ideep',
  'hip',
  've',
  'ort',
  'mps',
  'xla',
  'lazy',
  'vulkan',
  'meta',
  'hpu',
];

/** torch.device(str): `type` or `type:index`, checked as c10::Device's parser does. */
export function parseDevice(text: string): Device {
  const m = /^([a-z]+)(?::(\d+))?$/.exec(text);
  if (!m || !DEVICE_TYPES.includes(m[1]))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Expected one of ${DEVICE_TYPES.join(', ')} device type at start of device string: ${text}`,
    );
  return new Device(m[1], m[2] === undefined ? null : Number(m[2]));
}

const DICT_KEYS = ['str', 'int', 'bool', 'float', 'complex', 'Tensor'];
const forDictKeys = (base: string, op: ScalarOp, prefix = ''): Record<string, ScalarOp> =>
  Object.fromEntries(DICT_KEYS.map((k) => [`${base}.${prefix}${k}`, op]));
const forElems = (base: string, elems: readonly string[], op: ScalarOp): Record<string, ScalarOp> =>
  Object.fromEntries(elems.map((k) => [`${base}.${k}`, op]));

/** The builtins, keyed by overload. */
export const BUILTIN_OPS: Readonly<Record<string, ScalarOp>> = {
  ...Object.fromEntries(
    [
      '',
      '.int',
      '.float',
      '.int_float',
      '.float_int',
      '.int_list',
      '.self_int',
      '.float_list',
      '.self_float',
      '.bool_list',
      '.self_bool',
    ].flatMap((o) => [
      [`prim::max${o}`, maxMin(1)],
      [`prim::min${o}`, maxMin(-1)],
    ]),
  ),
  'aten::sum.int': (c) => sum(c, false),
  'aten::sum.bool': (c) => sum(c, false),
  'aten::sum.float': (c) => sum(c, true),
  'aten::Delete.t': (c) => {
    const items = list(c, 0);
    items.splice(listIndex(items, c.args[1]), 1);
    return null;
  },
  ...forDictKeys('aten::Delete', deleteKey, 'Dict_'),
  ...forElems('aten::sort', ['int', 'float', 'bool', 'str', 'Tensor', 'any'], (c) => {
    const items = list(c, 0);
    const out = sorted(items, Boolean(c.args[1] ?? false));
    items.splice(0, items.length, ...out);
    return null;
  }),
  ...forElems('aten::sorted', ['int', 'float', 'bool', 'str', 'Tensor', 'any'], (c) =>
    sorted(list(c, 0), false),
  ),
  // l += m and l *= n: in place, returning the same list.
  'aten::add_.t': (c) => {
    list(c, 0).push(...list(c, 1));
    return list(c, 0);
  },
  'aten::mul_.t': (c) => {
    const items = list(c, 0);
    const copy = [...items];
    items.length = 0;
    for (let i = 0; i < Number(c.args[1]); i++) items.push(...copy);
    return items;
  },
  'aten::reverse.t': (c) => {
    list(c, 0).reverse();
    return null;
  },
  ...forElems('aten::remove', ['int', 'float', 'bool', 'str', 'Tensor'], (c) => {
    const items = list(c, 0);
    const at = items.findIndex((x) => valuesEqual(x, c.args[1]));
    if (at < 0) throw new RuntimeError('VALUE_ERROR', 'list.remove(x): x not in list');
    items.splice(at, 1);
    return null;
  }),
  ...forElems(
    'aten::count',
    ['int', 'float', 'bool', 'str', 'Tensor'],
    (c) => list(c, 0).filter((x) => valuesEqual(x, c.args[1])).length,
  ),
  ...forElems('aten::index', ['list_int', 'list_float', 'list_bool', 'list_str', 'list_Tensor'], (c) => {
    const at = list(c, 0).findIndex((x) => valuesEqual(x, c.args[1]));
    if (at < 0) throw new RuntimeError('VALUE_ERROR', "'list.index(x): x not in list'");
    return at;
  }),
  ...forDictKeys(
    'aten::pop',
    (c) => {
      const d = dict(c, 0);
      const key = c.args[1] as DictKey;
      if (d.has(key)) {
        const v = d.get(key)!;
        d.delete(key);
        return v;
      }
      if (c.args.length > 2) return c.args[2];
      throw new RuntimeError('KEY_ERROR', `KeyError: ${pyStr(c.args[1])}`);
    },
    'Dict_',
  ),
  ...forDictKeys(
    'aten::pop',
    (c) => {
      const d = dict(c, 0);
      const key = c.args[1] as DictKey;
      const v = d.has(key) ? d.get(key)! : c.args[2];
      d.delete(key);
      return v;
    },
    'Dict_default_',
  ),
  ...forDictKeys('aten::setdefault', (c) => {
    const d = dict(c, 0);
    const key = c.args[1] as DictKey;
    if (!d.has(key)) d.set(key, c.args[2]);
    return d.get(key)!;
  }),
  ...forDictKeys('aten::popitem', (c) => {
    const d = dict(c, 0);
    if (!d.size) throw new RuntimeError('KEY_ERROR', 'KeyError: popitem(): dictionary is empty');
    const [k, v] = [...d].pop()!;
    d.delete(k);
    return new Tuple([k as IValue, v]);
  }),
  ...forDictKeys('aten::update', (c) => {
    for (const [k, v] of dict(c, 1)) dict(c, 0).set(k, v);
    return null;
  }),
  'aten::IntImplicit': (c) => implicit(c, true),
  'aten::FloatImplicit': (c) => implicit(c, false),
  'aten::ScalarImplicit': (c) => implicit(c, false),
  'aten::device': (c) => parseDevice(c.args[0] as string),
  'prim::type': (c) => (c.args[0] as Device).type,
  'prim::index': (c) => (c.args[0] as Device).index,
  'prim::is_cpu': (c) => (c.args[0] as Tensor).device.split(':')[0] === 'cpu',
  'prim::abs.int': (c) =>
    typeof c.args[0] === 'bigint'
      ? normalizeInt(c.args[0] < 0n ? -c.args[0] : c.args[0])
      : Math.abs(Number(c.args[0])),
  'prim::abs.float': (c) => Math.abs(Number(c.args[0])),
  'prim::abs.Scalar': (c) =>
    typeof c.args[0] === 'bigint'
      ? normalizeInt(c.args[0] < 0n ? -c.args[0] : c.args[0])
      : Math.abs(Number(c.args[0])),
  'prim::rangelist': (c) => Array.from({ length: Math.max(0, Number(c.args[0])) }, (_, i) => i),
};
