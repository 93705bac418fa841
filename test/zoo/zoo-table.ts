// Writes docs/zoo.md from the sweep's records: a summary per mode, one table per family, then every
// failure with its reason and every case PyTorch itself cannot handle with PyTorch's error.

import { writeFileSync } from 'node:fs';
import { STEPS, type ModeResult, type StepName, type TorchRecord } from './check-model.js';

/** What scripts/zoo/export.py --list prints. */
export interface RowListing {
  readonly rows: { name: string; family: string; modes: string[]; note: string; builder: string | null }[];
  readonly skipped: Record<string, string>;
}

/** One row and mode of the table. */
export interface ZooRecord {
  readonly row: string;
  readonly family: string;
  readonly mode: string;
  readonly torch: Omit<Partial<TorchRecord>, 'status'> & { status: TorchRecord['status'] | 'not-run' };
  readonly ours?: ModeResult;
  readonly checkedAt?: string;
}

/** The inputs of one table. */
export interface ZooTable {
  readonly listing: RowListing;
  readonly records: readonly ZooRecord[];
  readonly seconds: number;
  readonly checkedNow: number;
  /** How many rows this run set out to check (more than checkedNow while it runs or when it was stopped). */
  readonly planned?: number;
  /** When this run started: rows checked before it are marked as results of an earlier run. */
  readonly startedAt?: string;
}

const MARK = { pass: '✅', fail: '❌', skip: '·' } as const;

const oneLine = (text: string | undefined, max = 300): string =>
  (text ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, max);

function cell(record: ZooRecord, step: StepName): string {
  if (record.torch.status !== 'ok') return 'n/a';
  return MARK[record.ours?.steps[step]?.status ?? 'skip'];
}

function passedAll(record: ZooRecord): boolean {
  return record.torch.status === 'ok' && STEPS.every((s) => record.ours?.steps[s]?.status === 'pass');
}

function freezeTimes(record: ZooRecord): string {
  const ours = record.ours?.steps.freeze?.seconds;
  const torch = record.torch.seconds?.freeze;
  if (ours === undefined || torch === undefined) return '';
  return `${ours.toFixed(2)} / ${torch.toFixed(2)}`;
}

function noteOf(record: ZooRecord, notes: Map<string, string>, startedAt?: string): string {
  if (record.torch.status === 'not-run') return 'not run yet';
  const stale =
    startedAt && record.checkedAt && record.checkedAt < startedAt
      ? `(earlier run, ${record.checkedAt.slice(0, 16).replace('T', ' ')}) `
      : '';
  if (record.torch.status === 'torch-failed')
    return `${stale}PyTorch cannot (${record.torch.stage}): ${oneLine(record.torch.error, 160)}`;
  return stale + oneLine(notes.get(record.row));
}

function summary(records: readonly ZooRecord[]): string[] {
  const lines = [
    '| mode | rows | PyTorch cannot | load | run | freeze | counts = PyTorch | outputs | saved .pt in torch | every step |',
    '| ---- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const modes = [...new Set(records.map((r) => r.mode))];
  for (const mode of [...modes, 'all']) {
    const mine = records.filter((r) => mode === 'all' || r.mode === mode);
    const ok = mine.filter((r) => r.torch.status === 'ok');
    const count = (s: StepName): string =>
      `${ok.filter((r) => r.ours?.steps[s]?.status === 'pass').length}/${ok.length}`;
    lines.push(
      `| ${mode} | ${mine.length} | ${mine.filter((r) => r.torch.status === 'torch-failed').length} | ${STEPS.map(count).join(' | ')} | ${ok.filter(passedAll).length}/${ok.length} |`,
    );
  }
  return lines;
}

function familyTable(
  records: readonly ZooRecord[],
  notes: Map<string, string>,
  startedAt?: string,
): string[] {
  const lines = [
    '| model | mode | load | run | freeze | counts | outputs | saved | freeze s (ours / torch) | note |',
    '| ----- | ---- | :--: | :-: | :----: | :----: | :-----: | :---: | ----------------------: | ---- |',
  ];
  for (const r of records) {
    const cells = STEPS.map((s) => cell(r, s)).join(' | ');
    lines.push(`| ${r.row} | ${r.mode} | ${cells} | ${freezeTimes(r)} | ${noteOf(r, notes, startedAt)} |`);
  }
  return lines;
}

function failures(records: readonly ZooRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    for (const step of STEPS) {
      const s = r.ours?.steps[step];
      if (s?.status === 'fail') lines.push(`- **${r.row}** (${r.mode}) ${step}: ${oneLine(s.detail, 600)}`);
    }
  }
  return lines.length ? lines : ['None.'];
}

// Rows whose counts passed against PyTorch's no-reuse run (the detail names the default run's differences).
function allocatorDependent(records: readonly ZooRecord[]): string[] {
  const lines = records
    .filter((r) => r.ours?.steps.counts?.status === 'pass' && r.ours.steps.counts.detail)
    .map((r) => `- **${r.row}** (${r.mode}): ${oneLine(r.ours?.steps.counts?.detail, 600)}`);
  return lines.length ? lines : ['None.'];
}

// Output steps that passed under a stated special rule (keypoints at heatmap ties).
function passedWithNotes(records: readonly ZooRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    for (const step of ['run', 'outputs', 'saved'] as const) {
      const s = r.ours?.steps[step];
      if (s?.status === 'pass' && s.detail)
        lines.push(`- **${r.row}** (${r.mode}) ${step}: ${oneLine(s.detail, 600)}`);
    }
  }
  return lines.length ? lines : ['None.'];
}

