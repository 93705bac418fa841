// Relaxed SIMD (f32x4.relaxed_madd: one fused multiply-add instead of a multiply and an add) speeds the
// GEMM kernel up by ~15% on x64. V8 ships it from 11.4 (Node 22); Node 20's V8 has it behind
// --experimental-wasm-relaxed-simd. Programs that own their process (the tsfreeze CLI, the benches) turn
// the flag on before the first kernel is compiled; the library never changes V8 flags by itself.

import { setFlagsFromString } from 'node:v8';

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02,
  0x0b,
]);

interface WasmValidate {
  validate(bytes: Uint8Array): boolean;
}

/** True when the engine accepts relaxed SIMD modules. */
export function hasWasmRelaxedSimd(): boolean {
  const api = (globalThis as unknown as { WebAssembly?: WasmValidate }).WebAssembly;
  try {
    return api !== undefined && api.validate(PROBE);
  } catch {
    return false;
  }
}

/**
 * Turns on V8's relaxed SIMD where it is still behind a flag (Node 20); returns whether it is available.
 * Call it before the first WebAssembly kernel is built (kernels compiled earlier keep separate mul/add).
 * Changes a process-wide V8 flag: meant for programs that own their process, not for libraries.
 */
export function enableWasmRelaxedSimd(): boolean {
  if (hasWasmRelaxedSimd()) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return hasWasmRelaxedSimd();
}
