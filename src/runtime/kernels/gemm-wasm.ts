// The WebAssembly SIMD macro-kernel for float32 GEMM: it walks packed A panels (4 rows, k-major) and B
// panels (8 columns, k-major) in the shared heap (wasm-heap.ts) and computes 4x8 tiles with f32x4
// multiply/add (or relaxed SIMD's fused multiply-add where the engine has it), 8 vector accumulators kept
// in registers; each tile is added into (or stored to) a C block. The JS side packs operands into the
// heap and moves the C block out (gemm.ts, conv-gemm.ts).

import { Code, I32, V128, op, type FunctionSpec } from './wasm-asm.js';
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

// Walks the tiles with B panels outer (`bOuter`: each B panel stays in L1 while all of A streams past it)
// or A panels outer (the whole of B is re-read per A panel). The inner operand is the one read many times,
// so the caller picks the order whose inner operand is smaller (see WasmGemm.block).
function blockBody(bOuter: boolean, fma: boolean): Code {
  const c = new Code();
  const [outer, outerLimit, inner, innerLimit] = bOuter ? [L_PJ, P_NP, L_PI, P_MP] : [L_PI, P_MP, L_PJ, P_NP];
  c.forUp(outer, outerLimit, () => {
    c.forUp(inner, innerLimit, () => {
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
            for (let h = 0; h < 2; h++) {
              const acc = V_ACC + 2 * r + h;
              if (fma)
                c.get(V_A)
                  .get(V_B0 + h)
                  .get(acc)
                  .emit(op.f32x4RelaxedMadd)
                  .set(acc);
              else
                c.get(acc)
                  .get(V_A)
                  .get(V_B0 + h)
                  .emit(op.f32x4Mul, op.f32x4Add)
                  .set(acc);
            }
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

type Block = (
  kc: number,
  mPanels: number,
  nPanels: number,
  aBase: number,
  bBase: number,
  cBase: number,
  ldcBytes: number,
  accumulate: number,
) => void;

/** The instantiated kernel and the heap it works in. */
export interface WasmGemm {
  /**
   * Runs the macro-kernel over mPanels x nPanels tiles (offsets in bytes): C tile (pi, pj) at
   * cBase + pi * 4 * ldc + pj * 32 gets A panel pi times B panel pj added (accumulate = 1) or stored.
   * The tile order keeps the smaller operand as the one re-read (with few B panels and many A panels,
   * as in late, small-image convs, A panels go outer and B stays in L1).
   */
  block: Block;
  readonly heap: WasmHeap;
  /** True when the kernel multiplies and adds with relaxed SIMD's f32x4.relaxed_madd (one FMA on x64). */
  readonly fma: boolean;
}

// Both tile orders of one arithmetic flavour, or null when the engine rejects it (relaxed SIMD is
// behind a flag before V8 11.4 / Node 22: see enableWasmRelaxedSimd in wasm-features.ts).
function build(heap: WasmHeap, fma: boolean): Block | null {
  const spec = (name: string, bOuter: boolean): FunctionSpec => ({
    name,
    params: new Array<number>(8).fill(I32),
    locals: [...new Array<number>(6).fill(I32), ...new Array<number>(11).fill(V128)],
    code: blockBody(bOuter, fma),
  });
  const exports = heap.instantiate([spec('bOuter', true), spec('aOuter', false)]);
  if (!exports) return null;
  const bOuter = exports.bOuter as Block;
  const aOuter = exports.aOuter as Block;
  // B panels are twice as wide as A panels: A is the smaller inner operand unless mPanels > 2 nPanels.
  return (kc, mPanels, nPanels, aBase, bBase, cBase, ldcBytes, accumulate) =>
    (mPanels > 2 * nPanels ? aOuter : bOuter)(
      kc,
      mPanels,
      nPanels,
      aBase,
      bBase,
      cBase,
      ldcBytes,
      accumulate,
    );
}

let cached: { heap: WasmHeap; plain: Block; fused?: Block | null; kernel: WasmGemm } | null | undefined;

/**
 * The WASM SIMD kernel, or null where WebAssembly SIMD is unavailable (set TSFREEZE_NO_WASM=1 to disable).
 * It uses fused multiply-add when the engine has relaxed SIMD, unless TSFREEZE_NO_FMA=1 is set.
 */
export function wasmGemm(): WasmGemm | null {
  if (cached === undefined) {
    cached = null;
    const heap = wasmHeap();
    const plain = heap && build(heap, false);
    if (heap && plain) {
      cached = { heap, plain, kernel: { block: plain, heap, fma: false } };
      useFusedMultiplyAdd(!process.env.TSFREEZE_NO_FMA);
    }
  }
  return cached?.kernel ?? null;
}

/**
 * Switches the GEMM kernel between relaxed-SIMD multiply-add (`on`, when the engine validates it) and
 * separate multiply and add; returns whether the fused kernel is in use afterwards. FMA rounds once per
 * multiply-add, so results may differ from the separate kernel in the last bits (both stay within a few
 * ulps of the exact sum per product; the tests check both against float64 references).
 */
export function useFusedMultiplyAdd(on: boolean): boolean {
  if (wasmGemm() === null || !cached) return false;
  if (on && !cached.fused) cached.fused = build(cached.heap, true);
  const fused = on ? cached.fused : null;
  cached.kernel = { block: fused ?? cached.plain, heap: cached.heap, fma: !!fused };
  return !!fused;
}
