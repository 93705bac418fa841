// Timing samples for whole forward passes: warm-up, batches of timed calls from a collected heap, the
// garbage-collection time that fell inside each batch (from V8's `gc` performance entries), and summary
// statistics (median, quartile spread) that stay meaningful on a busy 2-core machine.

import { PerformanceObserver } from 'node:perf_hooks';

/** GC pauses seen so far (start and duration in ms on performance.now()'s clock). */
const gcPauses: { start: number; duration: number }[] = [];
let observer: PerformanceObserver | undefined;

function observeGc(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** Stops observing GC (lets the process exit). */
export function stopObservingGc(): void {
  observer?.disconnect();
  observer = undefined;
}

// Performance entries reach the observer on a later turn of the event loop.
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** Runs `fn` untimed for at least `minCalls` calls and `minMs` (JIT tiers settle, caches fill). */
export function warmUp(fn: () => void, minCalls = 3, minMs = 500): void {
  const begin = performance.now();
  for (let i = 0; i < minCalls || performance.now() - begin < minMs; i++) fn();
}

/** One batch of timed calls and the GC time inside it. */
export interface Batch {
  readonly ms: number[];
  readonly gcMs: number;
}

/**
 * Times at least `reps` calls, continuing for at least `minMs`. Starts from a collected heap when the
 * process runs with --expose-gc, so one batch does not pay for the garbage of the previous one.
 */
export async function timeBatch(fn: () => void, reps: number, minMs: number): Promise<Batch> {
  observeGc();
  (globalThis as { gc?: () => void }).gc?.();
  await settle();
  const ms: number[] = [];
  const begin = performance.now();
  while (ms.length < reps || performance.now() - begin < minMs) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  const end = performance.now();
  await settle();
  let gcMs = 0;
  for (const p of gcPauses) if (p.start >= begin && p.start < end) gcMs += p.duration;
  gcPauses.length = 0;
  return { ms, gcMs };
}

/** The q-quantile (0..1) of samples, by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}

/** Median and the interquartile range relative to it (the noise figure reported beside each time). */
export function summarize(samples: readonly number[]): { median: number; spread: number; n: number } {
  const median = quantile(samples, 0.5);
  return { median, spread: (quantile(samples, 0.75) - quantile(samples, 0.25)) / median, n: samples.length };
}
