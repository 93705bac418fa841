// Parses a torch.einsum equation ("bij,bjk->bik", "B G H I D, B G H J D -> B G H I J", "...ij,jk")
// against the operands' ranks into integer labels per dimension. Letters A-Z are labels 0-25 and a-z
// 26-51 (so an implicit output sorts upper case first, as PyTorch does); the dimensions an ellipsis covers
// become labels ELLIPSIS + k, right-aligned over the widest ellipsis. Errors use PyTorch 1.13's wording.

import { RuntimeError } from '../../errors.js';

/** First label of the dimensions covered by an ellipsis. */
export const ELLIPSIS = 52;

/** An equation resolved against its operands. */
export interface EinsumEquation {
  /** Per operand: one label per dimension. */
  operands: number[][];
  /** The output's labels in order. */
  output: number[];
}

const fail = (message: string): RuntimeError => new RuntimeError('INVALID_ARGUMENT', `einsum(): ${message}`);

function letterLabel(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97 + 26;
  return -1;
}

/** The letter of a label (for messages). */
export function labelName(label: number): string {
  return label < 26 ? String.fromCharCode(65 + label) : String.fromCharCode(97 + label - 26);
}

/** One term: its letter labels with -1 standing where the ellipsis is. */
function parseTerm(eq: string, start: number, end: number, what: string): number[] {
  const labels: number[] = [];
  let ellipsis = false;
  for (let i = start; i < end; i++) {
    const c = eq[i];
    if (c === ' ') continue;
    if (c === '.') {
      if (ellipsis) throw fail(`found '.' for ${what} for which an ellipsis was already found`);
      if (eq[i + 1] !== '.' || eq[i + 2] !== '.' || i + 2 >= end)
        throw fail(`found '.' for ${what} that is not part of any ellipsis`);
      ellipsis = true;
      labels.push(-1);
      i += 2;
      continue;
    }
    const label = letterLabel(c);
    if (label < 0)
      throw fail(
        `invalid subscript given at index ${i} in the equation string, subscripts must be in [a-zA-Z]`,
      );
    labels.push(label);
  }
  return labels;
}

/** Parses `equation` for operands of the given ranks. */
export function parseEinsum(equation: string, ranks: readonly number[]): EinsumEquation {
  const arrow = equation.indexOf('->');
  const lhsEnd = arrow < 0 ? equation.length : arrow;
  const terms: number[][] = [];
  let start = 0;
  for (let i = 0; i <= lhsEnd; i++) {
    if (i === lhsEnd || equation[i] === ',') {
      const k = terms.length;
      if (k >= ranks.length) throw fail('fewer operands were provided than specified in the equation');
      terms.push(parseTerm(equation, start, i, `operand ${k}`));
      start = i + 1;
    }
  }
  if (terms.length < ranks.length) throw fail('more operands were provided than specified in the equation');

  // Resolve each ellipsis to as many labels as it covers dimensions.
  let ellipsisDims = 0;
  const covered = terms.map((term, k) => {
    const letters = term.filter((l) => l >= 0).length;
    const hasEllipsis = term.includes(-1);
    if (hasEllipsis ? ranks[k] < letters : ranks[k] !== letters)
      throw fail(
        `the number of subscripts in the equation (${letters}) ${hasEllipsis ? 'is more than' : 'does not match'} the number of dimensions (${ranks[k]}) for operand ${k}${hasEllipsis ? '' : ' and no ellipsis was given'}`,
      );
    const n = hasEllipsis ? ranks[k] - letters : 0;
    ellipsisDims = Math.max(ellipsisDims, n);
    return n;
  });
  const ellipsisLabels = (n: number): number[] =>
    Array.from({ length: n }, (_, j) => ELLIPSIS + ellipsisDims - n + j);
  const operands = terms.map((term, k) => term.flatMap((l) => (l < 0 ? ellipsisLabels(covered[k]) : [l])));
  const anyEllipsis = terms.some((t) => t.includes(-1));

  const counts = new Map<number, number>();
  for (const op of terms) for (const l of op) if (l >= 0) counts.set(l, (counts.get(l) ?? 0) + 1);

  let output: number[];
  if (arrow < 0) {
    // Implicit output: the ellipsis dimensions, then every label used exactly once, in label order.
    const once = [...counts].filter(([, n]) => n === 1).map(([l]) => l);
    output = [...(anyEllipsis ? ellipsisLabels(ellipsisDims) : []), ...once.sort((a, b) => a - b)];
  } else {
    const term = parseTerm(equation, arrow + 2, equation.length, 'the output');
    const seen = new Set<number>();
    output = [];
    for (const l of term) {
      if (l < 0) {
        output.push(...ellipsisLabels(ellipsisDims));
        continue;
      }
      if (!counts.has(l))
        throw fail(`output subscript ${labelName(l)} does not appear in the equation for any input operand`);
      if (seen.has(l)) throw fail(`output subscript ${labelName(l)} appears more than once in the output`);
      seen.add(l);
      output.push(l);
    }
  }
  return { operands, output };
}
