/**
 * fold-linear-bn: folds an eval-mode aten::batch_norm into the aten::linear that feeds it. OPT-IN: PyTorch
 * 1.13's freeze does not do this (the fixtures show linear → batch_norm surviving; FoldFrozenLinearBatchnorm
 * arrived in later releases), so it is not in the freeze pipeline; add it to a pipeline yourself.
 *   %y = aten::linear(%x, %W, %b)                        %y = aten::linear(%x, %W_fused_bn, %b_fused_bn)
 *   %z = aten::batch_norm(%y, %g, %beta, %mean,    =>    (uses of %z use %y)
 *                         %var, False, %m, %eps, %cudnn)
 *   with s = g / sqrt(var + eps):  W' = W * s.unsqueeze(-1),  b' = (b - mean) * s + beta
 * Preconditions, those of PyTorch's frozen_linear_folding.cpp: the batch_norm's input comes from
 * aten::linear; every input of both nodes but the data input is a prim::Constant (linear bias, bn weight
 * and bias may be None); running_mean and running_var are tensors; the bn has as many features as the
 * linear has outputs, or one feature. Added here, because without them the fold changes results:
 * the linear output has no other use (PyTorch does not check, and its other users would see the
 * normalised values), `training` is the constant False, and when the linear output's rank is known it
 * is 2 (batch_norm normalises dim 1, the linear's output features only for (N, C) inputs; with an
 * unknown rank we trust the feature counts, as PyTorch does).
 * Results are computed in the promoted dtype and cast to the linear weight's and bias's dtypes (the
 * bias takes running_mean's dtype when it was None). Dead constants are left to dead-code-elimination.
 * Mirrors torch/csrc/jit/passes/frozen_linear_folding.cpp and fold_linear_bn.cpp (computeUpdatedLinearWeightAndBias).
 */

import {
  TensorType,
  pass,
  toIValue,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Tensor,
} from '../src/index.js';
import {
  constantNumber,
  constantTensor,
  isFloatDType,
  isNone,
  matched,
  nonConstantReason,
  notMatched,
  numbers,
  scaleRows,
  promoteAll,
  replaceInputWithConstant,
  rounding,
  tensorOf,
  type Match,
} from './frozen-folding.js';

// aten::batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)
const BN = { weight: 1, bias: 2, mean: 3, variance: 4, training: 5, eps: 7, arity: 9 } as const;

/** A linear → batch_norm pair that folds, with the constants the rewrite needs. */
export interface LinearBn {
  readonly linear: Node;
  readonly bn: Node;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly gamma: Tensor | null;
  readonly beta: Tensor | null;
  readonly mean: Tensor;
  readonly variance: Tensor;
  readonly eps: number;
}

/** Whether `bn` can be folded into the aten::linear feeding it. */
export function matchLinearBn(bn: Node): Match<LinearBn> {
  if (bn.kind !== 'aten::batch_norm' || bn.inputs.length !== BN.arity)
    return notMatched('not the aten::batch_norm overload');
  const linear = bn.inputs[0].node;
  if (linear.kind !== 'aten::linear')
    return notMatched(`input comes from ${linear.kind}, not from aten::linear`);
  const nonConstant = nonConstantReason(linear, 'linear') ?? nonConstantReason(bn, 'batch_norm');
  if (nonConstant) return notMatched(nonConstant);
  if (linear.output().uses().length > 1) return notMatched('linear output has other users');
  const mean = constantTensor(bn.inputs[BN.mean]);
  const variance = constantTensor(bn.inputs[BN.variance]);
  if (!mean || !variance)
    return notMatched('batch_norm has no running statistics (track_running_stats=False)');
  if (toIValue(bn.inputs[BN.training]) !== false)
    return notMatched('batch_norm is in training mode (uses batch statistics)');
  const weight = constantTensor(linear.inputs[1]);
  if (!weight || weight.dim !== 2 || !isFloatDType(weight.dtype))
    return notMatched('linear weight is not a 2-D floating-point tensor');
  const optional = (v: Node['inputs'][number]): Tensor | null | undefined =>
    isNone(v) ? null : constantTensor(v);
  const bias = optional(linear.inputs[2]);
  const gamma = optional(bn.inputs[BN.weight]);
  const beta = optional(bn.inputs[BN.bias]);
  const eps = constantNumber(bn.inputs[BN.eps]);
  if (bias === undefined || gamma === undefined || beta === undefined || eps === undefined)
    return notMatched('a parameter is not a tensor or None');
  const outputs = weight.shape[0];
  const features = mean.numel;
  if (features !== outputs && features !== 1)
    return notMatched(`batch_norm has ${features} features but the linear has ${outputs} outputs`);
  const rank =
    linear.output().type instanceof TensorType
      ? (linear.output().type as TensorType).info.sizes?.length
      : undefined;
  if (features !== 1 && rank !== undefined && rank !== 2)
    return notMatched(
      `linear output has rank ${rank}: batch_norm would normalise dim 1, not the linear's features`,
    );
  for (const [t, what, size] of [
    [mean, 'running_mean', features],
    [variance, 'running_var', features],
    [gamma, 'batch_norm weight', features],
    [beta, 'batch_norm bias', features],
    [bias, 'linear bias', outputs],
  ] as const) {
    if (t && (t.dim !== 1 || t.shape[0] !== size || !isFloatDType(t.dtype)))
      return notMatched(`${what} is not a floating-point tensor of shape [${size}]`);
  }
  return matched({ linear, bn, weight, bias, gamma, beta, mean, variance, eps });
}

