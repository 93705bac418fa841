// Writes docs/kernels.md: what the runtime does with every overload of the operator table
// (kernelCoverage: a tensor kernel, a scalar/container op, the interpreter, refused with a reason, or
// missing), and the operators the zoo sweep's models use, which must all run.

import { writeFileSync } from 'node:fs';
import type { KernelState, OperatorEntry, OperatorRegistry } from '../../src/index.js';
import { kernelCoverage, kernelStatusOf } from '../../src/index.js';
import type { ZooRecord } from './zoo-table.js';

const RUNS: readonly KernelState[] = ['kernel', 'scalar', 'interpreter'];
const STATES: readonly KernelState[] = [...RUNS, 'refused', 'missing'];

const namespaceOf = (key: string): string => key.split('::')[0];

/** One operator the sweep uses: its state and the rows (row/mode) whose code or frozen graph call it. */
export interface SweepOp {
  readonly key: string;
  readonly state: string;
  readonly rows: string[];
}

/** The union of the operators every swept row and mode recorded (ModeResult.ops). */
export function sweepOps(
  records: readonly ZooRecord[],
  registry?: OperatorRegistry,
): { ops: SweepOp[]; rows: number } {
  const ops = new Map<string, SweepOp>();
  let rows = 0;
  // A row's recorded state is as of when it ran; the table's own state is today's when it has the key.
  const stateOf = (key: string, recorded: string): string => {
    const entry = registry?.lookup(key);
    return entry ? kernelStatusOf(entry).state : recorded;
  };
  for (const r of records) {
    if (!r.ours?.ops) continue;
    rows++;
    for (const op of r.ours.ops) {
      const known = ops.get(op.key) ?? { key: op.key, state: stateOf(op.key, op.state), rows: [] };
      known.rows.push(`${r.row} (${r.mode})`);
      ops.set(op.key, known);
    }
  }
  return { ops: [...ops.values()].sort((a, b) => a.key.localeCompare(b.key)), rows };
}

function stateTable(coverage: { entry: OperatorEntry; status: { state: KernelState } }[]): string[] {
  const namespaces = [...new Set(coverage.map((c) => namespaceOf(c.entry.key)))].sort();
  const lines = [
    `| namespace | overloads | ${STATES.join(' | ')} |`,
    `| --------- | --------: | ${STATES.map(() => '--:').join(' | ')} |`,
  ];
  for (const ns of [...namespaces, 'all']) {
    const mine = coverage.filter((c) => ns === 'all' || namespaceOf(c.entry.key) === ns);
    const counts = STATES.map((s) => mine.filter((c) => c.status.state === s).length);
    lines.push(`| ${ns === 'all' ? '**all**' : ns} | ${mine.length} | ${counts.join(' | ')} |`);
  }
  return lines;
}

function sweepSection(sweep: { ops: SweepOp[]; rows: number }): string[] {
  if (!sweep.rows) return ['No sweep results yet: run `npm run zoo`.'];
  const running = sweep.ops.filter((o) => (RUNS as readonly string[]).includes(o.state));
  const lacking = sweep.ops.filter((o) => !(RUNS as readonly string[]).includes(o.state));
  const lines = [
    `The ${sweep.rows} row/mode pairs the sweep loaded use **${sweep.ops.length} distinct operators**`,
    `(in their code or their frozen graph); **${running.length}/${sweep.ops.length} run** in tsfreeze.`,
    '',
  ];
  if (lacking.length) {
    lines.push('Used by the sweep but without a kernel:', '');
    for (const o of lacking)
      lines.push(
        `- \`${o.key}\` (${o.state}): ${o.rows.slice(0, 6).join(', ')}${o.rows.length > 6 ? ', …' : ''}`,
      );
    lines.push('');
  }
  lines.push('| operator | runs as | rows using it |', '| -------- | ------- | ------------: |');
  for (const o of sweep.ops) lines.push(`| \`${o.key}\` | ${o.state} | ${o.rows.length} |`);
  return lines;
}

function refusedSection(
  coverage: { entry: OperatorEntry; status: { state: KernelState; reason?: string } }[],
) {
  const byReason = new Map<string, string[]>();
  for (const c of coverage) {
    if (c.status.state !== 'refused') continue;
    const reason = c.status.reason ?? 'no reason given';
    byReason.set(reason, [...(byReason.get(reason) ?? []), c.entry.key]);
  }
  const lines: string[] = [];
  for (const [reason, keys] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`### ${reason} (${keys.length})`, '', keys.map((k) => `\`${k}\``).join(', '), '');
  }
  return lines;
}

function missingSection(coverage: { entry: OperatorEntry; status: { state: KernelState } }[]): string[] {
  const missing = coverage.filter((c) => c.status.state === 'missing').map((c) => c.entry.key);
  const lines: string[] = [];
  for (const ns of [...new Set(missing.map(namespaceOf))].sort()) {
    const keys = missing.filter((k) => namespaceOf(k) === ns);
    lines.push(`### ${ns} (${keys.length})`, '', keys.map((k) => `\`${k}\``).join(', '), '');
  }
  return lines.length ? lines : ['None.', ''];
}

/** docs/kernels.md as text. */
export function kernelsMarkdown(registry: OperatorRegistry, records: readonly ZooRecord[]): string {
  const coverage = kernelCoverage(registry);
  const runs = coverage.filter((c) => RUNS.includes(c.status.state)).length;
  return [
    '# Kernel coverage',
    '',
    'Generated by `npm run zoo` (test/zoo/kernels-table.ts) from the operator table and the sweep results;',
    'do not edit by hand. `tsfreeze show MODEL.pt --ops` gives the same states for one model.',
    '',
    'Every overload of the operator table (PyTorch 1.13 and torchvision 0.14 schemas) runs as one of:',
    '**kernel** (a tensor kernel), **scalar** (a scalar, string or container op), **interpreter** (control',
    'flow, calls, objects, handled by the interpreter itself), **refused** (deliberately not supported, with',
    'the reason below) or **missing** (not written yet).',
    '',
    `**${runs} of ${coverage.length} overloads run**; ${coverage.filter((c) => c.status.state === 'refused').length} are refused with a reason.`,
    '',
    ...stateTable(coverage),
    '',
    '## What the zoo sweep needs',
    '',
    ...sweepSection(sweepOps(records, registry)),
    '',
    '## Refused, by reason',
    '',
    ...refusedSection(coverage),
    '## Missing',
    '',
    ...missingSection(coverage),
  ].join('\n');
}

/** Writes docs/kernels.md. */
export function writeKernelsTable(
  path: string,
  registry: OperatorRegistry,
  records: readonly ZooRecord[],
): void {
  writeFileSync(path, kernelsMarkdown(registry, records));
}
