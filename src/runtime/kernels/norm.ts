// Normalisation layers: batch_norm (eval with running stats; train with batch stats and the in-place
// running-stat update), layer_norm, group_norm and instance_norm. Statistics accumulate in double;
// variance for normalising is biased, the running variance update uses the unbiased one, as in ATen.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { contiguous, copyInto, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NumArray } from './ew-core.js';

function floatData(t: Tensor): { data: NumArray; offset: number } {
  const c = contiguous(
    DTYPES[t.dtype].isFloatingPoint && t.dtype !== 'float16' && t.dtype !== 'bfloat16'
      ? t
      : toDType(t, 'float32'),
  );
  return { data: c.storage.data as NumArray, offset: c.offset };
}

function vector(t: Tensor | null, n: number, fill: number): Float64Array {
  const out = new Float64Array(n).fill(fill);
  if (t === null) return out;
  if (t.numel !== n)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `expected a tensor of ${n} elements, got shape [${t.shape.join(', ')}]`,
    );
  const src = toDType(contiguous(t), 'float64', true).storage.data as Float64Array;
  out.set(src.subarray(0, n));
  return out;
}

function requireFloat(t: Tensor, name: string): void {
  if (!DTYPES[t.dtype].isFloatingPoint)
    throw new RuntimeError('DTYPE_MISMATCH', `"${name}" not implemented for '${DTYPES[t.dtype].irName}'`);
}

// out[n, c, l] = x * scale[c'] + shift[c'] where c' = (n, c) -> index via `index`.
function affineApply(
  input: Tensor,
  N: number,
  C: number,
  L: number,
  scale: Float64Array,
  shift: Float64Array,
  perSample: boolean,
): Tensor {
  const { data, offset } = floatData(input);
  const work = input.dtype === 'float64' ? 'float64' : 'float32';
  const out = Tensor.zeros(work, input.shape);
  const od = out.storage.data as NumArray;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const k = perSample ? n * C + c : c;
      const s = scale[k];
      const b = shift[k];
      const base = (n * C + c) * L;
      for (let l = 0; l < L; l++) od[base + l] = data[offset + base + l] * s + b;
    }
  }
  return work === input.dtype ? out : copyInto(Tensor.zeros(input.dtype, input.shape), out);
}

// Mean and biased variance of each (n, c) plane, or of each channel over all n when `acrossBatch`.
function planeStats(
  input: Tensor,
  N: number,
  C: number,
  L: number,
  acrossBatch: boolean,
): { mean: Float64Array; variance: Float64Array } {
  const { data, offset } = floatData(input);
  const groups = acrossBatch ? C : N * C;
  const mean = new Float64Array(groups);
  const variance = new Float64Array(groups);
  const count = acrossBatch ? N * L : L;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const k = acrossBatch ? c : n * C + c;
      const base = offset + (n * C + c) * L;
      let s = 0;
      for (let l = 0; l < L; l++) s += data[base + l];
      mean[k] += s / count;
    }
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const k = acrossBatch ? c : n * C + c;
      const base = offset + (n * C + c) * L;
      const m = mean[k];
      let s = 0;
      for (let l = 0; l < L; l++) {
        const d = data[base + l] - m;
        s += d * d;
      }
      variance[k] += s / count;
    }
  }
  return { mean, variance };
}

function updateRunning(running: Tensor, fresh: Float64Array, momentum: number): void {
  const old = vector(running, fresh.length, 0);
  const next = Tensor.zeros('float64', [fresh.length]);
  const nd = next.storage.data as Float64Array;
  for (let i = 0; i < fresh.length; i++) nd[i] = (1 - momentum) * old[i] + momentum * fresh[i];
  copyInto(running, next.reshape(running.shape));
}

/** aten::batch_norm over dim 1 of [N, C, *]. In training, updates running_mean/var in place. */
export function batchNorm(
  input: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  training: boolean,
  momentum: number,
  eps: number,
): Tensor {
  requireFloat(input, 'batch_norm');
  if (input.dim < 2)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `batch_norm: expected at least 2D input (got ${input.dim}D input)`,
    );
  const N = input.shape[0];
  const C = input.shape[1];
  const L = input.numel / Math.max(N * C, 1);
  const useBatch = training || runningMean === null || runningVar === null;
  let mean: Float64Array;
  let variance: Float64Array;
  if (useBatch) {
    if (training && N * L <= 1) {
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `Expected more than 1 value per channel when training, got input size [${input.shape.join(', ')}]`,
      );
    }
    ({ mean, variance } = planeStats(input, N, C, L, true));
    if (training && runningMean !== null) updateRunning(runningMean, mean, momentum);
    if (training && runningVar !== null) {
      const n = N * L;
      updateRunning(
        runningVar,
        variance.map((v) => (v * n) / (n - 1)),
        momentum,
      );
    }
  } else {
    mean = vector(runningMean, C, 0);
    variance = vector(runningVar, C, 1);
  }
  const w = vector(weight, C, 1);
  const b = vector(bias, C, 0);
  const scale = new Float64Array(C);
  const shift = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    scale[c] = w[c] / Math.sqrt(variance[c] + eps);
    shift[c] = b[c] - mean[c] * scale[c];
  }
  return affineApply(input, N, C, L, scale, shift, false);
}

