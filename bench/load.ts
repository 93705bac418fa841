// Load benchmark: time to load every fixture archive and a full-size torchvision resnet18 (45 MB, made at
// bench time with Debian's python3 + torchvision in a temp dir, never committed), with torch.jit.load's time
// on the same files beside it when /usr/bin/python3 has torch. Medians of warm runs in one process each.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArchive } from '../src/serialization/load/load-module.js';

/** One printed row. */
export interface LoadBenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const PYTHON = '/usr/bin/python3';
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const RUNS = Number(process.env.TSFREEZE_LOAD_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time (ms) of loading `path` `runs` times after one warm-up load. */
export function timeLoad(
  path: string,
  runs = RUNS,
  verifyChecksums = false,
): { warm: number; first: number } {
  let t = performance.now();
  loadArchive(path, { verifyChecksums });
  const first = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    loadArchive(path, { verifyChecksums });
    times.push(performance.now() - t);
  }
  return { warm: median(times), first };
}

function pythonHas(modules: string): boolean {
  return (
    existsSync(PYTHON) && spawnSync(PYTHON, ['-c', `import ${modules}`], { timeout: 120_000 }).status === 0
  );
}

// torch.jit.load, timed the same way (one warm-up, then the median of `runs`), for each path.
function torchLoadTimes(paths: readonly string[], runs = RUNS): Map<string, number> {
  const program = `
import json, sys, time, torch
torch.set_num_threads(1)
out = {}
for p in sys.argv[2:]:
    torch.jit.load(p)
    ts = []
    for _ in range(int(sys.argv[1])):
        t = time.perf_counter(); torch.jit.load(p); ts.append((time.perf_counter() - t) * 1000)
    out[p] = sorted(ts)[len(ts) // 2]
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', program, String(runs), ...paths], {
    encoding: 'utf8',
    timeout: 1_200_000,
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`torch.jit.load timing failed: ${r.stderr}`);
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, number>));
}

/** Writes a scripted full-size torchvision resnet18 (random weights) into `dir`; undefined without torchvision. */
function makeResnet18(dir: string): string | undefined {
  if (!pythonHas('torch, torchvision')) return undefined;
  const path = join(dir, 'resnet18.pt');
  const program = `
import sys, torch, torchvision
torch.manual_seed(0)
m = torchvision.models.resnet18(num_classes=1000).eval()
torch.jit.save(torch.jit.script(m), sys.argv[1])
`;
  const r = spawnSync(PYTHON, ['-c', program, path], { encoding: 'utf8', timeout: 600_000 });
  return r.status === 0 ? path : undefined;
}

/** Every fixture archive, then resnet18: tsfreeze's time, torch.jit.load's, and their ratio. */
export async function benchLoad(): Promise<LoadBenchRow[]> {
  const archives: Array<{ name: string; path: string }> = [];
  for (const c of readdirSync(FIXTURES).sort()) {
    for (const f of ['module.pt', 'frozen.pt']) {
      const path = join(FIXTURES, c, f);
      if (existsSync(path)) archives.push({ name: `${c}/${f}`, path });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-bench-load-'));
  try {
    const resnet = makeResnet18(dir);
    if (resnet) archives.push({ name: 'resnet18 (torchvision, full size, 45 MB)', path: resnet });
    const torchTimes = pythonHas('torch')
      ? torchLoadTimes(archives.map((a) => a.path))
      : new Map<string, number>();
    const rows: LoadBenchRow[] = [];
    for (const a of archives) {
      const { warm, first } = timeLoad(a.path);
      rows.push({ name: `${a.name}: tsfreeze`, value: warm, unit: `ms (first load ${first.toFixed(0)} ms)` });
      const theirs = torchTimes.get(a.path);
      // Large archives: also with the tensor-record checksums (off by default, as in torch.jit.load).
      const checked = a.path === resnet ? timeLoad(a.path, RUNS, true).warm : undefined;
      if (checked !== undefined)
        rows.push({ name: `${a.name}: tsfreeze, verifyChecksums=true`, value: checked, unit: 'ms' });
      if (theirs !== undefined) {
        rows.push({ name: `${a.name}: torch.jit.load`, value: theirs, unit: 'ms' });
        rows.push({ name: `${a.name}: ratio`, value: warm / theirs, unit: 'x torch.jit.load' });
        if (checked !== undefined)
          rows.push({
            name: `${a.name}: ratio, verifyChecksums=true`,
            value: checked / theirs,
            unit: 'x torch.jit.load',
          });
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
