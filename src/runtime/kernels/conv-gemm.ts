// float32 convolution as a GEMM on the WebAssembly SIMD macro-kernel, without an im2col buffer:
// out[O, L] = W[O, K] @ cols[K, L] where the column panels (8 output pixels, k-major) are gathered from
// the image straight into WASM memory, block by block. Weights are packed once into the kernel's 4-row
// panel layout (cached for constant weights, see packWeights), and the accumulated C block leaves WASM
// memory through the conv epilogue (bias, fused residual and activation) into the output tensor.

import { finishRows } from './conv-epilogue.js';
import { epilogueToOutput } from './epilogue-wasm.js';
import type { ConvEpilogue, ConvWindow2d } from './conv.js';
import { columnPackers, padImage } from './conv-pack-wasm.js';
import { WASM_MR, WASM_NR, wasmGemm } from './gemm-wasm.js';

const KC = 256;
const NC = 1024;

/** Floats a [M, K] weight matrix takes packed for the macro-kernel (rows rounded up to whole panels). */
export function packedSize(M: number, K: number): number {
  return Math.ceil(M / WASM_MR) * WASM_MR * K;
}

/**
 * Packs a row-major [M, K] weight matrix (at `offset` of `w`) into `mem` at float `base`: per K-block of
 * KC, panels of 4 rows, k-major; the rows padding the last panel are zero.
 */
export function packWeights(
  w: ArrayLike<number>,
  offset: number,
  M: number,
  K: number,
  mem: Float32Array,
  base: number,
): void {
  const mPad = Math.ceil(M / WASM_MR) * WASM_MR;
  let dst = base;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = Math.min(KC, K - pc);
    for (let i0 = 0; i0 < mPad; i0 += WASM_MR) {
      for (let i = 0; i < WASM_MR; i++) {
        let d = dst + i;
        if (i0 + i >= M) {
          for (let k = 0; k < kc; k++, d += WASM_MR) mem[d] = 0;
          continue;
        }
        let src = offset + (i0 + i) * K + pc;
        for (let k = 0; k < kc; k++, d += WASM_MR) mem[d] = w[src++];
      }
      dst += kc * WASM_MR;
    }
  }
}

/** Where the columns come from: a 2-d image (channels [C, H, W] at `offset`) seen through conv taps. */
export interface ImageColumns extends ConvWindow2d {
  readonly x: Float32Array;
  readonly offset: number;
  /** 1x1, stride 1, no padding: row k of the columns is channel plane k itself. */
  readonly pointwise: boolean;
}

// Gathers columns [jc, jc+nc) of rows [pc, pc+kc) into panels of 8 at `base` (floats) of `mem`.
function packColumns(
  src: ImageColumns,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  mem: Float32Array,
  base: number,
): void {
  const { x, H, W, KH, KW, sh, sw, ph, pw, dh, dw, OW } = src;
  const kc8 = kc * WASM_NR;
  const end = jc + nc;
  const plane = H * W;
  for (let k = pc; k < pc + kc; k++) {
    const kOff = base + (k - pc) * WASM_NR;
    if (src.pointwise) {
      // Contiguous rows: whole panels of 8 straight copies, a zero-padded tail.
      const row = src.offset + k * plane;
      let j = jc;
      let d = kOff;
      for (; j + WASM_NR <= end; j += WASM_NR, d += kc8) {
        const s = row + j;
        mem[d] = x[s];
        mem[d + 1] = x[s + 1];
        mem[d + 2] = x[s + 2];
        mem[d + 3] = x[s + 3];
        mem[d + 4] = x[s + 4];
        mem[d + 5] = x[s + 5];
        mem[d + 6] = x[s + 6];
        mem[d + 7] = x[s + 7];
      }
      for (let t = 0; t < WASM_NR; t++) if (j < end) mem[d + t] = t < end - j ? x[row + j + t] : 0;
      continue;
    }
    const kw = k % KW;
    const kh = ((k - kw) / KW) % KH;
    const c = (k - kw - kh * KW) / (KW * KH);
    const iw0 = kw * dw - pw;
    const ih0 = kh * dh - ph;
    // Output columns whose input column lands inside [0, W).
    const owLo = Math.min(OW, Math.max(0, Math.ceil(-iw0 / sw)));
    const owHi = Math.max(owLo, Math.min(OW, Math.floor((W - 1 - iw0) / sw) + 1));
    const cOff = src.offset + c * plane;
    let oh = Math.floor(jc / OW);
    let ow = jc - oh * OW;
    let jj = 0; // column index within the block
    for (let j = jc; j < end; oh++, ow = 0) {
      const run = Math.min(OW - ow, end - j);
      const ih = oh * sh + ih0;
      const inside = ih >= 0 && ih < H;
      const rowBase = cOff + ih * W + iw0;
      for (let t = 0; t < run; t++, jj++) {
        const o = ow + t;
        mem[kOff + (jj >> 3) * kc8 + (jj & 7)] = inside && o >= owLo && o < owHi ? x[rowBase + o * sw] : 0;
      }
      j += run;
    }
    // Zero the lanes past the last column of the last panel.
    for (; (jj & 7) !== 0; jj++) mem[kOff + (jj >> 3) * kc8 + (jj & 7)] = 0;
  }
}

