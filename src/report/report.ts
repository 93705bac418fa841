// A recorded run as an HTML report, in memory or written whole to a file.

import type { RunRecord } from '../pipeline/index.js';
import { renderReportHtml } from './html/page.js';
import type { ReportData } from './model/report-data.js';
import { drawInitialPictures } from './pictures.js';
import { reportDataOf } from './report-data.js';
import { writeWhole } from './write.js';

/** The page data of a run with its first pictures drawn ahead. */
export async function reportWithPictures(data: ReportData): Promise<ReportData> {
  return { ...data, pictures: await drawInitialPictures(data) };
}

/** The HTML report of a recorded run (one self-contained page). */
export async function renderReport(record: RunRecord): Promise<string> {
  return renderReportHtml(await reportWithPictures(reportDataOf(record)));
}

/** Writes the HTML report of a recorded run to `path` (whole or not at all). */
export async function writeReport(record: RunRecord, path: string): Promise<void> {
  writeWhole(path, await renderReport(record));
}

/** The report without drawing ahead (for a run that failed: written at once, the page lays out). */
export function writeReportNow(record: RunRecord, path: string): void {
  writeWhole(path, renderReportHtml(reportDataOf(record)));
}
