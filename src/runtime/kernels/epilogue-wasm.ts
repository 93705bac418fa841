// The conv epilogue in WebAssembly SIMD: from a result block in the heap (planes of rows with any row
// stride) to a dense staging copy in the output's layout, adding the bias, alpha * residual and a
// piecewise-linear activation (relu, clamp for relu6/hardtanh, hardswish, hardsigmoid) with float32
// arithmetic as PyTorch's separate ops round it. The caller moves the staging copy out with one memcpy.
// Rows are processed four floats at a time; a row's last vector may spill up to three floats into the
// next row, which that row then overwrites (the staging area has three floats of slack at the end).

import type { Activation, ConvEpilogue } from './conv.js';
import { Code, F32, I32, V128, op } from './wasm-asm.js';
import { wasmHeap } from './wasm-heap.js';

/** Activation codes of the WASM epilogue. */
export const EPI_ACT = { none: 0, relu: 1, clamp: 2, hardswish: 3, hardsigmoid: 4 } as const;

const F32X4_DIV = [0xfd, 0xe7, 0x01];

function epilogue(): Code {
  const [SRC, SPLANE, SROW, DST, DPLANE, RES, RPLANE, PLANES, ROWS, N, BIAS, FLAGS, ALPHA, ACT, LO, HI] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  ];
  const [P, Y, I, S, D, R] = [16, 17, 18, 19, 20, 21];
  const [V, B, AV, LOV, HIV, ZERO, THREE, SIX, T] = [22, 23, 24, 25, 26, 27, 28, 29, 30];
  const c = new Code();
  c.get(ALPHA).emit(op.f32x4Splat).set(AV);
  c.get(LO).emit(op.f32x4Splat).set(LOV);
  c.get(HI).emit(op.f32x4Splat).set(HIV);
  c.f32x4(0).set(ZERO).f32x4(3).set(THREE).f32x4(6).set(SIX);
  c.forUp(P, PLANES, () => {
    c.f32x4(0).set(B);
    c.get(FLAGS)
      .i32(1)
      .emit(op.i32And)
      .ifElse(() => {
        c.get(BIAS).get(P).i32(2).emit(op.i32Shl, op.i32Add).v128Load32Splat(0).set(B);
      });
    c.get(DST).get(P).get(DPLANE).emit(op.i32Mul, op.i32Add).set(D);
    c.get(RES).get(P).get(RPLANE).emit(op.i32Mul, op.i32Add).set(R);
    c.forUp(Y, ROWS, () => {
      c.get(SRC)
        .get(P)
        .get(SPLANE)
        .emit(op.i32Mul, op.i32Add)
        .get(Y)
        .get(SROW)
        .emit(op.i32Mul, op.i32Add)
        .set(S);
      c.forUp(
        I,
        N,
        () => {
          c.get(S).v128Load(0).get(B).emit(op.f32x4Add).set(V);
          c.get(FLAGS)
            .i32(2)
            .emit(op.i32And)
            .ifElse(() => {
              c.get(V).get(R).v128Load(0).get(AV).emit(op.f32x4Mul, op.f32x4Add).set(V);
            });
          // act: 1 relu, 2 clamp(lo, hi), 3 hardswish, 4 hardsigmoid
          c.get(ACT)
            .i32(1)
            .emit(op.i32Eq)
            .ifElse(
              () => void c.get(V).get(ZERO).emit(op.f32x4Max).set(V),
              () =>
                void c
                  .get(ACT)
                  .i32(2)
                  .emit(op.i32Eq)
                  .ifElse(
                    () => void c.get(V).get(LOV).emit(op.f32x4Max).get(HIV).emit(op.f32x4Min).set(V),
                    () =>
                      void c
                        .get(ACT)
                        .i32(3)
                        .emit(op.i32GeU)
                        .ifElse(() => {
                          // r = min(max(v + 3, 0), 6); hardswish: v * r / 6, hardsigmoid: r / 6
                          c.get(V)
                            .get(THREE)
                            .emit(op.f32x4Add)
                            .get(ZERO)
                            .emit(op.f32x4Max)
                            .get(SIX)
                            .emit(op.f32x4Min)
                            .set(T);
                          c.get(ACT)
                            .i32(3)
                            .emit(op.i32Eq)
                            .ifElse(
                              () => void c.get(V).get(T).emit(op.f32x4Mul).get(SIX).emit(F32X4_DIV).set(V),
                              () => void c.get(T).get(SIX).emit(F32X4_DIV).set(V),
                            );
                        }),
                  ),
            );
          c.get(D).get(V).v128Store(0);
          c.addTo(S, 16).addTo(D, 16).addTo(R, 16);
        },
        4,
      );
      // Back up over the spill of the row's last vector: the next row starts right after n floats.
      c.get(D).get(I).get(N).emit(op.i32Sub).i32(2).emit(op.i32Shl, op.i32Sub).set(D);
      c.get(R).get(I).get(N).emit(op.i32Sub).i32(2).emit(op.i32Shl, op.i32Sub).set(R);
    });
  });
  return c;
}

/** Flags of the WASM epilogue. */
export const EPI_BIAS = 1;
export const EPI_RESIDUAL = 2;

