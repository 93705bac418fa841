// Short-time Fourier transforms and the torch.fft functions on the last dim, as PyTorch 1.13's
// SpectralOps.cpp defines them: stft frames a 1D/2D signal with a window centred in n_fft (the
// `center` padding is done by the caller, or by the stft.center overload), istft inverts by windowed
// overlap-add divided by the summed squared window. Transforms run in float64 (fft.ts).

import { RuntimeError, UnsupportedError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { normalizeDim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { movedim, transpose } from '../../tensor/views.js';
import {
  complexFromParts,
  complexOf,
  fromParts,
  fromReal,
  imagPart,
  partDType,
  partsOf,
  realPart,
  viewAsComplex,
  viewAsReal,
  type ComplexParts,
} from './complex.js';
import { dftRows } from './fft.js';
import { pad } from './shape.js';

/** The `norm` modes of torch.fft: where the 1/n goes. */
export type FftNorm = 'backward' | 'forward' | 'ortho';

function normScale(norm: string | null, n: number, inverse: boolean): number {
  const mode = (norm ?? 'backward') as FftNorm;
  if (mode === 'ortho') return 1 / Math.sqrt(n);
  if (mode === 'forward') return inverse ? 1 : 1 / n;
  if (mode === 'backward') return inverse ? 1 / n : 1;
  throw new RuntimeError('INVALID_ARGUMENT', `Invalid normalization mode: "${String(norm)}"`);
}

function floatDType(d: DType): DType {
  if (DTYPES[d].isComplex) return partDType(d);
  return d === 'float64' ? 'float64' : 'float32';
}

// Rows of the last dim, resized to n (cropped or zero-padded), as float64 parts.
function rowsOf(t: Tensor, n: number): { re: Float64Array; im: Float64Array; rows: number } {
  const len = t.shape[t.dim - 1];
  const rows = len === 0 ? t.numel : t.numel / len;
  const src = partsOf(t);
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  const keep = Math.min(len, n);
  for (let r = 0; r < rows; r++) {
    re.set(src.re.subarray(r * len, r * len + keep), r * n);
    im.set(src.im.subarray(r * len, r * len + keep), r * n);
  }
  return { re, im, rows };
}

function onLastDim(t: Tensor, dim: number, fn: (x: Tensor) => Tensor): Tensor {
  const d = normalizeDim(dim, t.dim);
  if (d === t.dim - 1) return fn(t);
  return movedim(fn(movedim(t, d, t.dim - 1)), t.dim - 1, d);
}

/** torch.fft.fft / ifft along `dim`. */
export function fftC2C(
  t: Tensor,
  n: number | null,
  dim: number,
  norm: string | null,
  inverse: boolean,
): Tensor {
  if (t.dim === 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'fft: expected a tensor with at least one dimension');
  return onLastDim(t, dim, (x) => {
    const len = n ?? x.shape[x.dim - 1];
    if (len < 1)
      throw new RuntimeError('INVALID_ARGUMENT', `Invalid number of data points (${len}) specified`);
    const { re, im } = rowsOf(x, len);
    dftRows(re, im, len, inverse, normScale(norm, len, inverse));
    return fromParts({ re, im }, [...x.shape.slice(0, -1), len], complexOf(floatDType(x.dtype)));
  });
}

/** torch.fft.rfft along `dim`: the n/2+1 non-negative frequencies of a real signal. */
export function rfft(t: Tensor, n: number | null, dim: number, norm: string | null): Tensor {
  if (DTYPES[t.dtype].isComplex)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'rfft expects a real input tensor, but got ' + DTYPES[t.dtype].irName,
    );
  return onLastDim(t, dim, (x) => {
    const len = n ?? x.shape[x.dim - 1];
    if (len < 1)
      throw new RuntimeError('INVALID_ARGUMENT', `Invalid number of data points (${len}) specified`);
    const { re, im, rows } = rowsOf(x, len);
    dftRows(re, im, len, false, normScale(norm, len, false));
    const bins = Math.floor(len / 2) + 1;
    const ore = new Float64Array(rows * bins);
    const oim = new Float64Array(rows * bins);
    for (let r = 0; r < rows; r++) {
      ore.set(re.subarray(r * len, r * len + bins), r * bins);
      oim.set(im.subarray(r * len, r * len + bins), r * bins);
    }
    return fromParts({ re: ore, im: oim }, [...x.shape.slice(0, -1), bins], complexOf(floatDType(x.dtype)));
  });
}

/** torch.fft.irfft along `dim`: a real signal of length n (default 2*(bins-1)) from Hermitian bins. */
export function irfft(t: Tensor, n: number | null, dim: number, norm: string | null): Tensor {
  return onLastDim(t, dim, (x) => {
    const bins = x.shape[x.dim - 1];
    const len = n ?? 2 * (bins - 1);
    if (len < 1)
      throw new RuntimeError('INVALID_ARGUMENT', `Invalid number of data points (${len}) specified`);
    const use = Math.min(bins, Math.floor(len / 2) + 1);
    const src = partsOf(x);
    const rows = bins === 0 ? 0 : src.re.length / bins;
    const re = new Float64Array(rows * len);
    const im = new Float64Array(rows * len);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < use; k++) {
        re[r * len + k] = src.re[r * bins + k];
        im[r * len + k] = src.im[r * bins + k];
        // Hermitian symmetry fills the negative frequencies.
        if (k > 0 && len - k > k) {
          re[r * len + len - k] = src.re[r * bins + k];
          im[r * len + len - k] = -src.im[r * bins + k];
        }
      }
    }
    dftRows(re, im, len, true, normScale(norm, len, true));
    const out = new Float64Array(rows * len);
    for (let i = 0; i < out.length; i++) out[i] = re[i];
    return fromReal(out, [...x.shape.slice(0, -1), len], floatDType(x.dtype));
  });
}

