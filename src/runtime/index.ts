// The runtime: kernels, the interpreter and the glue that lets modules run.

export { Interpreter, ScriptException, type InterpreterHost, type OpFn } from './interpreter.js';
export { makeOpCompiler } from './dispatch.js';
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
