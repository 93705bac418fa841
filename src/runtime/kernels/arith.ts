// Binary arithmetic on tensors and scalars with PyTorch's rules: alpha, the three division modes,
// Python-style remainder (sign of the divisor) vs fmod (sign of the dividend), integer ZeroDivisionError,
// bool special cases, and int64 computed exactly in bigint.

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { isIntegral, resultType } from '../../tensor/promotion.js';
import { scalarKind, type Scalar } from '../../tensor/scalar.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  BOOL_RESULT,
  FLOAT_RESULT,
  SAME,
  binaryOp,
  castScalar,
  type BinarySpec,
  type Operand,
} from './ew-core.js';

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

function zeroDivision(): never {
  throw new RuntimeError('ZERO_DIVISION', 'ZeroDivisionError');
}

function computeOf(a: Operand, b: Operand): DType {
  return resultType(a, b);
}

function isBoolOperand(x: Operand): boolean {
  return x instanceof Tensor ? x.dtype === 'bool' : typeof x === 'boolean';
}

function checkAlpha(compute: DType, alpha: Scalar): void {
  if (isIntegral(compute, true) && scalarKind(alpha) === 'float') {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'For integral input tensors, argument alpha must not be a floating point number.',
    );
  }
}

/** a + alpha * b. */
export function add(a: Operand, b: Operand, alpha: Scalar = 1, out?: Tensor): Tensor {
  const compute = computeOf(a, b);
  checkAlpha(compute, alpha);
  if (compute === 'bool')
    return binaryOp(a, b, { name: 'add', num: (x, y) => (x || (y && alpha) ? 1 : 0) }, out);
  const al = castScalar(alpha, compute);
  const bigAl = compute === 'int64' ? BigInt(al) : 1n;
  const spec: BinarySpec =
    al === 1
      ? { name: 'add', num: (x, y) => x + y, big: (x, y) => wrap(x + y), expr: 'x + y' }
      : {
          name: 'add',
          num: (x, y) => x + al * y,
          big: (x, y) => wrap(x + bigAl * y),
          expr: 'x + c0 * y',
          consts: [al],
        };
  return binaryOp(a, b, spec, out);
}

/** a - alpha * b (refused for two bools, as in PyTorch). */
export function sub(a: Operand, b: Operand, alpha: Scalar = 1, out?: Tensor): Tensor {
  if (isBoolOperand(a) && isBoolOperand(b)) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.',
    );
  }
  const compute = computeOf(a, b);
  checkAlpha(compute, alpha);
  const al = castScalar(alpha, compute);
  const bigAl = compute === 'int64' ? BigInt(al) : 1n;
  const spec: BinarySpec =
    al === 1
      ? { name: 'sub', num: (x, y) => x - y, big: (x, y) => wrap(x - y), expr: 'x - y' }
      : {
          name: 'sub',
          num: (x, y) => x - al * y,
          big: (x, y) => wrap(x - bigAl * y),
          expr: 'x - c0 * y',
          consts: [al],
        };
  return binaryOp(a, b, spec, out);
}

/** other - alpha * self (aten::rsub). */
export function rsub(self: Operand, other: Operand, alpha: Scalar = 1): Tensor {
  return sub(other, self, alpha);
}

/** a * b. */
export function mul(a: Operand, b: Operand, out?: Tensor): Tensor {
  const compute = computeOf(a, b);
  if (compute === 'bool') return binaryOp(a, b, { name: 'mul', num: (x, y) => (x && y ? 1 : 0) }, out);
  if (compute === 'int32')
    return binaryOp(a, b, { name: 'mul', num: Math.imul, big: (x, y) => wrap(x * y) }, out);
  return binaryOp(
    a,
    b,
    { name: 'mul', num: (x, y) => x * y, big: (x, y) => wrap(x * y), expr: 'x * y' },
    out,
  );
}

