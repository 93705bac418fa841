// `tsfreeze freeze a.pt b.pt ... -o DIR [--jobs N]`: freezes each model as a single-model run would
// (same flags), N at a time in worker threads, with one progress line; outputs go to DIR/<name>.pt.
// Each model's own output is printed when it is done, in the order given; exit 1 if any failed.

import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import { PipelineError } from '../errors.js';
import type { FreezeJob, FreezeJobResult } from './freeze-worker.js';
import { processIO, type CliIO } from './io.js';

/** Options of a many-model run. */
export interface FreezeManyOptions {
  readonly models: readonly string[];
  /** The directory outputs go to (created), or undefined to write none. */
  readonly outDir: string | undefined;
  /** Worker threads; 1 runs the models one after another in this thread. */
  readonly jobs: number;
  /** The argv of the whole command, to derive each model's single-model argv from. */
  readonly rawArgs: readonly string[];
  /** Runs one single-model argv in this thread (the CLI's main). */
  readonly runInline: (argv: readonly string[], io: CliIO) => Promise<number>;
}

/** Parses `--jobs N` (a positive integer, or `auto`: one per CPU). */
export function parseJobs(value: string): number {
  if (value === 'auto') return Math.max(1, cpus().length);
  if (!/^[1-9]\d*$/.test(value))
    throw new PipelineError('BAD_OPTION', `--jobs expects a positive integer or auto, got '${value}'`);
  return Number(value);
}

/** Freezes every model; returns the exit code (0 when all succeeded). */
export async function freezeMany(options: FreezeManyOptions, io: CliIO): Promise<number> {
  const { models, outDir } = options;
  const names = models.map((m) => basename(m));
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (outDir && clash)
    throw new PipelineError('USAGE', `two models are named ${clash}: their outputs in ${outDir} would clash`);
  if (outDir) mkdirSync(outDir, { recursive: true });
  const shared = sharedArgs(options.rawArgs, models);
  const jobs: FreezeJob[] = models.map((model, index) => ({
    index,
    argv: ['freeze', model, ...shared, ...(outDir ? ['-o', join(outDir, names[index])] : [])],
  }));
  const progress = new ManyProgress(io, models.length);
  const results: (FreezeJobResult | undefined)[] = new Array(models.length).fill(undefined);
  let printed = 0;
  const done = (r: FreezeJobResult): void => {
    results[r.index] = r;
    progress.tick(names[r.index]);
    // Print finished models in the order given, as soon as every earlier one is printed.
    while (printed < results.length && results[printed]) {
      const p = results[printed]!;
      progress.clear();
      io.out(p.out);
      io.err(p.err);
      progress.redraw();
      printed++;
    }
  };
  if (options.jobs <= 1 || models.length === 1) {
    for (const job of jobs) {
      let out = '';
      let err = '';
      const code = await options.runInline(job.argv, {
        out: (t) => void (out += t),
        err: (t) => void (err += t),
      });
      done({ index: job.index, code, out, err });
    }
  } else {
    await runInWorkers(jobs, Math.min(options.jobs, jobs.length), done);
  }
  progress.stop();
  const failed = results.filter((r) => r && r.code !== 0).length;
  if (failed) io.err(`error: ${failed} of ${models.length} models failed\n`);
  return failed ? 1 : 0;
}

function runInWorkers(
  jobs: readonly FreezeJob[],
  n: number,
  done: (r: FreezeJobResult) => void,
): Promise<void> {
  const url = new URL('./freeze-worker.js', import.meta.url);
  let next = 0;
  let finished = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const feed = (w: Worker): void => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
      else void w.terminate();
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(url);
      workers.push(w);
      w.on('message', (r: FreezeJobResult) => {
        done(r);
        if (++finished === jobs.length) {
          for (const x of workers) void x.terminate();
          resolve();
        } else feed(w);
      });
      w.on('error', (e) => {
        for (const x of workers) void x.terminate();
        reject(e);
      });
      feed(w);
    }
  });
}

// Every argument of the command except the models, -o/--output and --jobs: the flags each model gets.
function sharedArgs(raw: readonly string[], models: readonly string[]): string[] {
  const args = raw[0] === 'freeze' ? raw.slice(1) : [...raw];
  const out: string[] = [];
  const pending = [...models];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output' || a === '--jobs') {
      i++;
      continue;
    }
    if (a.startsWith('--output=') || a.startsWith('--jobs=') || (a.startsWith('-o') && a.length > 2))
      continue;
    const m = pending.indexOf(a);
    if (m >= 0 && !a.startsWith('-')) {
      pending.splice(m, 1);
      continue;
    }
    out.push(a);
  }
  return out;
}

/** One progress bar for all models, on a terminal only (silent when piped or in CI). */
class ManyProgress {
  private readonly bar: cliProgress.SingleBar | undefined;

  constructor(io: CliIO, total: number) {
    // The bar draws on process.stderr itself: only when the command prints to the process's streams.
    if (!process.stderr.isTTY || process.env.CI || io !== processIO) return;
    this.bar = new cliProgress.SingleBar(
      { format: 'freezing [{bar}] {value}/{total} models  {last}', hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { last: '' });
  }

  tick(name: string): void {
    this.bar?.increment(1, { last: name });
  }
  clear(): void {
    if (this.bar) process.stderr.write('\r\x1b[2K');
  }
  redraw(): void {
    this.bar?.render();
  }
  stop(): void {
    this.bar?.stop();
  }
}
