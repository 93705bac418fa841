// torch.einsum: repeated labels of one operand become diagonals, labels nobody needs any more are summed
// out, and operands are contracted left to right, each pair as one batched matrix product on the GEMM
// (batch = labels both keep, M / N = labels only one side keeps, K = labels contracted) or, when nothing
// is contracted, as a broadcast multiply. Size-1 dimensions broadcast against a label's other sizes, as in
// PyTorch 1.13. The optional contraction `path` (opt_einsum's order) only changes rounding: ignored.

import { RuntimeError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { diagonal, expand, permute, reshape, transpose } from '../../tensor/views.js';
import { mul } from './arith.js';
import { labelName, parseEinsum } from './einsum-equation.js';
import { bmm } from './linalg.js';
import { sum } from './reduce.js';
import { intArg, strArg, tensorArg, tensorListArg, type KernelTable } from './types.js';

/** A tensor with one label per dimension. */
interface Term {
  t: Tensor;
  labels: number[];
}

// Dtypes PyTorch 1.13's CPU bmm refuses (einsum contracts with bmm).
const NO_BMM: Record<string, string> = { float16: 'Half', bfloat16: 'BFloat16', bool: 'Bool' };

/** Takes the diagonal over every repeated label, so each label names one dimension. */
function distinctLabels(t: Tensor, labels: number[], k: number): Term {
  for (;;) {
    const j = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (j < 0) return { t, labels };
    const i = labels.indexOf(labels[j]);
    if (t.shape[i] !== t.shape[j])
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `einsum(): subscript ${labelName(labels[i])} is repeated for operand ${k} but the sizes don't match, ${t.shape[j]} != ${t.shape[i]}`,
      );
    const l = labels[i];
    t = diagonal(t, 0, i, j);
    labels = [...labels.filter((_, d) => d !== i && d !== j), l];
  }
}

/** Sums out the dimensions whose labels `keep` rejects. */
function sumOut(term: Term, keep: (label: number) => boolean): Term {
  const dims = term.labels.flatMap((l, d) => (keep(l) ? [] : [d]));
  if (!dims.length) return term;
  return { t: sum(term.t, dims, false), labels: term.labels.filter((l) => keep(l)) };
}

/** The term's tensor with its dims in `order` (labels it lacks become size-1 dims). */
function arrange(term: Term, order: readonly number[]): Tensor {
  const perm = order.flatMap((l) => {
    const d = term.labels.indexOf(l);
    return d < 0 ? [] : [d];
  });
  const moved = permute(term.t, perm);
  return reshape(
    moved,
    order.map((l) => {
      const d = term.labels.indexOf(l);
      return d < 0 ? 1 : term.t.shape[d];
    }),
  );
}

const product = (xs: readonly number[]): number => xs.reduce((p, q) => p * q, 1);

/** Contracts two terms; `needed` says which labels the output or later operands still use. */
function contract(a: Term, b: Term, needed: (label: number) => boolean): Term {
  a = sumOut(a, (l) => needed(l) || b.labels.includes(l));
  b = sumOut(b, (l) => needed(l) || a.labels.includes(l));
  const sizeOf = (x: Term, l: number): number => x.t.shape[x.labels.indexOf(l)];
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter(needed);
  const contracted = shared.filter((l) => !needed(l));
  // A contracted label of size 1 on one side: sum the other side over it first (keeping a size-1 dim).
  const collapse = (x: Term, l: number): Term => ({
    t: sum(x.t, [x.labels.indexOf(l)], true),
    labels: x.labels,
  });
  for (const l of contracted) {
    if (sizeOf(a, l) === 1 && sizeOf(b, l) !== 1) b = collapse(b, l);
    else if (sizeOf(b, l) === 1 && sizeOf(a, l) !== 1) a = collapse(a, l);
  }
  const left = a.labels.filter((l) => !shared.includes(l));
  const right = b.labels.filter((l) => !shared.includes(l));
  const batchSizes = batch.map((l) => Math.max(sizeOf(a, l), sizeOf(b, l)));
  const mSizes = left.map((l) => sizeOf(a, l));
  const nSizes = right.map((l) => sizeOf(b, l));
  const labels = [...batch, ...left, ...right];
  if (!contracted.length) {
    return { t: mul(arrange(a, labels), arrange(b, labels)), labels };
  }
  if (NO_BMM[a.t.dtype] !== undefined)
    throw new RuntimeError('DTYPE_MISMATCH', `"bmm" not implemented for '${NO_BMM[a.t.dtype]}'`);
  const kSizes = contracted.map((l) => sizeOf(a, l));
  const [B, M, N, K] = [product(batchSizes), product(mSizes), product(nSizes), product(kSizes)];
  const x = expand(arrange(a, [...batch, ...left, ...contracted]), [...batchSizes, ...mSizes, ...kSizes]);
  const y = expand(arrange(b, [...batch, ...contracted, ...right]), [...batchSizes, ...kSizes, ...nSizes]);
  const out = bmm(reshape(x, [B, M, K]), reshape(y, [B, K, N]));
  return { t: reshape(out, [...batchSizes, ...mSizes, ...nSizes]), labels };
}

/** Checks that every label's sizes agree or broadcast (size 1). */
function checkSizes(terms: readonly Term[]): void {
  const seen = new Map<number, number>();
  terms.forEach((term, k) =>
    term.labels.forEach((l, d) => {
      const s = term.t.shape[d];
      const prev = seen.get(l);
      if (prev === undefined || prev === 1) seen.set(l, s);
      else if (s !== 1 && s !== prev)
        throw new RuntimeError(
          'SHAPE_MISMATCH',
          `einsum(): subscript ${l >= 52 ? '...' : labelName(l)} has size ${s} for operand ${k} which does not broadcast with previously seen size ${prev}`,
        );
    }),
  );
}

/** torch.einsum(equation, operands). */
export function einsum(equation: string, operands: readonly Tensor[]): Tensor {
  if (!operands.length)
    throw new RuntimeError('INVALID_ARGUMENT', 'einsum(): must provide at least one operand');
  const eq = parseEinsum(
    equation,
    operands.map((t) => t.dim),
  );
  const terms = operands.map((t, k) => distinctLabels(t, eq.operands[k], k));
  checkSizes(terms);
  const output = new Set(eq.output);
  const usedFrom = (k: number) => (l: number) =>
    output.has(l) || terms.slice(k).some((t) => t.labels.includes(l));
  let acc = sumOut(terms[0], (l) => usedFrom(1)(l));
  for (let k = 1; k < terms.length; k++) acc = contract(acc, terms[k], usedFrom(k + 1));
  acc = sumOut(acc, (l) => output.has(l));
  return permute(
    acc.t,
    eq.output.map((l) => acc.labels.indexOf(l)),
  );
}

export function einsumKernels(): KernelTable {
  return {
    'aten::einsum': (a) => einsum(strArg(a, 0), tensorListArg(a, 1)),
    // torch.swapaxes / swapdims are transpose (the loader normalizes them; graphs built by hand keep them).
    'aten::swapaxes': (a) => transpose(tensorArg(a, 0), intArg(a, 1), intArg(a, 2)),
    'aten::swapdims': (a) => transpose(tensorArg(a, 0), intArg(a, 1), intArg(a, 2)),
  };
}
