// `npm run zoo`: the conformance sweep. For every row of scripts/zoo (every torchvision 0.14 builder, the
// torch.nn blocks, and whatever other rows are registered there) and every mode (script, trace):
// PyTorch exports and freezes it (scripts/zoo/export.py, cached in .zoo-cache/), tsfreeze loads, runs,
// freezes and saves it (run-row.js), PyTorch loads our saved file back (scripts/zoo/check_saved.py), and
// docs/zoo.md is written from the results.
//
//   npm run zoo                                   # everything
//   npm run zoo -- --only resnet18,nn.LSTM        # some rows (the table keeps the others' last results)
//   npm run zoo -- --family detection --reexport  # redo PyTorch's side too
//   npm run zoo -- --jobs 3                       # three rows at a time (the whole zoo: ~45 min on 2 cores)
//   npm run zoo -- --list

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { ModeResult } from './check-model.js';
import { crashSummary, PYTHON, runProcess, SavedModelChecker, tail } from './processes.js';
import { defaultOperatorRegistry } from '../../src/index.js';
import { writeKernelsTable } from './kernels-table.js';
import { countsVerdict } from './compare.js';
import { noReuseCounts } from './no-reuse-counts.js';
import { writeZooTable, type RowListing, type ZooRecord } from './zoo-table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const EXPORT = join(ROOT, 'scripts/zoo/export.py');
const CHECK_SAVED = join(ROOT, 'scripts/zoo/check_saved.py');
const RUN_ROW = join(ROOT, 'dist/test/zoo/run-row.js');

interface SweepFlags {
  cache: string;
  only?: string[];
  family?: string[];
  reexport?: boolean;
  timeout: number;
  keepMb: number;
  keepOursFrozen?: boolean;
  docs: string;
  kernels: string;
  kernelsOnly?: boolean;
  since?: string;
  docsOnly?: boolean;
  list?: boolean;
  jobs: number;
}

const splitList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

