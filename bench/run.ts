// `npm run bench`: every benchmark, printed as tables with ratios against baselines measured in the
// same run. Not a test: nothing here asserts a time.

import { execFileSync } from 'node:child_process';
import { benchFreeze } from './freeze.js';
import { benchFreezeJobs } from './freeze-jobs.js';
import { benchIR, formatIRBench } from './ir.js';
import { benchInference } from './inference.js';
import { benchKernels } from './kernels.js';
import { benchVsTorch } from './vs-torch.js';

const only = process.argv.slice(2);

// scripts/bench_torch_kernels.py prints one JSON row per line; nothing when torch is missing.
function torchKernelRows(): { name: string; value: number; unit: string }[] {
  try {
    const out = execFileSync('/usr/bin/python3', ['scripts/bench_torch_kernels.py'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 300_000,
    });
    return out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { name: string; value: number; unit: string });
  } catch {
    return [];
  }
}
// vs-torch runs only when asked for: it takes many minutes (fresh processes, several runs per model).
const wanted = (name: string): boolean => (only.length === 0 ? name !== 'vs-torch' : only.includes(name));
const heading = (t: string): void => console.log(`\n== ${t} ==`);
const row = (r: { name: string; value: number; unit: string }): void =>
  console.log(`  ${r.name.padEnd(48)} ${r.value.toFixed(2).padStart(12)} ${r.unit}`);

if (wanted('ir')) {
  heading('IR: build / print / parse / verify (us per node; the 1M row must stay within 2x of 10k)');
  const rows = await benchIR();
  console.log(formatIRBench(rows));
  for (const phase of ['build', 'print', 'parse', 'verify'] as const) {
    const small = rows.find((r) => r.phase === phase && r.size === 10_000);
    const big = rows.find((r) => r.phase === phase && r.size === 1_000_000);
    if (small && big)
      console.log(`  ${phase}: per-node time 1M / 10k = ${(big.usPerNode / small.usPerNode).toFixed(2)}x`);
  }
}
if (wanted('kernels')) {
  heading('Kernels (single thread), PyTorch on the same shapes beside them');
  const ours = await benchKernels();
  const torch = torchKernelRows();
  for (const r of ours) {
    row(r);
    const t = torch.find((x) => x.name === `torch ${r.name}`);
    if (t) {
      row(t);
      row({
        name: `${r.name}: tsfreeze / torch`,
        value: r.unit === 'ms' ? t.value / r.value : r.value / t.value,
        unit: 'x (higher is better for tsfreeze)',
      });
    }
  }
  if (!torch.length)
    console.log('  (PyTorch not available: /usr/bin/python3 with torch is needed for the comparison)');
}
if (wanted('inference')) {
  heading('Single-image inference, frozen and as scripted, alternating with PyTorch on one thread (medians)');
  for (const r of await benchInference()) row(r);
}
if (wanted('freeze')) {
  heading('Freeze scaling (generated chains) and torch.jit.freeze on the same modules');
  for (const r of await benchFreeze()) row(r);
}
if (wanted('freeze-jobs')) {
  heading(
    'tsfreeze freeze on 4 models: one command with --jobs 2 vs 4 commands in a row (fresh processes, alternating)',
  );
  for (const r of benchFreezeJobs()) row(r);
}
if (wanted('load')) {
  try {
    const loadBench = './load.js'; // written by the loader's owner; optional until it lands
    const { benchLoad } = (await import(loadBench)) as {
      benchLoad: () => Promise<{ name: string; value: number; unit: string }[]>;
    };
    heading('Loading .pt files (tsfreeze vs torch.jit.load)');
    for (const r of await benchLoad()) row(r);
  } catch (error) {
    console.log(`(load benchmark unavailable: ${(error as Error).message})`);
  }
}
if (wanted('vs-torch')) {
  heading(
    'tsfreeze vs PyTorch 1.13 on the same .pt files (fresh processes, alternating; ratios tsfreeze / torch)',
  );
  benchVsTorch();
}