/** The window a STFT applies: given (or ones) of win_length, zero-padded to n_fft around its centre. */
function stftWindow(window: Tensor | null, nFft: number, winLength: number, what: string): ComplexParts {
  if (window !== null && (window.dim !== 1 || window.shape[0] !== winLength))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `${what}: expected a 1D window tensor of size equal to win_length=${winLength}, but got window with size [${window.shape.join(', ')}]`,
    );
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  const left = Math.floor((nFft - winLength) / 2);
  const values = window === null ? null : partsOf(window);
  for (let k = 0; k < winLength; k++) {
    re[left + k] = values === null ? 1 : values.re[k];
    im[left + k] = values === null ? 0 : values.im[k];
  }
  return { re, im };
}

/** Arguments of aten::stft (after the caller's centre padding). */
export interface StftArgs {
  readonly nFft: number;
  readonly hopLength: number | null;
  readonly winLength: number | null;
  readonly window: Tensor | null;
  readonly normalized: boolean;
  readonly onesided: boolean | null;
  readonly returnComplex: boolean | null;
}

/** torch.stft: (B?, n_freq, n_frames) complex, as the transpose of a (B?, n_frames, n_freq) result. */
export function stft(input: Tensor, a: StftArgs): Tensor {
  const complexIn = DTYPES[input.dtype].isComplex || (a.window !== null && DTYPES[a.window.dtype].isComplex);
  // PyTorch 1.13 only warns when return_complex is left out for real input, and returns (re, im) pairs.
  const returnComplex = a.returnComplex ?? complexIn;
  if (input.dim !== 1 && input.dim !== 2)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `stft: expected a 1D or 2D tensor, but got [${input.shape.join(', ')}]`,
    );
  const x = input.dim === 1 ? input.unsqueeze(0) : input;
  const batch = x.shape[0];
  const len = x.shape[1];
  const hop = a.hopLength ?? Math.floor(a.nFft / 4);
  const winLength = a.winLength ?? a.nFft;
  if (a.nFft <= 0 || a.nFft > len)
    throw new RuntimeError('INVALID_ARGUMENT', `stft: expected 0 < n_fft < ${len}, but got n_fft=${a.nFft}`);
  if (hop <= 0)
    throw new RuntimeError('INVALID_ARGUMENT', `stft: expected hop_length > 0, but got hop_length=${hop}`);
  if (winLength <= 0 || winLength > a.nFft)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `stft: expected 0 < win_length <= n_fft, but got win_length=${winLength}`,
    );
  const window = stftWindow(a.window, a.nFft, winLength, 'stft');
  const onesided = a.onesided ?? !complexIn;
  if (onesided && complexIn)
    throw new RuntimeError('INVALID_ARGUMENT', 'Cannot have onesided output if window or input is complex');
  const frames = 1 + Math.floor((len - a.nFft) / hop);
  const bins = onesided ? Math.floor(a.nFft / 2) + 1 : a.nFft;
  const src = partsOf(x);
  const n = a.nFft;
  const re = new Float64Array(batch * frames * n);
  const im = new Float64Array(batch * frames * n);
  for (let b = 0; b < batch; b++) {
    for (let f = 0; f < frames; f++) {
      const dst = (b * frames + f) * n;
      const from = b * len + f * hop;
      for (let k = 0; k < n; k++) {
        const xr = src.re[from + k];
        const xi = src.im[from + k];
        re[dst + k] = xr * window.re[k] - xi * window.im[k];
        im[dst + k] = xr * window.im[k] + xi * window.re[k];
      }
    }
  }
  dftRows(re, im, n, false, a.normalized ? 1 / Math.sqrt(n) : 1);
  const ore = new Float64Array(batch * frames * bins);
  const oim = new Float64Array(batch * frames * bins);
  for (let r = 0; r < batch * frames; r++) {
    ore.set(re.subarray(r * n, r * n + bins), r * bins);
    oim.set(im.subarray(r * n, r * n + bins), r * bins);
  }
  const dtype = complexOf(floatDType(input.dtype));
  let out = transpose(fromParts({ re: ore, im: oim }, [batch, frames, bins], dtype), 1, 2);
  if (input.dim === 1) out = out.squeeze(0);
  return returnComplex ? out : viewAsReal(out);
}

