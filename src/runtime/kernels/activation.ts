// Activation functions (relu family, gelu exact and tanh, silu, hard*, elu family, softplus, ...) and
// softmax/log_softmax over a dim. Each point-wise one has an in-place form through `out`.

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { contiguous, toDType } from '../../tensor/convert.js';
import { scalarToNumber, type Scalar } from '../../tensor/scalar.js';
import { normalizeDim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { chunk, reshape } from '../../tensor/views.js';
import { mul } from './arith.js';
import { SAME, binaryOp, castScalar, unaryOp, type NumArray } from './ew-core.js';
import { erf } from './mathfn.js';

function requireFloat(t: Tensor, name: string): void {
  if (!DTYPES[t.dtype].isFloatingPoint) {
    throw new RuntimeError('DTYPE_MISMATCH', `"${name}" not implemented for '${DTYPES[t.dtype].irName}'`);
  }
}

function pointwise(
  name: string,
  t: Tensor,
  num: (x: number) => number,
  out?: Tensor,
  floatOnly = true,
  expr?: string,
  consts?: readonly [number, number?],
): Tensor {
  if (floatOnly) requireFloat(t, name);
  if (t.dtype === 'bool') throw new RuntimeError('DTYPE_MISMATCH', `"${name}" not implemented for 'Bool'`);
  return unaryOp(
    t,
    { name, types: SAME, num, big: (x) => BigInt(Math.trunc(num(Number(x)))), expr, consts },
    out,
  );
}

/** max(x, 0), NaN kept. */
export function relu(t: Tensor, out?: Tensor): Tensor {
  // Math.max is branch-free and keeps NaN, which matters on random-signed activations.
  return pointwise('relu', t, (x) => Math.max(x, 0), out, false, 'Math.max(x, 0)');
}

/** min(max(x, 0), 6). */
export function relu6(t: Tensor, out?: Tensor): Tensor {
  return hardtanh(t, 0, 6, out);
}

/** clamp(x, min, max) as an activation. */
export function hardtanh(t: Tensor, min: Scalar = -1, max: Scalar = 1, out?: Tensor): Tensor {
  const lo = castScalar(min, t.dtype);
  const hi = castScalar(max, t.dtype);
  return pointwise(
    'hardtanh',
    t,
    (x) => Math.min(Math.max(x, lo), hi),
    out,
    false,
    'Math.min(Math.max(x, c0), c1)',
    [lo, hi],
  );
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU, exact (erf) or approximate = 'tanh'. */
export function gelu(t: Tensor, approximate = 'none', out?: Tensor): Tensor {
  if (approximate === 'tanh') {
    return pointwise(
      'GeluKernelImpl',
      t,
      (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
      out,
    );
  }
  if (approximate !== 'none')
    throw new RuntimeError('INVALID_ARGUMENT', `approximate argument must be either none or tanh.`);
  return pointwise('GeluKernelImpl', t, (x) => 0.5 * x * (1 + erf(x * SQRT_HALF)), out);
}

/** x * sigmoid(x). */
export function silu(t: Tensor, out?: Tensor): Tensor {
  return pointwise('silu', t, (x) => x / (1 + Math.exp(-x)), out, true, 'x / (1 + Math.exp(-x))');
}

/** x * tanh(softplus(x)). */
export function mish(t: Tensor, out?: Tensor): Tensor {
  return pointwise('mish', t, (x) => x * Math.tanh(x > 20 ? x : Math.log1p(Math.exp(x))), out);
}

/** x * relu6(x + 3) / 6. */
export function hardswish(t: Tensor, out?: Tensor): Tensor {
  return pointwise(
    'hardswish',
    t,
    (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
    out,
    true,
    '(x * Math.min(Math.max(x + 3, 0), 6)) / 6',
  );
}

/** relu6(x + 3) / 6. */
export function hardsigmoid(t: Tensor, out?: Tensor): Tensor {
  return pointwise(
    'hardsigmoid',
    t,
    (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
    out,
    true,
    'Math.min(Math.max(x + 3, 0), 6) / 6',
  );
}

/** x if x > 0 else slope * x. */
export function leakyRelu(t: Tensor, slope: Scalar = 0.01, out?: Tensor): Tensor {
  const s = scalarToNumber(slope);
  return pointwise('leaky_relu', t, (x) => (x > 0 ? x : x * s), out);
}

/** ELU with ATen's (alpha, scale, input_scale) parameters (selu and celu are special cases). */
export function elu(
  t: Tensor,
  alpha: Scalar = 1,
  scale: Scalar = 1,
  inputScale: Scalar = 1,
  out?: Tensor,
): Tensor {
  const a = scalarToNumber(alpha);
  const s = scalarToNumber(scale);
  const is = scalarToNumber(inputScale);
  return pointwise('elu', t, (x) => (x > 0 ? s * x : s * a * Math.expm1(x * is)), out);
}

/** SELU. */
export function selu(t: Tensor, out?: Tensor): Tensor {
  return elu(t, 1.6732632423543772, 1.0507009873554805, 1, out);
}

/** CELU. */
export function celu(t: Tensor, alpha: Scalar = 1, out?: Tensor): Tensor {
  const a = scalarToNumber(alpha);
  return elu(t, alpha, 1, 1 / a, out);
}

/** log(1 + exp(beta x)) / beta, linear above `threshold`. */
export function softplus(t: Tensor, beta: Scalar = 1, threshold: Scalar = 20, out?: Tensor): Tensor {
  const b = scalarToNumber(beta);
  const th = scalarToNumber(threshold);
  return pointwise('softplus', t, (x) => (x * b > th ? x : Math.log1p(Math.exp(x * b)) / b), out);
}

/** log(sigmoid(x)), computed stably. */
export function logSigmoid(t: Tensor): Tensor {
  return pointwise('log_sigmoid', t, (x) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x))));
}

/** x if x > threshold else value. */
export function threshold(t: Tensor, th: Scalar, value: Scalar, out?: Tensor): Tensor {
  const a = castScalar(th, t.dtype);
  const v = castScalar(value, t.dtype);
  return pointwise('threshold', t, (x) => (x <= a ? v : x), out, false);
}

/** PReLU: a learnt slope per channel (dim 1) or one shared slope. */
export function prelu(t: Tensor, weight: Tensor): Tensor {
  requireFloat(t, 'prelu_cpu');
  let w = weight;
  if (weight.numel !== 1 && t.dim >= 2)
    w = reshape(weight, [weight.numel, ...new Array<number>(t.dim - 2).fill(1)]);
  return binaryOp(t, w, { name: 'prelu', num: (x, a) => (x > 0 ? x : a * x) });
}

/** GLU: first half * sigmoid(second half) along dim. */
export function glu(t: Tensor, dim = -1): Tensor {
  const [a, b] = chunk(t, 2, dim);
  return mul(a, unaryOp(b, { name: 'sigmoid', num: (x) => 1 / (1 + Math.exp(-x)) }));
}

/** softmax / log_softmax over `dim`, optionally casting the input to `dtype` first. */
export function softmax(t: Tensor, dim: number, dtype: DType | null = null, log = false): Tensor {
  const x0 = dtype !== null ? toDType(t, dtype) : t;
  requireFloat(x0, log ? 'log_softmax_lastdim_kernel_impl' : 'softmax_lastdim_kernel_impl');
  const work = x0.dtype === 'float64' || x0.dtype === 'float32' ? x0 : toDType(x0, 'float32');
  const x = contiguous(work);
  const out = Tensor.zeros(x.dtype, x.shape);
  if (x.numel === 0) return x0.dtype === out.dtype ? out : toDType(out, x0.dtype);
  const d = normalizeDim(dim, x.dim);
  const size = x.dim === 0 ? 1 : x.shape[d];
  let inner = 1;
  for (let i = d + 1; i < x.dim; i++) inner *= x.shape[i];
  const outer = x.numel / (size * inner);
  const src = x.storage.data as NumArray;
  const dst = out.storage.data as NumArray;
  const base0 = x.offset;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = src[base0 + base + k * inner];
        if (v > max || v !== v) max = v;
      }
      let sum = 0;
      for (let k = 0; k < size; k++) sum += Math.exp(src[base0 + base + k * inner] - max);
      if (log) {
        const lse = Math.log(sum);
        for (let k = 0; k < size; k++) dst[base + k * inner] = src[base0 + base + k * inner] - max - lse;
      } else {
        for (let k = 0; k < size; k++)
          dst[base + k * inner] = Math.exp(src[base0 + base + k * inner] - max) / sum;
      }
    }
  }
  return out.dtype === x0.dtype ? out : toDType(out, x0.dtype);
}