async function listRows(): Promise<RowListing> {
  const done = await runProcess(PYTHON, [EXPORT, '--list'], 600);
  if (done.code !== 0) throw new Error(`export.py --list failed: ${tail(done.stderr)}`);
  return JSON.parse(done.stdout) as RowListing;
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** PyTorch's side of a row: reuses the cache when every mode's model.pt is there. */
async function exportRow(
  name: string,
  modes: readonly string[],
  rowDir: string,
  flags: SweepFlags,
): Promise<string | undefined> {
  const complete =
    existsSync(join(rowDir, 'row.json')) &&
    modes.every((m) => {
      const record = readJson<{ status: string }>(join(rowDir, m, 'torch.json'));
      return record && (record.status !== 'ok' || existsSync(join(rowDir, m, 'model.pt')));
    });
  if (complete && !flags.reexport) return undefined;
  rmSync(rowDir, { recursive: true, force: true });
  const done = await runProcess(PYTHON, [EXPORT, '--row', name, '--cache', flags.cache], flags.timeout, {
    ...process.env,
    PYTHONHASHSEED: '0',
  });
  if (done.code !== 0 || !existsSync(join(rowDir, 'row.json')))
    return done.timedOut
      ? `export timed out after ${flags.timeout} s`
      : `export failed: ${tail(done.stderr)}`;
  return undefined;
}

/** Our side of one mode, in its own process. */
async function checkOurs(rowDir: string, mode: string, atol: number, flags: SweepFlags): Promise<ModeResult> {
  const resultPath = join(rowDir, mode, 'ours.json');
  rmSync(resultPath, { force: true });
  const done = await runProcess(
    process.execPath,
    ['--max-old-space-size=6144', '--stack-size=4000', RUN_ROW, rowDir, mode, String(atol)],
    flags.timeout,
  );
  const result = readJson<ModeResult>(resultPath);
  if (result) return result;
  const why = done.timedOut
    ? `timed out after ${flags.timeout} s`
    : `crashed (${done.signal ?? done.code}): ${crashSummary(done.stderr)}`;
  return { row: rowDir, mode, steps: { load: { status: 'fail', detail: `tsfreeze ${why}` } } };
}

/** Frees disk after a row: PyTorch's exports above `keepMb` (re-exported when needed) and, unless kept, our own
 *  frozen file (rewritten by every run; a whole-zoo run leaves ~36 GB of them otherwise). */
function dropLargeFiles(
  rowDir: string,
  modes: readonly string[],
  keepMb: number,
  keepOursFrozen: boolean,
): void {
  for (const mode of modes) {
    const model = join(rowDir, mode, 'model.pt');
    if (existsSync(model) && statSync(model).size > keepMb * 1024 * 1024) rmSync(model);
    if (!keepOursFrozen) rmSync(join(rowDir, mode, 'ours_frozen.pt'), { force: true });
  }
}

/** When our counts differ from PyTorch's default ones, judges them again with PyTorch's no-reuse counts. */
async function judgeCountsWithoutReuse(
  ours: ModeResult,
  torch: ZooRecord['torch'],
  modeDir: string,
  flags: SweepFlags,
): Promise<ModeResult> {
  const counts = (torch as { counts?: Record<string, number> }).counts;
  if (ours.steps.counts?.status !== 'fail' || !ours.frozenCounts || !counts) return ours;
  try {
    const noReuse = await noReuseCounts(ROOT, flags.cache, modeDir);
    if (!noReuse) return ours;
    return { ...ours, steps: { ...ours.steps, counts: countsVerdict(ours.frozenCounts, counts, noReuse) } };
  } catch (e) {
    const detail = `${ours.steps.counts.detail ?? ''} (no-reuse counts unavailable: ${(e as Error).message})`;
    return { ...ours, steps: { ...ours.steps, counts: { status: 'fail', detail } } };
  }
}

async function sweepRow(
  row: RowListing['rows'][number],
  flags: SweepFlags,
  checker: SavedModelChecker,
): Promise<ZooRecord[]> {
  const rowDir = join(flags.cache, row.name);
  const exportProblem = await exportRow(row.name, row.modes, rowDir, flags);
  const summary = readJson<{ atol: number }>(join(rowDir, 'row.json'));
  const records: ZooRecord[] = [];
  for (const mode of row.modes) {
    const torch = readJson<ZooRecord['torch']>(join(rowDir, mode, 'torch.json'));
    if (exportProblem || !torch || !summary) {
      const error = exportProblem ?? 'PyTorch recorded nothing';
      const failed: ZooRecord = {
        row: row.name,
        family: row.family,
        mode,
        torch: { status: 'torch-failed', stage: 'export', error },
        checkedAt: new Date().toISOString(),
      };
      mkdirSync(join(rowDir, mode), { recursive: true });
      writeFileSync(join(rowDir, mode, 'result.json'), `${JSON.stringify(failed, null, 1)}\n`);
      records.push(failed);
      continue;
    }
    let ours: ModeResult | undefined;
    if (torch.status === 'ok') {
      ours = await checkOurs(rowDir, mode, summary.atol, flags);
      ours = await judgeCountsWithoutReuse(ours, torch, join(rowDir, mode), flags);
      if (ours.frozenPath) {
        const saved = await checker.check({
          model: ours.frozenPath,
          row_dir: rowDir,
          mode,
          atol: summary.atol,
        });
        ours = {
          ...ours,
          steps: {
            ...ours.steps,
            saved: { status: saved.ok ? 'pass' : 'fail', detail: saved.detail || undefined },
          },
        };
      }
    }
    const record: ZooRecord = {
      row: row.name,
      family: row.family,
      mode,
      torch,
      ours,
      checkedAt: new Date().toISOString(),
    };
    writeFileSync(join(rowDir, mode, 'result.json'), `${JSON.stringify(record, null, 1)}\n`);
    records.push(record);
  }
  dropLargeFiles(rowDir, row.modes, flags.keepMb, flags.keepOursFrozen === true);
  return records;
}

function progressLine(records: readonly ZooRecord[], seconds: number): string {
  return records
    .map((r) => {
      if (r.torch.status !== 'ok') return `${r.row} [${r.mode}] PyTorch cannot (${r.torch.stage})`;
      const failed = Object.entries(r.ours?.steps ?? {}).filter(([, s]) => s.status === 'fail');
      return `${r.row} [${r.mode}] ${failed.length ? `FAIL ${failed.map(([k]) => k).join(',')}` : 'ok'}`;
    })
    .join('; ')
    .concat(` (${seconds.toFixed(0)} s)`);
}

async function main(): Promise<void> {
  const flags = new Command('zoo')
    .option('--cache <dir>', 'the cache folder (kept out of git)', join(ROOT, '.zoo-cache'))
    .option('--only <rows>', 'only these rows (comma-separated)', splitList)
    .option('--family <names>', 'only these families', splitList)
    .option('--reexport', "redo PyTorch's side even when cached")
    .option('--timeout <seconds>', 'per process', (v) => Number(v), 3600)
    .option('--keep-mb <n>', 'delete model files above this size after their row', (v) => Number(v), 150)
    .option(
      '--keep-ours-frozen',
      'keep ours_frozen.pt after its row (deleted by default: it is rewritten every run)',
    )
    .option('--docs <file>', 'the table to write', join(ROOT, 'docs/zoo.md'))
    .option('--kernels <file>', 'the kernel coverage to write', join(ROOT, 'docs/kernels.md'))
    .option('--list', 'list the rows and exit')
    .option('--jobs <n>', 'rows checked at once (each up to ~7 GB of memory)', (v) => Number(v), 1)
    .option(
      '--kernels-only',
      "rewrite docs/kernels.md from the cached results with today's kernels; check nothing",
    )
    .option(
      '--since <iso-time>',
      'when this run started, for runs split over parallel processes (each given the same time): rows checked before it are "earlier run"',
    )
    .option('--docs-only', 'rewrite docs/zoo.md and docs/kernels.md from the cached results; check nothing')
    .parse()
    .opts<SweepFlags>();
  const listing = await listRows();
  // --only runs rows in the order given (most wanted first on a slow machine); otherwise table order.
  const only = flags.only;
  const chosen = listing.rows
    .filter((r) => (!only || only.includes(r.name)) && (!flags.family || flags.family.includes(r.family)))
    .sort((a, b) => (only ? only.indexOf(a.name) - only.indexOf(b.name) : 0));
  if (flags.list) {
    for (const r of listing.rows) process.stdout.write(`${r.family}\t${r.name}\t${r.modes.join(',')}\n`);
    return;
  }
  if (flags.only) {
    const unknown = flags.only.filter((n) => !listing.rows.some((r) => r.name === n));
    if (unknown.length) throw new Error(`no such rows: ${unknown.join(', ')}`);
  }
  if (!Number.isInteger(flags.jobs) || flags.jobs < 1)
    throw new Error(`--jobs: not a positive integer: ${flags.jobs}`);
  mkdirSync(flags.cache, { recursive: true });
  const start = flags.since ? Date.parse(flags.since) : Date.now();
  if (Number.isNaN(start)) throw new Error(`--since: not a time: ${flags.since}`);
  const startedAt = new Date(start).toISOString();
  // The docs are rewritten after every row, so a run stopped early still leaves tables of what it did.
  const cachedRecords = (): ZooRecord[] =>
    listing.rows.flatMap((r) =>
      r.modes.map(
        (mode): ZooRecord =>
          readJson<ZooRecord>(join(flags.cache, r.name, mode, 'result.json')) ?? {
            row: r.name,
            family: r.family,
            mode,
            torch: { status: 'not-run' },
          },
      ),
    );
  if (flags.kernelsOnly) {
    writeKernelsTable(flags.kernels, defaultOperatorRegistry(), cachedRecords());
    process.stdout.write(`wrote ${flags.kernels}\n`);
    return;
  }
  const writeDocs = (checked: number, records = cachedRecords()): void => {
    const seconds = (Date.now() - start) / 1000;
    writeZooTable(flags.docs, {
      listing,
      records,
      seconds,
      checkedNow: checked,
      planned: chosen.length,
      startedAt,
    });
    writeKernelsTable(flags.kernels, defaultOperatorRegistry(), records);
  };
  if (flags.docsOnly) {
    const records = cachedRecords();
    const rowsSince = new Set(
      records.filter((r) => r.checkedAt && r.checkedAt >= startedAt).map((r) => r.row),
    );
    writeDocs(rowsSince.size, records);
    process.stdout.write(
      `wrote ${flags.docs} and ${flags.kernels} (${rowsSince.size} rows checked since ${startedAt})\n`,
    );
    return;
  }
  // --jobs N: N rows at once, each worker with its own PyTorch checker process (one whole-zoo run in one
  // command; a row's own processes are single-row, so rows never share a cache folder).
  const queue = chosen.entries();
  let done = 0;
  const worker = async (): Promise<void> => {
    const checker = new SavedModelChecker(CHECK_SAVED);
    try {
      for (let next = queue.next(); !next.done; next = queue.next()) {
        const row = next.value[1];
        const rowStart = Date.now();
        const records = await sweepRow(row, flags, checker);
        done += 1;
        process.stdout.write(
          `[${done}/${chosen.length}] ${progressLine(records, (Date.now() - rowStart) / 1000)}\n`,
        );
        writeDocs(done);
      }
    } finally {
      checker.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(flags.jobs, chosen.length)) }, worker));
  process.stdout.write(
    `wrote ${flags.docs} and ${flags.kernels} (${chosen.length} rows checked in ${((Date.now() - start) / 1000).toFixed(0)} s)\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`zoo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
