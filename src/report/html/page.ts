// The report as one self-contained HTML file: styles, the page script (bundled at build time), ELK's
// layout worker (run from a blob URL), and the data. No network: everything is inline.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TsFreezeError } from '../../errors.js';
import type { ReportData } from '../model/report-data.js';
import { PAGE_STYLE } from './styles.js';

const require = createRequire(import.meta.url);
/** dist/report/client.js, written by scripts/bundle-report-client.mjs after tsc. */
const CLIENT_BUNDLE = fileURLToPath(new URL('../../../report/client.js', import.meta.url));

let cached: { client: string; elk: string } | undefined;

function assets(): { client: string; elk: string } {
  if (cached) return cached;
  if (!existsSync(CLIENT_BUNDLE)) {
    throw new TsFreezeError(
      'REPORT_ASSETS',
      `the report page script is missing (${CLIENT_BUNDLE}): run 'npm run build' first`,
    );
  }
  cached = {
    client: readFileSync(CLIENT_BUNDLE, 'utf8'),
    elk: readFileSync(require.resolve('elkjs/lib/elk-worker.min.js'), 'utf8'),
  };
  return cached;
}

/** The HTML page of `data`. */
export function renderReportHtml(data: ReportData): string {
  const { client, elk } = assets();
  const title = data.mode === 'graph' ? `tsfreeze viz: ${data.title}` : `tsfreeze report: ${data.title}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head><body>',
    '<div id="app">Loading…</div>',
    `<script type="application/json" id="tsfreeze-data">${jsonForScript(data)}</script>`,
    `<script type="text/plain" id="elk-worker">${scriptText(elk)}</script>`,
    `<script>${scriptText(client)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

// JSON inside <script>: `<` escaped so no `</script>` or `<!--` can end the element early.
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function scriptText(code: string): string {
  if (/<\/script/i.test(code)) throw new TsFreezeError('REPORT_ASSETS', 'a page script contains </script>');
  return code;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