/** Python's float floor division (CPython float_floor_div), which ATen's div_floor follows. */
export function floorDivFloat(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) {
    const q = a / b;
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

function floorDivBig(x: bigint, y: bigint): bigint {
  if (y === 0n) zeroDivision();
  const q = x / y;
  return x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q;
}

/** a / b with rounding_mode null (true division, ints -> float32), 'trunc' or 'floor'. */
export function div(a: Operand, b: Operand, roundingMode: string | null = null, out?: Tensor): Tensor {
  if (roundingMode === null)
    return binaryOp(a, b, { name: 'div', types: FLOAT_RESULT, num: (x, y) => x / y, expr: 'x / y' }, out);
  const compute = computeOf(a, b);
  const integral = isIntegral(compute, true);
  if (roundingMode === 'trunc') {
    const num = integral
      ? (x: number, y: number): number => (y === 0 ? zeroDivision() : Math.trunc(x / y))
      : (x: number, y: number): number => Math.trunc(x / y);
    return binaryOp(
      a,
      b,
      { name: 'div_trunc', types: SAME, num, big: (x, y) => (y === 0n ? zeroDivision() : wrap(x / y)) },
      out,
    );
  }
  if (roundingMode === 'floor') return floorDivide(a, b, out);
  throw new RuntimeError(
    'INVALID_ARGUMENT',
    `div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${roundingMode}'`,
  );
}

/** torch.floor_divide: floor rounding (PyTorch >= 1.13). */
export function floorDivide(a: Operand, b: Operand, out?: Tensor): Tensor {
  const integral = isIntegral(computeOf(a, b), true);
  const num = integral
    ? (x: number, y: number): number => (y === 0 ? zeroDivision() : Math.floor(x / y))
    : floorDivFloat;
  return binaryOp(a, b, { name: 'floor_divide', num, big: floorDivBig }, out);
}

/** Python-style modulo: the result has the sign of the divisor. */
export function remainder(a: Operand, b: Operand, out?: Tensor): Tensor {
  const integral = isIntegral(computeOf(a, b), true);
  const num = (x: number, y: number): number => {
    if (integral && y === 0) zeroDivision();
    let m = x % y;
    if (m !== 0 && y < 0 !== m < 0) m += y;
    return m;
  };
  const big = (x: bigint, y: bigint): bigint => {
    if (y === 0n) zeroDivision();
    const m = x % y;
    return m !== 0n && y < 0n !== m < 0n ? m + y : m;
  };
  return binaryOp(a, b, { name: 'remainder', num, big }, out);
}

/** C-style fmod: the result has the sign of the dividend. */
export function fmod(a: Operand, b: Operand, out?: Tensor): Tensor {
  const integral = isIntegral(computeOf(a, b), true);
  const num = (x: number, y: number): number => (integral && y === 0 ? zeroDivision() : x % y);
  return binaryOp(a, b, { name: 'fmod', num, big: (x, y) => (y === 0n ? zeroDivision() : x % y) }, out);
}

function powNumber(x: number, y: number): number {
  // C's pow: 1^y and x^0 are 1 even for NaN/inf (JS gives NaN for 1^inf), (-1)^±inf is 1.
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return Math.pow(x, y);
}

function powInt(x: number, y: number, bits: number): number {
  if (y < 0) return x === 1 ? 1 : x === -1 ? (y % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = x;
  let e = y;
  while (e > 0) {
    if (e & 1) result = bits === 32 ? Math.imul(result, base) : result * base;
    base = bits === 32 ? Math.imul(base, base) : base * base;
    e = Math.floor(e / 2);
  }
  return result;
}

function powBig(x: bigint, y: bigint): bigint {
  if (y < 0n) return x === 1n ? 1n : x === -1n ? (y % 2n === 0n ? 1n : -1n) : 0n;
  let result = 1n;
  let base = x;
  let e = y;
  while (e > 0n) {
    if (e & 1n) result = wrap(result * base);
    base = wrap(base * base);
    e >>= 1n;
  }
  return result;
}

/** a ** b (integral bases refuse a negative integral Scalar exponent, as PyTorch does). */
export function pow(a: Operand, b: Operand, out?: Tensor): Tensor {
  const compute = computeOf(a, b);
  if (isIntegral(compute, true) && !(b instanceof Tensor) && Number(b) < 0) {
    throw new RuntimeError('INVALID_ARGUMENT', 'Integers to negative integer powers are not allowed.');
  }
  const bits = compute === 'int32' ? 32 : 16;
  const num = isIntegral(compute, false) ? (x: number, y: number): number => powInt(x, y, bits) : powNumber;
  return binaryOp(a, b, { name: 'pow', num, big: powBig }, out);
}

/** Element-wise maximum, propagating NaN. */
export function maximum(a: Operand, b: Operand, out?: Tensor): Tensor {
  const num = (x: number, y: number): number => (x !== x || y !== y ? NaN : x > y ? x : y);
  return binaryOp(
    a,
    b,
    { name: 'maximum', num, big: (x, y) => (x > y ? x : y), expr: 'Math.max(x, y)' },
    out,
  );
}

/** Element-wise minimum, propagating NaN. */
export function minimum(a: Operand, b: Operand, out?: Tensor): Tensor {
  const num = (x: number, y: number): number => (x !== x || y !== y ? NaN : x < y ? x : y);
  return binaryOp(
    a,
    b,
    { name: 'minimum', num, big: (x, y) => (x < y ? x : y), expr: 'Math.min(x, y)' },
    out,
  );
}

/** atan2(a, b) (ints -> float32). */
export function atan2(a: Operand, b: Operand, out?: Tensor): Tensor {
  return binaryOp(a, b, { name: 'atan2', types: FLOAT_RESULT, num: Math.atan2 }, out);
}

type Cmp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const CMP_NUM: Record<Cmp, (x: number, y: number) => number> = {
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
};
const CMP_EXPR: Record<Cmp, string> = {
  eq: 'x === y ? 1 : 0',
  ne: 'x !== y ? 1 : 0',
  lt: 'x < y ? 1 : 0',
  le: 'x <= y ? 1 : 0',
  gt: 'x > y ? 1 : 0',
  ge: 'x >= y ? 1 : 0',
};
const CMP_BIG: Record<Cmp, (x: bigint, y: bigint) => boolean> = {
  eq: (x, y) => x === y,
  ne: (x, y) => x !== y,
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
  gt: (x, y) => x > y,
  ge: (x, y) => x >= y,
};

/** A comparison (eq/ne/lt/le/gt/ge) giving a bool tensor (or writing into `out`). */
export function compare(op: Cmp, a: Operand, b: Operand, out?: Tensor): Tensor {
  return binaryOp(
    a,
    b,
    { name: op, types: BOOL_RESULT, num: CMP_NUM[op], big: CMP_BIG[op], expr: CMP_EXPR[op] },
    out,
  );
}

type Logic = 'and' | 'or' | 'xor';

/** logical_and/or/xor: non-zero is true; the result is bool (or out's dtype). */
export function logical(op: Logic, a: Operand, b: Operand, out?: Tensor): Tensor {
  const num =
    op === 'and'
      ? (x: number, y: number): number => (x !== 0 && y !== 0 ? 1 : 0)
      : op === 'or'
        ? (x: number, y: number): number => (x !== 0 || y !== 0 ? 1 : 0)
        : (x: number, y: number): number => ((x !== 0) !== (y !== 0) ? 1 : 0);
  const big =
    op === 'and'
      ? (x: bigint, y: bigint): boolean => x !== 0n && y !== 0n
      : op === 'or'
        ? (x: bigint, y: bigint): boolean => x !== 0n || y !== 0n
        : (x: bigint, y: bigint): boolean => (x !== 0n) !== (y !== 0n);
  return binaryOp(a, b, { name: `logical_${op}`, types: BOOL_RESULT, num, big }, out);
}

type Bitwise = 'and' | 'or' | 'xor' | 'left_shift' | 'right_shift';

/** bitwise_and/or/xor and shifts on integral and bool tensors. */
export function bitwise(op: Bitwise, a: Operand, b: Operand, out?: Tensor): Tensor {
  const compute = computeOf(a, b);
  if (!isIntegral(compute, true)) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `"bitwise_${op}_cpu" not implemented for '${DTYPES[compute].irName}'`,
    );
  }
  const table: Record<Bitwise, [(x: number, y: number) => number, (x: bigint, y: bigint) => bigint]> = {
    and: [(x, y) => x & y, (x, y) => x & y],
    or: [(x, y) => x | y, (x, y) => x | y],
    xor: [(x, y) => x ^ y, (x, y) => x ^ y],
    left_shift: [
      (x, y) => (y >= 32 || y < 0 ? 0 : x << y),
      (x, y) => (y >= 64n || y < 0n ? 0n : wrap(x << y)),
    ],
    right_shift: [
      (x, y) => (y >= 32 || y < 0 ? (x < 0 ? -1 : 0) : x >> y),
      (x, y) => (y >= 64n || y < 0n ? (x < 0n ? -1n : 0n) : x >> y),
    ],
  };
  const [num, big] = table[op];
  return binaryOp(a, b, { name: `bitwise_${op}`, num, big }, out);
}
