// WebAssembly SIMD transforms of Winograd F(2x2, 3x3) (see conv-winograd.ts), four tiles side by side in
// the four f32x4 lanes. Input: one zero-padded channel plane in the heap, tiles every 2 pixels; even and
// odd columns are split with shuffles, so each lane holds one tile's 4x4 patch; V = B^T d B goes to
// the GEMM's B panels (4 consecutive tiles are 4 consecutive floats there). Output: the 16 GEMM result
// blocks of one output channel, Y = A^T M A + bias, interleaved back into two output rows per tile row.

import { Code, F32, I32, V128, op } from './wasm-asm.js';
import { wasmHeap } from './wasm-heap.js';

const SHUFFLE = [0xfd, 0x0d];
// Float lanes as byte indices for i8x16.shuffle of (a, b): lanes 0-3 are a's, 4-7 are b's.
const lanes = (...f: number[]): number[] => f.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);
const EVEN = lanes(0, 2, 4, 6);
const ODD = lanes(1, 3, 5, 7);
const LO = lanes(0, 4, 1, 5);
const HI = lanes(2, 6, 3, 7);

// wino_in(src, rowBytes, TH, G, dst, tileRowBytes, xiBytes, panelBytes): for ty < TH, g < G, the four
// tiles t = ty * 4G + 4g start at src + ty * 2 * rowBytes + g * 32; their 16 transformed values go to
// dst + (t >> 3) * panelBytes + (t & 7) * 4 + xi * xiBytes.
function inputTransform(): Code {
  const [SRC, ROW, TH, G, DST, , XI, PANEL] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [TY, GI, P, T, D] = [8, 9, 10, 11, 12];
  const R = 13; // 16 v128 locals r[i][j] = (d B)[i][j]
  const A = 29; // 4 scratch vectors
  const c = new Code();
  c.i32(0).set(T);
  c.forUp(TY, TH, () => {
    c.forUp(GI, G, () => {
      c.get(SRC).get(TY).get(ROW).emit(op.i32Mul).i32(1).emit(op.i32Shl, op.i32Add);
      c.get(GI).i32(5).emit(op.i32Shl, op.i32Add).set(P);
      // dst for tile t
      c.get(DST).get(T).i32(3).emit(op.i32ShrU).get(PANEL).emit(op.i32Mul, op.i32Add);
      c.get(T).i32(7).emit(op.i32And).i32(2).emit(op.i32Shl, op.i32Add).set(D);
      const at = (xi: number): void => void c.get(D).get(XI).i32(xi).emit(op.i32Mul, op.i32Add);
      const r = (i: number, j: number): number => R + 4 * i + j;
      // Row i of the tile group, split into columns d0..d3 (one tile per lane), times B on the right:
      // r[i][j] = (d B)[i][j]. Rows 0 and 1 are kept; row 2 meets them column by column (v0, v1, v2
      // stored at once); row 3 meets row 1 (v3). Few vectors live at a time, so nothing spills.
      const row = (i: number, each: (j: number) => void): void => {
        c.get(P)
          .v128Load(0)
          .set(A)
          .get(P)
          .v128Load(16)
          .set(A + 1);
        c.get(P)
          .v128Load(8)
          .set(A + 2)
          .get(P)
          .v128Load(24)
          .set(A + 3);
        c.get(P).get(ROW).emit(op.i32Add).set(P);
        const d = (j: number): void =>
          void c
            .get(A + (j >> 1) * 2)
            .get(A + (j >> 1) * 2 + 1)
            .emit(SHUFFLE, j % 2 === 0 ? EVEN : ODD);
        const combos: [number, number, 'add' | 'sub'][] = [
          [0, 2, 'sub'],
          [1, 2, 'add'],
          [2, 1, 'sub'],
          [1, 3, 'sub'],
        ];
        for (let j = 0; j < 4; j++) {
          const [p, q, how] = combos[j];
          d(p);
          d(q);
          c.emit(how === 'add' ? op.f32x4Add : op.f32x4Sub).set(r(i, j));
          each(j);
        }
      };
      row(0, () => undefined);
      row(1, () => undefined);
      row(2, (j) => {
        at(j);
        c.get(r(0, j)).get(r(2, j)).emit(op.f32x4Sub).v128Store(0);
        at(4 + j);
        c.get(r(1, j)).get(r(2, j)).emit(op.f32x4Add).v128Store(0);
        at(8 + j);
        c.get(r(2, j)).get(r(1, j)).emit(op.f32x4Sub).v128Store(0);
      });
      row(3, (j) => {
        at(12 + j);
        c.get(r(1, j)).get(r(3, j)).emit(op.f32x4Sub).v128Store(0);
      });
      c.addTo(T, 4);
    });
  });
  return c;
}

