// Antialiased resize (F.interpolate(..., antialias=True); torchvision's resize of tensors): PyTorch 1.13's
// separable filter. Along each resized spatial dim an output pixel averages the input pixels under a
// filter stretched by the downscale factor (triangle for bilinear, Keys cubic with a = -0.5 for bicubic,
// as PIL), weights normalized to sum 1. Width is resampled first, then height; a dim whose size does
// not change is skipped, as in ATen.

import { RuntimeError } from '../../errors.js';
import { cloneContiguous, toDType } from '../../tensor/convert.js';
import { DTYPES } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { boolArg, intListArg, optFloatArg, tensorArg as T, type KernelTable } from './types.js';
import { scaleOf, vecSizes } from './upsample.js';

type Filter = (x: number) => number;

const triangle: Filter = (x) => {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
};

const CUBIC_A = -0.5;
const cubic: Filter = (x) => {
  const a = Math.abs(x);
  if (a < 1) return ((CUBIC_A + 2) * a - (CUBIC_A + 3)) * a * a + 1;
  if (a < 2) return ((CUBIC_A * a - 5 * CUBIC_A) * a + 8 * CUBIC_A) * a - 4 * CUBIC_A;
  return 0;
};

/** Per output index: the first input index, how many inputs it reads, and their normalized weights. */
interface Window {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  width: number;
}

function windows(inSize: number, outSize: number, scale: number, filter: Filter, radius: number): Window {
  const support = scale >= 1 ? radius * scale : radius;
  const width = Math.ceil(support) * 2 + 1;
  const invScale = scale >= 1 ? 1 / scale : 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * width);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - lo;
    let total = 0;
    for (let j = 0; j < n; j++) {
      const w = filter((j + lo - center + 0.5) * invScale);
      weights[i * width + j] = w;
      total += w;
    }
    if (total !== 0) for (let j = 0; j < n; j++) weights[i * width + j] /= total;
    start[i] = lo;
    count[i] = Math.max(n, 0);
  }
  return { start, count, weights, width };
}

/** Resamples dim `d` of a contiguous [outer, size, inner] layout. */
function resampleDim(
  x: Float32Array | Float64Array,
  outer: number,
  inSize: number,
  inner: number,
  win: Window,
  outSize: number,
): Float32Array | Float64Array {
  const out =
    x instanceof Float32Array
      ? new Float32Array(outer * outSize * inner)
      : new Float64Array(outer * outSize * inner);
  for (let o = 0; o < outer; o++) {
    const src = o * inSize * inner;
    const dst = o * outSize * inner;
    for (let i = 0; i < outSize; i++) {
      const w0 = i * win.width;
      const s0 = src + win.start[i] * inner;
      for (let c = 0; c < inner; c++) {
        let acc = 0;
        for (let j = 0; j < win.count[i]; j++) acc += win.weights[w0 + j] * x[s0 + j * inner + c];
        out[dst + i * inner + c] = acc;
      }
    }
  }
  return out;
}

/** _upsample_{bilinear,bicubic}2d_aa on an [N, C, H, W] input. */
export function upsampleAntialias(
  input: Tensor,
  outSize: readonly number[],
  mode: 'bilinear' | 'bicubic',
  alignCorners: boolean,
  scales: readonly (number | null)[],
): Tensor {
  if (input.dim !== 4)
    throw new RuntimeError('SHAPE_MISMATCH', `Expected a 4-d input, got [${input.shape.join(', ')}]`);
  if (!DTYPES[input.dtype].isFloatingPoint)
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `"compute_indices_weights_aa" not implemented for '${DTYPES[input.dtype].irName}'`,
    );
  const [n, c, ...inSize] = input.shape;
  if (outSize.length !== 2 || outSize.some((s) => s <= 0) || inSize.some((s) => s <= 0))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Input and output sizes should be greater than 0, but got input (H: ${inSize[0]}, W: ${inSize[1]}) output (H: ${outSize[0]}, W: ${outSize[1]})`,
    );
  const [filter, radius] = mode === 'bilinear' ? [triangle, 1] : [cubic, 2];
  const work = input.dtype === 'float64' ? 'float64' : 'float32';
  let x = cloneContiguous(toDType(input, work)).storage.data as Float32Array | Float64Array;
  const size = [...inSize];
  // Width first (the contiguous dim), then height.
  for (const d of [1, 0]) {
    if (size[d] === outSize[d]) continue;
    const win = windows(
      size[d],
      outSize[d],
      scaleOf(size[d], outSize[d], alignCorners, scales[d] ?? null),
      filter,
      radius,
    );
    const inner = d === 1 ? 1 : size[1];
    x = resampleDim(x, n * c * (d === 1 ? size[0] : 1), size[d], inner, win, outSize[d]);
    size[d] = outSize[d];
  }
  const out = Tensor.fromStorage(work, x, [n, c, ...outSize]);
  return out.dtype === input.dtype ? out : toDType(out, input.dtype);
}

export function upsampleAntialiasKernels(): KernelTable {
  const table: KernelTable = {};
  for (const mode of ['bilinear', 'bicubic'] as const) {
    table[`aten::_upsample_${mode}2d_aa`] = (a) =>
      upsampleAntialias(T(a, 0), intListArg(a, 1, 2), mode, boolArg(a, 2), [
        optFloatArg(a, 3),
        optFloatArg(a, 4),
      ]);
    table[`aten::_upsample_${mode}2d_aa.vec`] = (a) => {
      const { size, scales } = vecSizes(T(a, 0), a, 2, 3);
      return upsampleAntialias(T(a, 0), size, mode, boolArg(a, 2), scales);
    };
  }
  return table;
}
