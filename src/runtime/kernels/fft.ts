// Discrete Fourier transforms of any length in float64: iterative radix-2 for powers of two, Bluestein's
// chirp-z (through a power-of-two transform) for every other length. Plans (twiddles, chirps) are cached
// per length; the row helpers transform many contiguous rows of one length.

interface Radix2Plan {
  readonly n: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly rev: Uint32Array;
}

interface BluesteinPlan {
  readonly n: number;
  readonly inner: Radix2Plan;
  /** exp(-i pi k^2 / n), k < n. */
  readonly chirpRe: Float64Array;
  readonly chirpIm: Float64Array;
  /** Spectra of the convolution kernels: the conjugate chirp (forward) and the chirp (inverse), wrapped to m. */
  readonly forward: readonly [Float64Array, Float64Array];
  readonly inverse: readonly [Float64Array, Float64Array];
}

const radix2Plans = new Map<number, Radix2Plan>();
const bluesteinPlans = new Map<number, BluesteinPlan>();

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

function radix2Plan(n: number): Radix2Plan {
  let plan = radix2Plans.get(n);
  if (plan) return plan;
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  plan = { n, cos, sin, rev };
  radix2Plans.set(n, plan);
  return plan;
}

// In place, forward (e^{-i...}) unless `inverse`; unscaled.
function radix2(plan: Radix2Plan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n, cos, sin, rev } = plan;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

// The spectrum of kernel b_j = (re_j, sign * im_j) for |j| < n, wrapped around to length m.
function kernelSpectrum(
  inner: Radix2Plan,
  n: number,
  re: Float64Array,
  im: Float64Array,
  sign: number,
): [Float64Array, Float64Array] {
  const m = inner.n;
  const kr = new Float64Array(m);
  const ki = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    kr[k] = re[k];
    ki[k] = sign * im[k];
    if (k > 0) {
      kr[m - k] = re[k];
      ki[m - k] = sign * im[k];
    }
  }
  radix2(inner, kr, ki, false);
  return [kr, ki];
}

// X_k = c_k sum_t (x_t c_t) conj(c_{k-t}) with c_j = exp(-i pi j^2 / n); the inverse uses conj(c).
function bluesteinPlan(n: number): BluesteinPlan {
  let plan = bluesteinPlans.get(n);
  if (plan) return plan;
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const inner = radix2Plan(m);
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k^2 mod 2n keeps the angle exact for large k.
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  const forward = kernelSpectrum(inner, n, chirpRe, chirpIm, -1);
  const inverse = kernelSpectrum(inner, n, chirpRe, chirpIm, 1);
  plan = { n, inner, chirpRe, chirpIm, forward, inverse };
  bluesteinPlans.set(n, plan);
  return plan;
}

function bluestein(plan: BluesteinPlan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n, inner, chirpRe } = plan;
  const m = inner.n;
  const s = inverse ? -1 : 1;
  const chirpIm = plan.chirpIm;
  const [kr, ki] = inverse ? plan.inverse : plan.forward;
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    const ci = s * chirpIm[k];
    ar[k] = re[k] * chirpRe[k] - im[k] * ci;
    ai[k] = re[k] * ci + im[k] * chirpRe[k];
  }
  radix2(inner, ar, ai, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * kr[k] - ai[k] * ki[k];
    ai[k] = ar[k] * ki[k] + ai[k] * kr[k];
    ar[k] = r;
  }
  radix2(inner, ar, ai, true);
  for (let k = 0; k < n; k++) {
    const cr = ar[k] / m;
    const cim = ai[k] / m;
    const ci = s * chirpIm[k];
    re[k] = cr * chirpRe[k] - cim * ci;
    im[k] = cr * ci + cim * chirpRe[k];
  }
}

/** In-place DFT of one sequence: X_k = sum_t x_t e^{-2 pi i k t / n} (e^{+...} when inverse), unscaled. */
export function dft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  if (isPow2(n)) radix2(radix2Plan(n), re, im, inverse);
  else bluestein(bluesteinPlan(n), re, im, inverse);
}

/** In-place DFT of `rows` contiguous rows of length n in (re, im), each scaled by `scale`. */
export function dftRows(re: Float64Array, im: Float64Array, n: number, inverse: boolean, scale = 1): void {
  const rows = n === 0 ? 0 : re.length / n;
  const r = new Float64Array(n);
  const i = new Float64Array(n);
  for (let row = 0; row < rows; row++) {
    const base = row * n;
    r.set(re.subarray(base, base + n));
    i.set(im.subarray(base, base + n));
    dft(r, i, inverse);
    for (let k = 0; k < n; k++) {
      re[base + k] = r[k] * scale;
      im[base + k] = i[k] * scale;
    }
  }
}
