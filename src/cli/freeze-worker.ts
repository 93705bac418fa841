// A worker thread of `tsfreeze freeze a.pt b.pt ... --jobs N`: runs `tsfreeze freeze` on one model per
// message, in-process, and posts back the exit code and what it printed.

import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { main } from './main.js';

/** One job: the argv of a single-model `tsfreeze freeze` run. */
export interface FreezeJob {
  readonly index: number;
  readonly argv: readonly string[];
}

/** What a job printed and how it ended. */
export interface FreezeJobResult {
  readonly index: number;
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

parentPort?.on('message', (job: FreezeJob) => {
  let out = '';
  let err = '';
  void main(job.argv, { out: (t) => void (out += t), err: (t) => void (err += t) }).then((code) => {
    parentPort!.postMessage({ index: job.index, code, out, err } satisfies FreezeJobResult);
  });
});
