// What a vs-torch child process reports (both the Node and the Python child print this JSON shape), and
// the input and timing rules both sides share.

/** Wall and CPU time of one phase, in milliseconds. */
export interface PhaseTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One fresh-process run of one side on one model. */
export interface ChildResult {
  /** tsfreeze side: from exec until the library is ready (node start-up, the CLI bundle and its code cache). */
  readonly start?: PhaseTime;
  /** tsfreeze side: how the CLI bundle's V8 code cache was used ('accepted' unless the build's cache is stale). */
  readonly codeCache?: string;
  readonly load: PhaseTime;
  readonly freeze: PhaseTime;
  /** CPU time of the whole process (all threads) from exec until the frozen module exists. */
  readonly processCpuMs: number;
  /** Peak resident set size until the frozen module exists, MiB. */
  readonly peakRssMb: number;
  /** Median latency of the frozen forward at one thread, or null when it could not run. */
  readonly inferMs: number | null;
  readonly inferError?: string;
}

/** The deterministic input both sides feed: element i is ((i * 37) % 101) / 101 - 0.5 (also in the Python child). */
export function benchInput(shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 37) % 101) / 101 - 0.5;
  return data;
}

/** One warm-up call, then calls until `budgetMs` is spent (at least 3, at most 50); the median, ms. */
export function medianLatency(fn: () => unknown, budgetMs: number): number {
  fn();
  const times: number[] = [];
  const begin = performance.now();
  while (times.length < 3 || (times.length < 50 && performance.now() - begin < budgetMs)) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
