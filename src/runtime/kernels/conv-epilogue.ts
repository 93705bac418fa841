// The last pass of a convolution, over one output row at a time while it is in cache: add the bias, a
// fused residual (alpha * r) and apply a fused activation. Rounding follows PyTorch's separate float32
// ops: the conv result (with bias) is rounded to float32 before the residual is added, and the sum
// before the activation. One loop per activation, so no per-element dispatch.

import type { Activation, ConvEpilogue } from './conv.js';

/** A float output array (float32 or float64 storage). */
export type FloatArray = Float32Array | Float64Array;

const fround = Math.fround;

/**
 * dst[d + i] = act(round(src[s + i] + bias) + alpha * res[r + i]) for i < n (res may be null). `src` and
 * `dst` may be the same array at the same offset.
 */
export function finishRow(
  dst: FloatArray,
  d: number,
  src: FloatArray,
  s: number,
  n: number,
  bias: number,
  ep: ConvEpilogue | undefined,
  r: number,
): void {
  const res = ep?.residual ? (ep.residual.storage.data as FloatArray) : null;
  const round = dst instanceof Float32Array;
  if (res === null) {
    for (let i = 0; i < n; i++) dst[d + i] = src[s + i] + bias;
  } else {
    const alpha = ep!.alpha;
    const ro = ep!.residual!.offset + r;
    if (round && alpha === 1)
      for (let i = 0; i < n; i++) dst[d + i] = fround(src[s + i] + bias) + res[ro + i];
    else if (round) for (let i = 0; i < n; i++) dst[d + i] = fround(src[s + i] + bias) + alpha * res[ro + i];
    else for (let i = 0; i < n; i++) dst[d + i] = src[s + i] + bias + alpha * res[ro + i];
  }
  if (ep !== undefined && ep.act !== 'none') activate(dst, d, n, ep.act, ep.lo, ep.hi);
}

/** Applies `act` in place to a[o .. o+n). */
export function activate(a: FloatArray, o: number, n: number, act: Activation, lo: number, hi: number): void {
  const end = o + n;
  switch (act) {
    case 'none':
      return;
    case 'relu':
      for (let i = o; i < end; i++) a[i] = Math.max(a[i], 0);
      return;
    case 'relu6':
      for (let i = o; i < end; i++) a[i] = Math.min(Math.max(a[i], 0), 6);
      return;
    case 'hardtanh':
      for (let i = o; i < end; i++) a[i] = Math.min(Math.max(a[i], lo), hi);
      return;
    case 'hardswish':
      for (let i = o; i < end; i++) {
        const x = a[i];
        a[i] = (x * Math.min(Math.max(x + 3, 0), 6)) / 6;
      }
      return;
    case 'hardsigmoid':
      for (let i = o; i < end; i++) a[i] = Math.min(Math.max(a[i] + 3, 0), 6) / 6;
      return;
    case 'silu':
      for (let i = o; i < end; i++) {
        const x = a[i];
        a[i] = x / (1 + Math.exp(-x));
      }
      return;
    case 'sigmoid':
      for (let i = o; i < end; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
      return;
  }
}
