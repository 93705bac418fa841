// The TorchScript IR emitter: TorchScript source (parsed by ../torchscript) to SSA graphs with the
// structure torch.jit.load gives them.

export { emitFunctionBody, type EmitOptions } from './emit-function.js';
export {
  FunctionEmitter,
  type CodeConstant,
  type EmitRequest,
  type EmitterHost,
} from './function-emitter.js';
export {
  signatureFromDef,
  graphForSignature,
  schemaOfSignature,
  constantFromExpr,
  type DefSignature,
} from './signature.js';
export { resolveTypeExpr, type NamedTypeResolver } from './type-exprs.js';
export { compileError, type EmitErrorCode } from './emit-errors.js';
export type { Sugared, SpecialForm } from './sugared.js';
export {
  runCleanupPasses,
  canonicalizeOutputs,
  constantPooling,
  constantPropagationImmutableTypes,
  eliminateDeadCode,
  lowerSimpleTuples,
  foldNode,
  isMutableType,
} from './cleanup/index.js';