// wino_out(src, xiBytes, TH, G, dst, outRowBytes, bias): the result blocks of one output channel (tile t
// at src + t * 4 + xi * xiBytes, t = ty * 4G + 4g) to the output plane at dst (rows of outRowBytes).
function outputTransform(): Code {
  const [SRC, XI, TH, G, DST, ROW, BIAS] = [0, 1, 2, 3, 4, 5, 6];
  const [TY, GI, S, D] = [7, 8, 9, 10];
  const M = 11; // 16 v128 locals
  const Y = 27; // 4 outputs + bias splat
  const c = new Code();
  c.get(SRC).set(S);
  c.forUp(TY, TH, () => {
    c.forUp(GI, G, () => {
      for (let xi = 0; xi < 16; xi++)
        c.get(S)
          .get(XI)
          .i32(xi)
          .emit(op.i32Mul, op.i32Add)
          .v128Load(0)
          .set(M + xi);
      const m = (i: number, j: number): number => M + 4 * i + j;
      // s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j, kept in m[0][j] and m[1][j]
      for (let j = 0; j < 4; j++) {
        c.get(m(0, j)).get(m(1, j)).emit(op.f32x4Add).get(m(2, j)).emit(op.f32x4Add);
        c.get(m(1, j))
          .get(m(2, j))
          .emit(op.f32x4Sub)
          .get(m(3, j))
          .emit(op.f32x4Sub)
          .set(m(1, j))
          .set(m(0, j));
      }
      c.get(BIAS)
        .emit(op.f32x4Splat)
        .set(Y + 4);
      for (let i = 0; i < 2; i++) {
        c.get(m(i, 0))
          .get(m(i, 1))
          .emit(op.f32x4Add)
          .get(m(i, 2))
          .emit(op.f32x4Add)
          .get(Y + 4)
          .emit(op.f32x4Add)
          .set(Y + 2 * i);
        c.get(m(i, 1))
          .get(m(i, 2))
          .emit(op.f32x4Sub)
          .get(m(i, 3))
          .emit(op.f32x4Sub)
          .get(Y + 4)
          .emit(op.f32x4Add)
          .set(Y + 2 * i + 1);
      }
      // Row 2ty: y00/y01 interleaved; row 2ty + 1: y10/y11.
      c.get(DST).get(TY).get(ROW).emit(op.i32Mul).i32(1).emit(op.i32Shl, op.i32Add);
      c.get(GI).i32(5).emit(op.i32Shl, op.i32Add).set(D);
      for (let i = 0; i < 2; i++) {
        c.get(D)
          .get(Y + 2 * i)
          .get(Y + 2 * i + 1)
          .emit(SHUFFLE, LO)
          .v128Store(0);
        c.get(D)
          .get(Y + 2 * i)
          .get(Y + 2 * i + 1)
          .emit(SHUFFLE, HI)
          .v128Store(16);
        c.get(D).get(ROW).emit(op.i32Add).set(D);
      }
      c.addTo(S, 16);
    });
  });
  return c;
}

/** The compiled transforms, or null without WebAssembly SIMD. */
export interface WinogradKernels {
  input(
    src: number,
    rowBytes: number,
    TH: number,
    G: number,
    dst: number,
    unused: number,
    xiBytes: number,
    panelBytes: number,
  ): void;
  output(
    src: number,
    xiBytes: number,
    TH: number,
    G: number,
    dst: number,
    rowBytes: number,
    bias: number,
  ): void;
}

let cached: WinogradKernels | null | undefined;

export function winogradKernels(): WinogradKernels | null {
  if (cached !== undefined) return cached;
  const exports = wasmHeap()?.instantiate([
    {
      name: 'input',
      params: new Array<number>(8).fill(I32),
      locals: [...new Array<number>(5).fill(I32), ...new Array<number>(20).fill(V128)],
      code: inputTransform(),
    },
    {
      name: 'output',
      params: [I32, I32, I32, I32, I32, I32, F32],
      locals: [...new Array<number>(4).fill(I32), ...new Array<number>(21).fill(V128)],
      code: outputTransform(),
    },
  ]);
  cached = exports
    ? {
        input: exports.input as WinogradKernels['input'],
        output: exports.output as WinogradKernels['output'],
      }
    : null;
  return cached;
}
