// Sequence-model tensor ops: repeat_interleave (WaveRNN's upsampling, length expansion), unfold (framing
// as a strided view), logaddexp (CTC / RNN-T log-space sums) and the window functions of torch.*_window.

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { normalizeDim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { flatten, makeView, narrow } from '../../tensor/views.js';
import { binaryOp, FLOAT_RESULT } from './ew-core.js';
import { cat } from './shape.js';

function counts(repeats: Tensor | number, n: number): number[] {
  if (typeof repeats === 'number') return new Array<number>(n).fill(repeats);
  if (repeats.dim > 1) throw new RuntimeError('INVALID_ARGUMENT', 'repeats must be 0-dim or 1-dim tensor');
  if (DTYPES[repeats.dtype].isFloatingPoint || DTYPES[repeats.dtype].isComplex)
    throw new RuntimeError('DTYPE_MISMATCH', 'repeats has to be Long or Int tensor');
  const values = repeats.toArray().map(Number);
  if (values.length === 1) return new Array<number>(n).fill(values[0]);
  if (values.length !== n)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `repeats must have the same size as input along dim, but got repeats.size(0) = ${values.length} and input.size(${0}) = ${n}`,
    );
  return values;
}

/** torch.repeat_interleave(self, repeats, dim): each slice along dim repeated repeats[i] times. */
export function repeatInterleave(
  self: Tensor,
  repeats: Tensor | number,
  dim: number | null,
  outputSize: number | null,
): Tensor {
  const x = dim === null ? flatten(self) : self;
  const d = dim === null ? 0 : normalizeDim(dim, Math.max(x.dim, 1));
  const n = x.dim === 0 ? 1 : x.shape[d];
  const reps = counts(repeats, n);
  if (reps.some((r) => r < 0)) throw new RuntimeError('INVALID_ARGUMENT', 'repeats can not be negative');
  const total = reps.reduce((a, b) => a + b, 0);
  if (outputSize !== null && outputSize !== total)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `repeat_interleave: output_size ${outputSize} does not match the sum of repeats ${total}`,
    );
  const parts: Tensor[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < reps[i]; r++) parts.push(narrow(x, d, i, 1));
  if (parts.length === 0) {
    const shape = [...x.shape];
    shape[d] = 0;
    return Tensor.zeros(x.dtype, shape);
  }
  return cat(parts, d);
}

/** torch.repeat_interleave(repeats): indices 0..n-1, each repeated repeats[i] times (int64). */
export function repeatIndices(repeats: Tensor, outputSize: number | null): Tensor {
  if (repeats.dim !== 1)
    throw new RuntimeError('INVALID_ARGUMENT', 'repeat_interleave only accept 1D vector as repeat');
  const reps = counts(repeats, repeats.shape[0]);
  const out: bigint[] = [];
  reps.forEach((r, i) => {
    if (r < 0) throw new RuntimeError('INVALID_ARGUMENT', 'repeats can not be negative');
    for (let k = 0; k < r; k++) out.push(BigInt(i));
  });
  if (outputSize !== null && outputSize !== out.length)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `repeat_interleave: output_size ${outputSize} does not match the sum of repeats ${out.length}`,
    );
  return Tensor.fromArray(
    repeats.dtype === 'int32' ? 'int32' : 'int64',
    out.map((v) => (repeats.dtype === 'int32' ? Number(v) : v)),
  );
}

/** Tensor.unfold(dim, size, step): a view with windows of `size` every `step` along dim in a new last dim. */
export function unfold(t: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = t.dim === 0 ? 0 : normalizeDim(dimension, t.dim);
  const len = t.dim === 0 ? 1 : t.shape[d];
  if (size > len)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `maximum size for tensor at dimension ${d} is ${len} but size is ${size}`,
    );
  if (step <= 0) throw new RuntimeError('INVALID_ARGUMENT', `step is ${step} but must be > 0`);
  if (t.dim === 0) return makeView(t, [size], [1], t.offset);
  const shape = [...t.shape];
  const strides = [...t.strides];
  shape[d] = Math.floor((len - size) / step) + 1;
  strides[d] = t.strides[d] * step;
  return makeView(t, [...shape, size], [...strides, t.strides[d]], t.offset);
}

/** torch.logaddexp: log(exp(a) + exp(b)) without overflow; equal infinities stay. */
export function logaddexp(a: Tensor, b: Tensor, base2 = false): Tensor {
  const num = base2
    ? (x: number, y: number): number => {
        if (x === y && !Number.isFinite(x)) return x;
        const m = Math.max(x, y);
        return m + Math.log1p(2 ** -Math.abs(x - y)) / Math.LN2;
      }
    : (x: number, y: number): number => {
        if (x === y && !Number.isFinite(x)) return x;
        const m = Math.max(x, y);
        return m + Math.log1p(Math.exp(-Math.abs(x - y)));
      };
  return binaryOp(a, b, { name: base2 ? 'logaddexp2' : 'logaddexp', types: FLOAT_RESULT, num });
}

/** The generalised cosine windows: sum_k (-1)^k a_k cos(2 pi k n / N), N = length (periodic) or length-1. */
export function cosineWindow(
  length: number,
  periodic: boolean,
  coeffs: readonly number[],
  dtype: DType,
): Tensor {
  if (length < 0)
    throw new RuntimeError('INVALID_ARGUMENT', `window_length must be non-negative, got ${length}`);
  if (length === 0) return Tensor.zeros(dtype, [0]);
  if (length === 1) return Tensor.fromArray(dtype, [1]);
  const N = periodic ? length : length - 1;
  const values: number[] = [];
  for (let n = 0; n < length; n++) {
    let v = 0;
    coeffs.forEach((c, k) => (v += (k % 2 ? -1 : 1) * c * Math.cos((2 * Math.PI * k * n) / N)));
    values.push(v);
  }
  return Tensor.fromArray(dtype, values);
}

/** torch.bartlett_window. */
export function bartlettWindow(length: number, periodic: boolean, dtype: DType): Tensor {
  if (length <= 1) return cosineWindow(length, periodic, [1], dtype);
  const N = periodic ? length : length - 1;
  const values: number[] = [];
  for (let n = 0; n < length; n++) values.push(1 - Math.abs((2 * n) / N - 1));
  return Tensor.fromArray(dtype, values);
}

/** torch.kaiser_window: I0(beta sqrt(1 - (2n/N - 1)^2)) / I0(beta). */
export function kaiserWindow(length: number, periodic: boolean, beta: number, dtype: DType): Tensor {
  if (length <= 1) return cosineWindow(length, periodic, [1], dtype);
  const i0 = (x: number): number => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 200; k++) {
      term *= (x / (2 * k)) ** 2;
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return sum;
  };
  const N = periodic ? length : length - 1;
  const values: number[] = [];
  for (let n = 0; n < length; n++)
    values.push(i0(beta * Math.sqrt(Math.max(0, 1 - ((2 * n) / N - 1) ** 2))) / i0(beta));
  return Tensor.fromArray(dtype, values);
}
