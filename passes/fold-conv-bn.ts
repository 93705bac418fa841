/**
 * fold-conv-bn: folds an eval-mode aten::batch_norm into the convolution that feeds it.
 *   %y = aten::conv2d(%x, %W, %b, ...)                      %y = aten::conv2d(%x, %W_fused_bn, %b_fused_bn, ...)
 *   %z = aten::batch_norm(%y, %g, %beta, %mean, %var,  =>   (uses of %z use %y)
 *                         False, %momentum, %eps, %cudnn)
 *   with s = g / sqrt(var + eps):  W' = W * s.reshape(-1, 1, ...),  b' = (b - mean) * (1 / sqrt(var + eps)) * g + beta
 * Preconditions, as PyTorch 1.13's FoldFrozenConvBatchnorm checks them: the batch_norm's input comes
 * from aten::conv1d/2d/3d or a non-transposed aten::_convolution (traced models); every input of both
 * nodes but the data input is a prim::Constant (conv bias, bn weight and bias may be None); the conv
 * output has no other use; running_mean and running_var are tensors (not None: no running stats).
 * The arithmetic runs in the promoted dtype, one rounding per step as ATen does, and the results are
 * cast to the conv weight's and bias's dtypes (the bias takes running_mean's dtype when it was None).
 * Departures, both only reachable through a hand-written torch.batch_norm call: a `training` input of
 * True is refused (PyTorch 1.13 folds it anyway, replacing batch statistics by running ones), and a
 * non-floating weight or mis-shaped bn parameters are refused instead of failing inside ATen.
 * The old constants and the batch_norm's scalar inputs are left to dead-code-elimination.
 * Mirrors torch/csrc/jit/passes/frozen_conv_folding.cpp and fold_conv_bn.cpp (computeUpdatedConvWeightAndBias).
 */

import {
  Float32Arena,
  Tensor,
  batchNormFactorsFloat32,
  toIValue,
  pass,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
} from '../src/index.js';
import {
  constantNumber,
  constantTensor,
  expectScaling,
  isFloatDType,
  wasmKernelsPayOff,
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
  unsupportedConvReason,
  type Match,
} from './frozen-folding.js';
import { InPlaceFolds } from './fold-in-place.js';

// aten::batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)
const BN = { weight: 1, bias: 2, mean: 3, variance: 4, training: 5, eps: 7, arity: 9 } as const;
// aten::conv*d / aten::_convolution(input, weight, bias, ...)
const CONV = { weight: 1, bias: 2 } as const;

/** A conv → batch_norm pair PyTorch folds, with the constants the rewrite needs. */
export interface ConvBn {
  readonly conv: Node;
  readonly bn: Node;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly gamma: Tensor | null;
  readonly beta: Tensor | null;
  readonly mean: Tensor;
  readonly variance: Tensor;
  readonly eps: number;
}

/** Whether `bn` can be folded into the convolution feeding it (PyTorch 1.13's conditions, in its order). */
export function matchConvBn(bn: Node): Match<ConvBn> {
  if (bn.kind !== 'aten::batch_norm' || bn.inputs.length !== BN.arity)
    return notMatched('not the aten::batch_norm overload');
  const conv = bn.inputs[0].node;
  const unsupported = unsupportedConvReason(conv);
  if (unsupported) return notMatched(unsupported);
  const nonConstant = nonConstantReason(conv, 'conv') ?? nonConstantReason(bn, 'batch_norm');
  if (nonConstant) return notMatched(nonConstant);
  if (conv.output().uses().length > 1) return notMatched('conv output has other users');
  const mean = constantTensor(bn.inputs[BN.mean]);
  const variance = constantTensor(bn.inputs[BN.variance]);
  if (!mean || !variance)
    return notMatched('batch_norm has no running statistics (track_running_stats=False)');
  if (toIValue(bn.inputs[BN.training]) !== false)
    return notMatched('batch_norm is in training mode (uses batch statistics)');
  const weight = constantTensor(conv.inputs[CONV.weight]);
  if (!weight || !isFloatDType(weight.dtype) || weight.dim < 1)
    return notMatched('conv weight is not a floating-point tensor');
  const optional = (i: number): Tensor | null | undefined =>
    isNone(bn.inputs[i]) ? null : constantTensor(bn.inputs[i]);
  const convBias = isNone(conv.inputs[CONV.bias]) ? null : constantTensor(conv.inputs[CONV.bias]);
  const gamma = optional(BN.weight);
  const beta = optional(BN.bias);
  const eps = constantNumber(bn.inputs[BN.eps]);
  if (convBias === undefined || gamma === undefined || beta === undefined || eps === undefined)
    return notMatched('a parameter is not a tensor or None');
  const channels = weight.shape[0];
  for (const [t, what] of [
    [mean, 'running_mean'],
    [variance, 'running_var'],
    [gamma, 'batch_norm weight'],
    [beta, 'batch_norm bias'],
    [convBias, 'conv bias'],
  ] as const) {
    if (t && (t.dim !== 1 || t.shape[0] !== channels || !isFloatDType(t.dtype))) {
      return notMatched(`${what} is not a floating-point tensor of shape [${channels}]`);
    }
  }
  return matched({ conv, bn, weight, bias: convBias, gamma, beta, mean, variance, eps });
}

