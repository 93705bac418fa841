// Convolution (1-d, 2-d, 3-d; groups, stride, dilation, padding as numbers or 'same'/'valid'): im2col
// into a reusable column buffer with row ranges computed once per kernel tap, then the blocked GEMM
// (weights [O/g, C/g*k] @ columns [C/g*k, out pixels]); 1x1 stride-1 unpadded convs skip im2col.

import { RuntimeError, UnsupportedError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { contiguous, copyInto, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { squeeze, unsqueeze } from '../../tensor/views.js';
import type { NumArray } from './ew-core.js';
import { finishRow, type FloatArray } from './conv-epilogue.js';
import { depthwiseConv2d, type DepthwiseGeometry } from './conv-depthwise.js';
import { convGemm, packWeights, packedSize, type ImageColumns } from './conv-gemm.js';
import { weightsInHeap } from './conv-weights.js';
import { winogradConv, winogradWorthIt, type WinogradGeometry } from './conv-winograd.js';
import { gemm } from './gemm.js';
import { wasmGemm } from './gemm-wasm.js';

/** Geometry of one convolution, in 3-d form (1-d and 2-d convs get leading unit dims). */
export interface ConvGeometry {
  readonly inSize: readonly [number, number, number];
  readonly kernel: readonly [number, number, number];
  readonly stride: readonly [number, number, number];
  readonly padBefore: readonly [number, number, number];
  readonly dilation: readonly [number, number, number];
  readonly outSize: readonly [number, number, number];
}

/** The last two dims of a conv's geometry: input and output plane sizes, kernel, stride, padding, dilation. */
export interface ConvWindow2d {
  readonly H: number;
  readonly W: number;
  readonly KH: number;
  readonly KW: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  readonly OH: number;
  readonly OW: number;
}

/** The 2-d window of a geometry (its dims 1 and 2). */
export function window2d(geom: ConvGeometry): ConvWindow2d {
  return {
    H: geom.inSize[1],
    W: geom.inSize[2],
    KH: geom.kernel[1],
    KW: geom.kernel[2],
    sh: geom.stride[1],
    sw: geom.stride[2],
    ph: geom.padBefore[1],
    pw: geom.padBefore[2],
    dh: geom.dilation[1],
    dw: geom.dilation[2],
    OH: geom.outSize[1],
    OW: geom.outSize[2],
  };
}

/** Pads a per-dim list of 1-3 entries to 3 by leading `fill`s. */
export function to3(v: readonly number[], fill: number): [number, number, number] {
  const out = [fill, fill, fill];
  for (let i = 0; i < v.length; i++) out[3 - v.length + i] = v[i];
  return out as [number, number, number];
}

/** The float dtype a conv computes in, or an error naming the op as PyTorch does. */
export function convComputeDType(dtype: DType, op: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  if (dtype === 'float16' || dtype === 'bfloat16') return 'float32';
  throw new UnsupportedError(`"${op}" not implemented for '${DTYPES[dtype].irName}'`, 'DTYPE_MISMATCH');
}

/** Resolves padding given as numbers or 'same'/'valid' into before/after amounts per spatial dim. */
export function resolvePadding(
  padding: readonly number[] | string,
  kernel: readonly number[],
  dilation: readonly number[],
  stride: readonly number[],
): { before: number[]; after: number[] } {
  const n = kernel.length;
  if (typeof padding !== 'string') {
    const p = padding.length === 1 && n > 1 ? new Array<number>(n).fill(padding[0]) : [...padding];
    return { before: p, after: p };
  }
  if (padding === 'valid')
    return { before: new Array<number>(n).fill(0), after: new Array<number>(n).fill(0) };
  if (padding === 'same') {
    if (stride.some((s) => s !== 1))
      throw new RuntimeError('INVALID_ARGUMENT', "padding='same' is not supported for strided convolutions");
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < n; i++) {
      const total = dilation[i] * (kernel[i] - 1);
      before.push(Math.floor(total / 2));
      after.push(total - Math.floor(total / 2));
    }
    return { before, after };
  }
  throw new RuntimeError('INVALID_ARGUMENT', `Invalid padding string: '${padding}'`);
}

let colScratch: Float64Array | Float32Array = new Float32Array(0);

function columnBuffer(dtype: DType, size: number): Float32Array | Float64Array {
  const want = dtype === 'float64' ? Float64Array : Float32Array;
  if (!(colScratch instanceof want) || colScratch.length < size) colScratch = new want(size);
  return colScratch;
}

// Writes the [C*KD*KH*KW, OD*OH*OW] column matrix of channels [c0, c0+C) of one image.
function im2col(x: NumArray, xOff: number, C: number, g: ConvGeometry, col: NumArray): void {
  const [D, H, W] = g.inSize;
  const [KD, KH, KW] = g.kernel;
  const [sd, sh, sw] = g.stride;
  const [pd, ph, pw] = g.padBefore;
  const [dd, dh, dw] = g.dilation;
  const [OD, OH, OW] = g.outSize;
  const L = OD * OH * OW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const cOff = xOff + c * D * H * W;
    for (let kd = 0; kd < KD; kd++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++, row++) {
          let dst = row * L;
          // Output columns whose input column lands inside [0, W): computed once per tap.
          const iw0 = kw * dw - pw;
          const owLo = Math.min(OW, Math.max(0, Math.ceil(-iw0 / sw)));
          const owHi = Math.max(owLo, Math.min(OW, Math.floor((W - 1 - iw0) / sw) + 1));
          for (let od = 0; od < OD; od++) {
            const id = od * sd - pd + kd * dd;
            if (id < 0 || id >= D) {
              for (let k = 0; k < OH * OW; k++) col[dst + k] = 0;
              dst += OH * OW;
              continue;
            }
            for (let oh = 0; oh < OH; oh++, dst += OW) {
              const ih = oh * sh - ph + kh * dh;
              if (ih < 0 || ih >= H) {
                for (let ow = 0; ow < OW; ow++) col[dst + ow] = 0;
                continue;
              }
              const src = cOff + (id * H + ih) * W + iw0;
              for (let ow = 0; ow < owLo; ow++) col[dst + ow] = 0;
              if (sw === 1) for (let ow = owLo; ow < owHi; ow++) col[dst + ow] = x[src + ow];
              else for (let ow = owLo; ow < owHi; ow++) col[dst + ow] = x[src + ow * sw];
              for (let ow = owHi; ow < OW; ow++) col[dst + ow] = 0;
            }
          }
        }
      }
    }
  }
}