/**
 * epi(src, srcPlaneBytes, srcRowBytes, dst, dstPlaneBytes, res, resPlaneBytes, planes, rows, n, bias,
 * flags, alpha, act, lo, hi): dst[p][y][i] (dense rows of n) = act(src[p][y][i] + bias[p] +
 * alpha * res[p][y][i]) with `res` in dst's layout; bias used when flags & EPI_BIAS, res when
 * flags & EPI_RESIDUAL. Addresses in bytes.
 */
export type EpilogueKernel = (
  src: number,
  srcPlaneBytes: number,
  srcRowBytes: number,
  dst: number,
  dstPlaneBytes: number,
  res: number,
  resPlaneBytes: number,
  planes: number,
  rows: number,
  n: number,
  bias: number,
  flags: number,
  alpha: number,
  act: number,
  lo: number,
  hi: number,
) => void;

let cached: EpilogueKernel | null | undefined;

/** The compiled epilogue, or null without WebAssembly SIMD. */
export function epilogueKernel(): EpilogueKernel | null {
  if (cached !== undefined) return cached;
  const params = [...new Array<number>(12).fill(I32), F32, I32, F32, F32];
  const locals = [...new Array<number>(6).fill(I32), ...new Array<number>(9).fill(V128)];
  const exports = wasmHeap()?.instantiate([{ name: 'epi', params, locals, code: epilogue() }]);
  cached = exports ? (exports.epi as EpilogueKernel) : null;
  return cached;
}

/** Where the epilogue reads: `planes` blocks of `rows` rows of `n` floats in the heap (float indices). */
export interface HeapBlock {
  readonly at: number;
  readonly planeStride: number;
  readonly rowStride: number;
  readonly planes: number;
  readonly rows: number;
  readonly n: number;
}

/** Where it writes: plane p, row y at out[offset + p * planeStride + y * n] (rows dense). */
export interface OutputRegion {
  readonly out: Float32Array;
  readonly offset: number;
  readonly planeStride: number;
  /** Offset of the same region in the residual tensor's storage, minus its own offset. */
  readonly residualOffset: number;
}

const ACT_CODE: Readonly<Record<Activation, number | undefined>> = {
  none: EPI_ACT.none,
  relu: EPI_ACT.relu,
  relu6: EPI_ACT.clamp,
  hardtanh: EPI_ACT.clamp,
  hardswish: EPI_ACT.hardswish,
  hardsigmoid: EPI_ACT.hardsigmoid,
  silu: undefined,
  sigmoid: undefined,
};

/**
 * Runs the epilogue from `block` to `region` (through staging at heap float index `free` and up); the
 * bias is read from `bias[biasOffset + p]`. False when the activation has no WASM form (the caller then
 * finishes in JS). The heap may grow: views taken before are stale afterwards.
 */
export function epilogueToOutput(
  block: HeapBlock,
  region: OutputRegion,
  bias: ArrayLike<number> | null,
  biasOffset: number,
  ep: ConvEpilogue | undefined,
  free: number,
): boolean {
  const kernel = epilogueKernel();
  const act = ACT_CODE[ep?.act ?? 'none'];
  if (kernel === null || act === undefined) return false;
  const heap = wasmHeap()!;
  const { planes, rows, n } = block;
  const size = rows * n;
  const biasAt = Math.ceil(free / 4) * 4;
  const resAt = biasAt + Math.ceil(planes / 4) * 4;
  const residual = ep?.residual ?? null;
  const dstAt = resAt + (residual === null ? 0 : planes * size + 4);
  heap.scratch((dstAt + planes * size + 4) * 4);
  const mem = heap.floats();
  const dense = region.planeStride === size;
  if (bias !== null) for (let p = 0; p < planes; p++) mem[biasAt + p] = bias[biasOffset + p];
  if (residual !== null) {
    const res = residual.storage.data as Float32Array;
    const r0 = residual.offset + region.residualOffset;
    if (dense) mem.set(res.subarray(r0, r0 + planes * size), resAt);
    else
      for (let p = 0; p < planes; p++)
        mem.set(
          res.subarray(r0 + p * region.planeStride, r0 + p * region.planeStride + size),
          resAt + p * size,
        );
  }
  const flags = (bias !== null ? EPI_BIAS : 0) | (residual !== null ? EPI_RESIDUAL : 0);
  const lo = ep?.act === 'relu6' ? 0 : (ep?.lo ?? 0);
  const hi = ep?.act === 'relu6' ? 6 : (ep?.hi ?? 0);
  kernel(
    block.at * 4,
    block.planeStride * 4,
    block.rowStride * 4,
    dstAt * 4,
    size * 4,
    resAt * 4,
    size * 4,
    planes,
    rows,
    n,
    biasAt * 4,
    flags,
    ep?.alpha ?? 1,
    act,
    lo,
    hi,
  );
  if (dense) region.out.set(mem.subarray(dstAt, dstAt + planes * size), region.offset);
  else
    for (let p = 0; p < planes; p++)
      region.out.set(
        mem.subarray(dstAt + p * size, dstAt + (p + 1) * size),
        region.offset + p * region.planeStride,
      );
  return true;
}
