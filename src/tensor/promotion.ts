// PyTorch type promotion: promote_types, result_type with its three priority classes
// (dimensioned tensors > 0-dim tensors > wrapped Python numbers), and can_cast. Mirrors c10 ScalarType.h
// and ATen's TypeProperties.cpp.

import { RuntimeError } from '../errors.js';
import { DTYPES, type DType } from './dtype.js';
import { scalarKind, type Scalar } from './scalar.js';
import { Tensor } from './tensor.js';

/** torch.get_default_dtype(): what float Python numbers and integer `div` results become. */
export const DEFAULT_FLOAT_DTYPE: DType = 'float32';

type Category = 0 | 1 | 2 | 3; // bool < integral < floating < complex

function category(d: DType): Category {
  if (d === 'bool') return 0;
  if (DTYPES[d].isComplex) return 3;
  if (DTYPES[d].isFloatingPoint) return 2;
  return 1;
}

/** True for the integral dtypes (bool too when `includeBool`). */
export function isIntegral(d: DType, includeBool = false): boolean {
  const c = category(d);
  return c === 1 || (includeBool && c === 0);
}

/** True for float16/bfloat16/float32/float64. */
export function isFloating(d: DType): boolean {
  return DTYPES[d].isFloatingPoint;
}

/** True for complex dtypes. */
export function isComplex(d: DType): boolean {
  return DTYPES[d].isComplex;
}

const INT_RANK: Partial<Record<DType, number>> = { int8: 1, int16: 2, int32: 3, int64: 4 };
const FLOAT_RANK: Partial<Record<DType, number>> = { float16: 1, bfloat16: 1, float32: 2, float64: 3 };

/** torch.promote_types(a, b). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = category(a);
  const cb = category(b);
  if (ca === 0) return b;
  if (cb === 0) return a;
  if (ca === 3 || cb === 3) {
    if (ca === 3 && cb === 3) return a === 'complex128' || b === 'complex128' ? 'complex128' : 'complex64';
    const other = ca === 3 ? b : a;
    const cplx = ca === 3 ? a : b;
    return other === 'float64' ? 'complex128' : cplx;
  }
  if (ca === 2 && cb === 2) {
    if ((a === 'float16' && b === 'bfloat16') || (a === 'bfloat16' && b === 'float16')) return 'float32';
    return (FLOAT_RANK[a] ?? 0) >= (FLOAT_RANK[b] ?? 0) ? a : b;
  }
  if (ca === 2) return a;
  if (cb === 2) return b;
  // Both integral.
  if (a === 'uint8' || b === 'uint8') {
    const other = a === 'uint8' ? b : a;
    return other === 'int8' ? 'int16' : other;
  }
  return (INT_RANK[a] ?? 0) >= (INT_RANK[b] ?? 0) ? a : b;
}

/** The dtype a Python scalar has when it takes part in promotion as a wrapped number. */
export function scalarDType(s: Scalar): DType {
  const kind = scalarKind(s);
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : DEFAULT_FLOAT_DTYPE;
}

// Merges the result of a higher-priority class with a lower one: the lower one only matters when it is
// of a higher category (an int tensor meeting a float scalar becomes float; a float32 tensor meeting a
// float64 0-dim tensor stays float32).
function combine(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (isComplex(higher)) return higher;
  if (isComplex(lower)) {
    if (isFloating(higher)) return higher === 'float64' ? 'complex128' : 'complex64';
    return lower;
  }
  if (isFloating(higher)) return higher;
  if (higher === 'bool' || isFloating(lower)) return promoteTypes(higher, lower);
  return higher;
}

/** Something that takes part in result_type: a tensor or a Python scalar (a wrapped number). */
export type PromotionOperand = Tensor | Scalar;

/** torch.result_type over tensors and Python scalars. */
export function resultType(...operands: readonly PromotionOperand[]): DType {
  let dimResult: DType | undefined;
  let zeroResult: DType | undefined;
  let wrappedResult: DType | undefined;
  for (const op of operands) {
    if (op instanceof Tensor) {
      if (op.dim === 0) zeroResult = zeroResult === undefined ? op.dtype : promoteTypes(zeroResult, op.dtype);
      else dimResult = dimResult === undefined ? op.dtype : promoteTypes(dimResult, op.dtype);
    } else {
      const d = scalarDType(op);
      wrappedResult = wrappedResult === undefined ? d : promoteTypes(wrappedResult, d);
    }
  }
  const out = combine(dimResult, combine(zeroResult, wrappedResult));
  if (out === undefined) throw new RuntimeError('INVALID_ARGUMENT', 'result_type needs at least one operand');
  return out;
}

/** torch.can_cast(from, to): no float->integral, complex->non-complex or non-bool->bool. */
export function canCast(from: DType, to: DType): boolean {
  const cf = category(from);
  const ct = category(to);
  if (cf === 3 && ct !== 3) return false;
  if (cf === 2 && ct < 2) return false;
  if (cf !== 0 && ct === 0) return false;
  return true;
}

/** Throws PyTorch's error when an op's result dtype cannot be written into an output (in-place) tensor. */
export function checkCanCast(result: DType, out: DType): void {
  if (!canCast(result, out)) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `result type ${DTYPES[result].irName} can't be cast to the desired output type ${DTYPES[out].irName}`,
    );
  }
}