/** The folded weight and bias: PyTorch's computeUpdatedLinearWeightAndBias, rounded step by step. */
export function foldedLinearBnParameters(m: LinearBn): { weight: Tensor; bias: Tensor } {
  const outputs = m.weight.shape[0];
  const compute = promoteAll(
    m.weight.dtype,
    ...[m.bias, m.gamma, m.beta, m.mean, m.variance]
      .filter((t): t is Tensor => t !== null)
      .map((t) => t.dtype),
  );
  const r = rounding(compute);
  // One value per output feature (a one-feature batch_norm broadcasts).
  const read = (t: Tensor | null, fill: number): Float64Array => {
    const v = t ? numbers(t) : new Float64Array(1).fill(fill);
    return v.length === outputs ? v : new Float64Array(outputs).fill(v[0]);
  };
  const [mean, variance, gamma, beta, bias] = [
    read(m.mean, 0),
    read(m.variance, 0),
    read(m.gamma, 1),
    read(m.beta, 0),
    read(m.bias, 0),
  ];
  const eps = r(m.eps);
  const scale = new Float64Array(outputs);
  const newBias = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) {
    scale[o] = r(gamma[o] * r(1 / r(Math.sqrt(r(variance[o] + eps)))));
    newBias[o] = r(r(r(bias[o] - mean[o]) * scale[o]) + beta[o]);
  }
  return {
    weight: scaleRows(m.weight, scale, compute, 'mul'),
    bias: tensorOf((m.bias ?? m.mean).dtype, newBias, [outputs]),
  };
}

@pass({
  name: 'fold-linear-bn',
  summary:
    'Fold an eval-mode aten::batch_norm into the aten::linear feeding it (opt-in: not part of freeze in PyTorch 1.13)',
  statistics: [{ name: 'folded', description: 'batch_norm nodes folded into their linear' }],
})
export class FoldLinearBn implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    let folded = 0;
    for (const node of graph.allNodes()) {
      if (node.kind !== 'aten::batch_norm' || node.inputs[0]?.node.kind !== 'aten::linear') continue;
      const match = matchLinearBn(node);
      if (!match.ok) {
        context.remark(node, `not folded: ${match.reason}`);
        continue;
      }
      rewrite(match.value);
      folded++;
    }
    if (folded) context.count('folded', folded);
    return { changed: folded > 0 };
  }
}

// Transforms batch_norm(linear(x, W, b)) into linear(x, W', b'), then drops the batch_norm.
function rewrite(m: LinearBn): void {
  const { weight, bias } = foldedLinearBnParameters(m);
  replaceInputWithConstant(m.linear, 1, weight, 'fused_bn');
  replaceInputWithConstant(m.linear, 2, bias, 'fused_bn');
  m.bn.output().replaceAllUsesWith(m.linear.output());
  m.bn.destroy();
}
