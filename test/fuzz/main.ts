// `npm run fuzz -- [--cases N] [--seed S] [--only pt,ir,...] [--seconds T] [--workers W]`: the long fuzz.
// Prints the summary table; exits 1 when any case crashed, hung or blew up (their reproducers are saved).

import 'reflect-metadata';
import { Command } from 'commander';
import { fuzz } from './runner.js';
import { formatSummary, isClean } from './summary.js';
import { TARGET_NAMES, type TargetName } from './targets.js';

const program = new Command('fuzz')
  .option('--cases <n>', 'number of cases', (v) => Number(v), 2000)
  .option('--seed <s>', 'run seed (default: random, printed)', (v) => Number(v))
  .option('--only <targets>', `comma-separated targets: ${TARGET_NAMES.join(', ')}`, (v) => v.split(','))
  .option('--seconds <t>', 'stop starting cases after this many seconds', (v) => Number(v))
  .option('--timeout <s>', 'per-case time limit in seconds', (v) => Number(v), 10)
  .option('--memory-gb <g>', 'per-run memory limit above the start, in GB', (v) => Number(v), 2)
  .option('--workers <w>', 'worker threads', (v) => Number(v), 1)
  .option('--no-save', 'do not write reproducers into test/fuzz-corpus/');
program.parse(process.argv.slice(2), { from: 'user' });
const o = program.opts<{
  cases: number;
  seed?: number;
  only?: string[];
  seconds?: number;
  timeout: number;
  memoryGb: number;
  workers: number;
  save: boolean;
}>();
const targets = (o.only ?? [...TARGET_NAMES]) as TargetName[];
for (const t of targets)
  if (!TARGET_NAMES.includes(t))
    throw new Error(`unknown target '${t}' (targets: ${TARGET_NAMES.join(', ')})`);
const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
const timeoutMs = o.timeout * 1000;
const memoryBytes = o.memoryGb * 1024 ** 3;
console.log(`fuzz: ${o.cases} cases, seed ${seed}, targets ${targets.join(',')}`);
const summary = await fuzz({
  cases: o.cases,
  seed,
  targets,
  timeoutMs,
  memoryBytes,
  workers: o.workers,
  save: o.save,
  ...(o.seconds !== undefined ? { budgetMs: o.seconds * 1000 } : {}),
  log: (line) => console.log(line),
});
console.log(formatSummary(summary, { timeoutMs, memoryBytes }));
process.exitCode = isClean(summary) ? 0 : 1;
