// Kernel table entries for speech and text models: STFT/ISTFT and torch.fft, window functions, complex
// tensors (views, magnitude/phase, arithmetic, and complex inputs to the structural ops through their
// real and imaginary parts), packed sequences and recurrent layers on packed data, repeat_interleave,
// unfold, logaddexp, cpu(). `speechKernels(base)` wraps some of `base`'s kernels to accept complex input.

import { DTYPES } from '../../tensor/dtype.js';
import { rand } from '../../tensor/random.js';
import { normalizeDim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import * as cx from './complex.js';
import { packPaddedSequence, padPackedSequence, rnnPacked } from './packed.js';
import * as seq from './sequence.js';
import * as sp from './spectral.js';
import {
  boolArg,
  floatArg,
  intArg,
  optBoolArg,
  optDtypeArg,
  optIntArg,
  optStrArg,
  optTensorArg,
  scalarArg,
  strArg,
  tensorArg,
  tensorListArg,
  type Kernel,
  type KernelArg,
  type KernelTable,
} from './types.js';

const T = tensorArg;

const stftArgs = (a: readonly KernelArg[], normalizedAt: number): sp.StftArgs => ({
  nFft: intArg(a, 1),
  hopLength: optIntArg(a, 2),
  winLength: optIntArg(a, 3),
  window: optTensorArg(a, 4),
  normalized: boolArg(a, normalizedAt),
  onesided: optBoolArg(a, normalizedAt + 1),
  returnComplex: optBoolArg(a, normalizedAt + 2),
});

function spectralKernels(t: KernelTable): void {
  t['aten::stft'] = (a) => sp.stft(T(a, 0), stftArgs(a, 5));
  t['aten::stft.center'] = (a) => sp.stftCentered(T(a, 0), stftArgs(a, 7), boolArg(a, 5), strArg(a, 6));
  t['aten::istft'] = (a) =>
    sp.istft(T(a, 0), {
      ...stftArgs(a, 6),
      returnComplex: boolArg(a, 9),
      center: boolArg(a, 5),
      length: optIntArg(a, 8),
    });
  t['aten::fft_fft'] = (a) => sp.fftC2C(T(a, 0), optIntArg(a, 1), intArg(a, 2), optStrArg(a, 3), false);
  t['aten::fft_ifft'] = (a) => sp.fftC2C(T(a, 0), optIntArg(a, 1), intArg(a, 2), optStrArg(a, 3), true);
  t['aten::fft_rfft'] = (a) => sp.rfft(T(a, 0), optIntArg(a, 1), intArg(a, 2), optStrArg(a, 3));
  t['aten::fft_irfft'] = (a) => sp.irfft(T(a, 0), optIntArg(a, 1), intArg(a, 2), optStrArg(a, 3));
  const dtypeAt = (a: readonly KernelArg[], i: number) => optDtypeArg(a, i) ?? 'float32';
  const cosine =
    (coeffs: (a: readonly KernelArg[]) => number[], periodicAt: number | null, dtypeIdx: number): Kernel =>
    (a) =>
      seq.cosineWindow(
        intArg(a, 0),
        periodicAt === null ? true : boolArg(a, periodicAt),
        coeffs(a),
        dtypeAt(a, dtypeIdx),
      );
  t['aten::hann_window'] = cosine(() => [0.5, 0.5], null, 1);
  t['aten::hann_window.periodic'] = cosine(() => [0.5, 0.5], 1, 2);
  t['aten::hamming_window'] = cosine(() => [0.54, 0.46], null, 1);
  t['aten::hamming_window.periodic'] = cosine(() => [0.54, 0.46], 1, 2);
  t['aten::hamming_window.periodic_alpha'] = cosine((a) => [floatArg(a, 2), 1 - floatArg(a, 2)], 1, 3);
  t['aten::hamming_window.periodic_alpha_beta'] = cosine((a) => [floatArg(a, 2), floatArg(a, 3)], 1, 4);
  t['aten::blackman_window'] = cosine(() => [0.42, 0.5, 0.08], null, 1);
  t['aten::blackman_window.periodic'] = cosine(() => [0.42, 0.5, 0.08], 1, 2);
  t['aten::bartlett_window'] = (a) => seq.bartlettWindow(intArg(a, 0), true, dtypeAt(a, 1));
  t['aten::bartlett_window.periodic'] = (a) => seq.bartlettWindow(intArg(a, 0), boolArg(a, 1), dtypeAt(a, 2));
  t['aten::kaiser_window'] = (a) => seq.kaiserWindow(intArg(a, 0), true, 12, dtypeAt(a, 1));
  t['aten::kaiser_window.periodic'] = (a) => seq.kaiserWindow(intArg(a, 0), boolArg(a, 1), 12, dtypeAt(a, 2));
  t['aten::kaiser_window.beta'] = (a) =>
    seq.kaiserWindow(intArg(a, 0), boolArg(a, 1), floatArg(a, 2), dtypeAt(a, 3));
}

function complexKernels(t: KernelTable): void {
  t['aten::view_as_real'] = (a) => cx.viewAsReal(T(a, 0));
  t['aten::view_as_complex'] = (a) => cx.viewAsComplex(T(a, 0));
  t['aten::real'] = (a) => cx.realPart(T(a, 0));
  t['aten::imag'] = (a) => cx.imagPart(T(a, 0));
  t['aten::angle'] = (a) => cx.angle(T(a, 0));
  t['aten::polar'] = (a) => cx.polar(T(a, 0), T(a, 1));
  t['aten::complex'] = (a) => cx.complexFromParts(T(a, 0), T(a, 1));
  t['aten::conj'] = (a) => cx.conj(T(a, 0));
  t['aten::_conj'] = (a) => cx.conj(T(a, 0));
  t['aten::conj_physical'] = (a) => cx.conj(T(a, 0));
  t['aten::resolve_conj'] = (a) => T(a, 0);
}

function sequenceKernels(t: KernelTable): void {
  t['aten::_pack_padded_sequence'] = (a) => packPaddedSequence(T(a, 0), T(a, 1), boolArg(a, 2));
  t['aten::_pad_packed_sequence'] = (a) =>
    padPackedSequence(T(a, 0), T(a, 1), boolArg(a, 2), Number(floatArg(a, 3)), intArg(a, 4));
  t['aten::lstm.data'] = (a) =>
    rnnPacked(
      'lstm',
      T(a, 0),
      T(a, 1),
      tensorListArg(a, 2),
      tensorListArg(a, 3),
      boolArg(a, 4),
      intArg(a, 5),
      floatArg(a, 6),
      boolArg(a, 7),
      boolArg(a, 8),
    );
  for (const mode of ['gru', 'rnn_tanh', 'rnn_relu'] as const)
    t[`aten::${mode}.data`] = (a) =>
      rnnPacked(
        mode,
        T(a, 0),
        T(a, 1),
        [T(a, 2)],
        tensorListArg(a, 3),
        boolArg(a, 4),
        intArg(a, 5),
        floatArg(a, 6),
        boolArg(a, 7),
        boolArg(a, 8),
      );
  t['aten::repeat_interleave.self_int'] = (a) =>
    seq.repeatInterleave(T(a, 0), intArg(a, 1), optIntArg(a, 2), optIntArg(a, 3));
  t['aten::repeat_interleave.self_Tensor'] = (a) =>
    seq.repeatInterleave(T(a, 0), T(a, 1), optIntArg(a, 2), optIntArg(a, 3));
  t['aten::repeat_interleave.Tensor'] = (a) => seq.repeatIndices(T(a, 0), optIntArg(a, 1));
  t['aten::unfold'] = (a) => seq.unfold(T(a, 0), intArg(a, 1), intArg(a, 2), intArg(a, 3));
  t['aten::logaddexp'] = (a) => seq.logaddexp(T(a, 0), T(a, 1));
  t['aten::logaddexp2'] = (a) => seq.logaddexp(T(a, 0), T(a, 1), true);
  t['aten::stride'] = (a) => [...T(a, 0).strides];
  t['aten::stride.int'] = (a) => T(a, 0).strides[normalizeDim(intArg(a, 1), T(a, 0).dim)];
  // Everything runs on the CPU: cpu() returns the tensor itself, as PyTorch does for a CPU tensor.
  t['aten::cpu'] = (a) => T(a, 0);
}

const anyComplex = (args: readonly KernelArg[]): boolean =>
  args.some((v) => cx.isComplexTensor(v) || (Array.isArray(v) && v.some((x) => cx.isComplexTensor(x))));

// a op alpha*b, b op alpha*a (rsub), with the alpha argument at `alphaAt` when the overload has one.
function complexArith(fn: cx.ComplexFn, alphaAt: number | null, inplace: boolean, swap = false): Kernel {
  return (a) => {
    const x = a[0] as Tensor;
    const y = a[1] instanceof Tensor ? a[1] : scalarArg(a, 1);
    const alpha = alphaAt === null ? 1 : scalarArg(a, alphaAt);
    if (swap) return cx.complexBinary(fn, y, x, alpha);
    return cx.complexBinary(fn, x, y, alpha, inplace ? x : undefined);
  };
}

const ARITH: Record<string, Kernel> = {
  'aten::add.Tensor': complexArith(cx.COMPLEX_ADD, 2, false),
  'aten::add.Scalar': complexArith(cx.COMPLEX_ADD, 2, false),
  'aten::add_.Tensor': complexArith(cx.COMPLEX_ADD, 2, true),
  'aten::add_.Scalar': complexArith(cx.COMPLEX_ADD, 2, true),
  'aten::sub.Tensor': complexArith(cx.COMPLEX_SUB, 2, false),
  'aten::sub.Scalar': complexArith(cx.COMPLEX_SUB, 2, false),
  'aten::sub_.Tensor': complexArith(cx.COMPLEX_SUB, 2, true),
  'aten::sub_.Scalar': complexArith(cx.COMPLEX_SUB, 2, true),
  'aten::rsub.Tensor': complexArith(cx.COMPLEX_SUB, 2, false, true),
  'aten::rsub.Scalar': complexArith(cx.COMPLEX_SUB, 2, false, true),
  'aten::mul.Tensor': complexArith(cx.COMPLEX_MUL, null, false),
  'aten::mul.Scalar': complexArith(cx.COMPLEX_MUL, null, false),
  'aten::mul_.Tensor': complexArith(cx.COMPLEX_MUL, null, true),
  'aten::mul_.Scalar': complexArith(cx.COMPLEX_MUL, null, true),
  'aten::div.Tensor': complexArith(cx.COMPLEX_DIV, null, false),
  'aten::div.Scalar': complexArith(cx.COMPLEX_DIV, null, false),
  'aten::div_.Tensor': complexArith(cx.COMPLEX_DIV, null, true),
  'aten::div_.Scalar': complexArith(cx.COMPLEX_DIV, null, true),
  'aten::abs': (a) => cx.complexAbs(T(a, 0)),
};

/**
 * Ops that are linear in some tensor arguments and only move or combine elements: on complex input they
 * run on the real and imaginary parts separately. `data` are those argument positions (a Tensor or a
 * Tensor[]); `zeroForImag` are fill values that apply to the real part only.
 */
const PARTWISE: Record<string, { data: number[]; zeroForImag?: number[] }> = {
  'aten::cat': { data: [0] },
  'aten::stack': { data: [0] },
  'aten::index_select': { data: [0] },
  'aten::gather': { data: [0] },
  'aten::index.Tensor': { data: [0] },
  'aten::flip': { data: [0] },
  'aten::roll': { data: [0] },
  'aten::repeat': { data: [0] },
  'aten::neg': { data: [0] },
  'aten::sum': { data: [0] },
  'aten::sum.dim_IntList': { data: [0] },
  'aten::mean': { data: [0] },
  'aten::mean.dim': { data: [0] },
  'aten::cumsum': { data: [0] },
  'aten::where.self': { data: [1, 2] },
  'aten::pad': { data: [0], zeroForImag: [3] },
  'aten::constant_pad_nd': { data: [0], zeroForImag: [2] },
  'aten::masked_fill.Scalar': { data: [0], zeroForImag: [2] },
};

function partwise(base: Kernel, spec: { data: number[]; zeroForImag?: number[] }): Kernel {
  return (a) => {
    const part = (v: KernelArg, imag: boolean): KernelArg => {
      if (Array.isArray(v)) return v.map((x) => part(x, imag));
      if (!(v instanceof Tensor)) return v;
      if (cx.isComplexTensor(v)) return imag ? cx.imagPart(v) : cx.realPart(v);
      return imag ? Tensor.zeros(v.dtype, v.shape) : v;
    };
    const argsFor = (imag: boolean): KernelArg[] =>
      a.map((v, i) => {
        if (spec.data.includes(i)) return part(v, imag);
        if (imag && spec.zeroForImag?.includes(i) && v !== null) return 0;
        return v;
      });
    const re = base(argsFor(false)) as Tensor;
    const im = base(argsFor(true)) as Tensor;
    return cx.complexFromParts(re, im);
  };
}

// Random complex tensors draw real and imaginary parts independently.
function complexRand(
  base: Kernel,
  shapeOf: (a: readonly KernelArg[]) => number[],
  dtypeAt: number,
  like = false,
): Kernel {
  return (a) => {
    const d = optDtypeArg(a, dtypeAt) ?? (like ? T(a, 0).dtype : null);
    if (d === null || !DTYPES[d].isComplex) return base(a);
    const parts = rand([...shapeOf(a), 2], { dtype: cx.partDType(d) });
    return cx.viewAsComplex(parts);
  };
}

/** The entries of this file; `base` holds the kernels the complex wrappers fall back to. */
export function speechKernels(base: Readonly<KernelTable>): KernelTable {
  const t: KernelTable = {};
  spectralKernels(t);
  complexKernels(t);
  sequenceKernels(t);
  for (const [name, kernel] of Object.entries(ARITH)) {
    const real = base[name];
    if (real) t[name] = (a) => (anyComplex(a) ? kernel(a) : real(a));
  }
  for (const [name, spec] of Object.entries(PARTWISE)) {
    const real = base[name];
    if (real) {
      const wrapped = partwise(real, spec);
      t[name] = (a) => (anyComplex(a) ? wrapped(a) : real(a));
    }
  }
  if (base['aten::rand'])
    t['aten::rand'] = complexRand(base['aten::rand'], (a) => (a[0] as number[]).map(Number), 1);
  if (base['aten::rand_like'])
    t['aten::rand_like'] = complexRand(base['aten::rand_like'], (a) => [...T(a, 0).shape], 1, true);
  return t;
}
