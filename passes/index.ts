// The built-in passes, registered like any plugin: an explicit list and a ContainerModule (no import side effects).

import { passesModule, type PassClass } from '../src/index.js';

// The package entry: everything in src/index.ts, plus the built-in passes and freeze() below.
export * from '../src/index.js';
import { ConstantPooling } from './constant-pooling.js';
import { ConstantPropagation } from './constant-propagation.js';
import { CommonSubexpressionElimination } from './common-subexpression-elimination.js';
import { Peephole } from './peephole.js';
import { RemoveListMutation } from './remove-list-mutation.js';
import { PeepholeNonTensor } from './peephole-non-tensor.js';
import { EliminateNoOps } from './eliminate-no-ops.js';
import { LowerSimpleTuples } from './lower-simple-tuples.js';
import { UnrollConstantLoops } from './unroll-constant-loops.js';
import { DeadCodeElimination } from './dead-code-elimination.js';
import { EliminateDeadForkInputs } from './eliminate-dead-fork-inputs.js';
import { FoldConvAddSub } from './fold-conv-add-sub.js';
import { FoldConvBn } from './fold-conv-bn.js';
import { FoldConvMulDiv } from './fold-conv-mul-div.js';
import { FoldLinearBn } from './fold-linear-bn.js';
import { FreezeAttributes } from './freeze-attributes.js';
import { FreezeCheck } from './freeze-check.js';
import { FreezeCleanup } from './freeze-cleanup.js';
import { FreezeInterfaces } from './freeze-interfaces.js';
import { InlineSubmodules } from './inline-submodules.js';
import { RemoveDropout } from './remove-dropout.js';
import { TransposeFrozenLinear } from './transpose-frozen-linear.js';

export { ConstantPooling } from './constant-pooling.js';
export { ConstantPropagation } from './constant-propagation.js';
export { CommonSubexpressionElimination } from './common-subexpression-elimination.js';
export { Peephole } from './peephole.js';
export { RemoveListMutation } from './remove-list-mutation.js';
export { PeepholeNonTensor } from './peephole-non-tensor.js';
export { EliminateNoOps } from './eliminate-no-ops.js';
export { LowerSimpleTuples } from './lower-simple-tuples.js';
export { UnrollConstantLoops } from './unroll-constant-loops.js';
export { DeadCodeElimination } from './dead-code-elimination.js';
export { EliminateDeadForkInputs, deadForkInputs } from './eliminate-dead-fork-inputs.js';
export { FoldConvAddSub } from './fold-conv-add-sub.js';
export { FoldConvBn } from './fold-conv-bn.js';
export { FoldConvMulDiv } from './fold-conv-mul-div.js';
export { FoldLinearBn } from './fold-linear-bn.js';
export { FreezeAttributes } from './freeze-attributes.js';
export { FreezeCheck } from './freeze-check.js';
export { FreezeCleanup } from './freeze-cleanup.js';
export { FreezeInterfaces } from './freeze-interfaces.js';
export { AliasAnalysis, AliasDb, dumpAliasDb } from './alias-analysis.js';
export {
  freeze,
  freezeWithReport,
  prepareFreeze,
  type FreezeRun,
  explainFreeze,
  createFreezeContainer,
  builtinContainerModules,
  FREEZE_PIPELINE_JSON,
  type FreezeOptions,
  type FreezeResult,
} from './freeze.js';
export {
  freezeReportOf,
  FreezeReport,
  describeFate,
  type AttributeExplanation,
  type AttributeFate,
} from './freeze/report.js';
export { InlineSubmodules } from './inline-submodules.js';
export { RemoveDropout } from './remove-dropout.js';
export { TransposeFrozenLinear } from './transpose-frozen-linear.js';

/** Every built-in pass class. */
export const builtinPasses: readonly PassClass[] = [
  FreezeCheck,
  FreezeAttributes,
  FreezeCleanup,
  FreezeInterfaces,
  FoldConvBn,
  FoldConvAddSub,
  FoldConvMulDiv,
  FoldLinearBn,
  TransposeFrozenLinear,
  DeadCodeElimination,
  EliminateDeadForkInputs,
  ConstantPooling,
  RemoveDropout,
  InlineSubmodules,
  ConstantPropagation,
  CommonSubexpressionElimination,
  Peephole,
  RemoveListMutation,
  PeepholeNonTensor,
  EliminateNoOps,
  LowerSimpleTuples,
  UnrollConstantLoops,
];

/** Binds the built-in passes: `createContainer({ modules: [builtinPassesModule] })` or `container.load(builtinPassesModule)`. */
export const builtinPassesModule = passesModule(builtinPasses);
