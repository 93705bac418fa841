/**
 * fold-conv-mul-div: folds a convolution's output multiplied (or divided) by a constant into its weight and bias.
 *   %y = aten::conv2d(%x, %W, %b, ...)            %y = aten::conv2d(%x, %W_fused_mul, %b_fused_mul, ...)
 *   %z = aten::mul(%y, %c)                  =>    (uses of %z use %y)
 *   W'[o, ...] = W[o, ...] * c[o],  b'[o] = b[o] * c[o]   (/ for aten::div; no bias stays no bias)
 * Preconditions, PyTorch 1.13's: the node is aten::mul/div.Tensor or .Scalar (not div with a rounding
 * mode) with the conv output as its first operand; the conv is aten::conv1d/2d/3d or a non-transposed
 * aten::_convolution whose output has no other use; every other input of both nodes is a constant; the
 * weight is floating point; a tensor operand is per-channel as PyTorch defines it (at most the weight's
 * rank, every dim 1 except dim 1 which may be C_out: (1, C, 1, 1), single-element and 0-dim tensors and
 * Python numbers fold; (C, 1, 1) and (C,) do not); integral operands fold only if they do not promote
 * the weight's dtype. Weight and bias are computed in the promoted dtype and cast back to their own.
 * PyTorch names the fused weight `<bias>_fused_mul` (a slip in its setDebugName); ours is `<weight>_fused_mul`.
 * Dead constants are left to dead-code-elimination.
 * Mirrors FoldFrozenConvMulOrDiv in torch/csrc/jit/passes/frozen_conv_folding.cpp.
 */

import {
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Tensor,
  inject,
} from '../src/index.js';
import {
  matchConvOperand,
  matched,
  notMatched,
  scaleRows,
  operandPerChannel,
  promoteAll,
  replaceInputWithConstant,
  type ConvOperand,
  type Match,
  foldBinaryOpsAfterConv,
} from './frozen-folding.js';
import { InPlaceFolds } from './fold-in-place.js';

/** The overloads PyTorch folds (its OperatorSet): both take (self, other). */
const MUL_DIV = new Set(['aten::mul.Tensor', 'aten::mul.Scalar', 'aten::div.Tensor', 'aten::div.Scalar']);

/** A foldable conv → mul/div. */
export interface ConvMulDiv extends ConvOperand {
  readonly divide: boolean;
}

/** Whether `op` (with overload `schemaKey`, e.g. 'aten::mul.Tensor') folds into the conv feeding it. */
export function matchConvMulDiv(op: Node, schemaKey: string | undefined): Match<ConvMulDiv> {
  if (!schemaKey || !MUL_DIV.has(schemaKey))
    return notMatched(`${schemaKey ?? op.kind} is not mul/div.Tensor or mul/div.Scalar`);
  const m = matchConvOperand(op);
  return m.ok ? matched({ ...m.value, divide: op.kind === 'aten::div' }) : m;
}

// Scales every element of `t` whose leading index is o by values[o], in `t`'s dtype promoted with the operand's.
// `inPlace`: `t` may be overwritten (see fold-in-place.ts).
function scaled(t: Tensor, m: ConvMulDiv, inPlace = false): Tensor {
  const channels = m.weight.shape[0];
  const other = operandPerChannel(m.operand, channels, t.dtype);
  const compute = promoteAll(t.dtype, other.dtype);
  return scaleRows(t, other.values, compute, m.divide ? 'div' : 'mul', null, inPlace && compute === t.dtype);
}

/** The folded weight and bias (null when the conv has none); the weight written where it lies when `inPlace`. */
export function foldedMulDivParameters(
  m: ConvMulDiv,
  inPlace = false,
): { weight: Tensor; bias: Tensor | null } {
  return { weight: scaled(m.weight, m, inPlace), bias: m.bias ? scaled(m.bias, m) : null };
}

@pass({
  name: 'fold-conv-mul-div',
  summary: 'Fold a constant per-channel aten::mul/aten::div after a convolution into its weight and bias',
  statistics: [{ name: 'folded', description: 'mul/div nodes folded into their convolution' }],
})
export class FoldConvMulDiv implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    let inPlace: InPlaceFolds | null | undefined;
    return foldBinaryOpsAfterConv(
      graph,
      context,
      ['aten::mul', 'aten::div'],
      (n) => matchConvMulDiv(n, this.ops.schemaForNode(n)?.key),
      (m) => rewrite(m, (inPlace ??= InPlaceFolds.of(context))),
    );
  }
}

// Transforms mul(conv(x, W, b), c) into conv(x, W * c, b * c), then drops the mul.
function rewrite(m: ConvMulDiv, inPlace: InPlaceFolds | null): void {
  const overwrite = inPlace?.mayOverwrite(m.conv.inputs[1], m.weight) ?? false;
  const { weight, bias } = foldedMulDivParameters(m, overwrite);
  const suffix = m.divide ? 'fused_div' : 'fused_mul';
  replaceInputWithConstant(m.conv, 1, weight, suffix);
  if (bias) replaceInputWithConstant(m.conv, 2, bias, suffix);
  m.op.output().replaceAllUsesWith(m.conv.output());
  m.op.destroy();
}
