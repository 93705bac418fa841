// Matrix-vector product in WebAssembly SIMD for the thin products the GEMM kernel cannot tile (a linear
// layer on one input row): y[n] = sum_k W[n][k] * x[k] for W row-major in the heap, four rows at a
// time with one f32x4 accumulator each (four partial sums per row, added at the end), the weights
// streamed once. K must be a multiple of 4 (so a row's last vector stays in the row).

import { Code, I32, V128, op } from './wasm-asm.js';
import { wasmHeap } from './wasm-heap.js';

const F32X4_EXTRACT = (lane: number): number[] => [0xfd, 0x1f, lane];

// gemv(w, x, y, N, K, ldwBytes)
function gemv(): Code {
  const [W, X, Y, N, K, LDW] = [0, 1, 2, 3, 4, 5];
  const [ROW, KI, P, Q, ROWS] = [6, 7, 8, 9, 10];
  const A = 11; // 4 accumulators
  const XV = 15;
  const c = new Code();
  const sumTo = (acc: number, at: () => void): void => {
    at();
    c.get(acc).emit(F32X4_EXTRACT(0)).get(acc).emit(F32X4_EXTRACT(1)).emit(op.f32Add);
    c.get(acc).emit(F32X4_EXTRACT(2)).get(acc).emit(F32X4_EXTRACT(3)).emit(op.f32Add);
    c.emit(op.f32Add).f32Store(0);
  };
  c.get(N).i32(-4).emit(op.i32And).set(ROWS); // whole groups of 4 rows
  c.forUp(
    ROW,
    ROWS,
    () => {
      for (let r = 0; r < 4; r++) c.f32x4(0).set(A + r);
      c.get(W).get(ROW).get(LDW).emit(op.i32Mul, op.i32Add).set(P);
      c.get(X).set(Q);
      c.forUp(
        KI,
        K,
        () => {
          c.get(Q).v128Load(0).set(XV);
          for (let r = 0; r < 4; r++) {
            // p + r * ldw
            c.get(A + r)
              .get(P)
              .get(LDW)
              .i32(r)
              .emit(op.i32Mul, op.i32Add)
              .v128Load(0);
            c.get(XV)
              .emit(op.f32x4Mul, op.f32x4Add)
              .set(A + r);
          }
          c.addTo(P, 16).addTo(Q, 16);
        },
        4,
      );
      for (let r = 0; r < 4; r++)
        sumTo(A + r, () => void c.get(Y).get(ROW).i32(r).emit(op.i32Add).i32(2).emit(op.i32Shl, op.i32Add));
    },
    4,
  );
  // The last rows one at a time.
  c.get(ROWS).set(ROW);
  c.block(() =>
    c.loop(() => {
      c.get(ROW).get(N).emit(op.i32GeS).brIf(1);
      c.f32x4(0).set(A);
      c.get(W).get(ROW).get(LDW).emit(op.i32Mul, op.i32Add).set(P);
      c.get(X).set(Q);
      c.forUp(
        KI,
        K,
        () => {
          c.get(A).get(P).v128Load(0).get(Q).v128Load(0).emit(op.f32x4Mul, op.f32x4Add).set(A);
          c.addTo(P, 16).addTo(Q, 16);
        },
        4,
      );
      sumTo(A, () => void c.get(Y).get(ROW).i32(2).emit(op.i32Shl, op.i32Add));
      c.addTo(ROW, 1).br(0);
    }),
  );
  return c;
}

/** gemv(w, x, y, N, K, ldwBytes): addresses in bytes, K a multiple of 4. */
export type GemvKernel = (w: number, x: number, y: number, N: number, K: number, ldwBytes: number) => void;

let cached: GemvKernel | null | undefined;

/** The compiled kernel, or null without WebAssembly SIMD. */
export function gemvKernel(): GemvKernel | null {
  if (cached !== undefined) return cached;
  const exports = wasmHeap()?.instantiate([
    {
      name: 'gemv',
      params: new Array<number>(6).fill(I32),
      locals: [...new Array<number>(5).fill(I32), ...new Array<number>(5).fill(V128)],
      code: gemv(),
    },
  ]);
  cached = exports ? (exports.gemv as GemvKernel) : null;
  return cached;
}
