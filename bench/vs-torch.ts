// `npm run bench -- vs-torch`: tsfreeze against PyTorch 1.13 on the same .pt files, each side in a fresh
// process per run, the two sides alternating, several runs; medians and ratios tsfreeze / PyTorch, all
// from this one run. The models are written by scripts/make-bench-models.py into bench/.cache/ (kept
// out of git). The table also goes into docs/benchmarks.md between the vs-torch markers.
//   TSFREEZE_VS_TORCH_REPS=3             runs per side and model
//   TSFREEZE_VS_TORCH_MODELS=a,b         only these models (then docs/benchmarks.md is left alone)
//   TSFREEZE_VS_TORCH_INFER=0            skip the inference timing (load/freeze only; a run takes minutes less)
//   TSFREEZE_VS_TORCH_TORCH_HUGETLB=1    start PyTorch's side with the CLI's glibc tunables too (huge pages
//                                        for large buffers, src/runtime/malloc-tuning.ts); docs left alone

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withOneShotMallocTunables } from '../src/runtime/malloc-tuning.js';
import { ONE_SHOT_NODE_FLAGS } from '../src/runtime/v8-tuning.js';
import type { ChildResult } from './vs-torch/protocol.js';
import { formatVsTorch, type ModelRuns } from './vs-torch/table.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'bench', '.cache');
const PYTHON = '/usr/bin/python3';
const INFER_BUDGET_MS = process.env.TSFREEZE_VS_TORCH_INFER === '0' ? 0 : 3000;
const TORCH_HUGETLB = process.env.TSFREEZE_VS_TORCH_TORCH_HUGETLB === '1';

/** The models, their inference input shape, and graph-node counts where the name says it. */
export const VS_TORCH_MODELS: ReadonlyArray<{ name: string; shape: string }> = [
  { name: 'resnet50', shape: '1x3x224x224' },
  { name: 'mobilenet_v3_large', shape: '1x3x224x224' },
  { name: 'densenet121', shape: '1x3x224x224' },
  { name: 'transformer_12x768', shape: '32x1x768' },
  { name: 'synthetic_10k', shape: '3' },
  { name: 'synthetic_100k', shape: '3' },
];

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): ChildResult | { error: string } {
  const r = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout
    ?.split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
    return { error: why };
  }
  return JSON.parse(line) as ChildResult;
}

// The child starts with the node flags and glibc tunables of bin/tsfreeze.js's first line, as `tsfreeze freeze` does. Without the
// CLI's code cache (built by `npm run build`) its start-up and first compilations cost more than a user's run.
const tsfreezeRun = (model: string, shape: string) => {
  const r = runChild(
    process.execPath,
    [
      ...ONE_SHOT_NODE_FLAGS,
      join(ROOT, 'dist', 'bench', 'vs-torch', 'tsfreeze-child.js'),
      model,
      shape,
      String(INFER_BUDGET_MS),
    ],
    withOneShotMallocTunables(),
  );
  if ('codeCache' in r && r.codeCache !== 'accepted')
    process.stderr.write(
      `vs-torch: ${model}: the CLI's code cache was ${r.codeCache} (rewritten for later runs)\n`,
    );
  return r;
};
const torchRun = (model: string, shape: string) =>
  runChild(
    PYTHON,
    [join(ROOT, 'scripts', 'bench-vs-torch-child.py'), model, shape, String(INFER_BUDGET_MS)],
    TORCH_HUGETLB ? withOneShotMallocTunables() : process.env,
  );

function ensureModels(names: readonly string[]): void {
  const r = spawnSync(PYTHON, [join(ROOT, 'scripts', 'make-bench-models.py'), CACHE, ...names], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error('scripts/make-bench-models.py failed (needs torch and torchvision)');
}

/** Runs every model; returns the table (markdown) and the per-model runs. */
export function benchVsTorch(log: (line: string) => void = console.log): string {
  const filter = process.env.TSFREEZE_VS_TORCH_MODELS?.split(',').filter(Boolean);
  const models = VS_TORCH_MODELS.filter((m) => !filter || filter.includes(m.name));
  const reps = Number(process.env.TSFREEZE_VS_TORCH_REPS ?? 3);
  ensureModels(models.map((m) => m.name));
  const runs: ModelRuns[] = models.map((m) => ({ name: m.name, torch: [], tsfreeze: [] }));
  for (let rep = 0; rep < reps; rep++) {
    models.forEach((m, k) => {
      const path = join(CACHE, `${m.name}.pt`);
      const sides = (rep + k) % 2 === 0 ? (['torch', 'tsfreeze'] as const) : (['tsfreeze', 'torch'] as const);
      for (const side of sides) {
        const result = side === 'torch' ? torchRun(path, m.shape) : tsfreezeRun(path, m.shape);
        runs[k][side].push(result);
        const summary =
          'error' in result
            ? `failed: ${result.error}`
            : `load ${result.load.cpuMs.toFixed(0)} ms, freeze ${result.freeze.cpuMs.toFixed(0)} ms (CPU)`;
        log(`  run ${rep + 1}/${reps} ${m.name} ${side}: ${summary}`);
      }
    });
  }
  const table = formatVsTorch(runs, reps);
  log(table);
  if (TORCH_HUGETLB)
    log("PyTorch's side ran with the CLI's glibc tunables (TSFREEZE_VS_TORCH_TORCH_HUGETLB=1).");
  if (!filter && !TORCH_HUGETLB) writeIntoDocs(table);
  return table;
}

const BEGIN = '<!-- vs-torch:begin (written by npm run bench -- vs-torch) -->';
const END = '<!-- vs-torch:end -->';

function writeIntoDocs(table: string): void {
  const path = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(path, 'utf8');
  const block = `${BEGIN}\n\n${table.trim()}\n\n${END}`;
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  const next =
    start >= 0 && end > start
      ? doc.slice(0, start) + block + doc.slice(end + END.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
