// Unified diffs of the IR text before and after each pass, for the page's text view beside the picture.

import { diffLines } from './line-diff.js';
import type { DiffHunk, MethodDiff } from './model/report-data.js';

/** Lines of diff kept per method and pass; beyond that the diff is cut (the picture still shows all). */
export const MAX_DIFF_LINES = 20_000;
const CONTEXT = 3;

/** The diff of one method's IR text (either side may be missing: a method added or removed). */
export function diffMethod(
  method: string,
  before: string | undefined,
  after: string | undefined,
): MethodDiff {
  const lines = diffLines(splitLines(before), splitLines(after));
  const hunks: DiffHunk[] = [];
  let kept = 0;
  let oldLine = 1;
  let newLine = 1;
  let current: { oldStart: number; newStart: number; lines: string[] } | undefined;
  let lastChange = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const changed = l.op !== ' ';
    const nextChange = changed ? i : nextChangeFrom(lines, i, CONTEXT);
    if (changed || i - lastChange <= CONTEXT || nextChange !== -1) {
      if (!current) {
        current = { oldStart: oldLine, newStart: newLine, lines: [] };
        hunks.push(current);
      }
      if (kept >= MAX_DIFF_LINES) return { method, hunks, note: `cut after ${MAX_DIFF_LINES} lines` };
      current.lines.push(`${l.op}${l.text}`);
      kept++;
    } else current = undefined;
    if (changed) lastChange = i;
    if (l.op !== '+') oldLine++;
    if (l.op !== '-') newLine++;
  }
  return { method, hunks };
}

// The index of a change within `within` lines after i, or -1.
function nextChangeFrom(lines: readonly { op: string }[], i: number, within: number): number {
  for (let k = i + 1; k <= i + within && k < lines.length; k++) if (lines[k].op !== ' ') return k;
  return -1;
}

function splitLines(text: string | undefined): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