/** An activation a conv can apply to its output as it writes it (see ConvEpilogue). */
export type Activation =
  'none' | 'relu' | 'relu6' | 'hardtanh' | 'hardswish' | 'hardsigmoid' | 'silu' | 'sigmoid';

/**
 * What a conv applies to each output element y = conv + bias as it writes it: act(y + alpha * residual),
 * with `lo`/`hi` the bounds of hardtanh. The residual has exactly the output's shape and dtype.
 */
export interface ConvEpilogue {
  residual: Tensor | null;
  alpha: number;
  act: Activation;
  lo: number;
  hi: number;
}

/** The output shape of a batched 2-d convolution (for checking a residual before running it). */
export function conv2dOutputShape(
  input: Tensor,
  weight: Tensor,
  stride: readonly number[],
  padding: readonly number[] | string,
  dilation: readonly number[],
): number[] {
  if (input.dim !== 4 || weight.dim !== 4) return [];
  const ks = weight.shape.slice(2);
  const st = stride.length === 1 ? [stride[0], stride[0]] : [...stride];
  const dl = dilation.length === 1 ? [dilation[0], dilation[0]] : [...dilation];
  const pad = resolvePadding(padding, ks, dl, st);
  const out = [input.shape[0], weight.shape[0]];
  for (let i = 0; i < 2; i++)
    out.push(
      Math.floor((input.shape[2 + i] + pad.before[i] + pad.after[i] - dl[i] * (ks[i] - 1) - 1) / st[i]) + 1,
    );
  return out;
}

/**
 * Forward convolution over 1-3 spatial dims; input batched [N, C, ...] or unbatched [C, ...]. An
 * `epilogue` (from interpreter fusion) is applied to the output; `constantWeight` says the weight never
 * changes, so its packed form may be cached.
 */
