// The losses torchvision's detection heads compute on their training path (and users call in scripted
// evaluation code): cross_entropy_loss (class indices or probabilities, weight, ignore_index, label
// smoothing), nll_loss, binary_cross_entropy_with_logits (weight, pos_weight) and smooth_l1_loss, with
// PyTorch 1.13's reductions (0 none, 1 mean, 2 sum) composed the way ATen composes them.

import { RuntimeError } from '../../errors.js';
import { contiguous, toDType } from '../../tensor/convert.js';
import { DTYPES } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, div, mul, sub } from './arith.js';
import { logSigmoid, softmax } from './activation.js';
import { sum } from './reduce.js';
import { abs } from './unary.js';
import { floatArg, intArg, optTensorArg, tensorArg, type KernelTable } from './types.js';

const NONE = 0;
const MEAN = 1;
const SUM = 2;

function reduce(loss: Tensor, reduction: number): Tensor {
  if (reduction === NONE) return loss;
  if (reduction === SUM) return sum(loss);
  if (reduction === MEAN) return div(sum(loss), loss.numel);
  throw new RuntimeError('INVALID_ARGUMENT', `${reduction} is not a valid value for reduction`);
}

/** Per-element weights of the class axis (dim 1, or 0 for an unbatched input) as a broadcastable view. */
function classView(weight: Tensor, input: Tensor, classDim: number): Tensor {
  const shape = input.shape.map((_, d) => (d === classDim ? weight.numel : 1));
  return contiguous(weight).reshape(shape);
}

/** nll_loss over log-probabilities `logp` [N, C, d...] or [C] and class indices `target`. */
export function nllLoss(
  logp: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: number,
  ignoreIndex: number,
): Tensor {
  const classDim = logp.dim === 1 ? 0 : 1;
  const C = logp.shape[classDim];
  const outer = classDim === 0 ? 1 : logp.shape[0];
  const inner = logp.shape.slice(2).reduce((p, q) => p * q, 1);
  const expected = logp.dim === 1 ? [] : [logp.shape[0], ...logp.shape.slice(2)];
  if (target.shape.join() !== expected.join())
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Expected target size [${expected.join(', ')}], got [${target.shape.join(', ')}]`,
    );
  if (DTYPES[target.dtype].isFloatingPoint || target.dtype === 'bool')
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `expected scalar type Long but found ${DTYPES[target.dtype].irName}`,
    );
  if (weight !== null && weight.numel !== C)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`,
    );
  const lp = contiguous(toDType(logp, 'float64')).storage.data as Float64Array;
  const tg = contiguous(toDType(target, 'float64')).storage.data as Float64Array;
  const w = weight === null ? null : (contiguous(toDType(weight, 'float64')).storage.data as Float64Array);
  const losses = new Float64Array(outer * inner);
  let total = 0;
  let weights = 0;
  for (let n = 0; n < outer; n++) {
    for (let i = 0; i < inner; i++) {
      const k = n * inner + i;
      const t = tg[k];
      if (t === ignoreIndex) continue;
      if (!(t >= 0 && t < C)) throw new RuntimeError('INVALID_ARGUMENT', `Target ${t} is out of bounds.`);
      const wt = w === null ? 1 : w[t];
      losses[k] = -wt * lp[(n * C + t) * inner + i];
      total += losses[k];
      weights += wt;
    }
  }
  const out = (values: Float64Array, shape: number[]): Tensor =>
    toDType(Tensor.fromStorage('float64', values, shape), logp.dtype);
  if (reduction === NONE) return out(losses, expected);
  if (reduction === SUM) return out(Float64Array.of(total), []);
  if (reduction === MEAN) return out(Float64Array.of(total / weights), []);
  throw new RuntimeError('INVALID_ARGUMENT', `${reduction} is not a valid value for reduction`);
}