/** aten::instance_norm: per-(n, c) statistics (or running ones when use_input_stats is false). */
export function instanceNorm(
  input: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  useInputStats: boolean,
  momentum: number,
  eps: number,
): Tensor {
  requireFloat(input, 'instance_norm');
  const N = input.shape[0];
  const C = input.shape[1];
  const L = input.numel / Math.max(N * C, 1);
  const w = vector(weight, C, 1);
  const b = vector(bias, C, 0);
  const scale = new Float64Array(N * C);
  const shift = new Float64Array(N * C);
  if (useInputStats) {
    if (L <= 1)
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `Expected more than 1 spatial element when training, got input size [${input.shape.join(', ')}]`,
      );
    const { mean, variance } = planeStats(input, N, C, L, false);
    for (let k = 0; k < N * C; k++) {
      const c = k % C;
      scale[k] = w[c] / Math.sqrt(variance[k] + eps);
      shift[k] = b[c] - mean[k] * scale[k];
    }
    // Running stats get the batch average of the per-instance statistics.
    const avg = (v: Float64Array, unbias: boolean): Float64Array => {
      const out = new Float64Array(C);
      for (let k = 0; k < N * C; k++) out[k % C] += (unbias ? (v[k] * L) / (L - 1) : v[k]) / N;
      return out;
    };
    if (runningMean !== null) updateRunning(runningMean, avg(mean, false), momentum);
    if (runningVar !== null) updateRunning(runningVar, avg(variance, true), momentum);
  } else {
    const m = vector(runningMean, C, 0);
    const v = vector(runningVar, C, 1);
    for (let k = 0; k < N * C; k++) {
      const c = k % C;
      scale[k] = w[c] / Math.sqrt(v[c] + eps);
      shift[k] = b[c] - m[c] * scale[k];
    }
  }
  return affineApply(input, N, C, L, scale, shift, true);
}

/** aten::native_layer_norm: [output, mean, rstd] normalising over the trailing `normalizedShape` dims. */
export function nativeLayerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): [Tensor, Tensor, Tensor] {
  requireFloat(input, 'LayerNormKernelImpl');
  const k = normalizedShape.length;
  const tail = input.shape.slice(input.dim - k);
  if (k === 0 || input.dim < k || tail.some((s, i) => s !== normalizedShape[i])) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Given normalized_shape=[${normalizedShape.join(', ')}], expected input with shape [*, ${normalizedShape.join(', ')}], but got input of size[${input.shape.join(', ')}]`,
    );
  }
  const L = tail.reduce((a, b) => a * b, 1);
  const rows = L === 0 ? 0 : input.numel / L;
  const { data, offset } = floatData(input);
  const w = vector(weight, L, 1);
  const b = vector(bias, L, 0);
  const work = input.dtype === 'float64' ? 'float64' : 'float32';
  const out = Tensor.zeros(work, input.shape);
  const statShape = [...input.shape.slice(0, input.dim - k), ...new Array<number>(k).fill(1)];
  const meanT = Tensor.zeros(work, statShape);
  const rstdT = Tensor.zeros(work, statShape);
  const od = out.storage.data as NumArray;
  for (let r = 0; r < rows; r++) {
    const base = r * L;
    let s = 0;
    for (let l = 0; l < L; l++) s += data[offset + base + l];
    const m = s / L;
    let q = 0;
    for (let l = 0; l < L; l++) {
      const d = data[offset + base + l] - m;
      q += d * d;
    }
    const rstd = 1 / Math.sqrt(q / L + eps);
    for (let l = 0; l < L; l++) od[base + l] = (data[offset + base + l] - m) * rstd * w[l] + b[l];
    (meanT.storage.data as NumArray)[r] = m;
    (rstdT.storage.data as NumArray)[r] = rstd;
  }
  const cast = (t: Tensor): Tensor => (t.dtype === input.dtype ? t : toDType(t, input.dtype));
  return [cast(out), cast(meanT), cast(rstdT)];
}

/** aten::layer_norm. */
export function layerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  return nativeLayerNorm(input, normalizedShape, weight, bias, eps)[0];
}

/** aten::group_norm: statistics per (n, group of C/G channels), affine per channel. */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  requireFloat(input, 'GroupNormKernelImpl');
  const N = input.shape[0];
  const C = input.shape[1];
  if (numGroups <= 0 || C % numGroups !== 0) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Expected number of channels in input to be divisible by num_groups, but got input of shape [${input.shape.join(', ')}] and num_groups=${numGroups}`,
    );
  }
  const L = input.numel / Math.max(N * C, 1);
  const G = numGroups;
  const { mean, variance } = planeStats(input.reshape([N, G, (C / G) * L]), N, G, (C / G) * L, false);
  const w = vector(weight, C, 1);
  const b = vector(bias, C, 0);
  const scale = new Float64Array(N * C);
  const shift = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const g = n * G + Math.floor(c / (C / G));
      const k = n * C + c;
      scale[k] = w[c] / Math.sqrt(variance[g] + eps);
      shift[k] = b[c] - mean[g] * scale[k];
    }
  }
  return affineApply(input, N, C, L, scale, shift, true);
}
