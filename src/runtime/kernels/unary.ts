// Unary element-wise math: the float functions (ints promote to float32), sign/abs/neg keeping integer
// dtypes, rounding, and the bool-valued tests (isnan, logical_not). Each works in place given `out`.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { BOOL_RESULT, FLOAT_RESULT, SAME, unaryOp, type UnarySpec } from './ew-core.js';
import { erf, erfc, erfinv, roundHalfEven } from './mathfn.js';

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

function floatSpec(name: string, num: (x: number) => number, expr?: string): UnarySpec {
  return { name, types: FLOAT_RESULT, num, expr };
}

/** Float-valued unary ops by name (ints promote to float32). */
export const FLOAT_UNARY: Readonly<Record<string, UnarySpec>> = {
  sqrt: floatSpec('sqrt', Math.sqrt, 'Math.sqrt(x)'),
  rsqrt: floatSpec('rsqrt', (x) => 1 / Math.sqrt(x)),
  exp: floatSpec('exp', Math.exp, 'Math.exp(x)'),
  exp2: floatSpec('exp2', (x) => Math.pow(2, x)),
  expm1: floatSpec('expm1', Math.expm1),
  log: floatSpec('log', Math.log),
  log2: floatSpec('log2', Math.log2),
  log10: floatSpec('log10', Math.log10),
  log1p: floatSpec('log1p', Math.log1p),
  sin: floatSpec('sin', Math.sin),
  cos: floatSpec('cos', Math.cos),
  tan: floatSpec('tan', Math.tan),
  asin: floatSpec('asin', Math.asin),
  acos: floatSpec('acos', Math.acos),
  atan: floatSpec('atan', Math.atan),
  sinh: floatSpec('sinh', Math.sinh),
  cosh: floatSpec('cosh', Math.cosh),
  asinh: floatSpec('asinh', Math.asinh),
  acosh: floatSpec('acosh', Math.acosh),
  atanh: floatSpec('atanh', Math.atanh),
  erf: floatSpec('erf', erf),
  erfc: floatSpec('erfc', erfc),
  erfinv: floatSpec('erfinv', erfinv),
  reciprocal: floatSpec('reciprocal', (x) => 1 / x),
  sigmoid: floatSpec('sigmoid', (x) => 1 / (1 + Math.exp(-x)), '1 / (1 + Math.exp(-x))'),
  tanh: floatSpec('tanh', Math.tanh, 'Math.tanh(x)'),
};

/** Applies a float-valued unary op by name (see FLOAT_UNARY). */
export function floatUnary(name: keyof typeof FLOAT_UNARY, t: Tensor, out?: Tensor): Tensor {
  return unaryOp(t, FLOAT_UNARY[name], out);
}

/** -x (refused on bool, as in PyTorch). */
export function neg(t: Tensor, out?: Tensor): Tensor {
  if (t.dtype === 'bool') {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
  }
  return unaryOp(t, { name: 'neg', num: (x) => -x, big: (x) => wrap(-x), expr: '-x' }, out);
}

/** |x| (integers stay integers). */
export function abs(t: Tensor, out?: Tensor): Tensor {
  if (t.dtype === 'bool') throw new RuntimeError('DTYPE_MISMATCH', `"abs_cpu" not implemented for 'Bool'`);
  return unaryOp(t, { name: 'abs', num: Math.abs, big: (x) => wrap(x < 0n ? -x : x) }, out);
}

/** sign(x): -1, 0 or 1 (0 for NaN). */
export function sign(t: Tensor, out?: Tensor): Tensor {
  return unaryOp(
    t,
    { name: 'sign', num: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), big: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n) },
    out,
  );
}

/** x * x. */
export function square(t: Tensor, out?: Tensor): Tensor {
  return unaryOp(t, { name: 'square', num: (x) => x * x, big: (x) => wrap(x * x) }, out);
}

type Rounding = 'ceil' | 'floor' | 'round' | 'trunc' | 'frac';
const ROUNDING: Record<Rounding, (x: number) => number> = {
  ceil: Math.ceil,
  floor: Math.floor,
  round: roundHalfEven,
  trunc: Math.trunc,
  frac: (x) => x - Math.trunc(x),
};

/** ceil/floor/round (half to even)/trunc/frac; integer tensors pass through unchanged. */
export function rounding(op: Rounding, t: Tensor, out?: Tensor): Tensor {
  if (!DTYPES[t.dtype].isFloatingPoint && op === 'frac')
    throw new RuntimeError('DTYPE_MISMATCH', `"frac_cpu" not implemented for '${DTYPES[t.dtype].irName}'`);
  return unaryOp(t, { name: op, types: SAME, num: ROUNDING[op], big: (x) => x }, out);
}

/** torch.round(x, decimals=d). */
export function roundDecimals(t: Tensor, decimals: number, out?: Tensor): Tensor {
  if (decimals === 0) return rounding('round', t, out);
  const ten = Math.pow(10, Math.abs(decimals));
  const num =
    decimals > 0
      ? (x: number): number => roundHalfEven(x * ten) / ten
      : (x: number): number => roundHalfEven(x / ten) * ten;
  return unaryOp(t, { name: 'round', num, big: (x) => x }, out);
}

/** ~x on integral/bool tensors. */
export function bitwiseNot(t: Tensor, out?: Tensor): Tensor {
  if (DTYPES[t.dtype].isFloatingPoint)
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `"bitwise_not_cpu" not implemented for '${DTYPES[t.dtype].irName}'`,
    );
  const num = t.dtype === 'bool' ? (x: number): number => (x ? 0 : 1) : (x: number): number => ~x;
  return unaryOp(t, { name: 'bitwise_not', num, big: (x) => ~x }, out);
}

/** logical_not: bool result (x == 0). */
export function logicalNot(t: Tensor, out?: Tensor): Tensor {
  return unaryOp(
    t,
    { name: 'logical_not', types: BOOL_RESULT, num: (x) => (x === 0 ? 1 : 0), big: (x) => x === 0n },
    out,
  );
}

type Test = 'isnan' | 'isinf' | 'isfinite' | 'isposinf' | 'isneginf';
const TESTS: Record<Test, (x: number) => boolean> = {
  isnan: Number.isNaN,
  isinf: (x) => x === Infinity || x === -Infinity,
  isfinite: Number.isFinite,
  isposinf: (x) => x === Infinity,
  isneginf: (x) => x === -Infinity,
};

/** isnan/isinf/isfinite/isposinf/isneginf: bool results. */
export function numberTest(op: Test, t: Tensor): Tensor {
  const f = TESTS[op];
  return unaryOp(t, {
    name: op,
    types: BOOL_RESULT,
    num: (x) => (f(x) ? 1 : 0),
    big: () => op === 'isfinite',
  });
}

/** torch.nan_to_num. */
export function nanToNum(
  t: Tensor,
  nan: number | null,
  posinf: number | null,
  neginf: number | null,
  out?: Tensor,
): Tensor {
  const big = DTYPES[t.dtype].itemSize >= 8;
  const hi = posinf ?? (big ? Number.MAX_VALUE : 3.4028234663852886e38);
  const lo = neginf ?? -hi;
  const n = nan ?? 0;
  return unaryOp(
    t,
    {
      name: 'nan_to_num',
      num: (x) => (x !== x ? n : x === Infinity ? hi : x === -Infinity ? lo : x),
      big: (x) => x,
    },
    out,
  );
}
