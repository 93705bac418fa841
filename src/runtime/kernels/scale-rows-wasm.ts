// Per-row scaling of a float32 tensor in WebAssembly SIMD, for the frozen folds (conv-batchnorm,
// conv-mul/div): out[r][i] = src[r][i] * factor[r] (or / factor[r]). The product and the quotient of two
// float32 values are each one IEEE rounding in f32x4.mul / f32x4.div (no fused or relaxed instruction),
// so the results equal ATen's float32 arithmetic and the JS reference `Math.fround(x * f)` /
// `Math.fround(x / f)` bit for bit (a double product of two float32 values is exact; a double quotient
// rounded again to float32 is the correctly rounded float32 quotient, as 53 >= 2 * 24 + 2).
// The weights go through the heap in chunks of CHUNK floats (a cache-sized scratch, whatever the tensor's
// size): copy in, scale in place, copy out; results in a Float32Arena are scaled where they lie.

import { Code, F32, I32, V128, op } from './wasm-asm.js';
import { wasmHeap, type WasmHeap, type WasmMemory } from './wasm-heap.js';

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

const F32_SUB = [0x93];
const F32_SQRT = [0x91];

// bn(n, at, eps): for the 7 arrays of n floats from byte `at` (variance, mean, gamma, beta, bias, then the
// results scale and bias'), channel c: inv = 1 / sqrt(variance + eps), scale = gamma * inv and
// bias' = ((bias - mean) * inv) * gamma + beta, each operation one float32 rounding as in ATen (and in
// fold-conv-bn's float32 JS loop: a float32 sqrt equals Math.fround(Math.sqrt(x)) like a quotient does).
function batchNorm(): Code {
  const [N, AT, EPS] = [0, 1, 2];
  const [P, END, STRIDE, INV] = [3, 4, 5, 6];
  const c = new Code();
  // the address of array k's element at the current channel: P + k * STRIDE
  const field = (k: number): Code => {
    c.get(P);
    for (let i = 0; i < k; i++) c.get(STRIDE).emit(op.i32Add);
    return c;
  };
  c.get(N).i32(2).emit(op.i32Shl).set(STRIDE);
  c.get(AT).set(P);
  c.get(AT).get(STRIDE).emit(op.i32Add).set(END);
  c.block(() =>
    c.loop(() => {
      c.get(P).get(END).emit(op.i32GeS).brIf(1);
      c.f32(1);
      field(0).f32Load(0).get(EPS).emit(op.f32Add, F32_SQRT, F32_DIV).set(INV);
      field(5);
      field(2).f32Load(0).get(INV).emit(op.f32Mul).f32Store(0);
      field(6);
      field(4).f32Load(0);
      field(1).f32Load(0).emit(F32_SUB).get(INV).emit(op.f32Mul);
      field(2).f32Load(0).emit(op.f32Mul);
      field(3).f32Load(0).emit(op.f32Add).f32Store(0);
      c.addTo(P, 4).br(0);
    }),
  );
  return c;
}

type ScaleKernel = (at: number, rows: number, rowSize: number, factorsAt: number) => void;

interface ScaleKernels {
  readonly mul: ScaleKernel;
  readonly div: ScaleKernel;
  readonly bn: (n: number, at: number, eps: number) => void;
}

/** The compiled module for the heap's memory ([0]) and for shared memories ([1]). */
const compiled: (object | null | undefined)[] = [undefined, undefined];

// The kernels working in `memory` (compiled once per process and kind of memory, instantiated per memory).
function kernelsOn(heap: WasmHeap, memory: WasmMemory, shared: boolean): ScaleKernels | null {
  const kind = shared ? 1 : 0;
  if (compiled[kind] === undefined) {
    const spec = (name: string, code: Code) => ({
      name,
      params: [I32, I32, I32, I32],
      locals: [I32, I32, I32, F32, V128],
      code,
    });
    compiled[kind] = heap.compile(
      [
        spec('mul', scale(op.f32x4Mul, op.f32Mul)),
        spec('div', scale(F32X4_DIV, F32_DIV)),
        { name: 'bn', params: [I32, I32, F32], locals: [I32, I32, I32, F32], code: batchNorm() },
      ],
      shared,
    );
  }
  const module = compiled[kind];
  const exports = module && heap.instantiateOn(module, memory);
  return exports ? (exports as unknown as ScaleKernels) : null;
}

