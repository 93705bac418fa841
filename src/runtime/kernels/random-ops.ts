// Random operators of training paths (stochastic depth's bernoulli_, detection samplers' randperm,
// initialisers' uniform_/normal_) and WaveRNN's multinomial sampling. They draw from tsfreeze's seeded
// generator (src/tensor/random.ts, xoshiro128**): the distributions, shapes, dtypes and argument checks
// are PyTorch 1.13's, the streams are not (the same torch.manual_seed gives other numbers; see
// docs/kernels.md). An explicit torch.Generator argument is refused.

import { RuntimeError, UnsupportedError } from '../../errors.js';
import { contiguous, copyInto, toDType } from '../../tensor/convert.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { expand } from '../../tensor/views.js';
import {
  boolArg,
  floatArg,
  intArg,
  optDtypeArg,
  tensorArg as T,
  type KernelArg,
  type KernelTable,
} from './types.js';

/** The generator argument at `i`: only None (the default generator) is supported. */
function generatorAt(a: readonly KernelArg[], i: number): Generator {
  if (a[i] !== null && a[i] !== undefined)
    throw new UnsupportedError(
      'an explicit torch.Generator is not supported; tsfreeze uses its own seeded generator',
    );
  return defaultGenerator;
}

/** Fills `self` (any layout) with `draw()` per element, converting to its dtype. */
function fill(self: Tensor, draw: (i: number) => number): Tensor {
  const values = new Float64Array(self.numel);
  for (let i = 0; i < values.length; i++) values[i] = draw(i);
  return copyInto(self, toDType(Tensor.fromStorage('float64', values, [...self.shape]), self.dtype));
}

function requireFloat(t: Tensor, what: string): void {
  if (!DTYPES[t.dtype].isFloatingPoint)
    throw new RuntimeError('DTYPE_MISMATCH', `"${what}" not implemented for '${DTYPES[t.dtype].irName}'`);
}

/** A uniform draw in [0, 1) with the precision of `dtype`. */
function unit(g: Generator, dtype: DType): number {
  return dtype === 'float64' ? g.random() : g.randomFloat32();
}

/** Tensor.bernoulli_(p): 1 with probability p, else 0, in place. */
export function bernoulliScalar_(self: Tensor, p: number, g = defaultGenerator): Tensor {
  if (!(p >= 0 && p <= 1))
    throw new RuntimeError('INVALID_ARGUMENT', `bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  return fill(self, () => (g.random() < p ? 1 : 0));
}

/** Tensor.bernoulli_(p_tensor) / torch.bernoulli(p_tensor): per-element probabilities, broadcast to self. */
export function bernoulliTensor_(self: Tensor, p: Tensor, g = defaultGenerator): Tensor {
  const probs = contiguous(toDType(expand(p, [...self.shape]), 'float64')).storage.data as Float64Array;
  for (const q of probs)
    if (!(q >= 0 && q <= 1))
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        'Expected p_in >= 0 && p_in <= 1 to be true, but got false.',
      );
  return fill(self, (i) => (g.random() < probs[i] ? 1 : 0));
}

/** Tensor.uniform_(from, to). */
export function uniform_(self: Tensor, from: number, to: number, g = defaultGenerator): Tensor {
  requireFloat(self, 'check_uniform_bounds');
  if (!(from <= to))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`,
    );
  return fill(self, () => from + unit(g, self.dtype) * (to - from));
}

/** Tensor.normal_(mean, std). */
export function normal_(self: Tensor, mean: number, std: number, g = defaultGenerator): Tensor {
  requireFloat(self, 'normal_kernel_cpu');
  if (!(std >= 0))
    throw new RuntimeError('INVALID_ARGUMENT', `normal expects std >= 0.0, but found std ${std}`);
  return fill(self, () => mean + std * g.normal());
}

/** torch.randperm(n): a uniformly random permutation of 0..n-1 (Fisher-Yates). */
export function randperm(n: number, dtype: DType = 'int64', g = defaultGenerator): Tensor {
  if (n < 0)
    throw new RuntimeError('INVALID_SHAPE', `Trying to create tensor with negative dimension ${n}: [${n}]`);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.random() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return toDType(Tensor.fromStorage('float64', Float64Array.from(perm), [n]), dtype);
}

