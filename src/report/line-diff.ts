// A line diff for IR texts (patience style): lines unique to both sides anchor the match, the longest
// increasing run of anchors splits the texts, and the gaps between anchors are diffed the same way
// (small gaps by dynamic programming). Near linear on IR, whose lines are mostly unique (value names),
// where a plain Myers diff is quadratic on passes that touch every line.

/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

const SMALL_GAP = 250_000; // cells of the dynamic-programming table for gaps without anchors

type Work =
  | {
      readonly kind: 'range';
      readonly a0: number;
      readonly a1: number;
      readonly b0: number;
      readonly b1: number;
    }
  | { readonly kind: 'lines'; readonly lines: readonly DiffLine[] };

/** The line diff of `a` into `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const out: DiffLine[] = [];
  // Work items in output order, kept reversed on a stack (no recursion: gaps nest deeply on long texts).
  const stack: Work[] = [{ kind: 'range', a0: 0, a1: a.length, b0: 0, b1: b.length }];
  for (let w = stack.pop(); w; w = stack.pop()) {
    if (w.kind === 'lines') {
      for (const l of w.lines) out.push(l);
      continue;
    }
    let { a0, a1, b0, b1 } = w;
    while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) {
      out.push({ op: ' ', text: a[a0++] });
      b0++;
    }
    const tail: DiffLine[] = [];
    while (a0 < a1 && b0 < b1 && a[a1 - 1] === b[b1 - 1]) {
      tail.push({ op: ' ', text: a[--a1] });
      b1--;
    }
    stack.push({ kind: 'lines', lines: tail.reverse() });
    const anchors = a0 < a1 && b0 < b1 ? uniqueAnchors(a, a0, a1, b, b0, b1) : [];
    if (!anchors.length) {
      stack.push({ kind: 'lines', lines: smallDiff(a, a0, a1, b, b0, b1) });
      continue;
    }
    // [gap, anchor, gap, anchor, ..., gap], pushed last first.
    const parts: Work[] = [];
    let pa = a0;
    let pb = b0;
    for (const [ia, ib] of anchors) {
      parts.push(
        { kind: 'range', a0: pa, a1: ia, b0: pb, b1: ib },
        { kind: 'lines', lines: [{ op: ' ', text: a[ia] }] },
      );
      pa = ia + 1;
      pb = ib + 1;
    }
    parts.push({ kind: 'range', a0: pa, a1, b0: pb, b1 });
    for (let k = parts.length - 1; k >= 0; k--) stack.push(parts[k]);
  }
  return out;
}

// Lines occurring once on each side, as (index in a, index in b), longest increasing run in b.
function uniqueAnchors(
  a: readonly string[],
  a0: number,
  a1: number,
  b: readonly string[],
  b0: number,
  b1: number,
): [number, number][] {
  const countA = new Map<string, number>();
  for (let i = a0; i < a1; i++) countA.set(a[i], (countA.get(a[i]) ?? 0) + 1);
  const inB = new Map<string, number>();
  for (let j = b0; j < b1; j++) {
    const line = b[j];
    if (countA.get(line) !== 1) continue;
    inB.set(line, inB.has(line) ? -1 : j);
  }
  const pairs: [number, number][] = [];
  for (let i = a0; i < a1; i++) {
    const j = inB.get(a[i]);
    if (j !== undefined && j >= 0 && countA.get(a[i]) === 1) pairs.push([i, j]);
  }
  return longestIncreasing(pairs);
}

// Longest subsequence of `pairs` (sorted by a) increasing in b: patience sorting, O(n log n).
function longestIncreasing(pairs: readonly [number, number][]): [number, number][] {
  const tops: number[] = []; // index into pairs of the smallest tail of each length
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const v = pairs[k][1];
    let lo = 0;
    let hi = tops.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tops[mid]][1] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tops[lo - 1];
    tops[lo] = k;
  }
  const out: [number, number][] = [];
  for (let k = tops.length ? tops[tops.length - 1] : -1; k >= 0; k = prev[k]) out.push(pairs[k]);
  return out.reverse();
}

// A gap without anchors: LCS by dynamic programming when small, else all removed then all added.
function smallDiff(
  a: readonly string[],
  a0: number,
  a1: number,
  b: readonly string[],
  b0: number,
  b1: number,
): DiffLine[] {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0 || n * m > SMALL_GAP) {
    return [
      ...a.slice(a0, a1).map((text): DiffLine => ({ op: '-', text })),
      ...b.slice(b0, b1).map((text): DiffLine => ({ op: '+', text })),
    ];
  }
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i * w + j] =
        a[a0 + i] === b[b0 + j]
          ? table[(i + 1) * w + j + 1] + 1
          : Math.max(table[(i + 1) * w + j], table[i * w + j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      out.push({ op: ' ', text: a[a0 + i] });
      i++;
      j++;
    } else if (table[(i + 1) * w + j] >= table[i * w + j + 1]) out.push({ op: '-', text: a[a0 + i++] });
    else out.push({ op: '+', text: b[b0 + j++] });
  }
  while (i < n) out.push({ op: '-', text: a[a0 + i++] });
  while (j < m) out.push({ op: '+', text: b[b0 + j++] });
  return out;
}
