// Upsampling (F.interpolate): nearest, nearest-exact, (bi/tri)linear and bicubic over 1-3 spatial dims, with
// ATen's source-index rules (align_corners, explicit scale factors, nearest's float32 index arithmetic).
// Each spatial dim gets a list of (input index, weight) taps; an output element is the sum over the
// product of its dims' taps.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { cloneContiguous, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  boolArg,
  optFloatArg,
  optIntListArg,
  intListArg,
  tensorArg as T,
  type KernelArg,
  type KernelTable,
} from './types.js';

/** How one spatial dim is resampled. */
export type UpsampleMode = 'nearest' | 'nearest-exact' | 'linear' | 'cubic';

interface Taps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
  readonly width: number;
}

const f32 = Math.fround;

// ATen's compute_scales_value / area_pixel_compute_scale (also used by upsample-aa.ts).
export function scaleOf(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  scale: number | null,
): number {
  if (alignCorners) return outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
  return scale !== null && scale > 0 ? 1 / scale : inSize / outSize;
}

function tapsOf(
  mode: UpsampleMode,
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  scale: number | null,
): Taps {
  const width = mode === 'linear' ? 2 : mode === 'cubic' ? 4 : 1;
  const index = new Int32Array(outSize * width);
  const weight = new Float64Array(outSize * width);
  const clamp = (i: number): number => Math.min(Math.max(i, 0), inSize - 1);
  // nearest works in float32, as ATen's nearest_idx does: the chosen pixel depends on it.
  const nearestScale = f32(scale !== null && scale > 0 ? 1 / scale : f32(inSize) / outSize);
  const s = scaleOf(inSize, outSize, alignCorners, scale);
  for (let o = 0; o < outSize; o++) {
    const at = o * width;
    if (mode === 'nearest' || mode === 'nearest-exact') {
      let src: number;
      if (mode === 'nearest' && outSize === inSize) src = o;
      else if (mode === 'nearest' && outSize === 2 * inSize) src = o >> 1;
      else src = Math.floor(f32((mode === 'nearest' ? o : o + 0.5) * nearestScale));
      index[at] = Math.min(src, inSize - 1);
      weight[at] = 1;
      continue;
    }
    let real = alignCorners ? s * o : s * (o + 0.5) - 0.5;
    if (mode === 'linear') {
      if (real < 0) real = 0;
      const i0 = Math.trunc(real);
      const l1 = Math.min(Math.max(real - i0, 0), 1);
      index[at] = i0;
      index[at + 1] = i0 + (i0 < inSize - 1 ? 1 : 0);
      weight[at] = 1 - l1;
      weight[at + 1] = l1;
      continue;
    }
    const i0 = Math.floor(real);
    const t = real - i0;
    const cubic = cubicCoefficients(t);
    for (let k = 0; k < 4; k++) {
      index[at + k] = clamp(i0 - 1 + k);
      weight[at + k] = cubic[k];
    }
  }
  return { index, weight, width };
}

