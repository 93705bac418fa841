// WebAssembly SIMD per-channel window kernels over a padded image in the heap: depthwise 2-d convolution
// (each channel with its own KH x KW filter, float32 accumulation tap by tap on top of the bias) and
// max pooling (padding -inf, f32x4.max propagates NaN). Four neighbouring outputs per f32x4: column
// stride 1 takes one unaligned load per tap, stride 2 two loads and a shuffle. Output rows are padded
// to whole groups of four; the caller drops the extra columns.

import { Code, I32, V128, op } from './wasm-asm.js';
import { wasmHeap } from './wasm-heap.js';

const SHUFFLE = [0xfd, 0x0d];
const EVEN = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];

// dw(x, w, bias, out, C, OH, G, KH, KW, planeBytes, rowStepBytes, tapRowBytes, tapColBytes): for c < C,
// oh < OH, g < G, the four outputs at out + ((c * OH + oh) * G + g) * 16 are bias[c] plus, over taps,
// w[c][kh][kw] times the inputs at x + c * planeBytes + oh * rowStepBytes + kh * tapRowBytes +
// kw * tapColBytes + g * 16 * stride (+ 4 * stride per lane).
function depthwise(stride: 1 | 2, max: boolean): Code {
  const [X, WT, BIAS, OUT, C, OH, G, KH, KW, PLANE, ROWSTEP, TAPROW, TAPCOL] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  const [CI, Y, GI, KY, KX, RP, P, WC, W, D, Q, TAPS] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  const [ACC, BV] = [25, 26];
  const c = new Code();
  c.get(OUT).set(D);
  c.get(WT).set(WC);
  c.get(KH).get(KW).emit(op.i32Mul).i32(2).emit(op.i32Shl).set(TAPS);
  c.forUp(CI, C, () => {
    if (max) c.f32x4(-Infinity).set(BV);
    else c.get(BIAS).get(CI).i32(2).emit(op.i32Shl, op.i32Add).v128Load32Splat(0).set(BV);
    c.forUp(Y, OH, () => {
      c.get(X).get(CI).get(PLANE).emit(op.i32Mul, op.i32Add);
      c.get(Y).get(ROWSTEP).emit(op.i32Mul, op.i32Add).set(RP);
      c.forUp(GI, G, () => {
        c.get(BV).set(ACC);
        c.get(RP)
          .get(GI)
          .i32(stride === 1 ? 4 : 5)
          .emit(op.i32Shl, op.i32Add)
          .set(P);
        c.get(WC).set(W);
        c.forUp(KY, KH, () => {
          c.get(P).get(KY).get(TAPROW).emit(op.i32Mul, op.i32Add).set(Q);
          c.forUp(KX, KW, () => {
            c.get(ACC);
            if (!max) c.get(W).v128Load32Splat(0);
            if (stride === 1) c.get(Q).v128Load(0);
            else c.get(Q).v128Load(0).get(Q).v128Load(16).emit(SHUFFLE, EVEN);
            c.emit(...(max ? [op.f32x4Max] : [op.f32x4Mul, op.f32x4Add])).set(ACC);
            c.addLocal(Q, TAPCOL).addTo(W, 4);
          });
        });
        c.get(D).get(ACC).v128Store(0);
        c.addTo(D, 16);
      });
    });
    c.addLocal(WC, TAPS);
  });
  return c;
}

/** dw(x, w, bias, out, C, OH, G, KH, KW, planeBytes, rowStepBytes, tapRowBytes, tapColBytes), bytes. */
export type DepthwiseKernel = (
  x: number,
  w: number,
  bias: number,
  out: number,
  C: number,
  OH: number,
  G: number,
  KH: number,
  KW: number,
  planeBytes: number,
  rowStepBytes: number,
  tapRowBytes: number,
  tapColBytes: number,
) => void;

/** Per-channel window kernels by column stride (1 or 2): convolution (`dw`) and max (`max`, w and bias unused). */
export interface WindowKernels {
  readonly dw: readonly [DepthwiseKernel, DepthwiseKernel];
  readonly max: readonly [DepthwiseKernel, DepthwiseKernel];
}

let cached: WindowKernels | null | undefined;

/** The kernels, or null without WebAssembly SIMD. */
export function windowKernels(): WindowKernels | null {
  if (cached !== undefined) return cached;
  const params = new Array<number>(13).fill(I32);
  const locals = [...new Array<number>(12).fill(I32), V128, V128];
  const exports = wasmHeap()?.instantiate([
    { name: 'dw1', params, locals, code: depthwise(1, false) },
    { name: 'dw2', params, locals, code: depthwise(2, false) },
    { name: 'max1', params, locals, code: depthwise(1, true) },
    { name: 'max2', params, locals, code: depthwise(2, true) },
  ]);
  const k = (name: string): DepthwiseKernel => exports![name] as DepthwiseKernel;
  cached = exports ? { dw: [k('dw1'), k('dw2')], max: [k('max1'), k('max2')] } : null;
  return cached;
}
