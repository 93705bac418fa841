// The fuzz summary table: per target, how many cases succeeded, failed with a typed error, crashed, ran
// over the time limit or over the memory limit; then the slowest case, peak memory and wall time.

import type { FuzzSummary, Verdict } from './runner.js';

const COLUMNS: readonly Verdict[] = ['ok', 'typed', 'crash', 'hang', 'memory'];

/** The table as text (also what the CI budget test prints). */
export function formatSummary(
  summary: FuzzSummary,
  limits: { timeoutMs: number; memoryBytes: number },
): string {
  const targets = [...new Set(summary.records.map((r) => r.target))];
  const header = [
    'target',
    'cases',
    'ok',
    'typed error',
    'crash',
    `>${limits.timeoutMs / 1000} s`,
    `>${(limits.memoryBytes / 1024 ** 3).toFixed(0)} GB`,
    'slowest ms',
  ];
  const rows: string[][] = [];
  const total = { cases: 0, slowest: 0, counts: new Map<Verdict, number>() };
  for (const target of targets) {
    const mine = summary.records.filter((r) => r.target === target);
    const counts = COLUMNS.map((v) => mine.filter((r) => r.verdict === v).length);
    const slowest = Math.max(0, ...mine.map((r) => r.ms));
    COLUMNS.forEach((v, i) => total.counts.set(v, (total.counts.get(v) ?? 0) + counts[i]));
    total.cases += mine.length;
    total.slowest = Math.max(total.slowest, slowest);
    rows.push([target, String(mine.length), ...counts.map(String), slowest.toFixed(0)]);
  }
  rows.push([
    'total',
    String(total.cases),
    ...COLUMNS.map((v) => String(total.counts.get(v) ?? 0)),
    total.slowest.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const codes = new Map<string, number>();
  for (const r of summary.records) {
    if (r.outcome?.kind === 'typed') {
      const key = r.outcome.limit ? `${r.outcome.code}(${r.outcome.limit})` : r.outcome.code;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
  }
  const topCodes = [...codes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const crashes = [
    ...new Set(
      summary.records
        .filter((r) => r.outcome?.kind === 'crash')
        .map((r) => (r.outcome as { signature: string }).signature),
    ),
  ];
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `typed errors by code: ${topCodes || '(none)'}`,
    `distinct crash signatures: ${crashes.length}${crashes.map((c) => `\n  ${c}`).join('')}`,
    `peak RSS ${(summary.peakRssBytes / 1024 ** 2).toFixed(0)} MB; wall time ${(summary.wallMs / 1000).toFixed(1)} s`,
    ...(summary.saved.length ? [`reproducers saved: ${summary.saved.join(', ')}`] : []),
  ].join('\n');
}

/** True when nothing crashed, hung or blew up. */
export function isClean(summary: FuzzSummary): boolean {
  return summary.records.every((r) => r.verdict === 'ok' || r.verdict === 'typed');
}
