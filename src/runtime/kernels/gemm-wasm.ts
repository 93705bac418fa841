// The WebAssembly SIMD macro-kernel for float32 GEMM: it walks packed A panels (4 rows, k-major) and B
// panels (8 columns, k-major) in the shared heap (wasm-heap.ts) and computes 4x8 tiles with f32x4
// multiply/add, 8 vector accumulators kept in registers; each tile is added into (or stored to) a C
// block. The JS side packs operands into the heap and moves the C block out (gemm.ts, conv-gemm.ts).

import { Code, I32, V128, op } from './wasm-asm.js';
import { wasmHeap, type WasmHeap } from './wasm-heap.js';

/** Rows of A per micro-tile and columns of B per micro-tile of the WASM kernel. */
export const WASM_MR = 4;
export const WASM_NR = 8;

// Parameters: kc, mPanels, nPanels, aBase, bBase, cBase, ldc (bytes per C row), accumulate (0: store).
const P_KC = 0;
const P_MP = 1;
const P_NP = 2;
const P_A = 3;
const P_B = 4;
const P_C = 5;
const P_LDC = 6;
const P_ACC = 7;
// i32 locals.
const L_PJ = 8;
const L_PI = 9;
const L_K = 10;
const L_AP = 11;
const L_BP = 12;
const L_CP = 13;
// v128 locals: 8 accumulators, two B vectors, one splatted A value.
const V_ACC = 14;
const V_B0 = 22;
const V_B1 = 23;
const V_A = 24;

function blockBody(): Code {
  const c = new Code();
  c.forUp(L_PJ, P_NP, () => {
    c.forUp(L_PI, P_MP, () => {
      for (let i = 0; i < 8; i++) c.f32x4(0).set(V_ACC + i);
      // a = aBase + pi * kc * 16; b = bBase + pj * kc * 32
      c.get(P_A).get(L_PI).get(P_KC).emit(op.i32Mul).i32(16).emit(op.i32Mul, op.i32Add).set(L_AP);
      c.get(P_B).get(L_PJ).get(P_KC).emit(op.i32Mul).i32(32).emit(op.i32Mul, op.i32Add).set(L_BP);
      c.get(P_KC).set(L_K);
      c.block(() =>
        c.loop(() => {
          c.get(L_K).emit(op.i32Eqz).brIf(1);
          c.get(L_BP).v128Load(0).set(V_B0);
          c.get(L_BP).v128Load(16).set(V_B1);
          for (let r = 0; r < 4; r++) {
            c.get(L_AP)
              .v128Load32Splat(4 * r)
              .set(V_A);
            c.get(V_ACC + 2 * r)
              .get(V_A)
              .get(V_B0)
              .emit(op.f32x4Mul, op.f32x4Add)
              .set(V_ACC + 2 * r);
            c.get(V_ACC + 2 * r + 1)
              .get(V_A)
              .get(V_B1)
              .emit(op.f32x4Mul, op.f32x4Add)
              .set(V_ACC + 2 * r + 1);
          }
          c.addTo(L_AP, 16).addTo(L_BP, 32).addTo(L_K, -1).br(0);
        }),
      );
      // c = cBase + pi * 4 * ldc + pj * 32
      c.get(P_C).get(L_PI).i32(4).emit(op.i32Mul).get(P_LDC).emit(op.i32Mul, op.i32Add);
      c.get(L_PJ).i32(32).emit(op.i32Mul, op.i32Add).set(L_CP);
      c.get(P_ACC).ifElse(
        () => {
          for (let r = 0; r < 4; r++) {
            for (let h = 0; h < 2; h++)
              c.get(L_CP)
                .get(L_CP)
                .v128Load(16 * h)
                .get(V_ACC + 2 * r + h)
                .emit(op.f32x4Add)
                .v128Store(16 * h);
            c.addLocal(L_CP, P_LDC);
          }
        },
        () => {
          for (let r = 0; r < 4; r++) {
            for (let h = 0; h < 2; h++)
              c.get(L_CP)
                .get(V_ACC + 2 * r + h)
                .v128Store(16 * h);
            c.addLocal(L_CP, P_LDC);
          }
        },
      );
    });
  });
  return c;
}

/** The instantiated kernel and the heap it works in. */
export interface WasmGemm {
  /**
   * Runs the macro-kernel over mPanels x nPanels tiles (offsets in bytes): C tile (pi, pj) at
   * cBase + pi * 4 * ldc + pj * 32 gets A panel pi times B panel pj added (accumulate = 1) or stored.
   */
  block(
    kc: number,
    mPanels: number,
    nPanels: number,
    aBase: number,
    bBase: number,
    cBase: number,
    ldcBytes: number,
    accumulate: number,
  ): void;
  readonly heap: WasmHeap;
}

let cached: WasmGemm | null | undefined;

/** The WASM SIMD kernel, or null where WebAssembly SIMD is unavailable (set TSFREEZE_NO_WASM=1 to disable). */
export function wasmGemm(): WasmGemm | null {
  if (cached !== undefined) return cached;
  cached = null;
  const heap = wasmHeap();
  const exports = heap?.instantiate([
    {
      name: 'block',
      params: new Array<number>(8).fill(I32),
      locals: [...new Array<number>(6).fill(I32), ...new Array<number>(11).fill(V128)],
      code: blockBody(),
    },
  ]);
  if (heap && exports) cached = { block: exports.block as WasmGemm['block'], heap };
  return cached;
}