/**
 * The folded weight and bias: PyTorch's computeUpdatedConvWeightAndBias, rounded step by step. The
 * weight goes into `arena` when it has room.
 */
export function foldedConvBnParameters(
  m: ConvBn,
  arena?: Float32Arena | null,
  inPlace = false,
): { weight: Tensor; bias: Tensor } {
  const channels = m.weight.shape[0];
  const compute = promoteAll(
    m.weight.dtype,
    ...[m.bias, m.gamma, m.beta, m.mean, m.variance]
      .filter((t): t is Tensor => t !== null)
      .map((t) => t.dtype),
  );
  if (compute === 'float32') return foldedFloat32(m, channels, arena, inPlace);
  const r = rounding(compute);
  const read = (t: Tensor | null, fill: number): Float64Array =>
    t ? numbers(t) : new Float64Array(channels).fill(fill);
  const [mean, variance, gamma, beta, bias] = [
    read(m.mean, 0),
    read(m.variance, 0),
    read(m.gamma, 1),
    read(m.beta, 0),
    read(m.bias, 0),
  ];
  const eps = r(m.eps);
  const invStd = new Float64Array(channels);
  const scale = new Float64Array(channels);
  const newBias = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    invStd[c] = r(1 / r(Math.sqrt(r(variance[c] + eps))));
    scale[c] = r(gamma[c] * invStd[c]);
    newBias[c] = r(r(r(r(bias[c] - mean[c]) * invStd[c]) * gamma[c]) + beta[c]);
  }
  return {
    weight: scaleRows(m.weight, scale, compute, 'mul', arena, inPlace),
    bias: tensorOf((m.bias ?? m.mean).dtype, newBias, [channels]),
  };
}

// The same steps when everything computes in float32 (nearly every model): the parameters are read where
// they lie, and a store into a Float32Array is the last rounding of each step.
function foldedFloat32(
  m: ConvBn,
  channels: number,
  arena: Float32Arena | null | undefined,
  inPlace: boolean,
): { weight: Tensor; bias: Tensor } {
  const f = Math.fround;
  const [mean, variance] = [float32s(m.mean), float32s(m.variance)];
  const [gamma, beta, bias] = [
    m.gamma && float32s(m.gamma),
    m.beta && float32s(m.beta),
    m.bias && float32s(m.bias),
  ];
  const eps = f(m.eps);
  const biasDType = (m.bias ?? m.mean).dtype;
  const scale = new Float32Array(channels);
  const newBias = (biasDType === 'float32' && arena?.take(channels)) || new Float32Array(channels);
  const params = { variance, mean, gamma, beta, bias };
  const wasm =
    wasmKernelsPayOff() &&
    (arena
      ? arena.batchNormFactors(params, eps, scale, newBias)
      : batchNormFactorsFloat32(params, eps, scale, newBias));
  // The same steps in JS (~25 interpreted bytecodes a channel when the kernels are not compiled anyway).
  for (let c = 0; !wasm && c < channels; c++) {
    const invStd = f(1 / f(Math.sqrt(f(variance[c] + eps))));
    const g = gamma ? gamma[c] : 1;
    scale[c] = g * invStd;
    newBias[c] = f(f(f((bias ? bias[c] : 0) - mean[c]) * invStd) * g) + (beta ? beta[c] : 0);
  }
  return {
    weight: scaleRows(m.weight, scale, 'float32', 'mul', arena, inPlace),
    bias:
      biasDType === 'float32'
        ? Tensor.fromStorage(biasDType, newBias, [channels])
        : tensorOf(biasDType, Float64Array.from(newBias), [channels]),
  };
}

