// The processes the zoo sweep drives: PyTorch's exporter (one per row), our checker (one node process per
// row and mode) and PyTorch's loader of our saved files (one long-lived server).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** /usr/bin/python3 carries Debian's torch 1.13; other interpreters on PATH have no torch. */
export const PYTHON = process.env.TSFREEZE_PYTHON ?? '/usr/bin/python3';

/** How a child process ended. */
export interface Finished {
  readonly code: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs a command to the end (killed after `timeoutSeconds`), collecting its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  timeoutSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Finished> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr, seconds: (Date.now() - start) / 1000 });
    });
  });
}

/** The last lines of a process's error output, for a table note. */
export function tail(text: string, lines = 4): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 1200);
}

/**
 * What a crashed Node child printed, for the table: the thrown error's own line (Node prints it above the
 * stack, so the last lines alone are only loader frames - r3d_18 once failed as "at async
 * ModuleLoader.import ... Node.js v20" with the cause lost), then the last lines.
 */
export function crashSummary(stderr: string): string {
  const error = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^(\w*(Error|Exception)\b|FATAL ERROR|Uncaught\b)/.test(l));
  const last = tail(stderr);
  return (error && !last.includes(error) ? `${error} | ${last}` : last).slice(0, 1200);
}

/** What check_saved.py answers for one saved model. */
export interface SavedCheck {
  readonly ok: boolean;
  readonly detail: string;
  readonly parameters?: number;
}

/** A client of scripts/zoo/check_saved.py: one request line in, one answer line out. */
export class SavedModelChecker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly answers: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(script: string) {
    this.child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-20_000)));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answers.shift()?.(line));
    this.child.on('close', () => {
      for (const answer of this.answers.splice(0))
        answer(JSON.stringify({ ok: false, detail: `checker exited: ${tail(this.stderr)}` }));
    });
  }

  check(request: { model: string; row_dir: string; mode: string; atol: number }): Promise<SavedCheck> {
    return new Promise((resolve) => {
      this.answers.push((line) => resolve(JSON.parse(line) as SavedCheck));
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}
