// Seeded random numbers for tensors. The generator is xoshiro128** 1.0 (Blackman & Vigna, 2018), its
// 128-bit state filled from the seed by SplitMix64 as its authors recommend. It is NOT PyTorch's
// mt19937/Philox stream: the same seed gives different numbers than torch.manual_seed.

import { RuntimeError } from '../errors.js';
import { type DType } from './dtype.js';
import { checkShape } from './shape.js';
import { Tensor } from './tensor.js';

const MASK64 = (1n << 64n) - 1n;

/** A seeded xoshiro128** stream. */
export class Generator {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed: number | bigint = 0) {
    this.manualSeed(seed);
  }

  /** Restarts the stream from `seed` (SplitMix64 expands it into the 128-bit state). */
  manualSeed(seed: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(seed));
    for (let i = 0; i < 2; i++) {
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      z ^= z >> 31n;
      this.s[2 * i] = Number(z & 0xffffffffn);
      this.s[2 * i + 1] = Number(z >> 32n);
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
    this.spare = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [0, 1) with 24 random bits (exactly representable as float32). */
  randomFloat32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal by the Box-Muller transform; pairs are used in order (cosine, then sine). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const u1 = 1 - this.random();
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The process-wide generator used when no seed or generator is given (seed 0 at start). */
export const defaultGenerator = new Generator(0);

/** Reseeds the default generator. */
export function manualSeed(seed: number | bigint): void {
  defaultGenerator.manualSeed(seed);
}

/** Options of the random creation functions. */
export interface RandomOptions {
  dtype?: DType;
  /** A fresh generator with this seed; wins over `generator`. */
  seed?: number | bigint;
  generator?: Generator;
}

function pick(options: RandomOptions): Generator {
  if (options.seed !== undefined) return new Generator(options.seed);
  return options.generator ?? defaultGenerator;
}

function floatDtype(options: RandomOptions, what: string): DType {
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'float16' && dtype !== 'bfloat16') {
    throw new RuntimeError('DTYPE_MISMATCH', `"${what}" not implemented for '${dtype}'`);
  }
  return dtype;
}

/** Normal(0, 1) samples of `shape`, row-major from the generator (see Generator for the algorithm). */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const dtype = floatDtype(options, 'normal_kernel_cpu');
  const g = pick(options);
  const t = Tensor.zeros(dtype, checkShape(shape));
  const n = t.numel;
  if (dtype === 'float32' || dtype === 'float64') {
    const d = t.storage.data as Float32Array | Float64Array;
    for (let i = 0; i < n; i++) d[i] = g.normal();
  } else for (let i = 0; i < n; i++) t.setFlat(i, g.normal());
  return t;
}

/** Uniform [0, 1) samples of `shape`. */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const dtype = floatDtype(options, 'uniform_kernel_cpu');
  const g = pick(options);
  const t = Tensor.zeros(dtype, checkShape(shape));
  const n = t.numel;
  for (let i = 0; i < n; i++) t.setFlat(i, dtype === 'float64' ? g.random() : g.randomFloat32());
  return t;
}

/** Uniform integers in [low, high) of `shape` (int64 unless `dtype` says otherwise). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomOptions = {},
): Tensor {
  if (!(high > low))
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`,
    );
  const g = pick(options);
  const t = Tensor.zeros(options.dtype ?? 'int64', checkShape(shape));
  for (let i = 0; i < t.numel; i++) t.setFlat(i, low + Math.floor(g.random() * (high - low)));
  return t;
}

/** 1 with probability `p`, else 0, as float32 (or `dtype`). */
export function bernoulli(shape: readonly number[], p: number, options: RandomOptions = {}): Tensor {
  const g = pick(options);
  const t = Tensor.zeros(options.dtype ?? 'float32', checkShape(shape));
  for (let i = 0; i < t.numel; i++) t.setFlat(i, g.random() < p ? 1 : 0);
  return t;
}
