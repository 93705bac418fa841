// Specialised element-wise loops for the hot ops. A loop that calls an op through a function value
// goes megamorphic once a few ops share it (every element pays a call); so ops whose body is a short
// JS expression get their own generated loop, compiled once per expression and cached. The expressions
// are fixed strings written in this package's kernel files, never user input.

import type { NumArray } from './ew-core.js';

/** Inner run of a binary op: o[io + k*so] = expr(x = p[ia + k*sa], y = q[ib + k*sb]) for k < n. */
export type BinaryLoop = (
  o: NumArray,
  p: NumArray,
  q: NumArray,
  io: number,
  ia: number,
  ib: number,
  so: number,
  sa: number,
  sb: number,
  n: number,
  c0: number,
  c1: number,
) => void;

/** Inner run of a unary op: o[io + k*so] = expr(x = p[ia + k*sa]). */
export type UnaryLoop = (
  o: NumArray,
  p: NumArray,
  io: number,
  ia: number,
  so: number,
  sa: number,
  n: number,
  c0: number,
  c1: number,
) => void;

const binaryCache = new Map<string, BinaryLoop>();
const unaryCache = new Map<string, UnaryLoop>();

/** The compiled loop for a binary expression over x, y and constants c0, c1. */
export function binaryLoop(expr: string): BinaryLoop {
  let f = binaryCache.get(expr);
  if (f === undefined) {
    const body = `
      if (so === 1 && sa === 1 && sb === 1) {
        for (let k = 0; k < n; k++) { const x = p[ia + k], y = q[ib + k]; o[io + k] = (${expr}); }
      } else if (so === 1 && sa === 1 && sb === 0) {
        const y = q[ib];
        for (let k = 0; k < n; k++) { const x = p[ia + k]; o[io + k] = (${expr}); }
      } else if (so === 1 && sa === 0 && sb === 1) {
        const x = p[ia];
        for (let k = 0; k < n; k++) { const y = q[ib + k]; o[io + k] = (${expr}); }
      } else {
        for (let k = 0; k < n; k++) { const x = p[ia + k * sa], y = q[ib + k * sb]; o[io + k * so] = (${expr}); }
      }`;
    f = new Function('o', 'p', 'q', 'io', 'ia', 'ib', 'so', 'sa', 'sb', 'n', 'c0', 'c1', body) as BinaryLoop;
    binaryCache.set(expr, f);
  }
  return f;
}

/** The compiled loop for a unary expression over x and constants c0, c1. */
export function unaryLoop(expr: string): UnaryLoop {
  let f = unaryCache.get(expr);
  if (f === undefined) {
    const body = `
      if (so === 1 && sa === 1) {
        for (let k = 0; k < n; k++) { const x = p[ia + k]; o[io + k] = (${expr}); }
      } else {
        for (let k = 0; k < n; k++) { const x = p[ia + k * sa]; o[io + k * so] = (${expr}); }
      }`;
    f = new Function('o', 'p', 'io', 'ia', 'so', 'sa', 'n', 'c0', 'c1', body) as UnaryLoop;
    unaryCache.set(expr, f);
  }
  return f;
}
