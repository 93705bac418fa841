// Blocked, cache-aware matrix multiply C = alpha * A @ B + beta * C on float typed arrays with arbitrary
// row/column strides. Panels of A (4 rows) and B (4 columns) are packed into reusable Float64Array
// scratch (K-blocks of 256 so a B panel stays in L1, M-blocks of 64 so the A block stays in L2), and a
// 4x4 register-blocked micro-kernel accumulates 16 outputs in locals. Thin products use dot/axpy loops.

import type { NumArray } from './ew-core.js';
import { WASM_MR, WASM_NR, wasmGemm } from './gemm-wasm.js';
import { gemvKernel } from './gemv-wasm.js';

/** A strided matrix operand: element (i, j) is data[offset + i * rowStride + j * colStride]. */
export interface MatRef {
  readonly data: NumArray;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

const KC = 256;
const MC = 64;
const NC = 2048;
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

/** C[M,N] = alpha * A[M,K] @ B[K,N] + beta * C. C's columns must be contiguous (colStride 1). */
export function gemm(
  M: number,
  N: number,
  K: number,
  A: MatRef,
  B: MatRef,
  C: { readonly data: NumArray; readonly offset: number; readonly rowStride: number },
  alpha = 1,
  beta = 0,
): void {
  scaleC(M, N, C, beta);
  if (M === 0 || N === 0 || K === 0 || alpha === 0) return;
  if (M < 4 || N < 4) {
    thin(M, N, K, A, B, C, alpha);
    return;
  }
  if (C.data instanceof Float32Array && N >= WASM_NR && wasmGemm() !== null) {
    gemmWasm(M, N, K, A, B, C, alpha);
    return;
  }
  if (packA.length < MC * KC) packA = new Float64Array(MC * KC);
  if (packB.length < KC * NC) packB = new Float64Array(KC * NC);
  const Ap = packA;
  const Bp = packB;
  const ldc = C.rowStride;
  const Cd = C.data;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const nPanels = Math.ceil(nc / 4);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanelsB(B, pc, kc, jc, nc, Bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        const mPanels = Math.ceil(mc / 4);
        packPanelsA(A, ic, mc, pc, kc, Ap, 0, alpha);
        for (let pj = 0; pj < nPanels; pj++) {
          const j0 = jc + pj * 4;
          const nr = Math.min(4, N - j0);
          for (let pi = 0; pi < mPanels; pi++) {
            const i0 = ic + pi * 4;
            const mr = Math.min(4, M - i0);
            micro(kc, Ap, pi * kc * 4, Bp, pj * kc * 4, Cd, C.offset + i0 * ldc + j0, ldc, mr, nr);
          }
        }
      }
    }
  }
}

const W_KC = 256;
const W_MC = 64;
const W_NC = 1024;

// The float32 path: the same blocking, with packing into WASM memory and the SIMD macro-kernel
// accumulating a C block for all M rows of the current column block; the block is then added to C.
function gemmWasm(
  M: number,
  N: number,
  K: number,
  A: MatRef,
  B: MatRef,
  C: { readonly data: NumArray; readonly offset: number; readonly rowStride: number },
  alpha: number,
): void {
  const w = wasmGemm();
  if (w === null) return;
  const mPad = Math.ceil(M / WASM_MR) * WASM_MR;
  // Keep the C block within 16M floats even for very tall products.
  const ncMax = Math.max(WASM_NR, Math.min(W_NC, Math.floor((1 << 24) / mPad / WASM_NR) * WASM_NR));
  const aFloats = W_MC * W_KC;
  const bFloats = W_KC * ncMax;
  const cFloats = mPad * ncMax;
  const base = w.heap.scratch((aFloats + bFloats + cFloats) * 4) / 4;
  const mem = w.heap.floats();
  const aBase = base;
  const bBase = base + aFloats;
  const cBase = base + aFloats + bFloats;
  const Cd = C.data;
  for (let jc = 0; jc < N; jc += ncMax) {
    const nc = Math.min(ncMax, N - jc);
    const nPanels = Math.ceil(nc / WASM_NR);
    const ldc = nPanels * WASM_NR;
    for (let pc = 0; pc < K; pc += W_KC) {
      const kc = Math.min(W_KC, K - pc);
      packB8(B, pc, kc, jc, nc, mem, bBase);
      for (let ic = 0; ic < M; ic += W_MC) {
        const mc = Math.min(W_MC, M - ic);
        packPanelsA(A, ic, mc, pc, kc, mem, aBase, alpha);
        const first = pc === 0 ? 0 : 1;
        w.block(
          kc,
          Math.ceil(mc / WASM_MR),
          nPanels,
          aBase * 4,
          bBase * 4,
          (cBase + ic * ldc) * 4,
          ldc * 4,
          first,
        );
      }
    }
    for (let i = 0; i < M; i++) {
      const src = cBase + i * ldc;
      const dst = C.offset + i * C.rowStride + jc;
      for (let j = 0; j < nc; j++) Cd[dst + j] += mem[src + j];
    }
  }
}

