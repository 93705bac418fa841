// The `math` module and numeric builtins on Python ints and floats (aten::sin.float, aten::gcd.int,
// aten::divmod.int, aten::__lshift__.int, ...), keyed by overload. They compute as PyTorch's C++ does
// (std::sqrt(-1) is nan rather than a ValueError).

import { RuntimeError } from '../../errors.js';
import { normalizeInt, type IValue } from '../../ir/ivalue.js';
import { canCast, promoteTypes, resultType } from '../../tensor/promotion.js';
import { dtypeFromScalarType, DTYPES, type DType } from '../../tensor/dtype.js';
import { FloatScalar, type Scalar } from '../../tensor/scalar.js';
import type { ScalarCall, ScalarOp } from '../scalar-ops.js';
import { erf, erfc, roundHalfEven } from './mathfn.js';

const f = (c: ScalarCall, i: number): number => Number(c.args[i]);
const big = (c: ScalarCall, i: number): bigint =>
  typeof c.args[i] === 'bigint' ? (c.args[i] as bigint) : BigInt(Math.trunc(f(c, i)));

// ln(Gamma(x)) by the Lanczos approximation (g=7), with the reflection formula below 0.5.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * a;
}

function lgamma(x: number): number {
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const UNARY: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  erf,
  erfc,
  expm1: Math.expm1,
  log1p: Math.log1p,
  log10: Math.log10,
  lgamma,
  gamma: (x) => (x <= 0 && Number.isInteger(x) ? NaN : gamma(x)),
  fabs: Math.abs,
  degrees: (x) => (x * 180) / Math.PI,
  radians: (x) => (x * Math.PI) / 180,
};

function unaryFamily(): Record<string, ScalarOp> {
  const out: Record<string, ScalarOp> = {};
  for (const [name, fn] of Object.entries(UNARY)) {
    for (const o of ['int', 'float', 'Scalar']) out[`aten::${name}.${o}`] = (c) => fn(f(c, 0));
  }
  return out;
}

// For overloads over (int|float, int|float) pairs: int, float, int_float, float_int (and a bare name).
function binaryFamily(
  name: string,
  fn: (x: number, y: number) => IValue,
  extra: string[] = [],
): Record<string, ScalarOp> {
  const op: ScalarOp = (c) => fn(f(c, 0), f(c, 1));
  return Object.fromEntries(
    ['int', 'float', 'int_float', 'float_int', ...extra].map((o) => [`aten::${name}${o ? `.${o}` : ''}`, op]),
  );
}

// Python's divmod: floor quotient and a remainder with the divisor's sign.
function divmod(c: ScalarCall): IValue[] {
  const isInt = c.argTypes.every((t) => t.kind === 'int');
  if (isInt) {
    const a = big(c, 0);
    const b = big(c, 1);
    if (b === 0n)
      throw new RuntimeError('ZERO_DIVISION', 'ZeroDivisionError: integer division or modulo by zero');
    let q = a / b;
    if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
    return [normalizeInt(q), normalizeInt(a - q * b)];
  }
  const a = f(c, 0);
  const b = f(c, 1);
  if (b === 0) throw new RuntimeError('ZERO_DIVISION', 'ZeroDivisionError: float divmod()');
  let rem = a % b;
  if (rem !== 0 && b < 0 !== rem < 0) rem += b;
  return [(a - rem) / b, rem];
}

function frexp(x: number): IValue[] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x;
}

function factorial(n: bigint): IValue {
  if (n < 0n) throw new RuntimeError('VALUE_ERROR', 'factorial() not defined for negative values');
  let r = 1n;
  for (let i = 2n; i <= n; i++) r *= i;
  return normalizeInt(BigInt.asIntN(64, r));
}

// A Python number with its static type (2.0 typed float stays a float in promotion).
const asScalar = (c: ScalarCall, i: number): Scalar =>
  c.argTypes[i]?.kind === 'float' || (typeof c.args[i] === 'number' && !Number.isInteger(c.args[i]))
    ? new FloatScalar(f(c, i))
    : (c.args[i] as Scalar);

const dtypeOf = (v: IValue): DType => {
  const d = dtypeFromScalarType(Number(v));
  if (d === undefined) throw new RuntimeError('INVALID_ARGUMENT', `unknown ScalarType ${String(v)}`);
  return d;
};

/** The math builtins, keyed by overload. */
export const MATH_OPS: Readonly<Record<string, ScalarOp>> = {
  ...unaryFamily(),
  ...binaryFamily('atan2', Math.atan2, ['Scalar_Scalar']),
  ...binaryFamily('copysign', (x, y) => Math.abs(x) * (y < 0 || Object.is(y, -0) ? -1 : 1), ['']),
  ...binaryFamily('fmod', (x, y) => x % y, ['']),
  ...binaryFamily('mathremainder', (x, y) => x - y * roundHalfEven(x / y), ['']),
  ...Object.fromEntries(['int', 'float', 'int_float', 'float_int'].map((o) => [`aten::divmod.${o}`, divmod])),
  'aten::isnan.float': (c) => Number.isNaN(f(c, 0)),
  'aten::isinf.float': (c) => Math.abs(f(c, 0)) === Infinity,
  'aten::isfinite.float': (c) => Number.isFinite(f(c, 0)),
  'aten::round.int': (c) => f(c, 0),
  'aten::round.float': (c) => roundHalfEven(f(c, 0)),
  'aten::round.Scalar': (c) => roundHalfEven(f(c, 0)),
  'aten::modf': (c) => {
    const x = f(c, 0);
    const i = Math.trunc(x);
    return [Number.isFinite(x) ? x - i : 0 * Math.sign(x), i];
  },
  'aten::frexp': (c) => frexp(f(c, 0)),
  'aten::ldexp': (c) => f(c, 0) * 2 ** f(c, 1),
  'aten::gcd.int': (c) => normalizeInt(gcd(big(c, 0), big(c, 1))),
  'aten::factorial.int': (c) => factorial(big(c, 0)),
  'aten::__lshift__.int': (c) => normalizeInt(BigInt.asIntN(64, big(c, 0) << big(c, 1))),
  'aten::__rshift__.int': (c) => normalizeInt(big(c, 0) >> big(c, 1)),
  'aten::__xor__.int': (c) => normalizeInt(big(c, 0) ^ big(c, 1)),
  'aten::__xor__.bool': (c) => Boolean(c.args[0]) !== Boolean(c.args[1]),
  'aten::bin': (c) => (big(c, 0) < 0n ? '-0b' + (-big(c, 0)).toString(2) : '0b' + big(c, 0).toString(2)),
  'aten::oct': (c) => (big(c, 0) < 0n ? '-0o' + (-big(c, 0)).toString(8) : '0o' + big(c, 0).toString(8)),
  'aten::hex': (c) => (big(c, 0) < 0n ? '-0x' + (-big(c, 0)).toString(16) : '0x' + big(c, 0).toString(16)),
  'aten::promote_types': (c) => DTYPES[promoteTypes(dtypeOf(c.args[0]), dtypeOf(c.args[1]))].scalarType,
  'aten::can_cast': (c) => canCast(dtypeOf(c.args[0]), dtypeOf(c.args[1])),
  'aten::result_type.Scalar_Scalar': (c) => DTYPES[resultType(asScalar(c, 0), asScalar(c, 1))].scalarType,
};
