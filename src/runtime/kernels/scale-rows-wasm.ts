// Per-row scaling of a float32 tensor in WebAssembly SIMD, for the frozen folds (conv-batchnorm,
// conv-mul/div): out[r][i] = src[r][i] * factor[r] (or / factor[r]). The product and the quotient of two
// float32 values are each one IEEE rounding in f32x4.mul / f32x4.div (no fused or relaxed instruction),
// so the results equal ATen's float32 arithmetic and the JS reference `Math.fround(x * f)` /
// `Math.fround(x / f)` bit for bit (a double product of two float32 values is exact; a double quotient
// rounded again to float32 is the correctly rounded float32 quotient, as 53 >= 2 * 24 + 2).
// The weights go through the heap in chunks of CHUNK floats (a cache-sized scratch, whatever the tensor's
// size): copy in, scale in place, copy out.

import { Code, F32, I32, V128, op } from './wasm-asm.js';
import { wasmHeap } from './wasm-heap.js';

const F32X4_DIV = [0xfd, 0xe7, 0x01];
const F32_DIV = [0x95];

/** Floats per chunk copied through the heap (64 KiB). */
const CHUNK = 16384;

// scale(at, rows, rowSize, factorsAt): in place, rows of rowSize floats from byte `at`, row r scaled by
// the float32 at factorsAt + 4r; four floats at a time, then the row's last rowSize % 4 one by one.
function scale(vectorOp: readonly number[], scalarOp: readonly number[]): Code {
  const [AT, ROWS, ROW_SIZE, FACTORS] = [0, 1, 2, 3];
  const [R, END, VEND, F] = [4, 5, 6, 7];
  const FV = 8;
  const c = new Code();
  c.forUp(R, ROWS, () => {
    c.get(FACTORS).get(R).i32(2).emit(op.i32Shl, op.i32Add).f32Load(0).set(F);
    c.get(F).emit(op.f32x4Splat).set(FV);
    c.get(AT).get(ROW_SIZE).i32(2).emit(op.i32Shl, op.i32Add).set(END);
    c.get(END).i32(12).emit(op.i32Sub).set(VEND);
    c.block(() =>
      c.loop(() => {
        c.get(AT).get(VEND).emit(op.i32GeS).brIf(1);
        c.get(AT).get(AT).v128Load(0).get(FV).emit(vectorOp).v128Store(0);
        c.addTo(AT, 16).br(0);
      }),
    );
    c.block(() =>
      c.loop(() => {
        c.get(AT).get(END).emit(op.i32GeS).brIf(1);
        c.get(AT).get(AT).f32Load(0).get(F).emit(scalarOp).f32Store(0);
        c.addTo(AT, 4).br(0);
      }),
    );
  });
  return c;
}

type ScaleKernel = (at: number, rows: number, rowSize: number, factorsAt: number) => void;

let cached: { mul: ScaleKernel; div: ScaleKernel } | null | undefined;

function kernels(): { mul: ScaleKernel; div: ScaleKernel } | null {
  if (cached !== undefined) return cached;
  const spec = (name: string, code: Code) => ({
    name,
    params: [I32, I32, I32, I32],
    locals: [I32, I32, I32, F32, V128],
    code,
  });
  const exports = wasmHeap()?.instantiate([
    spec('mul', scale(op.f32x4Mul, op.f32Mul)),
    spec('div', scale(F32X4_DIV, F32_DIV)),
  ]);
  cached = exports ? { mul: exports.mul as ScaleKernel, div: exports.div as ScaleKernel } : null;
  return cached;
}

/**
 * out[r * rowSize + i] = src[r * rowSize + i] * factor[r] (or / factor[r] when `divide`) for every row r
 * of `factor.length` rows, in float32 arithmetic; `factor` is rounded to float32 first (a Float64Array
 * holding float32 values is taken as is). `src` and `out` hold factor.length * rowSize floats and may be
 * the same array. Returns false, writing nothing, where WebAssembly SIMD is unavailable (the caller then
 * computes in JS).
 */
export function scaleRowsFloat32(
  src: Float32Array,
  out: Float32Array,
  factor: Float32Array | Float64Array,
  rowSize: number,
  divide: boolean,
): boolean {
  const k = kernels();
  const heap = wasmHeap();
  if (k === null || heap === null) return false;
  const kernel = divide ? k.div : k.mul;
  const rows = factor.length;
  if (rows === 0 || rowSize === 0) return true;
  const factorBytes = Math.ceil((rows * 4) / 64) * 64;
  const factorsAt = heap.scratch(factorBytes + Math.min(CHUNK, rows * rowSize) * 4);
  const dataAt = factorsAt + factorBytes;
  const mem = heap.floats();
  mem.set(factor, factorsAt / 4);
  const d = dataAt / 4;
  const run = (from: number, count: number, size: number, row: number): void => {
    mem.set(src.subarray(from, from + count * size), d);
    kernel(dataAt, count, size, factorsAt + 4 * row);
    out.set(mem.subarray(d, d + count * size), from);
  };
  if (rowSize <= CHUNK) {
    const per = Math.floor(CHUNK / rowSize);
    for (let r = 0; r < rows; r += per) run(r * rowSize, Math.min(per, rows - r), rowSize, r);
  } else {
    for (let r = 0; r < rows; r++)
      for (let p = 0; p < rowSize; p += CHUNK) run(r * rowSize + p, 1, Math.min(CHUNK, rowSize - p), r);
  }
  return true;
}
