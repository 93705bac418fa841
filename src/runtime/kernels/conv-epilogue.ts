// The last pass of a convolution, over one output row at a time while it is in cache: add the bias, a
// fused residual (alpha * r) and apply a fused activation, in one loop. Rounding follows PyTorch's
// separate float32 ops: the conv result (with bias) is rounded to float32 before the residual is added,
// and the sum before the activation. Each (activation, residual, float32) combination gets its own
// generated loop (as ew-jit.ts does for element-wise ops), so no per-element dispatch or call.

import type { Activation, ConvEpilogue } from './conv.js';

/** A float output array (float32 or float64 storage). */
export type FloatArray = Float32Array | Float64Array;

type RowLoop = (
  dst: FloatArray,
  d: number,
  dstStride: number,
  src: FloatArray,
  s: number,
  srcStride: number,
  rows: number,
  n: number,
  bias: number,
  res: FloatArray | null,
  r: number,
  alpha: number,
  lo: number,
  hi: number,
) => void;

// RowLoop's parameter names, in order, for the generated loops.
const ROW_LOOP_PARAMS = 'dst d dstStride src s srcStride rows n bias res r alpha lo hi'.split(' ');

// Each activation as an expression of v (lo, hi: hardtanh's bounds), as in activation.ts.
const ACT: Readonly<Record<Activation, string>> = {
  none: 'v',
  relu: 'Math.max(v, 0)',
  relu6: 'Math.min(Math.max(v, 0), 6)',
  hardtanh: 'Math.min(Math.max(v, lo), hi)',
  hardswish: '(v * Math.min(Math.max(v + 3, 0), 6)) / 6',
  hardsigmoid: 'Math.min(Math.max(v + 3, 0), 6) / 6',
  silu: 'v / (1 + Math.exp(-v))',
  sigmoid: '1 / (1 + Math.exp(-v))',
};

const ACT_INDEX: Readonly<Record<Activation, number>> = {
  none: 0,
  relu: 1,
  relu6: 2,
  hardtanh: 3,
  hardswish: 4,
  hardsigmoid: 5,
  silu: 6,
  sigmoid: 7,
};
// Indexed by activation * 4 + residual * 2 + f32 (no string keys: finishRow runs once per output row).
const loops: (RowLoop | undefined)[] = [];

function rowLoop(act: Activation, residual: boolean, f32: boolean): RowLoop {
  const key = ACT_INDEX[act] * 4 + (residual ? 2 : 0) + (f32 ? 1 : 0);
  let fn = loops[key];
  if (fn === undefined) {
    const round = (e: string): string => (f32 ? `Math.fround(${e})` : e);
    const sum = residual
      ? round(`${round('src[s + i] + bias')} + alpha * res[r + i]`)
      : round('src[s + i] + bias');
    const body = `for (let y = 0; y < rows; y++, d += dstStride, s += srcStride, r += dstStride) {
      for (let i = 0; i < n; i++) { const v = ${sum}; dst[d + i] = ${ACT[act]}; }
    }`;
    fn = new Function(...ROW_LOOP_PARAMS, body) as RowLoop;
    loops[key] = fn;
  }
  return fn;
}

/**
 * dst[d + y * dstStride + i] = act(round(src[s + y * srcStride + i] + bias) + alpha * res[r + y * dstStride + i])
 * for y < rows, i < n (the residual, when the epilogue has one, has the output's layout). `src` and `dst`
 * may be the same array at the same offsets.
 */
export function finishRows(
  dst: FloatArray,
  d: number,
  dstStride: number,
  src: FloatArray,
  s: number,
  srcStride: number,
  rows: number,
  n: number,
  bias: number,
  ep: ConvEpilogue | undefined,
  r: number,
): void {
  const residual = ep?.residual ?? null;
  const res = residual === null ? null : (residual.storage.data as FloatArray);
  const loop = rowLoop(ep?.act ?? 'none', res !== null, dst instanceof Float32Array);
  const at = residual === null ? 0 : residual.offset + r;
  loop(
    dst,
    d,
    dstStride,
    src,
    s,
    srcStride,
    rows,
    n,
    bias,
    res,
    at,
    ep?.alpha ?? 1,
    ep?.lo ?? 0,
    ep?.hi ?? 0,
  );
}

/** One row of finishRows. */
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
  finishRows(dst, d, n, src, s, n, 1, n, bias, ep, r);
}

/** Applies `act` in place to a[o .. o+n). */
export function activate(a: FloatArray, o: number, n: number, act: Activation, lo: number, hi: number): void {
  rowLoop(act, false, false)(a, o, n, a, o, n, 1, n, 0, null, 0, 1, lo, hi);
}
