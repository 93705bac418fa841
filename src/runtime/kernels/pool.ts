// Pooling over 1-3 spatial dims: max (dilation, ceil_mode, indices, NaN propagating), average
// (count_include_pad, divisor_override, ceil_mode windows clipped as ATen clips them) and adaptive
// average/max. Everything runs in 3-d form with leading unit dims.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { contiguous, copyInto, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { squeeze, unsqueeze } from '../../tensor/views.js';
import { to3 } from './conv.js';
import { padImage } from './conv-pack-wasm.js';
import { epilogueToOutput } from './epilogue-wasm.js';
import { wasmHeap } from './wasm-heap.js';
import { windowKernels } from './window-wasm.js';
import type { NumArray } from './ew-core.js';

/** ATen's pooling_output_shape: floor or ceil, and a ceil window may not start in the right padding. */
export function poolOutputSize(
  input: number,
  kernel: number,
  pad: number,
  stride: number,
  dilation: number,
  ceilMode: boolean,
): number {
  const num = input + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
  let out = Math.floor(num / stride) + 1;
  if (ceilMode && (out - 1) * stride >= input + pad) out--;
  return out;
}

interface Prepared {
  x: Tensor;
  batched: boolean;
  nd: number;
  planes: number;
  inSize: [number, number, number];
}

function prepare(input: Tensor, nd: number, name: string): Prepared {
  if (input.dim !== nd + 1 && input.dim !== nd + 2) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `${name}: Expected ${nd + 1}D or ${nd + 2}D input tensor, but got input of size: [${input.shape.join(', ')}]`,
    );
  }
  const batched = input.dim === nd + 2;
  const x0 = batched ? input : unsqueeze(input, 0);
  const work = input.dtype === 'float64' ? 'float64' : 'float32';
  if (!DTYPES[input.dtype].isFloatingPoint && name !== 'max_pool') {
    throw new RuntimeError('DTYPE_MISMATCH', `"${name}" not implemented for '${DTYPES[input.dtype].irName}'`);
  }
  const x = contiguous(toDType(x0, work));
  return { x, batched, nd, planes: x.shape[0] * x.shape[1], inSize: to3(x.shape.slice(2), 1) };
}

function finish(p: Prepared, out: Tensor, dtype: Tensor['dtype']): Tensor {
  const res = out.dtype === dtype ? out : copyInto(Tensor.zeros(dtype, out.shape), out);
  return p.batched ? res : squeeze(res, 0);
}

function per(v: readonly number[], nd: number, fallback?: readonly number[]): number[] {
  if (v.length === 0 && fallback) return [...fallback];
  return v.length === 1 ? new Array<number>(nd).fill(v[0]) : [...v];
}

/** The arguments of max_pool{1,2,3}d, as PyTorch's schema orders them. */
type MaxPoolArgs = [
  input: Tensor,
  nd: number,
  kernelSize: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
  ceilMode: boolean,
];

/** max_pool{1,2,3}d: [values, indices] (indices are flat within each input plane, int64). */
export function maxPool(...args: MaxPoolArgs): [Tensor, Tensor] {
  return maxPoolImpl(true, ...args) as [Tensor, Tensor];
}

/** max_pool{1,2,3}d without the indices (aten::max_pool2d): the same values, no int64 index per output. */
export function maxPoolValues(...args: MaxPoolArgs): Tensor {
  return maxPoolImpl(false, ...args)[0];
}

