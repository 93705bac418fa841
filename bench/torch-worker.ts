// Drives scripts/bench_torch_worker.py: one long-lived PyTorch process on one thread, asked over stdin and
// stdout (one JSON line each way) to load, warm up and time models, so PyTorch and tsfreeze can be timed
// alternately in the same run.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

const PY = '/usr/bin/python3';

type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: string };

/** One PyTorch worker process; every request waits for its one-line answer. */
export class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((a: Answer) => void)[] = [];
  private stderr = '';
  private exited = false;

  constructor() {
    this.child = spawn(PY, ['scripts/bench_torch_worker.py'], {
      env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.waiting.shift()?.(JSON.parse(line) as Answer);
    });
    const fail = (why: string): void => {
      this.exited = true;
      for (const w of this.waiting.splice(0)) w({ ok: false, error: why });
    };
    this.child.on('error', (e) => fail(`${PY}: ${e.message}`));
    this.child.on('exit', () => fail(`PyTorch worker exited: ${this.stderr.trim().split('\n').pop() ?? ''}`));
  }

  /** Sends one request; resolves with the answer's fields, rejects with the worker's error. */
  async request(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.exited) throw new Error(`PyTorch worker is gone: ${this.stderr.trim().split('\n').pop() ?? ''}`);
    const answer = await new Promise<Answer>((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
    if (!answer.ok) throw new Error(answer.error);
    return answer;
  }

  /** Closes stdin so the worker ends; waits for it. */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await done;
  }
}
