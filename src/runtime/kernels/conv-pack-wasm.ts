// WebAssembly SIMD gather of a conv's im2col columns into the GEMM's B panels. The image sits zero-padded
// in the heap and output rows are padded to whole panels of 8 pixels, so a panel is 8 neighbouring
// outputs of one row: for each kernel tap k (channel, kh, kw; its offset in the padded image from a
// table), its 8 inputs are 8 consecutive floats (stride 1: two loads) or every other float (stride 2:
// four loads, two shuffles), with no bounds checks. Other strides use the JS gather in conv-gemm.ts.

import { Code, I32, V128, op } from './wasm-asm.js';
import { wasmHeap, type WasmHeap } from './wasm-heap.js';

const SHUFFLE = [0xfd, 0x0d];
const EVEN = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
const I32_DIV_U = [0x6e];
const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];

// pack(x, koff, kc, nPanels, j0, rowPixels, rowStep, colStep, dst): panel p (output columns j0 + 8p ..,
// within one padded output row of rowPixels) gets, for k < kc, the 8 floats at
// x + oh * rowStep + ow0 * colStep + koff[k] (bytes) stored at dst + (p * kc + k) * 32.
function pack(stride: 1 | 2): Code {
  const [X, KOFF, KC, NP, J0, ROWPX, ROWSTEP, COLSTEP, DST] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [P, K, J, OH, SRC, S, D, KP] = [9, 10, 11, 12, 13, 14, 15, 16];
  const V = 17;
  const c = new Code();
  c.get(DST).set(D);
  c.forUp(P, NP, () => {
    // j = j0 + 8p; oh = j / rowPixels; src = x + oh * rowStep + (j - oh * rowPixels) * colStep
    c.get(J0).get(P).i32(3).emit(op.i32Shl, op.i32Add).set(J);
    c.get(J).get(ROWPX).emit(I32_DIV_U).set(OH);
    c.get(X).get(OH).get(ROWSTEP).emit(op.i32Mul, op.i32Add);
    c.get(J).get(OH).get(ROWPX).emit(op.i32Mul, op.i32Sub).get(COLSTEP).emit(op.i32Mul, op.i32Add).set(SRC);
    c.get(KOFF).set(KP);
    c.forUp(K, KC, () => {
      c.get(SRC).get(KP).i32Load(0).emit(op.i32Add).set(S);
      if (stride === 1) {
        c.get(D).get(S).v128Load(0).v128Store(0);
        c.get(D).get(S).v128Load(16).v128Store(16);
      } else {
        for (let h = 0; h < 2; h++) {
          c.get(S)
            .v128Load(32 * h)
            .set(V)
            .get(S)
            .v128Load(32 * h + 16)
            .set(V + 1);
          c.get(D)
            .get(V)
            .get(V + 1)
            .emit(SHUFFLE, EVEN)
            .v128Store(16 * h);
        }
      }
      c.addTo(KP, 4).addTo(D, 32);
    });
  });
  return c;
}

// pad(src, dst, C, rows, rowBytes, dstRowBytes, dstPlaneBytes): copies C planes of `rows` rows of
// rowBytes each (contiguous at src) to dst + c * dstPlaneBytes + r * dstRowBytes.
function padCopy(): Code {
  const [SRC, DST, C, ROWS, ROW, DROW, DPLANE] = [0, 1, 2, 3, 4, 5, 6];
  const [CI, R, D] = [7, 8, 9];
  const c = new Code();
  c.forUp(CI, C, () => {
    c.get(DST).get(CI).get(DPLANE).emit(op.i32Mul, op.i32Add).set(D);
    c.forUp(R, ROWS, () => {
      c.get(D).get(SRC).get(ROW).emit(MEMORY_COPY);
      c.addLocal(D, DROW).addLocal(SRC, ROW);
    });
  });
  return c;
}

/** pack(x, koff, kc, nPanels, j0, rowPixels, rowStep, colStep, dst), all addresses in bytes. */
export type PackColumns = (
  x: number,
  koff: number,
  kc: number,
  nPanels: number,
  j0: number,
  rowPixels: number,
  rowStep: number,
  colStep: number,
  dst: number,
) => void;

type Pad = (
  src: number,
  dst: number,
  C: number,
  rows: number,
  rowBytes: number,
  dstRowBytes: number,
  dstPlaneBytes: number,
) => void;

interface Packers {
  readonly pack1: PackColumns;
  readonly pack2: PackColumns;
  readonly pad: Pad;
}

let cached: Packers | null | undefined;

/** The stride-1 and stride-2 packers and the padded copy, or null without WebAssembly SIMD. */
export function columnPackers(): Packers | null {
  if (cached !== undefined) return cached;
  const locals = [...new Array<number>(8).fill(I32), V128, V128];
  const params = new Array<number>(9).fill(I32);
  const exports = wasmHeap()?.instantiate([
    { name: 'pack1', params, locals, code: pack(1) },
    { name: 'pack2', params, locals, code: pack(2) },
    { name: 'pad', params: new Array<number>(7).fill(I32), locals: [I32, I32, I32], code: padCopy() },
  ]);
  cached = exports
    ? { pack1: exports.pack1 as PackColumns, pack2: exports.pack2 as PackColumns, pad: exports.pad as Pad }
    : null;
  return cached;
}

/**
 * Writes C planes of an H x W image (float32 at `offset` of x) into the heap at float `base` as planes
 * of Hp x Wp, `fill` (zero) outside, the image at row ph and column pw (rows and columns past Hp x Wp are left
 * out). Floats [stage, stage + C * H * W) of the heap are used as staging.
 */
export function padImage(
  heap: WasmHeap,
  x: Float32Array,
  offset: number,
  C: number,
  H: number,
  W: number,
  base: number,
  Hp: number,
  Wp: number,
  ph: number,
  pw: number,
  stage: number,
  fill = 0,
): void {
  const mem = heap.floats();
  mem.fill(fill, base, base + C * Hp * Wp);
  mem.set(x.subarray(offset, offset + C * H * W), stage);
  const rows = Math.min(H, Hp - ph);
  const n = Math.min(W, Wp - pw);
  if (rows <= 0 || n <= 0) return;
  if (n === W && rows === H) {
    columnPackers()!.pad(stage * 4, (base + ph * Wp + pw) * 4, C, rows, W * 4, Wp * 4, Hp * Wp * 4);
    return;
  }
  // Rows cut short (columns past Wp are never read): copy row by row.
  for (let c = 0; c < C; c++)
    for (let r = 0; r < rows; r++)
      mem.copyWithin(
        base + (c * Hp + r + ph) * Wp + pw,
        stage + (c * H + r) * W,
        stage + (c * H + r) * W + n,
      );
}
