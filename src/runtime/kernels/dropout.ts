// Dropout family: identity in eval mode (returning the input itself, as ATen does); in training mode a
// seeded Bernoulli mask from the tensor generator (element-wise, per feature map, or alpha-dropout's
// affine form). Not PyTorch's random stream: masks differ from torch's for the same seed.

import { RuntimeError } from '../../errors.js';
import { copyInto } from '../../tensor/convert.js';
import { bernoulli, defaultGenerator, type Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from './arith.js';

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1))
    throw new RuntimeError('INVALID_ARGUMENT', `dropout probability has to be between 0 and 1, but got ${p}`);
}

/** Options of the dropout kernels. */
export interface DropoutOptions {
  /** Per feature map (one draw per [n, c]) instead of per element. */
  feature?: boolean;
  /** Alpha dropout (keeps SELU's mean and variance). */
  alpha?: boolean;
  /** Write the result into the input (dropout_ and friends). */
  inplace?: boolean;
  generator?: Generator;
}

const SELU_ALPHA_PRIME = 1.7580993408473766;

/** dropout / feature_dropout / alpha_dropout / feature_alpha_dropout (and in-place forms). */
export function dropout(input: Tensor, p: number, train: boolean, options: DropoutOptions = {}): Tensor {
  checkP(p);
  if (!train || p === 0 || input.numel === 0) return input;
  if (options.feature && input.dim < 2) {
    throw new RuntimeError('INVALID_ARGUMENT', 'Feature dropout requires at least 2 dimensions in the input');
  }
  const noiseShape = options.feature
    ? [input.shape[0], input.shape[1], ...new Array<number>(input.dim - 2).fill(1)]
    : input.shape;
  const keep = 1 - p;
  let result: Tensor;
  if (p === 1) {
    result = mul(input, Tensor.zeros(input.dtype, []));
  } else {
    const noise = bernoulli(noiseShape, keep, {
      dtype: input.dtype,
      generator: options.generator ?? defaultGenerator,
    });
    if (options.alpha) {
      const a = 1 / Math.sqrt((SELU_ALPHA_PRIME * SELU_ALPHA_PRIME * p + 1) * keep);
      // b = (noise - 1) * alpha' * a + alpha' * a * p; output = input * noise * a + b.
      const b = add(mul(add(noise, -1), SELU_ALPHA_PRIME * a), SELU_ALPHA_PRIME * a * p);
      result = add(mul(input, mul(noise, a)), b);
    } else {
      result = mul(input, mul(noise, 1 / keep));
    }
  }
  return options.inplace ? copyInto(input, result) : result;
}
