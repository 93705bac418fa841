// Complex tensors (complex64 / complex128): storage holds (re, im) pairs, strides count elements. Views
// between real and complex (view_as_real / view_as_complex / real / imag) share the storage array as
// PyTorch's do; arithmetic broadcasts, promotes (complex64 with float64 gives complex128) and computes
// in float64 before rounding to the result dtype.

import { RuntimeError } from '../../errors.js';
import { cloneContiguous, copy_ } from '../../tensor/convert.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { resultType, type PromotionOperand } from '../../tensor/promotion.js';
import { FloatScalar, scalarToNumber, type Scalar } from '../../tensor/scalar.js';
import { broadcastShapes } from '../../tensor/shape.js';
import { Storage, Tensor } from '../../tensor/tensor.js';
import { expand } from '../../tensor/views.js';

/** Split real and imaginary parts of `n` elements, row-major. */
export interface ComplexParts {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** True for complex64 / complex128 tensors. */
export function isComplexTensor(t: unknown): boolean {
  return t instanceof Tensor && DTYPES[t.dtype].isComplex;
}

/** The real dtype of a complex one's parts (complex64 -> float32); real dtypes map to themselves. */
export function partDType(d: DType): DType {
  return d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d;
}

/** The complex dtype with parts of `d` (float32 -> complex64, float64 -> complex128). */
export function complexOf(d: DType): DType {
  if (DTYPES[d].isComplex) return d;
  return d === 'float64' ? 'complex128' : 'complex64';
}

/** The elements of any tensor as float64 (re, im) arrays in row-major order (real tensors: im = 0). */
export function partsOf(t: Tensor): ComplexParts {
  const n = t.numel;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const c = t.isContiguous ? t : cloneContiguous(t);
  if (DTYPES[t.dtype].isComplex) {
    const data = c.storage.data as Float32Array | Float64Array;
    const base = c.offset * 2;
    for (let i = 0; i < n; i++) {
      re[i] = data[base + 2 * i];
      im[i] = data[base + 2 * i + 1];
    }
  } else for (let i = 0; i < n; i++) re[i] = c.getNumber(i);
  return { re, im };
}

/** A contiguous complex tensor from parts. */
export function fromParts(parts: ComplexParts, shape: readonly number[], dtype: DType): Tensor {
  const out = Tensor.zeros(dtype, shape);
  const data = out.storage.data as Float32Array | Float64Array;
  for (let i = 0; i < parts.re.length; i++) {
    data[2 * i] = parts.re[i];
    data[2 * i + 1] = parts.im[i];
  }
  return out;
}

/** A contiguous real tensor of `dtype` from float64 values. */
export function fromReal(values: Float64Array, shape: readonly number[], dtype: DType): Tensor {
  const out = Tensor.zeros(dtype, shape);
  const data = out.storage.data as Float32Array | Float64Array;
  data.set(values);
  return out;
}

/** torch.view_as_real: a float view of shape [..., 2] over the same storage. */
export function viewAsReal(t: Tensor): Tensor {
  if (!DTYPES[t.dtype].isComplex)
    throw new RuntimeError('INVALID_ARGUMENT', 'view_as_real is only supported for complex tensors');
  const storage = new Storage(partDType(t.dtype), t.storage.data);
  const view = new Tensor(storage, [...t.shape, 2], [...t.strides.map((s) => s * 2), 1], t.offset * 2);
  view.device = t.device;
  return view;
}

/** torch.view_as_complex: a complex view of a float tensor whose last dim is (re, im). */
export function viewAsComplex(t: Tensor): Tensor {
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: ${DTYPES[t.dtype].irName}`,
    );
  if (t.dim === 0 || t.shape[t.dim - 1] !== 2)
    throw new RuntimeError('INVALID_ARGUMENT', 'Tensor must have a last dimension of size 2');
  if (t.strides[t.dim - 1] !== 1)
    throw new RuntimeError('INVALID_ARGUMENT', 'Tensor must have a last dimension with stride 1');
  const strides = t.strides.slice(0, -1);
  if (strides.some((s) => s % 2 !== 0))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Tensor must have a stride divisible by 2 for all but last dimension',
    );
  if (t.offset % 2 !== 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'Tensor must have a storage_offset divisible by 2');
  const storage = new Storage(complexOf(t.dtype), t.storage.data);
  const view = new Tensor(
    storage,
    t.shape.slice(0, -1),
    strides.map((s) => s / 2),
    t.offset / 2,
  );
  view.device = t.device;
  return view;
}

/** Tensor.real: a view of the real parts (a real tensor is its own real part). */
export function realPart(t: Tensor): Tensor {
  if (!DTYPES[t.dtype].isComplex) return t;
  const v = viewAsReal(t);
  return new Tensor(v.storage, t.shape, v.strides.slice(0, -1), v.offset);
}

/** Tensor.imag: a view of the imaginary parts. */
export function imagPart(t: Tensor): Tensor {
  if (!DTYPES[t.dtype].isComplex)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'imag is not implemented for tensors with non-complex dtypes.',
    );
  const v = viewAsReal(t);
  return new Tensor(v.storage, t.shape, v.strides.slice(0, -1), v.offset + 1);
}

/** torch.abs of a complex tensor: the magnitude, as the parts' real dtype. */
export function complexAbs(t: Tensor): Tensor {
  const { re, im } = partsOf(t);
  const out = new Float64Array(re.length);
  for (let i = 0; i < re.length; i++) out[i] = Math.hypot(re[i], im[i]);
  return fromReal(out, t.shape, partDType(t.dtype));
}

/** torch.angle: atan2(im, re) for complex; for real tensors pi below zero, 0 otherwise (nan stays). */
export function angle(t: Tensor): Tensor {
  const { re, im } = partsOf(t);
  const out = new Float64Array(re.length);
  const complex = DTYPES[t.dtype].isComplex;
  for (let i = 0; i < re.length; i++) {
    if (complex) out[i] = Math.atan2(im[i], re[i]);
    else out[i] = Number.isNaN(re[i]) ? NaN : re[i] < 0 ? Math.PI : 0;
  }
  const d = DTYPES[t.dtype];
  return fromReal(out, t.shape, complex ? partDType(t.dtype) : d.isFloatingPoint ? t.dtype : 'float32');
}

// Both operands broadcast to one shape and read as float64 parts.
function broadcastParts(a: Tensor, b: Tensor): { shape: number[]; x: ComplexParts; y: ComplexParts } {
  const shape = broadcastShapes(a.shape, b.shape);
  return { shape, x: partsOf(expand(a, shape)), y: partsOf(expand(b, shape)) };
}

/** torch.polar(abs, angle): abs * (cos(angle) + i sin(angle)). */
export function polar(abs: Tensor, ang: Tensor): Tensor {
  if (abs.dtype !== ang.dtype)
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      'Expected object of scalar type ' + DTYPES[abs.dtype].irName + ' but got ' + DTYPES[ang.dtype].irName,
    );
  const { shape, x, y } = broadcastParts(abs, ang);
  const re = new Float64Array(x.re.length);
  const im = new Float64Array(x.re.length);
  for (let i = 0; i < re.length; i++) {
    re[i] = x.re[i] * Math.cos(y.re[i]);
    im[i] = x.re[i] * Math.sin(y.re[i]);
  }
  return fromParts({ re, im }, shape, complexOf(abs.dtype));
}

/** torch.complex(real, imag). */
export function complexFromParts(real: Tensor, imag: Tensor): Tensor {
  if (real.dtype !== imag.dtype || (real.dtype !== 'float32' && real.dtype !== 'float64'))
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      'Expected both inputs to be Float or Double tensors but got ' +
        DTYPES[real.dtype].irName +
        ' and ' +
        DTYPES[imag.dtype].irName,
    );
  const { shape, x, y } = broadcastParts(real, imag);
  return fromParts({ re: x.re, im: y.re }, shape, complexOf(real.dtype));
}

/** Conjugate (a copy: we do not keep PyTorch's lazy conjugate bit). */
export function conj(t: Tensor): Tensor {
  if (!DTYPES[t.dtype].isComplex) return t;
  const { re, im } = partsOf(t);
  for (let i = 0; i < im.length; i++) im[i] = -im[i];
  return fromParts({ re, im }, t.shape, t.dtype);
}

/** A binary op on complex numbers, in float64. */
export type ComplexFn = (ar: number, ai: number, br: number, bi: number) => [number, number];

export const COMPLEX_ADD: ComplexFn = (ar, ai, br, bi) => [ar + br, ai + bi];
export const COMPLEX_SUB: ComplexFn = (ar, ai, br, bi) => [ar - br, ai - bi];
export const COMPLEX_MUL: ComplexFn = (ar, ai, br, bi) => [ar * br - ai * bi, ar * bi + ai * br];
export const COMPLEX_DIV: ComplexFn = (ar, ai, br, bi) => {
  // Smith's algorithm: no overflow from squaring large denominators.
  if (Math.abs(br) >= Math.abs(bi)) {
    if (br === 0 && bi === 0) return [ar / 0, ai / 0];
    const r = bi / br;
    const d = br + bi * r;
    return [(ar + ai * r) / d, (ai - ar * r) / d];
  }
  const r = br / bi;
  const d = bi + br * r;
  return [(ar * r + ai) / d, (ai * r - ar) / d];
};

function operandTensor(v: Tensor | Scalar, dtype: DType): Tensor {
  if (v instanceof Tensor) return v;
  const t = Tensor.zeros(dtype, []);
  t.setFlat(0, scalarToNumber(v));
  return t;
}

/**
 * A complex binary op with PyTorch's promotion: `a op (alpha * b)`. Writes into `out` (an in-place
 * operand) when given; the result dtype must then be castable to out's.
 */
export function complexBinary(
  fn: ComplexFn,
  a: Tensor | Scalar,
  b: Tensor | Scalar,
  alpha: Scalar = 1,
  out?: Tensor,
): Tensor {
  const dtype = resultType(a as PromotionOperand, b as PromotionOperand);
  const x = operandTensor(a, dtype);
  const y = operandTensor(b, dtype);
  const { shape, x: p, y: q } = broadcastParts(x, y);
  const k = alpha instanceof FloatScalar ? alpha.value : scalarToNumber(alpha);
  const re = new Float64Array(p.re.length);
  const im = new Float64Array(p.re.length);
  for (let i = 0; i < re.length; i++) [re[i], im[i]] = fn(p.re[i], p.im[i], q.re[i] * k, q.im[i] * k);
  const result = DTYPES[dtype].isComplex ? fromParts({ re, im }, shape, dtype) : fromReal(re, shape, dtype);
  if (!out) return result;
  if (!DTYPES[out.dtype].isComplex && DTYPES[dtype].isComplex)
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `result type ${DTYPES[dtype].irName} can't be cast to the desired output type ${DTYPES[out.dtype].irName}`,
    );
  copy_(out, result);
  return out;
}
