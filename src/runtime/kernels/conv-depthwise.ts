// Depthwise 2-d convolution (groups == in channels == out channels, MobileNet's 3x3 and 5x5 layers) done
// directly: per channel and output row, each kernel tap adds a scaled input row segment into a float64
// row accumulator, over the output columns whose input column is inside the image (computed once per
// tap, so the inner loop has no bounds checks). The row then leaves through the conv epilogue.

import { finishRow, finishRows, type FloatArray } from './conv-epilogue.js';
import { padImage } from './conv-pack-wasm.js';
import { epilogueToOutput } from './epilogue-wasm.js';
import { wasmHeap } from './wasm-heap.js';
import { windowKernels } from './window-wasm.js';
import type { ConvEpilogue, ConvWindow2d } from './conv.js';

/** Shape of one depthwise conv on one image. */
export interface DepthwiseGeometry extends ConvWindow2d {
  readonly C: number;
}

let rowScratch = new Float64Array(256);

/** out[c, oh, ow] = epilogue(bias[c] + sum over taps of w[c, kh, kw] * x[c, ih, iw]) for one image. */
export function depthwiseConv2d(
  g: DepthwiseGeometry,
  x: FloatArray,
  xOff: number,
  w: ArrayLike<number>,
  wOff: number,
  out: FloatArray,
  outOff: number,
  bias: ArrayLike<number> | null,
  biasOff: number,
  ep: ConvEpilogue | undefined,
  resOff: number,
): void {
  if (x instanceof Float32Array && out instanceof Float32Array && (g.sw === 1 || g.sw === 2)) {
    if (depthwiseWasm(g, x, xOff, w, wOff, out, outOff, bias, biasOff, ep, resOff)) return;
  }
  const { C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, OH, OW } = g;
  if (rowScratch.length < OW) rowScratch = new Float64Array(OW);
  const acc = rowScratch;
  // Valid output column range per kernel column.
  const lo = new Int32Array(KW);
  const hi = new Int32Array(KW);
  for (let kw = 0; kw < KW; kw++) {
    const iw0 = kw * dw - pw;
    lo[kw] = Math.min(OW, Math.max(0, Math.ceil(-iw0 / sw)));
    hi[kw] = Math.max(lo[kw], Math.min(OW, Math.floor((W - 1 - iw0) / sw) + 1));
  }
  const taps = KH * KW;
  for (let c = 0; c < C; c++) {
    const plane = xOff + c * H * W;
    const wc = wOff + c * taps;
    const b = bias === null ? 0 : bias[biasOff + c];
    for (let oh = 0; oh < OH; oh++) {
      acc.fill(0, 0, OW);
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * sh - ph + kh * dh;
        if (ih < 0 || ih >= H) continue;
        const row = plane + ih * W;
        for (let kw = 0; kw < KW; kw++) {
          const wv = w[wc + kh * KW + kw];
          const base = row + kw * dw - pw;
          const end = hi[kw];
          if (sw === 1) for (let ow = lo[kw]; ow < end; ow++) acc[ow] += wv * x[base + ow];
          else for (let ow = lo[kw]; ow < end; ow++) acc[ow] += wv * x[base + ow * sw];
        }
      }
      const o = (c * OH + oh) * OW;
      finishRow(out, outOff + o, acc, 0, OW, b, ep, resOff + o);
    }
  }
}

// The float32 path on the WASM window kernel: the image padded into the heap, weights and bias copied
// beside it, four outputs per vector, then the epilogue (in WASM when the activation has a WASM form).
function depthwiseWasm(
  g: DepthwiseGeometry,
  x: Float32Array,
  xOff: number,
  w: ArrayLike<number>,
  wOff: number,
  out: Float32Array,
  outOff: number,
  bias: ArrayLike<number> | null,
  biasOff: number,
  ep: ConvEpilogue | undefined,
  resOff: number,
): boolean {
  const kernels = windowKernels();
  const heap = wasmHeap();
  if (kernels === null || heap === null) return false;
  const { C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, OH, OW } = g;
  const G = Math.ceil(OW / 4);
  const Hp = Math.max((OH - 1) * sh + (KH - 1) * dh + 1, ph + 1);
  const Wp = 4 * G * sw + (KW - 1) * dw + 8;
  const taps = KH * KW;
  const xFloats = C * Hp * Wp;
  const wBase = xFloats;
  const bBase = wBase + C * taps;
  const oBase = bBase + Math.ceil(C / 4) * 4;
  const oFloats = C * OH * 4 * G;
  const stage = oBase + oFloats;
  const base = heap.scratch((stage + C * H * W) * 4) / 4;
  padImage(heap, x, xOff, C, H, W, base, Hp, Wp, ph, pw, base + stage);
  const mem = heap.floats();
  for (let i = 0; i < C * taps; i++) mem[base + wBase + i] = w[wOff + i];
  for (let c = 0; c < C; c++) mem[base + bBase + c] = bias === null ? 0 : bias[biasOff + c];
  kernels.dw[sw - 1](
    base * 4,
    (base + wBase) * 4,
    (base + bBase) * 4,
    (base + oBase) * 4,
    C,
    OH,
    G,
    KH,
    KW,
    Hp * Wp * 4,
    sh * Wp * 4,
    dh * Wp * 4,
    dw * 4,
  );
  const block = { at: base + oBase, planeStride: OH * 4 * G, rowStride: 4 * G, planes: C, rows: OH, n: OW };
  const region = { out, offset: outOff, planeStride: OH * OW, residualOffset: resOff };
  if (epilogueToOutput(block, region, null, 0, ep, base + stage)) return true;
  const m = heap.floats();
  for (let c = 0; c < C; c++)
    finishRows(
      out,
      outOff + c * OH * OW,
      OW,
      m,
      base + oBase + c * OH * 4 * G,
      4 * G,
      OH,
      OW,
      0,
      ep,
      resOff + c * OH * OW,
    );
  return true;
}
