// Whether a float array holds a NaN, in WebAssembly SIMD: CSE and constant pooling ask it of every kept
// weight (transformer_12x768: 8.9M float32 elements, ~15.7 ms with Float32Array.includes(NaN) in cold
// code, ~8 ms here). The elements go through the shared heap's scratch in chunks of CHUNK_BYTES (copy in,
// scan there while in cache); a NaN is any value whose comparison with itself is unordered, whatever its
// sign and payload (quiet or signalling): f32x4.ne / f64x2.ne of a vector with itself, or for the 16-bit
// types an exponent of all ones with a non-zero mantissa ((bits & 0x7fff) > the infinity's bits).

import { Code, I32, V128, op } from './wasm-asm.js';
import { wasmHeap, type WasmHeap } from './wasm-heap.js';

/** The element formats scanned: float16 and bfloat16 elements are raw bits (a Uint16Array). */
export type NaNScanFormat = 'float32' | 'float64' | 'float16' | 'bfloat16';

/** Bytes per chunk copied through the heap (64 KiB: in L2 while it is scanned). */
const CHUNK_BYTES = 65536;
/** Below this many bytes the engine's own loop is cheaper than a call into the kernel. */
const WASM_MIN_BYTES = 16384;

const simd = (code: number): number[] => [0xfd, code];
const F32X4_NE = simd(0x42);
const F64X2_NE = simd(0x48);
const I16X8_SPLAT = simd(0x10);
const I16X8_GT_S = simd(0x31);
const V128_AND = simd(0x4e);
const V128_OR = simd(0x50);
const V128_ANY_TRUE = simd(0x53);

// scan(at, bytes) -> 1 if the 16-byte vectors in [at, at + bytes) hold a NaN (bytes a multiple of 64:
// four vectors per step, their lane masks OR-ed into one accumulator tested once at the end).
function scan(mask: (c: Code, v: number) => void, setup?: (c: Code) => void): Code {
  const [AT, BYTES] = [0, 1];
  const [END, ACC, V] = [2, 3, 4];
  const c = new Code();
  setup?.(c);
  c.get(AT).get(BYTES).emit(op.i32Add).set(END);
  c.block(() =>
    c.loop(() => {
      c.get(AT).get(END).emit(op.i32GeU).brIf(1);
      for (let k = 0; k < 4; k++) {
        c.get(ACC);
        c.get(AT)
          .v128Load(16 * k)
          .set(V);
        mask(c, V);
        c.emit(V128_OR).set(ACC);
      }
      c.addTo(AT, 64).br(0);
    }),
  );
  c.get(ACC).emit(V128_ANY_TRUE);
  return c;
}

const selfUnequal = (ne: number[]) => (c: Code, v: number) => c.get(v).get(v).emit(ne);

// (bits & 0x7fff) > infinity: the mask constant in local K, the infinity's bits in local K + 1.
function halfScan(infinity: number): Code {
  const K = 5;
  return scan(
    (c, v) =>
      c
        .get(v)
        .get(K)
        .emit(V128_AND)
        .get(K + 1)
        .emit(I16X8_GT_S),
    (c) =>
      c
        .i32(0x7fff)
        .emit(I16X8_SPLAT)
        .set(K)
        .i32(infinity)
        .emit(I16X8_SPLAT)
        .set(K + 1),
  );
}

type Scan = (at: number, bytes: number) => number;

interface NaNScans {
  readonly float32: Scan;
  readonly float64: Scan;
  readonly float16: Scan;
  readonly bfloat16: Scan;
}

let cached: NaNScans | null | undefined;

function scans(heap: WasmHeap): NaNScans | null {
  if (cached !== undefined) return cached;
  const spec = (name: NaNScanFormat, code: Code) => ({
    name,
    params: [I32, I32],
    results: [I32],
    locals: [I32, V128, V128, V128, V128],
    code,
  });
  cached = heap.instantiate([
    spec('float32', scan(selfUnequal(F32X4_NE))),
    spec('float64', scan(selfUnequal(F64X2_NE))),
    spec('float16', halfScan(0x7c00)),
    spec('bfloat16', halfScan(0x7f80)),
  ]) as unknown as NaNScans | null;
  return cached;
}

/** Whether holdsNaN takes the WebAssembly kernel for large arrays here (for tests and diagnostics). */
export function nanScanKernelAvailable(): boolean {
  const heap = wasmHeap();
  return heap !== null && scans(heap) !== null;
}

/**
 * Whether `elements` (float32 or float64 numbers, or the raw bits of float16 / bfloat16 ones) hold a NaN
 * of any sign or payload. The same answer as `includes(NaN)` on the numbers; WebAssembly SIMD where
 * available and the array is large enough to pay for the call, else a JS loop.
 */
export function holdsNaN(
  elements: Float32Array | Float64Array | Uint16Array,
  format: NaNScanFormat,
): boolean {
  const bytes = elements.byteLength;
  const heap = bytes >= WASM_MIN_BYTES ? wasmHeap() : null;
  const k = heap && scans(heap);
  if (!heap || !k) return holdsNaNJs(elements, format);
  const kernel = k[format];
  const at = heap.scratch(CHUNK_BYTES);
  const buffer = heap.memory.buffer;
  const scratch = new Uint8Array(buffer, at, CHUNK_BYTES);
  const source = new Uint8Array(elements.buffer, elements.byteOffset, bytes);
  for (let from = 0; from < bytes; from += CHUNK_BYTES) {
    const size = Math.min(CHUNK_BYTES, bytes - from);
    scratch.set(source.subarray(from, from + size));
    // The last chunk's vectors run up to a multiple of 64 bytes: zeros after the data (no format's NaN).
    const padded = Math.ceil(size / 64) * 64;
    if (padded > size) scratch.fill(0, size, padded);
    if (kernel(at, padded) !== 0) return true;
  }
  return false;
}

/** holdsNaN in JS (the fallback without WebAssembly SIMD, and the reference the kernel is tested against). */
export function holdsNaNJs(
  elements: Float32Array | Float64Array | Uint16Array,
  format: NaNScanFormat,
): boolean {
  if (format === 'float32' || format === 'float64') return elements.includes(NaN);
  const infinity = format === 'float16' ? 0x7c00 : 0x7f80;
  for (let i = 0; i < elements.length; i++) if ((elements[i] & 0x7fff) > infinity) return true;
  return false;
}
