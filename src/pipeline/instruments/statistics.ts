// --stats: after the run, every statistic the passes counted, LLVM's "Statistics Collected" layout.

import { injectable } from 'inversify';
import type { InstrumentationOptions, PassInstrument, RunInfo, RunReport } from './instrument.js';

/** Prints the run's statistics table. Counting itself is always on (context.count); this only prints. */
@injectable()
export class StatisticsInstrument implements PassInstrument {
  readonly name = 'statistics';

  isEnabled(options: InstrumentationOptions): boolean {
    return options.statistics === true;
  }

  afterPipeline(run: RunInfo, report: RunReport): void {
    run.output.write(formatStatistics(report));
  }
}

const RULE = '===' + '-'.repeat(73) + '===';

/** `  COUNT pass - statistic` lines, sorted by pass then statistic; a note when nothing was counted. */
export function formatStatistics(report: RunReport): string {
  const rows: [string, string, number][] = [];
  for (const pass of Object.keys(report.statistics).sort()) {
    const table = report.statistics[pass];
    for (const stat of Object.keys(table).sort()) if (table[stat] !== 0) rows.push([pass, stat, table[stat]]);
  }
  const width = Math.max(1, ...rows.map(([, , n]) => String(n).length));
  const lines = [RULE, '                          ... Statistics Collected ...', RULE];
  if (!rows.length) lines.push('  (no statistics counted)');
  for (const [pass, stat, n] of rows) lines.push(`  ${String(n).padStart(width)} ${pass} - ${stat}`);
  return `${lines.join('\n')}\n\n`;
}
