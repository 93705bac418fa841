// TorchScript's str() of a value: c10::IValue's operator<<, which aten::str, aten::format and runtime
// messages print through. It is not Python's str(): floats, containers and tensors print differently.

import { Device, Tuple, isObjectValue, type IValue } from '../ir/ivalue.js';
import { DictType, ListType, OptionalType, TupleType, type Type } from '../ir/types.js';
import { formatTensorCpp } from '../tensor/ir-format.js';
import { formatGeneral } from '../tensor/numfmt.js';
import { Tensor } from '../tensor/tensor.js';

const INT64_LIMIT = 2 ** 63;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/**
 * A float as TorchScript's str() prints it: a normal (or zero) integral value that fits an int64 as the
 * integer and a '.' (`1.`, `0.` for -0.0, `100000000000000000.`), anything else with 17 significant
 * digits (`1.1000000000000001`, `1e+20`, `4.9406564584124654e-324`, `inf`, `nan`).
 */
export function formatStrFloat(d: number): string {
  const normalOrZero = Number.isFinite(d) && (d === 0 || Math.abs(d) >= SMALLEST_NORMAL);
  // C++ casts to int64 and compares back; values outside [-2^63, 2^63) never compare equal.
  if (normalOrZero && Number.isInteger(d) && d >= -INT64_LIMIT && d < INT64_LIMIT) {
    return `${BigInt(d)}.`;
  }
  return formatGeneral(d, 17);
}

function unwrap(type: Type | undefined): Type | undefined {
  return type instanceof OptionalType ? type.elem : type;
}

// JS numbers do not say int or float: the static type does; without one, only a fraction says float.
function isFloat(v: number, type: Type | undefined): boolean {
  if (type) {
    if (type.kind === 'float') return true;
    if (type.kind === 'int' || type.kind === 'bool') return false;
  }
  return !Number.isInteger(v) || !Number.isFinite(v);
}

function items(values: readonly IValue[], typeOf: (i: number) => Type | undefined): string {
  return values.map((x, i) => pyStr(x, typeOf(i))).join(', ');
}

/**
 * TorchScript's str() of `v` (c10::IValue's operator<<): `1.`, `[1., 1.1000000000000001]`, strings
 * unquoted even inside containers (`[hello, world]`, `{layer: ...}`), `(1,)`, `True`, `None`, tensors in
 * ATen's C++ form (` 5.5000\n[ CPUFloatType{1} ]`). `type` is the static type, which tells floats
 * from ints (JS numbers do not).
 */
export function pyStr(v: IValue, type?: Type): string {
  const t = unwrap(type);
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return isFloat(v, t) ? formatStrFloat(v) : String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Device) return v.toString();
  if (v instanceof Tensor) return formatTensorCpp(v);
  if (Array.isArray(v)) {
    const elem = t instanceof ListType ? t.elem : undefined;
    return `[${items(v, () => elem)}]`;
  }
  if (v instanceof Tuple) {
    const tt = t instanceof TupleType ? t : v.type;
    const inner = items(v.items, (i) => tt?.elements[i]);
    return v.items.length === 1 ? `(${inner},)` : `(${inner})`;
  }
  if (v instanceof Map) {
    const key = t instanceof DictType ? t.key : undefined;
    const value = t instanceof DictType ? t.value : undefined;
    return `{${[...v].map(([k, x]) => `${pyStr(k, key)}: ${pyStr(x, value)}`).join(', ')}}`;
  }
  // PyTorch adds the object's address, which has no meaning here.
  if (isObjectValue(v)) return `<${v.type.str()} object>`;
  return String(v);
}
