// A fuzz worker thread: regenerates each case from its numbers (or takes its bytes), runs it and reports
// the outcome. The runner watches the clock and the memory, and terminates a worker that overruns.

import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import '../../src/index.js';
import { generateCase } from './generate.js';
import { runCase, type Outcome, type TargetName } from './targets.js';

/** What the runner sends. */
export type WorkerJob =
  | { readonly id: number; readonly target: TargetName; readonly seed: number; readonly index: number }
  | { readonly id: number; readonly target: TargetName; readonly data: Uint8Array | string };

/** What the worker answers. */
export type WorkerReply =
  | { readonly type: 'start'; readonly id: number }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly outcome: Outcome;
      readonly ms: number;
      readonly mutation: string;
    };

const port = parentPort!;
port.on('message', (job: WorkerJob) => {
  void (async () => {
    let mutation = 'given';
    let data: Uint8Array | string;
    if ('data' in job) data = job.data;
    else {
      const generated = generateCase(job.target, job.seed, job.index);
      mutation = generated.mutation;
      data = generated.data;
    }
    // The clock starts once the input exists: generating a zip bomb is the fuzzer's work, not the case's.
    port.postMessage({ type: 'start', id: job.id } satisfies WorkerReply);
    const t0 = performance.now();
    const outcome = await runCase(job.target, data);
    const reply: WorkerReply = { type: 'done', id: job.id, outcome, ms: performance.now() - t0, mutation };
    port.postMessage(reply);
  })();
});
