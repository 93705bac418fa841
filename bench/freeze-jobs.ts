// `npm run bench -- freeze-jobs`: `tsfreeze freeze a.pt b.pt c.pt d.pt -o DIR --jobs 2` against the
// same four models frozen by four `tsfreeze freeze X.pt -o Y.pt` commands run one after another (what
// a shell loop does). Both sides are fresh processes of the installed CLI, alternated round by round so
// a busy machine slows both alike; the rows are medians and their ratio. Not a test: nothing asserts.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODELS = [
  'test/fixtures/tv_resnet18_w8/module.pt',
  'test/fixtures/tv_mobilenet_v2_w8/module.pt',
  'test/fixtures/tv_squeezenet1_0_w4/module.pt',
  'test/fixtures/nested_submodules/module.pt',
];
const BIN = 'bin/tsfreeze.js';

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median wall times (ms) of both ways, over `rounds` alternating rounds, and their ratio. */
export function benchFreezeJobs(rounds = 3, jobs = 2): { name: string; value: number; unit: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-bench-jobs-'));
  try {
    // Distinct file names, as a user's models have (outputs are named after them).
    const models = MODELS.map((m, i) => {
      const to = join(dir, `m${i}.pt`);
      copyFileSync(m, to);
      return to;
    });
    const cli = (args: string[]): void => {
      execFileSync(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    };
    const parallel = (): void => cli(['freeze', ...models, '-o', join(dir, 'par'), '--jobs', String(jobs)]);
    const oneByOne = (): void => {
      for (const [i, m] of models.entries()) cli(['freeze', m, '-o', join(dir, `one-${i}.pt`)]);
    };
    parallel(); // warm the file cache and compiled code caches of both sides
    oneByOne();
    const par: number[] = [];
    const seq: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so a load spike does not always hit the same side.
      if (r % 2 === 0) {
        par.push(timed(parallel));
        seq.push(timed(oneByOne));
      } else {
        seq.push(timed(oneByOne));
        par.push(timed(parallel));
      }
    }
    const p = median(par);
    const s = median(seq);
    return [
      { name: `4 models, one command --jobs ${jobs} (median of ${rounds})`, value: p, unit: 'ms' },
      { name: `4 models, 4 commands one after another`, value: s, unit: 'ms' },
      { name: `one after another / --jobs ${jobs}`, value: s / p, unit: 'x (above 1: --jobs is faster)' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