function staleNote(table: ZooTable): string {
  const { startedAt } = table;
  const stale = table.records.filter((r) => startedAt && r.checkedAt && r.checkedAt < startedAt).length;
  const notRun = table.records.filter((r) => r.torch.status === 'not-run').length;
  const parts = [
    stale ? `${stale} row/mode results come from earlier runs (marked "earlier run" with their time)` : '',
    notRun ? `${notRun} row/modes were never run (marked "not run yet")` : '',
  ].filter(Boolean);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/** docs/zoo.md as text. */
export function zooMarkdown(table: ZooTable): string {
  const { listing, records } = table;
  const notes = new Map(listing.rows.map((r) => [r.name, r.note]));
  const families = [...new Set(listing.rows.map((r) => r.family))];
  const torchFailed = records.filter((r) => r.torch.status === 'torch-failed');
  const out = [
    '# The zoo: every torchvision 0.14 model and torch.nn block against PyTorch 1.13',
    '',
    'Generated by `npm run zoo` (test/zoo/sweep.ts, scripts/zoo/); do not edit by hand. Last run:',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${table.checkedNow}${table.planned && table.planned > table.checkedNow ? ` of the ${table.planned} planned` : ''} rows checked in ${(table.seconds / 60).toFixed(1)} min (2 shared cores)${staleNote(table)}.`,
    '',
    'Every builder is called with random weights (`torch.manual_seed(0)`) and BatchNorm running statistics',
    'calibrated on three random batches, then scripted and traced by PyTorch, saved, loaded back and frozen',
    'with `torch.jit.freeze`. For each mode tsfreeze must:',
    '',
    '- **load** the archive PyTorch saved;',
    "- **run** it: the original module's outputs meet the output rule below;",
    '- **freeze** it;',
    "- **counts**: the frozen forward graph has PyTorch's node-kind counts (nested blocks included;",
    "  `prim::Constant` aside, since pooling constants changes nothing a user can see). PyTorch 1.13's own",
    "  counts depend on glibc's allocator: its constant propagation asks an AliasDb keyed by node-output",
    '  addresses while it destroys nodes, so a constant allocated where a written value was freed counts as',
    '  written and its users stay unfolded. Counts from a PyTorch run whose freed memory is never reused',
    '  (`free` replaced by a no-op for that one process) are accepted too (listed below);',
    "- **outputs**: the frozen module's outputs meet the output rule;",
    '- **saved**: `tsfreeze freeze -o` output loads with `torch.jit.load`, has as many parameters as',
    "  PyTorch's frozen module (0), and its outputs computed by PyTorch meet the output rule.",
    '',
    'Output rule: against a float64 reference (the same model in double precision), the error of every',
    "float output is at most 2× PyTorch's own float32 error plus `1e-5 × (1 + max |reference|)`; complex",
    'outputs likewise (complex128 reference, complex64 error, `|a - b|` of complex values); integer and',
    "boolean outputs equal PyTorch's exactly. PyTorch's own error is the worst over the ways PyTorch runs",
    'the model here: load, run, freeze and run again with 1 and with 2 intra-op threads (2 is its default',
    'on this machine; a parallel reduction adds in another order, and an ill-conditioned model such as',
    'efficientnet_b4 moves by 2.5× between the two). Score-ranked records (a dict or tuple whose tensors',
    'are row-aligned with a 1-D float tensor sorted high to low: detections with their boxes, scores and',
    'labels) are first matched to the reference row by row: rows whose scores agree within the score',
    'tolerance come out of topk / NMS in either order, so a row may move among those, but only to a row',
    "with its own labels (integer and boolean values equal the reference's); boxes and other float rows",
    'are then compared after that matching, each reference row taking the row of ours nearest in its',
    "float values (staying in place only breaks ties). PyTorch's own error is measured the same way.",
    'Keypoints (keypointrcnn) are the argmax of a heatmap: where two peaks tie within float32 noise, a',
    'rounding difference moves a keypoint to the other peak (by half a pixel or more: torchvision samples',
    "the heatmap on the box's pixel grid). Such a keypoint is excused when its score",
    "(the heatmap value at the chosen pixel) equals the reference's within the score limit, at most one",
    'keypoint in 200; each excused keypoint is listed below.',
    '`n/a`: PyTorch itself cannot (its error is quoted).',
    '`·`: not reached because an earlier step failed.',
    '',
    '## Summary',
    '',
    ...summary(records),
    '',
  ];
  for (const family of families) {
    out.push(
      `## ${family}`,
      '',
      ...familyTable(
        records.filter((r) => r.family === family),
        notes,
        table.startedAt,
      ),
      '',
    );
  }
  out.push('## Failures', '', ...failures(records), '');
  out.push('## Passed under the keypoint tie rule', '', ...passedWithNotes(records), '');
  out.push(
    "## Counts equal to PyTorch's only without heap address reuse",
    '',
    ...allocatorDependent(records),
    '',
  );
  out.push('## Where PyTorch itself cannot', '');
  out.push(
    ...(torchFailed.length
      ? torchFailed.map((r) => `- **${r.row}** (${r.mode}), ${r.torch.stage}: ${oneLine(r.torch.error, 800)}`)
      : ['None.']),
    '',
  );
  const skipped = Object.entries(listing.skipped);
  if (skipped.length) {
    out.push('## Builders not swept', '');
    for (const [name, why] of skipped) out.push(`- ${name}: ${why}`);
    out.push('');
  }
  return out.join('\n');
}

/** Writes docs/zoo.md. */
export function writeZooTable(path: string, table: ZooTable): void {
  writeFileSync(path, zooMarkdown(table));
}