// B[pc:pc+kc, jc:jc+nc] as panels of 8 columns, k-major, zero-padded (float32, in WASM memory).
function packB8(
  B: MatRef,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  out: Float32Array,
  base: number,
): void {
  const { data, offset, rowStride: rs, colStride: cs } = B;
  const panels = Math.ceil(nc / WASM_NR);
  for (let p = 0; p < panels; p++) {
    const j0 = jc + p * WASM_NR;
    const width = Math.min(WASM_NR, jc + nc - j0);
    let dst = base + p * kc * WASM_NR;
    let src = offset + pc * rs + j0 * cs;
    if (width === WASM_NR && cs === 1) {
      for (let k = 0; k < kc; k++, dst += 8, src += rs) {
        out[dst] = data[src];
        out[dst + 1] = data[src + 1];
        out[dst + 2] = data[src + 2];
        out[dst + 3] = data[src + 3];
        out[dst + 4] = data[src + 4];
        out[dst + 5] = data[src + 5];
        out[dst + 6] = data[src + 6];
        out[dst + 7] = data[src + 7];
      }
    } else {
      for (let k = 0; k < kc; k++, dst += 8, src += rs) {
        for (let j = 0; j < 8; j++) out[dst + j] = j < width ? data[src + j * cs] : 0;
      }
    }
  }
}

function scaleC(
  M: number,
  N: number,
  C: { data: NumArray; offset: number; rowStride: number },
  beta: number,
): void {
  if (beta === 1) return;
  const d = C.data;
  for (let i = 0; i < M; i++) {
    const o = C.offset + i * C.rowStride;
    if (beta === 0) for (let j = 0; j < N; j++) d[o + j] = 0;
    else for (let j = 0; j < N; j++) d[o + j] *= beta;
  }
}

// B[pc:pc+kc, jc:jc+nc] as panels of 4 columns, k-major; columns past the edge are zero.
function packPanelsB(B: MatRef, pc: number, kc: number, jc: number, nc: number, Bp: Float64Array): void {
  const { data, offset, rowStride: rs, colStride: cs } = B;
  const panels = Math.ceil(nc / 4);
  for (let p = 0; p < panels; p++) {
    const j0 = jc + p * 4;
    const width = Math.min(4, jc + nc - j0);
    let dst = p * kc * 4;
    let src = offset + pc * rs + j0 * cs;
    if (width === 4) {
      const c1 = cs;
      const c2 = 2 * cs;
      const c3 = 3 * cs;
      for (let k = 0; k < kc; k++, dst += 4, src += rs) {
        Bp[dst] = data[src];
        Bp[dst + 1] = data[src + c1];
        Bp[dst + 2] = data[src + c2];
        Bp[dst + 3] = data[src + c3];
      }
    } else {
      for (let k = 0; k < kc; k++, dst += 4, src += rs) {
        for (let j = 0; j < 4; j++) Bp[dst + j] = j < width ? data[src + j * cs] : 0;
      }
    }
  }
}

// alpha * A[ic:ic+mc, pc:pc+kc] as panels of 4 rows (WASM_MR, the JS micro-kernel's rows too), k-major,
// rows past the edge zero, into out[base...]: Float64Array scratch for the JS path, WASM memory for float32.
function packPanelsA(
  A: MatRef,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  out: Float32Array | Float64Array,
  base: number,
  alpha: number,
): void {
  const { data, offset, rowStride: rs, colStride: cs } = A;
  const panels = Math.ceil(mc / 4);
  for (let p = 0; p < panels; p++) {
    const i0 = ic + p * 4;
    for (let i = 0; i < 4; i++) {
      let dst = base + p * kc * 4 + i;
      if (i0 + i < ic + mc) {
        let src = offset + (i0 + i) * rs + pc * cs;
        if (alpha === 1) for (let k = 0; k < kc; k++, dst += 4, src += cs) out[dst] = data[src];
        else for (let k = 0; k < kc; k++, dst += 4, src += cs) out[dst] = alpha * data[src];
      } else {
        for (let k = 0; k < kc; k++, dst += 4) out[dst] = 0;
      }
    }
  }
}

