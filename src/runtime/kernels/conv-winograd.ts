// 3x3 stride-1 convolutions by Winograd's F(2x2, 3x3): each 4x4 input tile d and 3x3 filter g meet as
// 16 products in the transformed domain, Y = A^T [(G g G^T) * (B^T d B)] A, so one 2x2 output tile takes
// 16 multiplies per channel pair instead of 36 (2.25x fewer). The 16 element-wise products over all
// channels are 16 GEMMs, U[xi] (O x C) @ V[xi] (C x tiles), run on the WASM macro-kernel: the input
// transform writes V straight into its packed panels in the heap, the transformed filters U are packed
// once (cached for constant weights, conv-weights.ts), and the output transform reads the 16 result
// blocks, adds the bias and leaves through the conv epilogue. F(2,3)'s transforms only add, subtract and
// halve, so results stay within a few float32 ulps of the direct sum.

import { finishRows } from './conv-epilogue.js';
import type { ConvEpilogue } from './conv.js';
import { padImage } from './conv-pack-wasm.js';
import { epilogueToOutput } from './epilogue-wasm.js';
import { weightsInHeap } from './conv-weights.js';
import type { Tensor } from '../../tensor/tensor.js';
import { WASM_MR, WASM_NR, wasmGemm } from './gemm-wasm.js';
import { winogradKernels } from './winograd-wasm.js';

const KC = 256;
const XI = 16;

/** One 3x3 stride-1 conv on one image (one group): sizes and padding. */
export interface WinogradGeometry {
  readonly C: number;
  readonly O: number;
  readonly H: number;
  readonly W: number;
  readonly ph: number;
  readonly pw: number;
  readonly OH: number;
  readonly OW: number;
}

/** True when F(2,3) pays off (enough channels that the transforms are a small part of the work) and runs. */
export function winogradWorthIt(C: number, O: number): boolean {
  return C >= 16 && O >= 16 && winogradKernels() !== null;
}

// U = G g G^T for each (o, c), packed per xi as the GEMM's A operand ([pc block][4-row panel][k][4]).
function transformWeights(
  w: ArrayLike<number>,
  wOff: number,
  O: number,
  C: number,
  mem: Float32Array,
  base: number,
): void {
  const mPad = Math.ceil(O / WASM_MR) * WASM_MR;
  const perXi = mPad * C;
  const u = new Float64Array(16);
  for (let o = 0; o < mPad; o++) {
    const panel = o >> 2;
    const lane = o & 3;
    for (let c = 0; c < C; c++) {
      const pc = c - (c % KC);
      const kc = Math.min(KC, C - pc);
      const at = base + pc * mPad + panel * kc * WASM_MR + (c - pc) * WASM_MR + lane;
      if (o >= O) {
        for (let xi = 0; xi < XI; xi++) mem[at + xi * perXi] = 0;
        continue;
      }
      const g = wOff + (o * C + c) * 9;
      // t = G g (4x3), then u = t G^T (4x4).
      for (let j = 0; j < 3; j++) {
        const g0 = w[g + j];
        const g1 = w[g + 3 + j];
        const g2 = w[g + 6 + j];
        u[j] = g0;
        u[4 + j] = 0.5 * (g0 + g1 + g2);
        u[8 + j] = 0.5 * (g0 - g1 + g2);
        u[12 + j] = g2;
      }
      for (let i = 0; i < 4; i++) {
        const t0 = u[4 * i];
        const t1 = u[4 * i + 1];
        const t2 = u[4 * i + 2];
        mem[at + 4 * i * perXi] = t0;
        mem[at + (4 * i + 1) * perXi] = 0.5 * (t0 + t1 + t2);
        mem[at + (4 * i + 2) * perXi] = 0.5 * (t0 - t1 + t2);
        mem[at + (4 * i + 3) * perXi] = t2;
      }
    }
  }
}