export function convolution(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  stride: readonly number[],
  padding: readonly number[] | string,
  dilation: readonly number[],
  groups: number,
  epilogue?: ConvEpilogue,
  constantWeight = false,
): Tensor {
  const nd = weight.dim - 2;
  const name = `conv${nd}d`;
  if (nd < 1 || nd > 3)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `convolution: weight must have 3 to 5 dims, got ${weight.dim}`,
    );
  if (input.dim === nd + 1) {
    const batched = convolution(
      unsqueeze(input, 0),
      weight,
      bias,
      stride,
      padding,
      dilation,
      groups,
      epilogue,
      constantWeight,
    );
    return squeeze(batched, 0);
  }
  if (input.dim !== nd + 2) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${name}, but got input of size: [${input.shape.join(', ')}]`,
    );
  }
  const [N, C] = input.shape;
  const O = weight.shape[0];
  if (groups < 1 || C !== weight.shape[1] * groups || O % groups !== 0) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Given groups=${groups}, weight of size [${weight.shape.join(', ')}], expected input[${input.shape.join(', ')}] to have ${weight.shape[1] * groups} channels, but got ${C} channels instead`,
    );
  }
  const ks = weight.shape.slice(2);
  const st = stride.length === 1 ? new Array<number>(nd).fill(stride[0]) : [...stride];
  const dl = dilation.length === 1 ? new Array<number>(nd).fill(dilation[0]) : [...dilation];
  const pad = resolvePadding(padding, ks, dl, st);
  const inSp = input.shape.slice(2);
  const outSp = inSp.map(
    (s, i) => Math.floor((s + pad.before[i] + pad.after[i] - dl[i] * (ks[i] - 1) - 1) / st[i]) + 1,
  );
  if (outSp.some((s) => s <= 0)) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Calculated padded input size per channel: (${inSp.map((s, i) => s + pad.before[i] + pad.after[i]).join(' x ')}). Kernel size: (${ks.map((k, i) => dl[i] * (k - 1) + 1).join(' x ')}). Kernel size can't be greater than actual input size`,
    );
  }
  const compute = convComputeDType(input.dtype, 'slow_conv2d_cpu');
  if (weight.dtype !== input.dtype) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `Input type (${DTYPES[input.dtype].irName}) and weight type (${DTYPES[weight.dtype].irName}) should be the same`,
    );
  }
  const x = contiguous(toDType(input, compute));
  const w = contiguous(toDType(weight, compute));
  const b = bias === null ? null : contiguous(toDType(bias, compute));
  if (b !== null && b.numel !== O)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Given weight of size [${weight.shape.join(', ')}], expected bias to be 1-dimensional with ${O} elements, but got bias of size [${b.shape.join(', ')}] instead`,
    );
  const geom: ConvGeometry = {
    inSize: to3(inSp, 1),
    kernel: to3(ks, 1),
    stride: to3(st, 1),
    padBefore: to3(pad.before, 0),
    dilation: to3(dl, 1),
    outSize: to3(outSp, 1),
  };
  const depthwise = groups === C && O === C && nd <= 2;
  if (depthwise || (compute === 'float32' && nd <= 2 && wasmGemm() !== null)) {
    // Every output element is written by these kernels, so the output need not be zeroed.
    const out = Tensor.empty(compute, [N, O, ...outSp]);
    const args = { x, w, b, out, geom, groups, epilogue };
    if (depthwise) runDepthwise(args);
    else runGemm(args, constantWeight && w === weight);
    return out;
  }
  const out = genericConv(x, w, b, geom, N, O, groups);
  if (epilogue !== undefined) {
    const od = out.storage.data as FloatArray;
    const L = od.length / (N * O);
    for (let r = 0; r < N * O; r++) finishRow(od, r * L, od, r * L, L, 0, epilogue, r * L);
  }
  if (compute === input.dtype) return out;
  const res = Tensor.zeros(input.dtype, out.shape);
  return copyInto(res, out);
}

/** The tensors and geometry of one conv call, for the kernels below. */
interface ConvArgs {
  readonly x: Tensor;
  readonly w: Tensor;
  readonly b: Tensor | null;
  readonly out: Tensor;
  readonly geom: ConvGeometry;
  readonly groups: number;
  readonly epilogue: ConvEpilogue | undefined;
}

function runDepthwise(a: ConvArgs): void {
  const { geom } = a;
  const [N, C] = a.x.shape;
  const g: DepthwiseGeometry = { C, ...window2d(geom) };
  const inImage = C * g.H * g.W;
  const outImage = C * g.OH * g.OW;
  for (let n = 0; n < N; n++) {
    depthwiseConv2d(
      g,
      a.x.storage.data as FloatArray,
      a.x.offset + n * inImage,
      a.w.storage.data as FloatArray,
      a.w.offset,
      a.out.storage.data as FloatArray,
      n * outImage,
      a.b === null ? null : (a.b.storage.data as FloatArray),
      a.b === null ? 0 : a.b.offset,
      a.epilogue,
      n * outImage,
    );
  }
}

function runGemm(a: ConvArgs, constant: boolean): void {
  const { geom, groups } = a;
  const [N, C] = a.x.shape;
  const O = a.out.shape[1];
  const Cg = C / groups;
  const Og = O / groups;
  const bias = a.b === null ? null : (a.b.storage.data as Float32Array);
  const win = window2d(geom);
  const { H, W, OH, OW } = win;
  const L = OH * OW;
  const taps3x3 = geom.kernel[1] === 3 && geom.kernel[2] === 3;
  const unit = geom.stride.every((s) => s === 1) && geom.dilation.every((d) => d === 1);
  if (taps3x3 && unit && winogradWorthIt(Cg, Og)) {
    const g0: WinogradGeometry = { C: Cg, O: Og, H, W, ph: geom.padBefore[1], pw: geom.padBefore[2], OH, OW };
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < groups; g++) {
        const outOff = (n * O + g * Og) * L;
        winogradConv(
          g0,
          a.x.storage.data as Float32Array,
          a.x.offset + (n * C + g * Cg) * H * W,
          a.w,
          a.w.offset + g * Og * Cg * 9,
          constant,
          a.out.storage.data as Float32Array,
          outOff,
          bias,
          (a.b?.offset ?? 0) + g * Og,
          a.epilogue,
          outOff,
        );
      }
    }
    return;
  }
  const K = a.w.numel / O;
  const wd = a.w.storage.data as Float32Array;
  const heap = wasmGemm()!.heap;
  const lease = weightsInHeap(
    heap,
    a.w,
    `gemm/${groups}`,
    groups * packedSize(Og, K),
    (mem, base) => {
      for (let g = 0; g < groups; g++)
        packWeights(wd, a.w.offset + g * Og * K, Og, K, mem, base + g * packedSize(Og, K));
    },
    constant,
  );
  const pointwise =
    win.KH === 1 &&
    win.KW === 1 &&
    win.sh === 1 &&
    win.sw === 1 &&
    win.ph === 0 &&
    win.pw === 0 &&
    OH === H &&
    OW === W;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const cols: ImageColumns = {
        x: a.x.storage.data as Float32Array,
        offset: a.x.offset + (n * C + g * Cg) * H * W,
        ...win,
        pointwise,
      };
      const outOff = (n * O + g * Og) * L;
      convGemm(Og, K, lease.offset + g * packedSize(Og, K) * 4, cols, {
        out: a.out.storage.data as Float32Array,
        offset: outOff,
        bias,
        biasOffset: (a.b?.offset ?? 0) + g * Og,
        epilogue: a.epilogue,
        residualOffset: outOff,
      });
    }
  }
  lease.done();
}

// Any dtype and dimensionality: im2col into a scratch buffer, then the blocked GEMM per image and group.
function genericConv(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  geom: ConvGeometry,
  N: number,
  O: number,
  groups: number,
): Tensor {
  const compute = x.dtype;
  const C = x.shape[1];
  const outSp = x.dim === 5 ? geom.outSize : x.dim === 4 ? geom.outSize.slice(1) : geom.outSize.slice(2);
  const out = Tensor.zeros(compute, [N, O, ...outSp]);
  const Cg = C / groups;
  const Og = O / groups;
  const K = w.numel / O;
  const L = geom.outSize[0] * geom.outSize[1] * geom.outSize[2];
  const inPlane = geom.inSize[0] * geom.inSize[1] * geom.inSize[2];
  const pointwise =
    geom.kernel.every((k) => k === 1) &&
    geom.stride.every((s) => s === 1) &&
    geom.padBefore.every((p) => p === 0) &&
    L === inPlane;
  const od = out.storage.data as Float32Array | Float64Array;
  const xd = x.storage.data as NumArray;
  const wd = w.storage.data as NumArray;
  const biasData = b === null ? null : (b.storage.data as NumArray);
  const biasOff = b === null ? 0 : b.offset;
  const col = pointwise ? null : columnBuffer(compute, K * L);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = x.offset + (n * C + g * Cg) * inPlane;
      const outOff = (n * O + g * Og) * L;
      if (biasData !== null) {
        for (let o = 0; o < Og; o++)
          od.fill(biasData[biasOff + g * Og + o], outOff + o * L, outOff + (o + 1) * L);
      }
      let B;
      if (col === null) B = { data: xd, offset: xOff, rowStride: inPlane, colStride: 1 };
      else {
        im2col(xd, xOff, Cg, geom, col);
        B = { data: col, offset: 0, rowStride: L, colStride: 1 };
      }
      const A = { data: wd, offset: w.offset + g * Og * K, rowStride: K, colStride: 1 };
      gemm(Og, L, K, A, B, { data: od, offset: outOff, rowStride: L }, 1, biasData === null ? 0 : 1);
    }
  }
  return out;
}
