/**
 * fold-conv-add-sub: folds a constant added to (or subtracted from) a convolution's output into its bias.
 *   %y = aten::conv2d(%x, %W, %b, ...)                 %y = aten::conv2d(%x, %W, %b_fused_add, ...)
 *   %z = aten::add(%y, %c, %alpha)              =>     (uses of %z use %y)
 *   b' = b + alpha * c  (b - alpha * c for aten::sub), with b = 0 when the conv has no bias
 * Preconditions, PyTorch 1.13's: the node is aten::add/sub.Tensor or .Scalar with the conv output as
 * its first operand (`c + conv(x)` is not folded); the conv is aten::conv1d/2d/3d or a non-transposed
 * aten::_convolution whose output has no other use; every other input of both nodes (alpha included)
 * is a constant; the weight is floating point; a tensor operand is per-channel as PyTorch defines it:
 * at most the weight's rank, every dim 1 except dim 1 which may be C_out. So (1, C, 1, 1), a
 * single-element or 0-dim tensor and a Python number fold; (C, 1, 1) and (C,) do not (the fixture
 * conv_binary_variants pins this down). (1, C) also folds, as in PyTorch, although eager broadcasting
 * aligns it with the last dim. Integral operands fold only if they do not promote the weight's dtype.
 * The new bias is computed in the promoted dtype and cast to the old bias's dtype (the weight's when None).
 * Dead constants are left to dead-code-elimination.
 * Mirrors FoldFrozenConvAddOrSub in torch/csrc/jit/passes/frozen_conv_folding.cpp.
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
  constantNumber,
  matchConvOperand,
  matched,
  notMatched,
  numbers,
  operandPerChannel,
  promoteAll,
  replaceInputWithConstant,
  rounding,
  tensorOf,
  type ConvOperand,
  type Match,
  foldBinaryOpsAfterConv,
} from './frozen-folding.js';

/** The overloads PyTorch folds (its OperatorSet): both take (self, other, alpha). */
const ADD_SUB = new Set(['aten::add.Tensor', 'aten::add.Scalar', 'aten::sub.Tensor', 'aten::sub.Scalar']);

/** A foldable conv → add/sub, with its alpha. */
export interface ConvAddSub extends ConvOperand {
  readonly alpha: number;
  readonly subtract: boolean;
}

/** Whether `op` (with overload `schemaKey`, e.g. 'aten::add.Tensor') folds into the conv feeding it. */
export function matchConvAddSub(op: Node, schemaKey: string | undefined): Match<ConvAddSub> {
  if (!schemaKey || !ADD_SUB.has(schemaKey))
    return notMatched(`${schemaKey ?? op.kind} is not add/sub.Tensor or add/sub.Scalar`);
  const m = matchConvOperand(op);
  if (!m.ok) return m;
  const alpha = constantNumber(op.inputs[2]);
  if (alpha === undefined) return notMatched('alpha is not a number');
  return matched({ ...m.value, alpha, subtract: op.kind === 'aten::sub' });
}

/** The folded bias: b + alpha * c per output channel, rounded in the promoted dtype, cast to the bias dtype. */
export function foldedAddSubBias(m: ConvAddSub): Tensor {
  const channels = m.weight.shape[0];
  const biasDType = m.bias?.dtype ?? m.weight.dtype;
  const other = operandPerChannel(m.operand, channels, m.weight.dtype);
  const r = rounding(promoteAll(biasDType, other.dtype));
  const alpha = (m.subtract ? -1 : 1) * r(m.alpha);
  const bias = m.bias ? numbers(m.bias) : new Float64Array(channels);
  for (let c = 0; c < channels; c++) bias[c] = r(bias[c] + alpha * r(other.values[c]));
  return tensorOf(biasDType, bias, [channels]);
}

@pass({
  name: 'fold-conv-add-sub',
  summary: 'Fold a constant per-channel aten::add/aten::sub after a convolution into its bias',
  statistics: [{ name: 'folded', description: 'add/sub nodes folded into their convolution' }],
})
export class FoldConvAddSub implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    return foldBinaryOpsAfterConv(
      graph,
      context,
      ['aten::add', 'aten::sub'],
      (n) => matchConvAddSub(n, this.ops.schemaForNode(n)?.key),
      rewrite,
    );
  }
}

// Transforms add(conv(x, W, b), c, alpha) into conv(x, W, b + alpha * c), then drops the add.
function rewrite(m: ConvAddSub): void {
  replaceInputWithConstant(m.conv, 2, foldedAddSubBias(m), m.subtract ? 'fused_sub' : 'fused_add');
  m.op.output().replaceAllUsesWith(m.conv.output());
  m.op.destroy();
}
