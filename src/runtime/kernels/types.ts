// The kernel calling convention shared with the interpreter: positional arguments in schema order (defaults
// already filled in), plus typed accessors that turn a wrong argument into a RuntimeError naming it.

import { RuntimeError } from '../../errors.js';
import { DTYPES, dtypeFromScalarType, type DType } from '../../tensor/dtype.js';
import { FloatScalar, isScalar, scalarToNumber, type Scalar } from '../../tensor/scalar.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * One kernel argument. Tensor -> Tensor; Scalar/int/float/bool -> JS number, bigint (ints beyond 2^53),
 * boolean, or FloatScalar (a float whose value is integral, so `x + 2.0` promotes like PyTorch);
 * int[] -> number[]; Tensor[] / Tensor?[] -> arrays; optional -> null; ScalarType / Layout /
 * MemoryFormat -> their c10 enum number; Device and str -> string.
 */
export type KernelArg = Tensor | Scalar | string | null | readonly KernelArg[];

/** What a kernel returns: one value, or an array for multi-output ops (and for list results). */
export type KernelResult = Tensor | Scalar | string | null | readonly KernelResult[];

/** A kernel: a plain function of its positional arguments. */
export type Kernel = (args: readonly KernelArg[]) => KernelResult;

/** Kernels keyed by qualified name and overload exactly as PyTorch 1.13 schemas spell them (`aten::add.Tensor`). */
export type KernelTable = Record<string, Kernel>;

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (v instanceof Tensor) return `Tensor[${v.shape.join(', ')}] ${v.dtype}`;
  if (Array.isArray(v)) return 'list';
  if (v instanceof FloatScalar) return 'float';
  return typeof v;
}

function bad(i: number, want: string, got: unknown): RuntimeError {
  return new RuntimeError('KERNEL_ARG', `argument ${i}: expected ${want}, got ${describe(got)}`);
}

/** A Tensor argument. */
export function tensorArg(args: readonly KernelArg[], i: number): Tensor {
  const v = args[i];
  if (v instanceof Tensor) return v;
  throw bad(i, 'Tensor', v);
}

/** A Tensor? argument (null or undefined -> null). */
export function optTensorArg(args: readonly KernelArg[], i: number): Tensor | null {
  const v = args[i];
  if (v === null || v === undefined) return null;
  if (v instanceof Tensor) return v;
  throw bad(i, 'Tensor?', v);
}

/** A Scalar argument (number, bigint, bool or FloatScalar). */
export function scalarArg(args: readonly KernelArg[], i: number): Scalar {
  const v = args[i];
  if (isScalar(v)) return v;
  // A 0-dim tensor passed where a Scalar is expected is read as its value.
  if (v instanceof Tensor && v.numel === 1) {
    const e = v.item();
    return typeof e === 'number' && DTYPES[v.dtype].isFloatingPoint ? new FloatScalar(e) : e;
  }
  throw bad(i, 'Scalar', v);
}

/** A Scalar? argument. */
export function optScalarArg(args: readonly KernelArg[], i: number): Scalar | null {
  const v = args[i];
  return v === null || v === undefined ? null : scalarArg(args, i);
}

/** An int argument (bigint within 2^53 and bool accepted). */
export function intArg(args: readonly KernelArg[], i: number): number {
  const v = args[i];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw bad(i, 'int', v);
}

/** An int? argument. */
export function optIntArg(args: readonly KernelArg[], i: number): number | null {
  const v = args[i];
  return v === null || v === undefined ? null : intArg(args, i);
}

/** A float argument (ints accepted). */
export function floatArg(args: readonly KernelArg[], i: number): number {
  const v = args[i];
  if (isScalar(v)) return scalarToNumber(v);
  throw bad(i, 'float', v);
}

/** A float? argument. */
export function optFloatArg(args: readonly KernelArg[], i: number): number | null {
  const v = args[i];
  return v === null || v === undefined ? null : floatArg(args, i);
}

/** A bool argument. */
export function boolArg(args: readonly KernelArg[], i: number): boolean {
  const v = args[i];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw bad(i, 'bool', v);
}

/** A bool? argument. */
export function optBoolArg(args: readonly KernelArg[], i: number): boolean | null {
  const v = args[i];
  return v === null || v === undefined ? null : boolArg(args, i);
}

/** A str argument. */
export function strArg(args: readonly KernelArg[], i: number): string {
  const v = args[i];
  if (typeof v === 'string') return v;
  throw bad(i, 'str', v);
}

/** A str? argument. */
export function optStrArg(args: readonly KernelArg[], i: number): string | null {
  const v = args[i];
  return v === null || v === undefined ? null : strArg(args, i);
}

/** An int[] argument; a single int stands for `length` copies of itself (schemas like `int[2] stride=1`). */
export function intListArg(args: readonly KernelArg[], i: number, length?: number): number[] {
  const v = args[i];
  if (typeof v === 'number' || typeof v === 'bigint') return new Array<number>(length ?? 1).fill(Number(v));
  if (Array.isArray(v)) {
    const out = v.map((x, k) => {
      if (typeof x === 'number' && Number.isInteger(x)) return x;
      if (typeof x === 'bigint') return Number(x);
      throw bad(i, `int[] (element ${k})`, x);
    });
    if (length !== undefined && out.length === 1 && length > 1) return new Array<number>(length).fill(out[0]);
    return out;
  }
  throw bad(i, 'int[]', v);
}

/** An int[]? argument. */
export function optIntListArg(args: readonly KernelArg[], i: number, length?: number): number[] | null {
  const v = args[i];
  return v === null || v === undefined ? null : intListArg(args, i, length);
}

/** A float[] argument. */
export function floatListArg(args: readonly KernelArg[], i: number): number[] {
  const v = args[i];
  if (Array.isArray(v)) return v.map((x) => (isScalar(x) ? scalarToNumber(x) : Number.NaN));
  if (isScalar(v)) return [scalarToNumber(v)];
  throw bad(i, 'float[]', v);
}

/** A Tensor[] argument. */
export function tensorListArg(args: readonly KernelArg[], i: number): Tensor[] {
  const v = args[i];
  if (Array.isArray(v)) {
    return v.map((x, k) => {
      if (x instanceof Tensor) return x;
      throw bad(i, `Tensor[] (element ${k})`, x);
    });
  }
  throw bad(i, 'Tensor[]', v);
}

/** A Tensor?[] argument (indices of aten::index). */
export function optTensorListArg(args: readonly KernelArg[], i: number): (Tensor | null)[] {
  const v = args[i];
  if (Array.isArray(v)) {
    return v.map((x, k) => {
      if (x === null || x instanceof Tensor) return x;
      throw bad(i, `Tensor?[] (element ${k})`, x);
    });
  }
  throw bad(i, 'Tensor?[]', v);
}

/** A ScalarType argument (c10 enum number) as a dtype. */
export function dtypeArg(args: readonly KernelArg[], i: number): DType {
  const v = args[i];
  if (typeof v === 'number') {
    const d = dtypeFromScalarType(v);
    if (d !== undefined) return d;
  }
  throw bad(i, 'ScalarType', v);
}

/** A ScalarType? argument. */
export function optDtypeArg(args: readonly KernelArg[], i: number): DType | null {
  const v = args[i];
  return v === null || v === undefined ? null : dtypeArg(args, i);
}