/** The stft.center overload: pads n_fft/2 on both sides of the last dim with `padMode`, then frames. */
export function stftCentered(input: Tensor, a: StftArgs, center: boolean, padMode: string): Tensor {
  if (!center) return stft(input, a);
  const half = Math.floor(a.nFft / 2);
  const extra = Math.max(3, input.dim) - input.dim;
  const extended = input.reshape([...Array<number>(extra).fill(1), ...input.shape]);
  const padLast = (t: Tensor): Tensor => pad(t, [half, half], padMode, 0);
  const padded = DTYPES[input.dtype].isComplex
    ? complexFromParts(padLast(realPart(extended)), padLast(imagPart(extended)))
    : padLast(extended);
  return stft(padded.reshape(padded.shape.slice(extra)), a);
}

/** Arguments of aten::istft. */
export interface IstftArgs extends StftArgs {
  readonly center: boolean;
  readonly length: number | null;
}

// How PyTorch names the call in istft's errors.
function describeIstft(input: Tensor, a: IstftArgs, hop: number, winLength: number): string {
  const type = (t: Tensor): string => DTYPES[t.dtype].cpuTypeName;
  const window =
    a.window === null
      ? 'None'
      : `torch.${DTYPES[a.window.dtype].irName}Tensor{[${a.window.shape.join(', ')}]}`;
  const flag = (b: boolean): number => (b ? 1 : 0);
  const opt = (v: boolean | number | null): string =>
    v === null ? 'None' : String(typeof v === 'boolean' ? flag(v) : v);
  return (
    `istft(${type(input)}[${input.shape.join(', ')}], n_fft=${a.nFft}, hop_length=${hop}, win_length=${winLength}, ` +
    `window=${window}, center=${flag(a.center)}, normalized=${flag(a.normalized)}, onesided=${opt(a.onesided)}, ` +
    `length=${opt(a.length)}, return_complex=${flag(Boolean(a.returnComplex))})`
  );
}