function maxPoolImpl(
  withIndices: boolean,
  ...[input, nd, kernelSize, stride, padding, dilation, ceilMode]: MaxPoolArgs
): [Tensor, Tensor | null] {
  const p = prepare(input, nd, 'max_pool');
  const k = per(kernelSize, nd);
  const s = per(stride, nd, k);
  const pd = per(padding, nd);
  const dl = per(dilation, nd);
  for (let i = 0; i < nd; i++) {
    if (pd[i] > Math.floor(k[i] / 2)) {
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `pad should be at most half of effective kernel size, but got pad=${pd[i]}, kernel_size=${k[i]} and dilation=${dl[i]}`,
      );
    }
  }
  const inSp = p.x.shape.slice(2);
  const outSp = inSp.map((n, i) => poolOutputSize(n, k[i], pd[i], s[i], dl[i], ceilMode));
  if (outSp.some((o) => o <= 0)) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Given input size: (${p.x.shape.slice(1).join('x')}). Calculated output size: (${[p.x.shape[1], ...outSp].join('x')}). Output size is too small`,
    );
  }
  const [D, H, W] = p.inSize;
  const [KD, KH, KW] = to3(k, 1);
  const [SD, SH, SW] = to3(s, 1);
  const [PD, PH, PW] = to3(pd, 0);
  const [DD, DH, DW] = to3(dl, 1);
  const [OD, OH, OW] = to3(outSp, 1);
  const values = Tensor.empty(p.x.dtype, [...p.x.shape.slice(0, 2), ...outSp]);
  const src = p.x.storage.data as NumArray;
  const vd = values.storage.data as NumArray;
  // The taps of each output position that land inside the input, per dim, computed once.
  const rd = tapRange(OD, D, KD, SD, PD, DD);
  const rh = tapRange(OH, H, KH, SH, PH, DH);
  const rw = tapRange(OW, W, KW, SW, PW, DW);
  if (
    !withIndices &&
    maxValuesWasm(p.x, p.planes, [H, W], [OH, OW], [SH, SW], [PH, PW], [DH, DW], [KH, KW], D, KD, values)
  )
    return [finish(p, values, input.dtype), null];
  if (!withIndices) {
    maxValues(
      src,
      p.x.offset,
      p.planes,
      [D, H, W],
      [OD, OH, OW],
      [SD, SH, SW],
      [PD, PH, PW],
      [DD, DH, DW],
      rd,
      rh,
      rw,
      vd,
    );
    return [finish(p, values, input.dtype), null];
  }
  const indices = Tensor.zeros('int64', values.shape);
  const id = indices.storage.data as BigInt64Array;
  let o = 0;
  for (let plane = 0; plane < p.planes; plane++) {
    const base = p.x.offset + plane * D * H * W;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, o++) {
          let best = -Infinity;
          let bestIdx = -1;
          for (let kd = rd.lo[od]; kd < rd.hi[od]; kd++) {
            const z = od * SD - PD + kd * DD;
            for (let kh = rh.lo[oh]; kh < rh.hi[oh]; kh++) {
              const row = (z * H + oh * SH - PH + kh * DH) * W;
              for (let kw = rw.lo[ow]; kw < rw.hi[ow]; kw++) {
                const at = row + ow * SW - PW + kw * DW;
                const v = src[base + at];
                // ATen's rule: a larger value or any NaN takes over (so the last NaN's index wins).
                if (v > best || v !== v || bestIdx < 0) {
                  best = v;
                  bestIdx = at;
                }
              }
            }
          }
          vd[o] = best;
          id[o] = BigInt(bestIdx);
        }
      }
    }
  }
  return [finish(p, values, input.dtype), p.batched ? indices : squeeze(indices, 0)];
}

// The values-only loop, separable: per output row, the max over the window's input rows (a larger
// value or a NaN takes over, as in the indexed loop) into a row buffer, then over each window's columns.
function maxValues(
  src: NumArray,
  offset: number,
  planes: number,
  [D, H, W]: readonly number[],
  [OD, OH, OW]: readonly number[],
  [SD, SH, SW]: readonly number[],
  [PD, PH, PW]: readonly number[],
  [DD, DH, DW]: readonly number[],
  rd: { lo: Int32Array; hi: Int32Array },
  rh: { lo: Int32Array; hi: Int32Array },
  rw: { lo: Int32Array; hi: Int32Array },
  vd: NumArray,
): void {
  const row = new Float64Array(W);
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = offset + plane * D * H * W;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        row.fill(-Infinity);
        for (let kd = rd.lo[od]; kd < rd.hi[od]; kd++) {
          const z = od * SD - PD + kd * DD;
          for (let kh = rh.lo[oh]; kh < rh.hi[oh]; kh++) {
            const r = base + (z * H + oh * SH - PH + kh * DH) * W;
            for (let iw = 0; iw < W; iw++) {
              const v = src[r + iw];
              if (v > row[iw] || v !== v) row[iw] = v;
            }
          }
        }
        for (let ow = 0; ow < OW; ow++, o++) {
          let best = -Infinity;
          const at = ow * SW - PW;
          for (let kw = rw.lo[ow]; kw < rw.hi[ow]; kw++) {
            const v = row[at + kw * DW];
            if (v > best || v !== v) best = v;
          }
          vd[o] = best;
        }
      }
    }
  }
}

// 2-d float32 max pooling on the WASM window kernel (column stride 1 or 2): the planes padded with -inf
// into the heap (ceil_mode windows that run past the input see -inf too), four outputs per vector.
function maxValuesWasm(
  x: Tensor,
  planes: number,
  [H, W]: readonly number[],
  [OH, OW]: readonly number[],
  [SH, SW]: readonly number[],
  [PH, PW]: readonly number[],
  [DH, DW]: readonly number[],
  [KH, KW]: readonly number[],
  D: number,
  KD: number,
  values: Tensor,
): boolean {
  const kernels = windowKernels();
  const heap = wasmHeap();
  if (kernels === null || heap === null || x.dtype !== 'float32' || D !== 1 || KD !== 1) return false;
  if (SW !== 1 && SW !== 2) return false;
  const G = Math.ceil(OW / 4);
  const Hp = Math.max((OH - 1) * SH + (KH - 1) * DH + 1, PH + H);
  const Wp = Math.max(4 * G * SW + (KW - 1) * DW + 8, PW + W);
  const xFloats = planes * Hp * Wp;
  const oFloats = planes * OH * 4 * G;
  const base = heap.scratch((xFloats + oFloats + planes * H * W + 4) * 4) / 4;
  padImage(
    heap,
    x.storage.data as Float32Array,
    x.offset,
    planes,
    H,
    W,
    base,
    Hp,
    Wp,
    PH,
    PW,
    base + xFloats + oFloats,
    -Infinity,
  );
  const oBase = base + xFloats;
  kernels.max[SW - 1](
    base * 4,
    0,
    0,
    oBase * 4,
    planes,
    OH,
    G,
    KH,
    KW,
    Hp * Wp * 4,
    SH * Wp * 4,
    DH * Wp * 4,
    DW * 4,
  );
  const block = { at: oBase, planeStride: OH * 4 * G, rowStride: 4 * G, planes, rows: OH, n: OW };
  const region = {
    out: values.storage.data as Float32Array,
    offset: values.offset,
    planeStride: OH * OW,
    residualOffset: 0,
  };
  return epilogueToOutput(block, region, null, 0, undefined, oBase + oFloats);
}

// For each output index along one dim, the kernel taps [lo, hi) whose input index is in [0, size).
function tapRange(
  out: number,
  size: number,
  k: number,
  stride: number,
  pad: number,
  dil: number,
): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * stride - pad;
    lo[o] = Math.min(k, Math.max(0, Math.ceil(-start / dil)));
    hi[o] = Math.max(lo[o], Math.min(k, Math.ceil((size - start) / dil)));
  }
  return { lo, hi };
}

/** avg_pool{1,2,3}d with ATen's window clipping for ceil_mode and the two padding-count rules. */
export function avgPool(
  input: Tensor,
  nd: number,
  kernelSize: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  ceilMode: boolean,
  countIncludePad: boolean,
  divisorOverride: number | null,
): Tensor {
  const p = prepare(input, nd, nd === 2 ? 'avg_pool2d' : `avg_pool${nd}d`);
  const k = per(kernelSize, nd);
  const s = per(stride, nd, k);
  const pd = per(padding, nd);
  for (let i = 0; i < nd; i++) {
    if (pd[i] > Math.floor(k[i] / 2))
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `pad should be smaller than or equal to half of kernel size, but got padW = ${pd[i]}, padH = ${pd[i]}, kW = ${k[i]}, kH = ${k[i]}`,
      );
  }
  if (divisorOverride === 0) throw new RuntimeError('INVALID_ARGUMENT', 'divisor must be not zero');
  const inSp = p.x.shape.slice(2);
  const outSp = inSp.map((n, i) => poolOutputSize(n, k[i], pd[i], s[i], 1, ceilMode));
  const [D, H, W] = p.inSize;
  const [KD, KH, KW] = to3(k, 1);
  const [SD, SH, SW] = to3(s, 1);
  const [PD, PH, PW] = to3(pd, 0);
  const [OD, OH, OW] = to3(outSp, 1);
  const out = Tensor.zeros(p.x.dtype, [...p.x.shape.slice(0, 2), ...outSp]);
  const src = p.x.storage.data as NumArray;
  const dst = out.storage.data as NumArray;
  let o = 0;
  for (let plane = 0; plane < p.planes; plane++) {
    const base = p.x.offset + plane * D * H * W;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, o++) {
          // The window first clips to the padded input (its size counts padding), then to the input.
          let d0 = od * SD - PD;
          let h0 = oh * SH - PH;
          let w0 = ow * SW - PW;
          let d1 = Math.min(d0 + KD, D + PD);
          let h1 = Math.min(h0 + KH, H + PH);
          let w1 = Math.min(w0 + KW, W + PW);
          const padded = (d1 - d0) * (h1 - h0) * (w1 - w0);
          d0 = Math.max(d0, 0);
          h0 = Math.max(h0, 0);
          w0 = Math.max(w0, 0);
          d1 = Math.min(d1, D);
          h1 = Math.min(h1, H);
          w1 = Math.min(w1, W);
          let sum = 0;
          for (let z = d0; z < d1; z++)
            for (let y = h0; y < h1; y++)
              for (let x = w0; x < w1; x++) sum += src[base + (z * H + y) * W + x];
          const divisor = divisorOverride ?? (countIncludePad ? padded : (d1 - d0) * (h1 - h0) * (w1 - w0));
          dst[o] = sum / divisor;
        }
      }
    }
  }
  return finish(p, out, input.dtype);
}

// dst[c] = mean of src[base + c * n, ... + n), summed in float64 in index order like the general loop.
function globalAverage(
  src: Float32Array | Float64Array,
  base: number,
  planes: number,
  n: number,
  dst: Float32Array | Float64Array,
): void {
  for (let c = 0, at = base; c < planes; c++) {
    let sum = 0;
    for (const end = at + n; at < end; at++) sum += src[at];
    dst[c] = sum / n;
  }
}

/** adaptive_avg_pool / adaptive_max_pool over 1-3 dims: windows [floor(i*in/out), ceil((i+1)*in/out)). */
export function adaptivePool(
  input: Tensor,
  nd: number,
  outputSize: readonly number[],
  mode: 'avg' | 'max',
): [Tensor, Tensor] {
  const p = prepare(input, nd, mode === 'avg' ? `adaptive_avg_pool${nd}d` : 'max_pool');
  const inSp = p.x.shape.slice(2);
  const outSp = per(outputSize, nd).map((o, i) => (o === -1 ? inSp[i] : o));
  if (outSp.length !== nd || outSp.some((o) => o < 0))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `adaptive pool: output_size must be ${nd} non-negative ints, got [${outputSize.join(', ')}]`,
    );
  const [D, H, W] = p.inSize;
  const [OD, OH, OW] = to3(outSp, 1);
  const values = Tensor.zeros(p.x.dtype, [...p.x.shape.slice(0, 2), ...outSp]);
  const indices = Tensor.zeros('int64', mode === 'max' ? values.shape : [0]);
  const src = p.x.storage.data as NumArray;
  const dst = values.storage.data as NumArray;
  if (mode === 'avg' && OD * OH * OW === 1) {
    // Global average (squeeze-and-excitation blocks, classifier heads): one tight loop per plane.
    globalAverage(
      src as Float32Array | Float64Array,
      p.x.offset,
      p.planes,
      D * H * W,
      dst as Float32Array | Float64Array,
    );
    return [finish(p, values, input.dtype), indices];
  }
  const start = (i: number, o: number, n: number): number => Math.floor((i * n) / o);
  const end = (i: number, o: number, n: number): number => Math.ceil(((i + 1) * n) / o);
  let o = 0;
  for (let plane = 0; plane < p.planes; plane++) {
    const base = p.x.offset + plane * D * H * W;
    for (let od = 0; od < OD; od++) {
      const d0 = start(od, OD, D);
      const d1 = end(od, OD, D);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = start(oh, OH, H);
        const h1 = end(oh, OH, H);
        for (let ow = 0; ow < OW; ow++, o++) {
          const w0 = start(ow, OW, W);
          const w1 = end(ow, OW, W);
          if (mode === 'avg') {
            let sum = 0;
            for (let z = d0; z < d1; z++)
              for (let y = h0; y < h1; y++)
                for (let x = w0; x < w1; x++) sum += src[base + (z * H + y) * W + x];
            dst[o] = sum / ((d1 - d0) * (h1 - h0) * (w1 - w0));
          } else {
            let best = -Infinity;
            let bestIdx = -1;
            for (let z = d0; z < d1; z++) {
              for (let y = h0; y < h1; y++) {
                for (let x = w0; x < w1; x++) {
                  const at = (z * H + y) * W + x;
                  const v = src[base + at];
                  if (bestIdx < 0 || v > best || (v !== v && best === best)) {
                    best = v;
                    bestIdx = at;
                  }
                }
              }
            }
            dst[o] = best;
            (indices.storage.data as BigInt64Array)[o] = BigInt(bestIdx);
          }
        }
      }
    }
  }
  return [finish(p, values, input.dtype), p.batched || mode === 'avg' ? indices : squeeze(indices, 0)];
}