// The 4x4 micro-kernel: 16 accumulators in locals, one pass over the packed k-block.
function micro(
  kc: number,
  Ap: Float64Array,
  ab: number,
  Bp: Float64Array,
  bb: number,
  C: NumArray,
  o: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  let ai = ab;
  let bi = bb;
  for (let k = 0; k < kc; k++, ai += 4, bi += 4) {
    const a0 = Ap[ai];
    const a1 = Ap[ai + 1];
    const a2 = Ap[ai + 2];
    const a3 = Ap[ai + 3];
    let b = Bp[bi];
    c00 += a0 * b;
    c10 += a1 * b;
    c20 += a2 * b;
    c30 += a3 * b;
    b = Bp[bi + 1];
    c01 += a0 * b;
    c11 += a1 * b;
    c21 += a2 * b;
    c31 += a3 * b;
    b = Bp[bi + 2];
    c02 += a0 * b;
    c12 += a1 * b;
    c22 += a2 * b;
    c32 += a3 * b;
    b = Bp[bi + 3];
    c03 += a0 * b;
    c13 += a1 * b;
    c23 += a2 * b;
    c33 += a3 * b;
  }
  if (mr === 4 && nr === 4) {
    C[o] += c00;
    C[o + 1] += c01;
    C[o + 2] += c02;
    C[o + 3] += c03;
    o += ldc;
    C[o] += c10;
    C[o + 1] += c11;
    C[o + 2] += c12;
    C[o + 3] += c13;
    o += ldc;
    C[o] += c20;
    C[o + 1] += c21;
    C[o + 2] += c22;
    C[o + 3] += c23;
    o += ldc;
    C[o] += c30;
    C[o + 1] += c31;
    C[o + 2] += c32;
    C[o + 3] += c33;
    return;
  }
  const acc = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) C[o + i * ldc + j] += acc[i * 4 + j];
}

// Few rows or few columns: the packed kernel would waste most of its work. Pick the loop order that
// walks memory contiguously: dot products when A's rows and B's columns are contiguous (x @ W^T),
// else row updates (axpy) along B's rows.
function thin(
  M: number,
  N: number,
  K: number,
  A: MatRef,
  B: MatRef,
  C: { data: NumArray; offset: number; rowStride: number },
  alpha: number,
): void {
  const a = A.data;
  const b = B.data;
  const c = C.data;
  if (B.colStride === 1 && N >= 4) {
    for (let i = 0; i < M; i++) {
      const co = C.offset + i * C.rowStride;
      for (let k = 0; k < K; k++) {
        const av = alpha * a[A.offset + i * A.rowStride + k * A.colStride];
        const bo = B.offset + k * B.rowStride;
        for (let j = 0; j < N; j++) c[co + j] += av * b[bo + j];
      }
    }
    return;
  }
  if (thinWasm(M, N, K, A, B, C, alpha)) return;
  for (let i = 0; i < M; i++) {
    const ao = A.offset + i * A.rowStride;
    const co = C.offset + i * C.rowStride;
    const as = A.colStride;
    const bs = B.rowStride;
    for (let j = 0; j < N; j++) {
      // Four partial sums: the adds no longer wait on each other (x @ W^T of a linear layer lands here).
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let ak = ao;
      let bk = B.offset + j * B.colStride;
      let k = 0;
      for (; k + 4 <= K; k += 4, ak += 4 * as, bk += 4 * bs) {
        s0 += a[ak] * b[bk];
        s1 += a[ak + as] * b[bk + bs];
        s2 += a[ak + 2 * as] * b[bk + 2 * bs];
        s3 += a[ak + 3 * as] * b[bk + 3 * bs];
      }
      for (; k < K; k++, ak += as, bk += bs) s0 += a[ak] * b[bk];
      c[co + j] += alpha * (s0 + s1 + (s2 + s3));
    }
  }
}

// float32 x @ W^T with W's rows contiguous (a linear layer on a few rows): W copied into the heap, one
// SIMD matrix-vector product per row of A.
function thinWasm(
  M: number,
  N: number,
  K: number,
  A: MatRef,
  B: MatRef,
  C: { data: NumArray; offset: number; rowStride: number },
  alpha: number,
): boolean {
  const kernel = gemvKernel();
  const heap = wasmGemm()?.heap;
  if (kernel === null || heap === undefined || K % 4 !== 0 || B.rowStride !== 1 || A.colStride !== 1)
    return false;
  const a = A.data;
  const b = B.data;
  const c = C.data;
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) return false;
  const base = heap.scratch((N * K + K + N) * 4) / 4;
  const mem = heap.floats();
  if (B.colStride === K) mem.set(b.subarray(B.offset, B.offset + N * K), base);
  else
    for (let n = 0; n < N; n++)
      mem.set(b.subarray(B.offset + n * B.colStride, B.offset + n * B.colStride + K), base + n * K);
  const x = base + N * K;
  const y = x + K;
  for (let i = 0; i < M; i++) {
    mem.set(a.subarray(A.offset + i * A.rowStride, A.offset + i * A.rowStride + K), x);
    kernel(base * 4, x * 4, y * 4, N, K, K * 4);
    const co = C.offset + i * C.rowStride;
    for (let j = 0; j < N; j++) c[co + j] += alpha * mem[y + j];
  }
  return true;
}