/** The per-channel parameters of a batch norm in float32, one value per channel; null where absent. */
export interface BatchNormFloat32 {
  readonly variance: Float32Array;
  readonly mean: Float32Array;
  readonly gamma: Float32Array | null;
  readonly beta: Float32Array | null;
  readonly bias: Float32Array | null;
}

// Runs bn on `p` staged at byte `at` of `mem` (7 * n floats), absent parameters as 1 (gamma) or 0.
function batchNormIn(
  k: ScaleKernels,
  mem: Float32Array,
  at: number,
  p: BatchNormFloat32,
  eps: number,
  scaleOut: Float32Array,
  biasOut: Float32Array,
): void {
  const n = scaleOut.length;
  const f = at / 4;
  mem.set(p.variance, f);
  mem.set(p.mean, f + n);
  if (p.gamma) mem.set(p.gamma, f + 2 * n);
  else mem.fill(1, f + 2 * n, f + 3 * n);
  if (p.beta) mem.set(p.beta, f + 3 * n);
  else mem.fill(0, f + 3 * n, f + 4 * n);
  if (p.bias) mem.set(p.bias, f + 4 * n);
  else mem.fill(0, f + 4 * n, f + 5 * n);
  k.bn(n, at, eps);
  scaleOut.set(mem.subarray(f + 5 * n, f + 6 * n));
  biasOut.set(mem.subarray(f + 6 * n, f + 7 * n));
}

/**
 * fold-conv-bn's per-channel arithmetic in float32 (see batchNorm): scaleOut[c] = gamma * inv and
 * biasOut[c] = ((bias - mean) * inv) * gamma + beta with inv = 1 / sqrt(variance + eps), `eps` rounded
 * to float32, absent gamma 1, absent beta and bias 0; every array holds scaleOut.length channels. The
 * same bits as the JS loop (a NaN may come back as another NaN). False, writing nothing, without
 * WebAssembly SIMD.
 */
export function batchNormFactorsFloat32(
  p: BatchNormFloat32,
  eps: number,
  scaleOut: Float32Array,
  biasOut: Float32Array,
): boolean {
  const ready = kernelsAndHeap();
  if (ready === null) return false;
  const { k, heap } = ready;
  const at = heap.scratch(7 * 4 * scaleOut.length);
  batchNormIn(k, heap.floats(), at, p, eps, scaleOut, biasOut);
  return true;
}

let cached: ScaleKernels | null | undefined;

function kernels(): ScaleKernels | null {
  if (cached !== undefined) return cached;
  const heap = wasmHeap();
  cached = heap && kernelsOn(heap, heap.memory, false);
  return cached;
}

// The scale kernels with the shared WebAssembly heap they run on; null where WebAssembly SIMD is unavailable.
function kernelsAndHeap(): { k: ScaleKernels; heap: NonNullable<ReturnType<typeof wasmHeap>> } | null {
  const k = kernels();
  const heap = wasmHeap();
  return k === null || heap === null ? null : { k, heap };
}

// Calls run(from, count, size, row) over `rows` rows of `rowSize` floats in pieces of at most CHUNK floats:
// `count` whole rows from row `row` while rows fit in a chunk, else one row's floats from `from` on.
function forEachChunk(
  rows: number,
  rowSize: number,
  run: (from: number, count: number, size: number, row: number) => void,
): void {
  if (rowSize <= CHUNK) {
    const per = Math.floor(CHUNK / rowSize);
    for (let r = 0; r < rows; r += per) run(r * rowSize, Math.min(per, rows - r), rowSize, r);
  } else {
    for (let r = 0; r < rows; r++)
      for (let p = 0; p < rowSize; p += CHUNK) run(r * rowSize + p, 1, Math.min(CHUNK, rowSize - p), r);
  }
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
  const ready = kernelsAndHeap();
  if (ready === null) return false;
  const { k, heap } = ready;
  const kernel = divide ? k.div : k.mul;
  const rows = factor.length;
  if (rows === 0 || rowSize === 0) return true;
  const factorBytes = Math.ceil((rows * 4) / 64) * 64;
  const factorsAt = heap.scratch(factorBytes + Math.min(CHUNK, rows * rowSize) * 4);
  const dataAt = factorsAt + factorBytes;
  const mem = heap.floats();
  mem.set(factor, factorsAt / 4);
  const d = dataAt / 4;
  forEachChunk(rows, rowSize, (from, count, size, row) => {
    mem.set(src.subarray(from, from + count * size), d);
    kernel(dataAt, count, size, factorsAt + 4 * row);
    out.set(mem.subarray(d, d + count * size), from);
  });
  return true;
}