/** Where a conv's result goes: M output channels of L pixels each, and the epilogue to apply. */
export interface ConvTarget {
  readonly out: Float32Array;
  readonly offset: number;
  readonly bias: ArrayLike<number> | null;
  readonly biasOffset: number;
  readonly epilogue: ConvEpilogue | undefined;
  readonly residualOffset: number;
}

/**
 * out[offset + o * L + j] = epilogue(sum_k W[o, k] * cols[k, j] + bias[o]) for o < M, j < L = OH * OW,
 * with W packed at byte `aOffset` of the heap (packWeights). Strides 1 and 2 (and 1x1 convs) gather
 * their columns in WASM from a padded copy of the image; other strides gather in JS.
 */
export function convGemm(
  M: number,
  K: number,
  aOffset: number,
  cols: ImageColumns,
  target: ConvTarget,
): void {
  const packers = columnPackers();
  if (packers !== null && (cols.pointwise || cols.sw === 1 || cols.sw === 2))
    convGemmPadded(M, K, aOffset, cols, target);
  else convGemmGathered(M, K, aOffset, cols, target);
}

// Columns gathered in JS (any stride), output pixels in order.
function convGemmGathered(
  M: number,
  K: number,
  aOffset: number,
  cols: ImageColumns,
  target: ConvTarget,
): void {
  const w = wasmGemm()!;
  const mPad = Math.ceil(M / WASM_MR) * WASM_MR;
  const L = cols.OH * cols.OW;
  const base = w.heap.scratch((KC * NC + mPad * NC) * 4) / 4;
  const bBase = base;
  const cBase = base + KC * NC;
  for (let jc = 0; jc < L; jc += NC) {
    const nc = Math.min(NC, L - jc);
    const nPanels = Math.ceil(nc / WASM_NR);
    const ldc = nPanels * WASM_NR;
    let aBlock = aOffset / 4;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      // A fresh view each block: the previous block's drain may have grown the heap (epilogue scratch).
      packColumns(cols, pc, kc, jc, nc, w.heap.floats(), bBase);
      w.block(kc, mPad / WASM_MR, nPanels, aBlock * 4, bBase * 4, cBase * 4, ldc * 4, pc === 0 ? 0 : 1);
      aBlock += mPad * kc;
    }
    drain(w.heap.floats(), cBase, ldc, jc, nc, M, L, L, L, target);
  }
}