// Keys' cubic convolution with A = -0.75 (ATen's get_cubic_upsample_coefficients).
function cubicCoefficients(t: number): [number, number, number, number] {
  const A = -0.75;
  const near = (x: number): number => ((A + 2) * x - (A + 3)) * x * x + 1;
  const far = (x: number): number => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/**
 * Resamples the trailing `outSize.length` dims of [N, C, ...] `input` to `outSize`. `scales` are the
 * user's scale factors when given (they change the source index), else null.
 */
export function upsample(
  input: Tensor,
  outSize: readonly number[],
  mode: UpsampleMode,
  alignCorners: boolean,
  scales: readonly (number | null)[],
): Tensor {
  const nd = outSize.length;
  if (input.dim !== nd + 2)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `upsample: expected a ${nd + 2}-d input, got [${input.shape.join(', ')}]`,
    );
  if (!DTYPES[input.dtype].isFloatingPoint && mode !== 'nearest' && mode !== 'nearest-exact')
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `upsample ${mode}: not implemented for ${DTYPES[input.dtype].irName}`,
    );
  const inSize = input.shape.slice(2);
  if (outSize.some((s) => s <= 0) || inSize.some((s) => s <= 0))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `upsample: input [${inSize.join(', ')}] and output [${outSize.join(', ')}] sizes must be greater than 0`,
    );
  const taps = outSize.map((o, d) => tapsOf(mode, inSize[d], o, alignCorners, scales[d] ?? null));
  const work = input.dtype === 'float64' ? 'float64' : 'float32';
  const x = cloneContiguous(toDType(input, DTYPES[input.dtype].isFloatingPoint ? work : 'float64')).storage
    .data as Float32Array | Float64Array;
  const out = Tensor.zeros(DTYPES[input.dtype].isFloatingPoint ? work : 'float64', [
    ...input.shape.slice(0, 2),
    ...outSize,
  ]);
  const o = out.storage.data as Float32Array | Float64Array;
  const planes = input.shape[0] * input.shape[1];
  const [oh, ow, od] = [outSize[nd - 2] ?? 1, outSize[nd - 1], outSize[nd - 3] ?? 1];
  const [ih, iw] = [inSize[nd - 2] ?? 1, inSize[nd - 1]];
  const tw = taps[nd - 1];
  const th =
    nd >= 2 ? taps[nd - 2] : { index: new Int32Array(oh), weight: new Float64Array(oh).fill(1), width: 1 };
  const td =
    nd === 3 ? taps[0] : { index: new Int32Array(od), weight: new Float64Array(od).fill(1), width: 1 };
  const inPlane = inSize.reduce((a, b) => a * b, 1);
  let at = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let zd = 0; zd < od; zd++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let acc = 0;
          for (let a = 0; a < td.width; a++) {
            const wd = td.weight[zd * td.width + a];
            const rowD = base + td.index[zd * td.width + a] * ih * iw;
            for (let b = 0; b < th.width; b++) {
              const wh = wd * th.weight[y * th.width + b];
              const row = rowD + th.index[y * th.width + b] * iw;
              for (let c = 0; c < tw.width; c++)
                acc += wh * tw.weight[xx * tw.width + c] * x[row + tw.index[xx * tw.width + c]];
            }
          }
          o[at++] = acc;
        }
  }
  return out.dtype === input.dtype ? out : toDType(out, input.dtype);
}

// ATen's compute_output_size for the .vec overloads: output_size, or floor(input * scale) per dim.
export function vecSizes(
  input: Tensor,
  a: readonly KernelArg[],
  nd: number,
  scalesAt: number,
): { size: number[]; scales: (number | null)[] } {
  const size = optIntListArg(a, 1);
  const factors =
    a[scalesAt] === null || a[scalesAt] === undefined
      ? null
      : (a[scalesAt] as KernelArg[]).map((_, i) => optFloatArg(a[scalesAt] as KernelArg[], i) ?? 0);
  if (size && factors)
    throw new RuntimeError('INVALID_ARGUMENT', 'Must specify exactly one of output_size and scale_factors');
  if (size) return { size, scales: new Array<null>(nd).fill(null) };
  if (!factors)
    throw new RuntimeError('INVALID_ARGUMENT', 'Must specify exactly one of output_size and scale_factors');
  return { size: factors.map((f, i) => Math.trunc(input.shape[i + 2] * f)), scales: factors };
}

const MODES: [string, UpsampleMode, number, boolean][] = [
  ['upsample_nearest1d', 'nearest', 1, false],
  ['upsample_nearest2d', 'nearest', 2, false],
  ['upsample_nearest3d', 'nearest', 3, false],
  ['_upsample_nearest_exact1d', 'nearest-exact', 1, false],
  ['_upsample_nearest_exact2d', 'nearest-exact', 2, false],
  ['_upsample_nearest_exact3d', 'nearest-exact', 3, false],
  ['upsample_linear1d', 'linear', 1, true],
  ['upsample_bilinear2d', 'linear', 2, true],
  ['upsample_trilinear3d', 'linear', 3, true],
  ['upsample_bicubic2d', 'cubic', 2, true],
];

/** The kernels of this file, keyed by schema name: each op's plain and `.vec` overloads. */
export function upsampleKernels(): KernelTable {
  const table: KernelTable = {};
  for (const [name, mode, nd, hasAlign] of MODES) {
    const align = (a: readonly KernelArg[]): boolean => (hasAlign ? boolArg(a, 2) : false);
    const first = hasAlign ? 3 : 2;
    table[`aten::${name}`] = (a) => {
      const scales = Array.from({ length: nd }, (_, i) => optFloatArg(a, first + i));
      return upsample(T(a, 0), intListArg(a, 1, nd), mode, align(a), scales);
    };
    table[`aten::${name}.vec`] = (a) => {
      const { size, scales } = vecSizes(T(a, 0), a, nd, first);
      return upsample(T(a, 0), size, mode, align(a), scales);
    };
  }
  return table;
}