/** torch.istft: windowed inverse transforms overlap-added and divided by the window's squared envelope. */
export function istft(input: Tensor, a: IstftArgs): Tensor {
  const x = DTYPES[input.dtype].isComplex ? input : viewAsComplex(input);
  if (x.numel === 0) throw new RuntimeError('INVALID_ARGUMENT', 'istft input tensor cannot be empty');
  if (x.dim !== 2 && x.dim !== 3)
    throw new RuntimeError('INVALID_ARGUMENT', `Expected a tensor of dimension 2 or 3, got ${x.dim}`);
  const batched = x.dim === 3 ? x : x.unsqueeze(0);
  const n = a.nFft;
  const hop = a.hopLength ?? Math.floor(n / 4);
  const winLength = a.winLength ?? n;
  const frames = batched.shape[2];
  const fftSize = batched.shape[1];
  const onesided = a.onesided ?? fftSize !== n;
  if (onesided && Math.floor(n / 2) + 1 !== fftSize)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `istft expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 when onesided=True, but got ${fftSize}`,
    );
  if (!onesided && n !== fftSize)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `istft expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when onesided=False, but got ${fftSize}`,
    );
  if (!(hop > 0 && hop <= winLength))
    throw new RuntimeError('INVALID_ARGUMENT', 'istft expected 0 < hop_length <= win_length');
  if (!(winLength > 0 && winLength <= n))
    throw new RuntimeError('INVALID_ARGUMENT', 'istft expected 0 < win_length <= n_fft');
  if (a.window !== null && (a.window.dim !== 1 || a.window.shape[0] !== winLength))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'Invalid window shape. window has to be 1D and length of `win_length`',
    );
  if (a.window !== null && DTYPES[a.window.dtype].isComplex)
    throw new UnsupportedError('istft with a complex window is not supported');
  const window = stftWindow(a.window, n, winLength, 'istft').re;
  const norm = a.normalized ? 'ortho' : 'backward';
  const spectra = transpose(batched, 1, 2); // (B, frames, fftSize)
  let frameSignals: Tensor;
  if (a.returnComplex) {
    if (onesided)
      throw new RuntimeError('INVALID_ARGUMENT', 'Cannot have onesided output if window or input is complex');
    frameSignals = fftC2C(spectra, null, -1, norm, true);
  } else {
    const half = onesided ? spectra : spectra.narrow(2, 0, Math.floor(n / 2) + 1);
    frameSignals = irfft(half, n, -1, norm);
  }
  const batch = batched.shape[0];
  const total = n + hop * (frames - 1);
  const sig = partsOf(frameSignals);
  const yRe = new Float64Array(batch * total);
  const yIm = new Float64Array(batch * total);
  const envelope = new Float64Array(total);
  for (let f = 0; f < frames; f++) for (let k = 0; k < n; k++) envelope[f * hop + k] += window[k] * window[k];
  for (let b = 0; b < batch; b++) {
    for (let f = 0; f < frames; f++) {
      for (let k = 0; k < n; k++) {
        const from = (b * frames + f) * n + k;
        yRe[b * total + f * hop + k] += sig.re[from] * window[k];
        yIm[b * total + f * hop + k] += sig.im[from] * window[k];
      }
    }
  }
  const start = a.center ? Math.floor(n / 2) : 0;
  let end = a.length !== null ? start + a.length : a.center ? total - Math.floor(n / 2) : total;
  const stop = Math.min(Math.max(end, start), total);
  let lowest = Infinity;
  for (let i = start; i < stop; i++) lowest = Math.min(lowest, Math.abs(envelope[i]));
  if (lowest < 1e-11)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `${describeIstft(input, a, hop, winLength)} window overlap add min: 1`,
    );
  const outLen = Math.max(end, start) - start;
  const ore = new Float64Array(batch * outLen);
  const oim = new Float64Array(batch * outLen);
  for (let b = 0; b < batch; b++) {
    for (let i = start; i < stop; i++) {
      ore[b * outLen + i - start] = yRe[b * total + i] / envelope[i];
      oim[b * outLen + i - start] = yIm[b * total + i] / envelope[i];
    }
  }
  end = outLen;
  const shape = x.dim === 3 ? [batch, end] : [end];
  const real = floatDType(x.dtype);
  return a.returnComplex
    ? fromParts({ re: ore, im: oim }, shape, complexOf(real))
    : fromReal(ore, shape, real);
}
