// The runtime: kernels, the interpreter and the glue that lets modules run.

export { Interpreter, ScriptException, type InterpreterHost, type OpFn } from './interpreter.js';
export { isInterpretedKind } from './plan.js';
export { makeOpCompiler, implementationOf, type Implementation } from './dispatch.js';
export * from './kernel-coverage.js';
export { refusalOf } from './kernels/refused.js';
export {
  SCALAR_OPS,
  pyStr,
  pyFloatRepr,
  valuesEqual,
  compareValues,
  type ScalarCall,
  type ScalarOp,
} from './scalar-ops.js';
export { ModuleHost, defaultOperatorRegistry, installRuntime, runFunction, runGraph } from './runtime.js';
export { KERNELS } from './kernels/index.js';
export type { Kernel, KernelArg, KernelResult, KernelTable } from './kernels/types.js';
export { enableWasmRelaxedSimd, hasWasmRelaxedSimd } from './kernels/wasm-features.js';
export {
  ONE_SHOT_INTERRUPT_BUDGET,
  ONE_SHOT_NODE_FLAGS,
  missingOneShotNodeFlags,
  tuneV8ForOneShotRuns,
} from './v8-tuning.js';
export { useFusedMultiplyAdd } from './kernels/gemm-wasm.js';
export {
  Float32Arena,
  batchNormFactorsFloat32,
  scaleRowsFloat32,
  type BatchNormFloat32,
} from './kernels/scale-rows-wasm.js';
export { holdsNaN, holdsNaNJs, type NaNScanFormat } from './kernels/nan-scan-wasm.js';