/** torch.multinomial(probs, n, replacement) over the last dim of a 1-d or 2-d tensor of weights. */
export function multinomial(
  probs: Tensor,
  samples: number,
  replacement: boolean,
  g = defaultGenerator,
): Tensor {
  if (!DTYPES[probs.dtype].isFloatingPoint)
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `multinomial only supports floating-point dtypes for input, got: ${DTYPES[probs.dtype].irName}`,
    );
  if (probs.dim < 1 || probs.dim > 2)
    throw new RuntimeError('INVALID_ARGUMENT', 'prob_dist must be 1 or 2 dim');
  const categories = probs.shape[probs.dim - 1];
  if (samples <= 0) throw new RuntimeError('INVALID_ARGUMENT', 'cannot sample n_sample <= 0 samples');
  if (!replacement && samples > categories)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'cannot sample n_sample > prob_dist.size(-1) samples without replacement',
    );
  const rows = probs.dim === 1 ? 1 : probs.shape[0];
  const p = contiguous(toDType(probs, 'float64')).storage.data as Float64Array;
  const out = new Float64Array(rows * samples);
  for (let r = 0; r < rows; r++) {
    const row = p.subarray(r * categories, (r + 1) * categories);
    let total = 0;
    for (const w of row) {
      if (!(w >= 0) || !Number.isFinite(w))
        throw new RuntimeError(
          'INVALID_ARGUMENT',
          'probability tensor contains either `inf`, `nan` or element < 0',
        );
      total += w;
    }
    if (!(total > 0))
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        'invalid multinomial distribution (sum of probabilities <= 0)',
      );
    if (replacement) {
      // Inverse CDF per draw.
      for (let s = 0; s < samples; s++) {
        const u = g.random() * total;
        let k = 0;
        for (let acc = row[0]; acc <= u && k < categories - 1; acc += row[++k]);
        while (row[k] === 0 && k > 0) k--; // never land on a zero-weight category through rounding
        out[r * samples + s] = k;
      }
    } else {
      // As PyTorch: keys w / Exp(1), the `samples` largest win (a weighted draw without replacement).
      const keys = Array.from(row, (w) => w / -Math.log(1 - g.random()));
      const order = keys.map((_, k) => k).sort((x, y) => keys[y] - keys[x] || x - y);
      for (let s = 0; s < samples; s++) out[r * samples + s] = order[s];
    }
  }
  const shape = probs.dim === 1 ? [samples] : [rows, samples];
  return toDType(Tensor.fromStorage('float64', out, shape), 'int64');
}

/** A new tensor shaped like `t` (same dtype) for the functional forms. */
const like = (t: Tensor): Tensor => Tensor.zeros(t.dtype, [...t.shape]);

export function randomOpKernels(): KernelTable {
  return {
    'aten::bernoulli_.float': (a) => bernoulliScalar_(T(a, 0), floatArg(a, 1), generatorAt(a, 2)),
    'aten::bernoulli_.Tensor': (a) => bernoulliTensor_(T(a, 0), T(a, 1), generatorAt(a, 2)),
    'aten::bernoulli': (a) => {
      requireFloat(T(a, 0), 'bernoulli_tensor_cpu_p_');
      return bernoulliTensor_(like(T(a, 0)), T(a, 0), generatorAt(a, 1));
    },
    'aten::bernoulli.p': (a) => bernoulliScalar_(like(T(a, 0)), floatArg(a, 1), generatorAt(a, 2)),
    'aten::uniform_': (a) => uniform_(T(a, 0), floatArg(a, 1), floatArg(a, 2), generatorAt(a, 3)),
    'aten::normal_': (a) => normal_(T(a, 0), floatArg(a, 1), floatArg(a, 2), generatorAt(a, 3)),
    'aten::randperm': (a) => randperm(intArg(a, 0), optDtypeArg(a, 1) ?? 'int64'),
    'aten::randperm.generator': (a) =>
      randperm(intArg(a, 0), optDtypeArg(a, 2) ?? 'int64', generatorAt(a, 1)),
    'aten::multinomial': (a) => multinomial(T(a, 0), intArg(a, 1), boolArg(a, 2), generatorAt(a, 3)),
  };
}
