// Depthwise 2-d convolution (groups == in channels == out channels, MobileNet's 3x3 and 5x5 layers) done
// directly: per channel and output row, each kernel tap adds a scaled input row segment into a float64
// row accumulator, over the output columns whose input column is inside the image (computed once per
// tap, so the inner loop has no bounds checks). The row then leaves through the conv epilogue.

import { finishRow, type FloatArray } from './conv-epilogue.js';
import type { ConvEpilogue } from './conv.js';

/** Shape of one depthwise conv on one image. */
export interface DepthwiseGeometry {
  readonly C: number;
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
