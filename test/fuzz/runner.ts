// Runs fuzz cases on worker threads under a time and memory guard: a case over the time limit or the
// memory limit has its worker terminated and counts as a hang or a blow-up. Crashes, hangs and blow-ups
// are saved (crashes minimized) as reproducers under test/fuzz-corpus/.

import { Worker } from 'node:worker_threads';
import { generateCase } from './generate.js';
import { saveReproducer } from './corpus.js';
import { minimize } from './minimize.js';
import type { Outcome, TargetName } from './targets.js';
import type { WorkerJob, WorkerReply } from './worker.js';

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  readonly targets: readonly TargetName[];
  /** Stop starting new cases after this long (the CI budget). */
  readonly budgetMs?: number;
  readonly timeoutMs?: number;
  readonly memoryBytes?: number;
  readonly workers?: number;
  /** Save reproducers of failures into the corpus (default true). */
  readonly save?: boolean;
  readonly log?: (line: string) => void;
}

/** How one case went, as the summary counts it. */
export type Verdict = 'ok' | 'typed' | 'crash' | 'hang' | 'memory';

export interface CaseRecord {
  readonly target: TargetName;
  readonly index: number;
  readonly verdict: Verdict;
  readonly ms: number;
  readonly mutation: string;
  readonly outcome?: Outcome;
}

export interface FuzzSummary {
  readonly records: CaseRecord[];
  readonly wallMs: number;
  readonly peakRssBytes: number;
  readonly saved: string[];
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

interface Slot {
  worker: Worker;
  job?: {
    id: number;
    target: TargetName;
    index: number;
    started: number;
    mutation: string;
    running?: boolean;
  };
  resolve?: () => void;
}

/** Runs the cases and returns every record; never throws on a bad case. */
export async function fuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const memoryBytes = options.memoryBytes ?? 2 * 1024 ** 3;
  const log = options.log ?? (() => undefined);
  const t0 = performance.now();
  const records: CaseRecord[] = [];
  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  let next = 0;
  let nextId = 0;
  const slots: Slot[] = [];

  const spawn = (slot: Slot): void => {
    slot.worker = new Worker(WORKER_URL, {
      // The CLI's main thread has V8's ~1 MB stack: give the worker the same, so depth bugs show here too.
      resourceLimits: { maxOldGenerationSizeMb: Math.ceil(memoryBytes / 1024 ** 2), stackSizeMb: 1 },
    });
    slot.worker.on('message', (reply: WorkerReply) => {
      if (!slot.job || reply.id !== slot.job.id) return;
      if (reply.type === 'start') {
        slot.job.started = performance.now();
        slot.job.running = true;
        return;
      }
      const verdict: Verdict = reply.outcome.kind === 'crash' ? 'crash' : reply.outcome.kind;
      finish(slot, {
        target: slot.job.target,
        index: slot.job.index,
        verdict,
        ms: reply.ms,
        mutation: reply.mutation,
        outcome: reply.outcome,
      });
    });
    slot.worker.on('error', (error: Error & { code?: string }) => {
      if (!slot.job) return;
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      kill(slot, memory ? 'memory' : 'crash', {
        kind: 'crash',
        signature: `worker: ${error.message}`,
        message: error.stack ?? error.message,
      });
    });
  };

  const finish = (slot: Slot, record: CaseRecord): void => {
    records.push(record);
    if (record.verdict !== 'ok' && record.verdict !== 'typed')
      log(
        `${record.verdict}: ${record.target} #${record.index} ${record.outcome?.kind === 'crash' ? record.outcome.signature : ''}`,
      );
    slot.job = undefined;
    const resolve = slot.resolve;
    slot.resolve = undefined;
    resolve?.();
  };

  const kill = (slot: Slot, verdict: Verdict, outcome?: Outcome): void => {
    const job = slot.job;
    if (!job) return;
    void slot.worker.terminate();
    spawn(slot);
    finish(slot, {
      target: job.target,
      index: job.index,
      verdict,
      ms: performance.now() - job.started,
      mutation: job.mutation,
      ...(outcome ? { outcome } : {}),
    });
  };

  const watchdog = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    const now = performance.now();
    for (const slot of slots) {
      if (slot.job?.running && now - slot.job.started > timeoutMs) kill(slot, 'hang');
    }
    if (rss - baseline > memoryBytes) for (const slot of slots) kill(slot, 'memory');
  }, 50);

  const budgetOver = (): boolean =>
    options.budgetMs !== undefined && performance.now() - t0 > options.budgetMs;
  const runOn = async (slot: Slot): Promise<void> => {
    while (next < options.cases && !budgetOver()) {
      const index = next++;
      const target = options.targets[index % options.targets.length];
      const id = nextId++;
      slot.job = { id, target, index, started: performance.now(), mutation: '?' };
      const done = new Promise<void>((resolve) => (slot.resolve = resolve));
      slot.worker.postMessage({ id, target, seed: options.seed, index } satisfies WorkerJob);
      await done;
      if (records.length % 1000 === 0)
        log(`${records.length} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  };

  try {
    for (let w = 0; w < (options.workers ?? 1); w++) {
      const slot = {} as Slot;
      spawn(slot);
      slots.push(slot);
    }
    await Promise.all(slots.map(runOn));
  } finally {
    clearInterval(watchdog);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
  const saved = options.save === false ? [] : await saveFailures(records, options, log);
  return { records, wallMs: performance.now() - t0, peakRssBytes: peakRss, saved };
}

// One reproducer per distinct failure: crashes minimized (keeping their signature), hangs and blow-ups as generated.
async function saveFailures(
  records: readonly CaseRecord[],
  options: FuzzOptions,
  log: (l: string) => void,
): Promise<string[]> {
  const seen = new Set<string>();
  const saved: string[] = [];
  for (const r of records) {
    if (r.verdict === 'ok' || r.verdict === 'typed') continue;
    const key = r.outcome?.kind === 'crash' ? r.outcome.signature : `${r.verdict}:${r.target}:${r.mutation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const original = generateCase(r.target, options.seed, r.index).data;
    const data =
      r.verdict === 'crash' && r.outcome?.kind === 'crash'
        ? await minimize(r.target, original, r.outcome.signature)
        : original;
    const path = saveReproducer(r.target, data, {
      verdict: r.verdict,
      signature: key,
      seed: options.seed,
      index: r.index,
    });
    log(`saved ${path}`);
    saved.push(path);
  }
  return saved;
}
