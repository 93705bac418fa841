// Runs a test body with the WASM GEMM kernel in one arithmetic flavour: separate f32x4 multiply and add,
// or relaxed SIMD's fused multiply-add (what the CLI uses; turned on here through the V8 flag on Node 20).

import { useFusedMultiplyAdd, wasmGemm } from '../../src/runtime/kernels/gemm-wasm.js';
import { enableWasmRelaxedSimd } from '../../src/runtime/kernels/wasm-features.js';

export type GemmVariant = 'mul+add' | 'fma';

export const GEMM_VARIANTS: readonly GemmVariant[] = ['mul+add', 'fma'];

/** False when this engine cannot run the variant (no WebAssembly SIMD, or no relaxed SIMD for 'fma'). */
export function gemmVariantAvailable(variant: GemmVariant): boolean {
  if (wasmGemm() === null) return false;
  return variant === 'mul+add' || enableWasmRelaxedSimd();
}

/** Runs `body` with the GEMM kernel switched to `variant`, then restores the previous kernel. */
export function withGemmVariant<T>(variant: GemmVariant, body: () => T): T {
  const before = wasmGemm()?.fma ?? false;
  const fma = useFusedMultiplyAdd(variant === 'fma');
  if (fma !== (variant === 'fma')) throw new Error(`GEMM variant ${variant} is not available`);
  try {
    return body();
  } finally {
    useFusedMultiplyAdd(before);
  }
}