// The elements of a tensor that computes in float32: a view of a contiguous float32 tensor, else a copy.
function float32s(t: Tensor): Float32Array {
  return t.dtype === 'float32' && t.isContiguous
    ? (t.storage.data as Float32Array).subarray(t.offset, t.offset + t.numel)
    : Float32Array.from(numbers(t));
}

// From this many foldable floats (16 MiB) on, the folded parameters share a Float32Arena: no copy out of
// the kernel's scratch, and V8 does not answer tens of MB of fresh external memory with a garbage
// collection (~60 ms of marking on resnet50's 94 MB). Below it, separate arrays cost less: the allocator
// hands them memory freed earlier whose pages are mapped already (mobilenet_v3_large's 5.8 MB: 1.4k page
// faults fewer).
const ARENA_MIN_FLOATS = 1 << 22;

// Floats of the float32 weights and biases the batch_norms in `bns` could fold into, with the arena's
// alignment: the arena the run's folded parameters share (an upper bound: candidates that do not match
// cost no memory). A weight folded where it lies needs no room. `scaled` counts every weight's floats.
function foldableFloats(
  bns: readonly Node[],
  inPlace: InPlaceFolds | null,
): { arena: number; scaled: number } {
  let arena = 0;
  let scaled = 0;
  for (const bn of bns) {
    const conv = bn.inputs[0]?.node;
    if (!conv || unsupportedConvReason(conv)) continue;
    const value = conv.inputs[CONV.weight];
    const weight = value && constantTensor(value);
    if (weight?.dtype !== 'float32' || weight.dim === 0) continue;
    scaled += weight.numel;
    arena += weight.shape[0] + 32 + (inPlace?.mayOverwrite(value, weight) ? 0 : weight.numel);
  }
  return { arena, scaled };
}

@pass({
  name: 'fold-conv-bn',
  summary: 'Fold an eval-mode aten::batch_norm into the convolution feeding it (constant weights)',
  statistics: [{ name: 'folded', description: 'batch_norm nodes folded into their convolution' }],
})
export class FoldConvBn implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    let folded = 0;
    const bns = graph.nodesOfKind('aten::batch_norm');
    const inPlace = bns.length ? InPlaceFolds.of(context) : null;
    const floats = bns.length ? foldableFloats(bns, inPlace) : { arena: 0, scaled: 0 };
    expectScaling(floats.scaled);
    const arena = floats.arena >= ARENA_MIN_FLOATS ? Float32Arena.create(floats.arena) : null;
    for (const node of bns) {
      const match = matchConvBn(node);
      if (!match.ok) {
        context.remark(node, `not folded: ${match.reason}`);
        continue;
      }
      rewrite(match.value, arena, inPlace);
      folded++;
    }
    if (folded) context.count('folded', folded);
    return { changed: folded > 0 };
  }
}

// Transforms batch_norm(conv(x, W, b)) into conv(x, W', b'), then drops the batch_norm.
function rewrite(m: ConvBn, arena: Float32Arena | null, inPlace: InPlaceFolds | null): void {
  const overwrite = inPlace?.mayOverwrite(m.conv.inputs[CONV.weight], m.weight) ?? false;
  const { weight, bias } = foldedConvBnParameters(m, arena, overwrite);
  replaceInputWithConstant(m.conv, CONV.weight, weight, 'fused_bn');
  replaceInputWithConstant(m.conv, CONV.bias, bias, 'fused_bn');
  m.bn.output().replaceAllUsesWith(m.conv.output());
  m.bn.destroy();
}