/**
 * Bytes at an arena's end for the factors of the scaling in progress (16384 rows) and batchNormFactors'
 * staging (7 arrays of up to 16384 channels; pages only touched as far as used).
 */
const FACTOR_BYTES = 7 * 65536;
/** An arena's largest size: byte offsets stay below 2^31 (the kernel compares addresses as signed i32). */
const MAX_ARENA_BYTES = 2 ** 30;
/** Arrays start on 64-byte boundaries (whole cache lines, aligned vectors). */
const ALIGN_FLOATS = 16;

/**
 * Fresh float32 arrays carved one after another from a shared WebAssembly memory of their own that never
 * grows (WasmHeap.fixedMemory: the views stay valid, and V8 does not count it as external memory asking
 * for a garbage collection): the folded weights of one pass run. Scaling into them skips the round trip
 * through the shared heap's scratch: each chunk of the source is copied straight into its final place and
 * scaled there while it is in cache, one pass over the fresh memory instead of two copies. Pages cost
 * memory only once written, so an arena sized for every candidate costs nothing for those that do not
 * fold; the arena lives as long as any array of it.
 */
export class Float32Arena {
  private used = 0;
  private kernels: ScaleKernels | null | undefined;
  private readonly buffer: SharedArrayBuffer | ArrayBuffer;

  private constructor(
    private readonly heap: WasmHeap,
    private readonly memory: WasmMemory,
    /** Floats the arrays may take; the factor area starts right after them. */
    private readonly capacity: number,
  ) {
    this.buffer = memory.buffer;
  }

  /** An arena for `floats` floats (fewer past 1 GiB), or null: none asked, no WebAssembly, or refused. */
  static create(floats: number): Float32Arena | null {
    const heap = wasmHeap();
    if (heap === null || !(floats > 0)) return null;
    const capacity = Math.min(
      Math.ceil(floats / ALIGN_FLOATS) * ALIGN_FLOATS,
      (MAX_ARENA_BYTES - FACTOR_BYTES) / 4,
    );
    const memory = heap.fixedMemory(capacity * 4 + FACTOR_BYTES);
    return memory && new Float32Arena(heap, memory, capacity);
  }

  /** `n` zeros never handed out before, or null when fewer than `n` floats are left. */
  take(n: number): Float32Array | null {
    if (n > this.capacity - this.used) return null;
    const out = new Float32Array(this.buffer, this.used * 4, n);
    this.used = Math.min(this.capacity, Math.ceil((this.used + n) / ALIGN_FLOATS) * ALIGN_FLOATS);
    return out;
  }

  /** batchNormFactorsFloat32, computed in this arena's memory (no other kernel to compile). */
  batchNormFactors(p: BatchNormFloat32, eps: number, scaleOut: Float32Array, biasOut: Float32Array): boolean {
    const n = scaleOut.length;
    this.kernels ??= kernelsOn(this.heap, this.memory, true);
    if (this.kernels === null || 7 * 4 * n > FACTOR_BYTES)
      return batchNormFactorsFloat32(p, eps, scaleOut, biasOut);
    batchNormIn(this.kernels, new Float32Array(this.buffer), this.capacity * 4, p, eps, scaleOut, biasOut);
    return true;
  }

  /**
   * scaleRowsFloat32, the same bits, with `out` usually an array this arena handed out (then computed in
   * place, see the class); any other `out` goes through scaleRowsFloat32. `src` must not overlap `out`
   * unless it is `out` itself.
   */
  scaleRows(
    src: Float32Array,
    out: Float32Array,
    factor: Float32Array | Float64Array,
    rowSize: number,
    divide: boolean,
  ): boolean {
    const rows = factor.length;
    if (out.buffer !== this.buffer || rows * 4 > FACTOR_BYTES)
      return scaleRowsFloat32(src, out, factor, rowSize, divide);
    this.kernels ??= kernelsOn(this.heap, this.memory, true);
    const k = this.kernels;
    if (k === null) return scaleRowsFloat32(src, out, factor, rowSize, divide);
    if (rows === 0 || rowSize === 0) return true;
    const kernel = divide ? k.div : k.mul;
    const factorsAt = this.capacity * 4;
    new Float32Array(this.buffer, factorsAt, rows).set(factor);
    const base = out.byteOffset;
    forEachChunk(rows, rowSize, (from, count, size, row) => {
      if (src !== out) out.set(src.subarray(from, from + count * size), from);
      kernel(base + from * 4, count, size, factorsAt + 4 * row);
    });
    return true;
  }
}
