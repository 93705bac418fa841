// Public surface of the kernels: the KERNELS table keyed by PyTorch 1.13 schema names, the calling
// convention types, and the tensor-level functions behind them for direct use.

import { RuntimeError, TsFreezeError } from '../../errors.js';
import { embeddingBagKernels } from './embedding-bag.js';
import { broadcastKernels } from './broadcast.js';
import { einsumKernels } from './einsum.js';
import { lossKernels } from './losses.js';
import { elementwiseKernels } from './table-elementwise.js';
import { nnKernels } from './table-nn.js';
import { primTensorKernels } from './table-prim-tensor.js';
import { nestedMaskKernels } from './nested-mask.js';
import { NESTED_AWARE, nestedPaddedKernels, refuseNested } from './nested-padded.js';
import { outVariantKernels } from './out-variants.js';
import { randomOpKernels } from './random-ops.js';
import { speechKernels } from './table-speech.js';
import { tensorKernels } from './table-tensor.js';
import { torchvisionKernels } from './table-torchvision.js';
import { uniqueDimKernels } from './unique-dim.js';
import { uniqueKernels } from './unique.js';
import { upsampleAntialiasKernels } from './upsample-aa.js';
import { upsampleKernels } from './upsample.js';
import type { Kernel, KernelTable } from './types.js';

/** An error thrown by kernel `name`, prefixed with the op's schema name so a failure in a graph names it. */
export function kernelError(name: string, e: unknown): unknown {
  if (e instanceof TsFreezeError) {
    // Keep the error's class and code; only prefix the op (once, kernels may call each other).
    if (!/^\w+::/.test(e.message)) e.message = `${name}: ${e.message}`;
    return e;
  }
  if (e instanceof Error) return new RuntimeError('KERNEL_FAILED', `${name}: ${e.message}`, { cause: e });
  return e;
}

function named(name: string, kernel: Kernel): Kernel {
  const guard = !NESTED_AWARE.has(name);
  return (args) => {
    try {
      if (guard) refuseNested(name, args);
      return kernel(args);
    } catch (e) {
      throw kernelError(name, e);
    }
  };
}

function build(): Readonly<KernelTable> {
  const table: KernelTable = {};
  const base: KernelTable = {};
  for (const part of [
    elementwiseKernels(),
    nnKernels(),
    tensorKernels(),
    primTensorKernels(),
    torchvisionKernels(),
    upsampleKernels(),
    embeddingBagKernels(),
    uniqueKernels(),
    einsumKernels(),
    lossKernels(),
    broadcastKernels(),
    uniqueDimKernels(),
    upsampleAntialiasKernels(),
    randomOpKernels(),
    nestedMaskKernels(),
  ])
    Object.assign(base, part);
  // Speech/text kernels last: some wrap a base kernel to accept complex tensors.
  Object.assign(base, speechKernels(base));
  // Nested tensors (TransformerEncoder's fast path) wrap the dense encoder layer.
  Object.assign(base, nestedPaddedKernels(base));
  // out= overloads over whichever functional kernels exist by now.
  Object.assign(base, outVariantKernels(base));
  for (const [name, kernel] of Object.entries(base)) table[name] = named(name, kernel);
  return Object.freeze(table);
}

/**
 * Every tensor kernel, keyed by `aten::name.overload` exactly as `torch._C._jit_get_all_schemas()` names
 * them in PyTorch 1.13 (`aten::add.Tensor`, `aten::conv2d`, `aten::size.int`). Arguments are positional
 * in schema order with defaults filled in (see KernelArg); multi-output ops return an array.
 */
export const KERNELS: Readonly<KernelTable> = build();

/** The kernel for a schema name, or undefined. */
export function getKernel(name: string): Kernel | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, name) ? KERNELS[name] : undefined;
}

export * from './types.js';
export { binaryOp, unaryOp, asCompute, isNumKind, SAME, FLOAT_RESULT, BOOL_RESULT } from './ew-core.js';
export type { BinarySpec, UnarySpec, DTypeRule, Operand, NumArray, BigArray } from './ew-core.js';
export * from './arith.js';
export * from './unary.js';
export * from './activation.js';
export * from './reduce.js';
export { gemm, type MatRef } from './gemm.js';
export * from './linalg.js';
export { convolution, resolvePadding } from './conv.js';
export { convTranspose, convolutionAny } from './conv-transpose.js';
export * from './norm.js';
export * from './pool.js';
export * from './shape.js';
export * from './indexing.js';
export * from './sort.js';
export * from './dropout.js';
export { rnn, rnnCell } from './rnn.js';
export { nativeMultiHeadAttention, transformerEncoderLayer } from './attention.js';
export { erf, erfc, erfinv, roundHalfEven } from './mathfn.js';
export { itemOf } from './table-tensor.js';
