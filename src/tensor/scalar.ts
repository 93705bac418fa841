// Python scalars as kernels see them: int, float and bool, kept apart even when a float's value is integral.

import { RuntimeError } from '../errors.js';

/**
 * A Python float whose value must stay typed as float. A bare JS number is read as a Python int when it
 * is an integer and as a float otherwise; wrap integral floats (2.0) in FloatScalar so `int_tensor + 2.0`
 * promotes to float as in PyTorch.
 */
export class FloatScalar {
  constructor(readonly value: number) {}

  toString(): string {
    return Number.isInteger(this.value) ? `${this.value}.` : String(this.value);
  }
}

/** A Python number: int (number or bigint), float (number or FloatScalar) or bool. */
export type Scalar = number | bigint | boolean | FloatScalar;

/** Wraps a number as a Python float (see FloatScalar). */
export function floatScalar(value: number): FloatScalar {
  return new FloatScalar(value);
}

/** Which Python type a scalar is. */
export function scalarKind(s: Scalar): 'bool' | 'int' | 'float' {
  if (typeof s === 'boolean') return 'bool';
  if (typeof s === 'bigint') return 'int';
  if (s instanceof FloatScalar) return 'float';
  return Number.isInteger(s) ? 'int' : 'float';
}

/** The scalar as a JS number (bools are 0/1; bigints beyond 2^53 round). */
export function scalarToNumber(s: Scalar): number {
  if (typeof s === 'boolean') return s ? 1 : 0;
  if (typeof s === 'bigint') return Number(s);
  if (s instanceof FloatScalar) return s.value;
  return s;
}

/** The scalar as a bigint; floats are refused. */
export function scalarToBigInt(s: Scalar): bigint {
  if (typeof s === 'bigint') return s;
  if (typeof s === 'boolean') return s ? 1n : 0n;
  const n = s instanceof FloatScalar ? s.value : s;
  if (!Number.isInteger(n))
    throw new RuntimeError('INVALID_ARGUMENT', `expected an integer scalar, got ${n}`);
  return BigInt(n);
}

/** True for the values a kernel accepts as a Scalar argument. */
export function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof FloatScalar
  );
}