/** aten::cross_entropy_loss: log_softmax over the class axis, then NLL (indices) or a dot with probabilities. */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: number,
  ignoreIndex: number,
  smoothing: number,
): Tensor {
  if (!(smoothing >= 0 && smoothing <= 1))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`,
    );
  const classDim = input.dim === 1 ? 0 : 1;
  const C = input.shape[classDim];
  const logp = softmax(input, classDim, null, true);
  if (DTYPES[target.dtype].isFloatingPoint) {
    // Class probabilities: -(sum over classes of logp * target [* weight]), mean over the other elements.
    if (target.shape.join() !== input.shape.join())
      throw new RuntimeError(
        'SHAPE_MISMATCH',
        `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`,
      );
    const smoothed = smoothing > 0 ? add(mul(target, 1 - smoothing), smoothing / C) : target;
    let terms = mul(logp, smoothed);
    if (weight !== null) terms = mul(terms, classView(weight, input, classDim));
    const loss = mul(sum(terms, [classDim]), -1);
    if (reduction === MEAN) return div(sum(loss), input.numel / C);
    return reduce(loss, reduction);
  }
  const nll = nllLoss(logp, target, weight, reduction, ignoreIndex);
  if (smoothing === 0) return nll;
  // Label smoothing: mix in the loss against the uniform distribution, ignored targets excluded.
  const weighted = weight === null ? logp : mul(logp, classView(weight, input, classDim));
  const perElement = mul(sum(weighted, [classDim]), -1);
  const kept = toDType(
    Tensor.fromArray(
      'bool',
      (contiguous(target).toArray() as (number | bigint)[]).map((t) => Number(t) !== ignoreIndex),
      [...target.shape],
    ),
    perElement.dtype,
  );
  const smooth = mul(perElement, kept);
  let ret: Tensor;
  if (reduction === NONE) ret = smooth;
  else if (reduction === SUM) ret = sum(smooth);
  else if (weight === null) ret = div(sum(smooth), sum(kept));
  else {
    const w = contiguous(toDType(weight, 'float64')).storage.data as Float64Array;
    let total = 0;
    for (const t of contiguous(target).toArray()) if (Number(t) !== ignoreIndex) total += w[Number(t)];
    ret = div(sum(smooth), total);
  }
  return add(mul(nll, 1 - smoothing), mul(ret, smoothing / C));
}

/** aten::binary_cross_entropy_with_logits: (1 - y) x - (1 + (pw - 1) y) log sigmoid(x), times weight. */
export function bceWithLogits(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  posWeight: Tensor | null,
  reduction: number,
): Tensor {
  const logSig = logSigmoid(input);
  const scale = posWeight === null ? null : add(mul(sub(posWeight, 1), target), 1);
  let loss = sub(mul(sub(1, target), input), scale === null ? logSig : mul(scale, logSig));
  if (weight !== null) loss = mul(loss, weight);
  return reduce(loss, reduction);
}

/** aten::smooth_l1_loss: 0.5 d^2 / beta below beta, |d| - 0.5 beta above (plain L1 when beta is 0). */
export function smoothL1(input: Tensor, target: Tensor, reduction: number, beta: number): Tensor {
  if (beta < 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'smooth_l1_loss does not support negative values for beta.');
  const d = abs(sub(input, target));
  if (beta === 0) return reduce(d, reduction);
  const src = contiguous(toDType(d, 'float64')).storage.data as Float64Array;
  const values = src.map((z) => (z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta));
  return reduce(toDType(Tensor.fromStorage('float64', values, [...d.shape]), d.dtype), reduction);
}

const T = tensorArg;

export function lossKernels(): KernelTable {
  return {
    'aten::cross_entropy_loss': (a) =>
      crossEntropy(T(a, 0), T(a, 1), optTensorArg(a, 2), intArg(a, 3), intArg(a, 4), floatArg(a, 5)),
    'aten::nll_loss': (a) => nllLoss(T(a, 0), T(a, 1), optTensorArg(a, 2), intArg(a, 3), intArg(a, 4)),
    'aten::nll_loss_nd': (a) => nllLoss(T(a, 0), T(a, 1), optTensorArg(a, 2), intArg(a, 3), intArg(a, 4)),
    'aten::nll_loss2d': (a) => nllLoss(T(a, 0), T(a, 1), optTensorArg(a, 2), intArg(a, 3), intArg(a, 4)),
    'aten::binary_cross_entropy_with_logits': (a) =>
      bceWithLogits(T(a, 0), T(a, 1), optTensorArg(a, 2), optTensorArg(a, 3), intArg(a, 4)),
    'aten::smooth_l1_loss': (a) => smoothL1(T(a, 0), T(a, 1), intArg(a, 2), floatArg(a, 3)),
    // retinanet's box regression loss (a training path the sweep's models carry).
    'aten::l1_loss': (a) => reduce(abs(sub(T(a, 0), T(a, 1))), intArg(a, 2)),
  };
}
