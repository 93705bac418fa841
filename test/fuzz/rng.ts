// A small seeded generator (mulberry32), so every fuzz case is reproducible from (seed, index).

/** Random numbers from one seed; the same seed gives the same sequence on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Derives the generator of case `index` of a run seeded `seed`. */
  static forCase(seed: number, index: number): Rng {
    return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A size biased towards the edges: 0, 1, small, powers of two and their neighbours, huge. */
  interestingInt(): number | bigint {
    return this.pick<number | bigint>([
      0,
      1,
      -1,
      2,
      3,
      7,
      8,
      63,
      64,
      65,
      255,
      256,
      1000,
      1001,
      4096,
      65535,
      65536,
      1e6,
      1e9,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32,
      2 ** 32 + 1,
      2 ** 53,
      -(2 ** 31),
      2n ** 63n - 1n,
      -(2n ** 63n),
    ]);
  }
}