/**
 * out[outOff + (o * OH + oh) * OW + ow] = epilogue(bias[o] + 3x3 conv of the image at xOff), stride 1,
 * dilation 1, for one image and group. `weight` holds the [O, C, 3, 3] weights at wOff; with `constant`
 * their transform is cached (keyed by `weight`).
 */
export function winogradConv(
  g: WinogradGeometry,
  x: Float32Array,
  xOff: number,
  weight: Tensor,
  wOff: number,
  constant: boolean,
  out: Float32Array,
  outOff: number,
  bias: ArrayLike<number> | null,
  biasOff: number,
  ep: ConvEpilogue | undefined,
  resOff: number,
): void {
  const k = wasmGemm()!;
  const t = winogradKernels()!;
  const heap = k.heap;
  const { C, O, H, W, ph, pw, OH, OW } = g;
  const mPad = Math.ceil(O / WASM_MR) * WASM_MR;
  const wd = weight.storage.data as Float32Array;
  const lease = weightsInHeap(
    heap,
    weight,
    `winograd2/${wOff - weight.offset}/${O}`,
    XI * mPad * C,
    (mem, base) => transformWeights(wd, wOff, O, C, mem, base),
    constant,
  );
  // Tiles: TH rows of G groups of 4 (the GEMM sees 4G tiles per row; the ones past the image are dropped).
  const TH = Math.ceil(OH / 2);
  const G = Math.ceil(Math.ceil(OW / 2) / 4);
  const tPad = Math.ceil((TH * 4 * G) / WASM_NR) * WASM_NR;
  // The zero-padded input planes the input transform reads (rows and columns every tile can reach).
  const Hp = 2 * TH + 2;
  const Wp = 8 * G + 2;
  const xFloats = C * Hp * Wp + 8;
  const vFloats = XI * C * tPad;
  const mStride = mPad * tPad;
  const oRow = 8 * G;
  const stage = C * H * W;
  const oPlane = 2 * TH * oRow;
  const base = heap.scratch((xFloats + vFloats + XI * mStride + O * oPlane + stage) * 4) / 4;
  const vBase = base + xFloats;
  const mBase = vBase + vFloats;
  const oBase = mBase + XI * mStride;
  padImage(heap, x, xOff, C, H, W, base, Hp, Wp, ph, pw, oBase + O * oPlane);
  for (let c = 0; c < C; c++) {
    const pc = c - (c % KC);
    const kc = Math.min(KC, C - pc);
    const v = vBase + pc * tPad + (c - pc) * WASM_NR;
    t.input((base + c * Hp * Wp) * 4, Wp * 4, TH, G, v * 4, 0, C * tPad * 4, kc * WASM_NR * 4);
  }
  const uBase = lease.offset / 4;
  for (let xi = 0; xi < XI; xi++) {
    for (let pc = 0; pc < C; pc += KC) {
      k.block(
        Math.min(KC, C - pc),
        mPad / WASM_MR,
        tPad / WASM_NR,
        (uBase + xi * mPad * C + pc * mPad) * 4,
        (vBase + xi * C * tPad + pc * tPad) * 4,
        (mBase + xi * mStride) * 4,
        tPad * 4,
        pc === 0 ? 0 : 1,
      );
    }
  }
  for (let o = 0; o < O; o++)
    t.output((mBase + o * tPad) * 4, mStride * 4, TH, G, (oBase + o * oPlane) * 4, oRow * 4, 0);
  const block = { at: oBase, planeStride: oPlane, rowStride: oRow, planes: O, rows: OH, n: OW };
  const region = { out, offset: outOff, planeStride: OH * OW, residualOffset: resOff };
  if (!epilogueToOutput(block, region, bias, biasOff, ep, oBase + O * oPlane)) {
    const m = heap.floats();
    for (let o = 0; o < O; o++) {
      const b = bias === null ? 0 : bias[biasOff + o];
      finishRows(
        out,
        outOff + o * OH * OW,
        OW,
        m,
        oBase + o * oPlane,
        oRow,
        OH,
        OW,
        b,
        ep,
        resOff + o * OH * OW,
      );
    }
  }
  lease.done();
}