// Columns packed in WASM from a zero-padded copy of the image in the heap; output rows are padded to
// whole panels (rowPixels = OW rounded up to 8), the padding columns are computed and dropped.
function convGemmPadded(M: number, K: number, aOffset: number, cols: ImageColumns, target: ConvTarget): void {
  const w = wasmGemm()!;
  const heap = w.heap;
  const { pack1, pack2 } = columnPackers()!;
  // A 1x1 stride-1 conv is a GEMM over the flat image: one row of H * W pixels.
  const flat = cols.pointwise;
  const H = flat ? 1 : cols.H;
  const W = flat ? cols.H * cols.W : cols.W;
  const OH = flat ? 1 : cols.OH;
  const OW = flat ? cols.OH * cols.OW : cols.OW;
  const { KH, KW, dh, dw } = cols;
  const sh = flat ? 1 : cols.sh;
  const sw = flat ? 1 : cols.sw;
  const ph = flat ? 0 : cols.ph;
  const pw = flat ? 0 : cols.pw;
  const C = K / (KH * KW);
  const rowPixels = Math.ceil(OW / WASM_NR) * WASM_NR;
  const Hp = (OH - 1) * sh + (KH - 1) * dh + 1;
  const Wp = rowPixels * sw + (KW - 1) * dw + WASM_NR;
  const plane = Hp * Wp;
  const mPad = Math.ceil(M / WASM_MR) * WASM_MR;
  const xFloats = C * plane + 2 * WASM_NR;
  const stage = C * H * W;
  const base = heap.scratch((xFloats + K + KC * NC + mPad * NC + stage) * 4) / 4;
  const ints = heap.ints();
  const kBase = base + xFloats;
  const bBase = kBase + K;
  const cBase = bBase + KC * NC;
  padImage(heap, cols.x, cols.offset, C, H, W, base, Hp, Wp, ph, pw, cBase + mPad * NC);
  for (let k = 0; k < K; k++) {
    const kw = k % KW;
    const kh = ((k - kw) / KW) % KH;
    const c = (k - kw - kh * KW) / (KW * KH);
    ints[kBase + k] = (c * plane + kh * dh * Wp + kw * dw) * 4;
  }
  const pack = sw === 1 ? pack1 : pack2;
  const Lp = OH * rowPixels;
  // Blocks of whole output rows when a row fits in one (so the drain moves rows, not pieces).
  const block = rowPixels <= NC ? Math.floor(NC / rowPixels) * rowPixels : NC;
  for (let jc = 0; jc < Lp; jc += block) {
    const nc = Math.min(block, Lp - jc);
    const nPanels = nc / WASM_NR;
    let aBlock = aOffset / 4;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      pack(base * 4, (kBase + pc) * 4, kc, nPanels, jc, rowPixels, sh * Wp * 4, sw * 4, bBase * 4);
      w.block(kc, mPad / WASM_MR, nPanels, aBlock * 4, bBase * 4, cBase * 4, nc * 4, pc === 0 ? 0 : 1);
      aBlock += mPad * kc;
    }
    drain(heap.floats(), cBase, nc, jc, nc, M, OW, rowPixels, OH * OW, target);
  }
}

// Moves block columns [jc, jc + nc) of the C block (rows of ldc floats) to the output: column j is pixel
// j % rowPixels of output row j / rowPixels, kept when that is below OW. A block either holds whole
// output rows or lies within one.
function drain(
  mem: Float32Array,
  cBase: number,
  ldc: number,
  jc: number,
  nc: number,
  M: number,
  OW: number,
  rowPixels: number,
  L: number,
  t: ConvTarget,
): void {
  const oh = Math.floor(jc / rowPixels);
  const wholeRows = jc % rowPixels === 0 && nc % rowPixels === 0;
  const rows = wholeRows ? nc / rowPixels : 1;
  const ow = wholeRows ? 0 : jc - oh * rowPixels;
  const n = wholeRows ? OW : Math.min(nc, OW - ow);
  if (n <= 0) return;
  const at0 = oh * OW + ow;
  const block = {
    at: cBase + (wholeRows ? 0 : 0),
    planeStride: ldc,
    rowStride: rowPixels,
    planes: M,
    rows,
    n,
  };
  const region = {
    out: t.out,
    offset: t.offset + at0,
    planeStride: L,
    residualOffset: t.residualOffset + at0,
  };
  if (epilogueToOutput(block, region, t.bias, t.biasOffset, t.epilogue, cBase + M * ldc)) return;
  for (let o = 0; o < M; o++) {
    const b = t.bias === null ? 0 : t.bias[t.biasOffset + o];
    const at = o * L + oh * OW + ow;
    finishRows(
      t.out,
      t.offset + at,
      OW,
      mem,
      cBase + o * ldc,
      rowPixels,
      rows,
      n,
      b,
      t.epilogue,
      t.residualOffset + at,
    );
  }
}
