// Detections and other score-ranked records: a container (dict, tuple, list) whose tensors share their
// first dimension N with a 1-D float "key" tensor sorted high to low (detection `scores`, with `boxes`,
// `labels`, `masks`, `keypoints` row-aligned). Two rows whose scores differ by rounding noise (ssdlite's
// random weights give many scores equal to 1e-7) come out of topk / NMS in either order, so PyTorch in
// float32, the float64 reference and tsfreeze may list the same detections in different orders.
//
// The rule: our rows may be a permutation of the reference's, where a row only moves to a position
// whose reference score agrees with its own within that score leaf's tolerance, and a matched row has
// exactly the reference's integer and boolean values (a wrong label is never absorbed). Float leaves are
// then compared row by row after the permutation, with the usual rule. scripts/zoo/values.py applies the
// same rule when it measures PyTorch's own error (align_records).

import { DTYPES, Tensor, cloneContiguous, toDType } from '../../src/index.js';
import type { Leaf } from './compare.js';

/** Row-aligned leaves of one container, ordered by the key leaf. */
export interface RecordGroup {
  /** Path of the key leaf (1-D float, sorted non-increasing in the reference). */
  readonly key: string;
  /** Paths of every tensor leaf of the container with N rows, the key included. */
  readonly rows: readonly string[];
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('.'));

function float64(t: Tensor): Float64Array {
  return cloneContiguous(toDType(t, 'float64')).storage.data as Float64Array;
}

const isFloat = (t: Tensor): boolean => DTYPES[t.dtype].isFloatingPoint;
const isExact = (t: Tensor): boolean => !DTYPES[t.dtype].isFloatingPoint && !DTYPES[t.dtype].isComplex;

function sortedDescending(t: Tensor): boolean {
  const v = float64(t);
  for (let i = 1; i < v.length; i++) if (!(v[i] <= v[i - 1])) return false;
  return true;
}

/**
 * The record groups of a value, found on the reference's leaves: per container, exactly one 1-D float
 * leaf of length N >= 2 sorted high to low, and at least one other tensor leaf with N rows.
 */
export function findRecordGroups(reference: readonly Leaf[]): RecordGroup[] {
  const byParent = new Map<string, Leaf[]>();
  for (const leaf of reference) {
    if (!(leaf.value instanceof Tensor)) continue;
    const parent = parentOf(leaf.path);
    byParent.set(parent, [...(byParent.get(parent) ?? []), leaf]);
  }
  const groups: RecordGroup[] = [];
  for (const leaves of byParent.values()) {
    const keys = leaves.filter((l) => {
      const t = l.value as Tensor;
      return isFloat(t) && t.shape.length === 1 && t.shape[0] >= 2 && sortedDescending(t);
    });
    if (keys.length !== 1) continue;
    const n = (keys[0].value as Tensor).shape[0];
    const rows = leaves.filter((l) => (l.value as Tensor).shape[0] === n).map((l) => l.path);
    if (rows.length >= 2) groups.push({ key: keys[0].path, rows });
  }
  return groups;
}

/** Row `i` of a tensor as float64 values (all elements of that slice along dim 0). */
class Rows {
  private readonly data: Float64Array;
  readonly width: number;
  constructor(readonly tensor: Tensor) {
    this.data = DTYPES[tensor.dtype].isComplex
      ? (cloneContiguous(toDType(tensor, 'complex128')).storage.data as Float64Array)
      : float64(tensor);
    this.width = tensor.shape[0] ? this.data.length / tensor.shape[0] : 0;
  }
  get(i: number): Float64Array {
    return this.data.subarray(i * this.width, (i + 1) * this.width);
  }
}

function sameRow(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++)
    if (a[k] !== b[k] && !(Number.isNaN(a[k]) && Number.isNaN(b[k]))) return false;
  return true;
}

function rowDistance(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (d > worst || Number.isNaN(d)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** A permutation (`perm[i]` = the row of ours placed at reference row i), or why there is none. */
export type Alignment = { readonly perm: number[] } | { readonly problem: string };

/**
 * Aligns our rows to the reference's: for each reference row in order, the unused row of ours whose key
 * is within `keyTolerance` of the reference's and whose exact (integer, bool) leaves are equal,
 * preferring the nearest float values, then the same position. Fails on the first reference row
 * nothing of ours matches.
 */
export function alignRecords(
  group: RecordGroup,
  ours: ReadonlyMap<string, Tensor>,
  reference: ReadonlyMap<string, Tensor>,
  keyTolerance: number,
): Alignment {
  const n = reference.get(group.key)!.shape[0];
  for (const path of group.rows) {
    const o = ours.get(path);
    if (!o || o.shape[0] !== n) return { problem: `${path}: not ${n} rows like the reference` };
  }
  const refKey = float64(reference.get(group.key)!);
  const ourKey = float64(ours.get(group.key)!);
  const exact = group.rows.filter((p) => isExact(reference.get(p)!));
  const inexact = group.rows.filter((p) => p !== group.key && !isExact(reference.get(p)!));
  const rows = (paths: string[], from: ReadonlyMap<string, Tensor>): Rows[] =>
    paths.map((p) => new Rows(from.get(p)!));
  const [refExact, ourExact] = [rows(exact, reference), rows(exact, ours)];
  const [refInexact, ourInexact] = [rows(inexact, reference), rows(inexact, ours)];
  const used = new Uint8Array(n);
  const perm: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestCost = Infinity;
    for (let j = 0; j < n; j++) {
      if (used[j] || !(Math.abs(ourKey[j] - refKey[i]) <= keyTolerance)) continue;
      if (!refExact.every((r, k) => sameRow(r.get(i), ourExact[k].get(j)))) continue;
      // The nearest float values (boxes) win; staying in place only breaks ties. Two detections with equal
      // labels whose scores swapped (keypointrcnn: 0.38867366 / 0.38867342) must follow their boxes.
      const cost = Math.max(0, ...refInexact.map((r, k) => rowDistance(r.get(i), ourInexact[k].get(j))));
      if (cost < bestCost || (cost === bestCost && j === i)) {
        best = j;
        bestCost = cost;
      }
    }
    if (best < 0) {
      const values = exact.map((p, k) => `${p.split('.').pop()} ${Array.from(refExact[k].get(i)).join(',')}`);
      return {
        problem: `reference row ${i} (${group.key.split('.').pop()} ${refKey[i]}${values.length ? `, ${values.join(', ')}` : ''}) has no row of ours with equal ${exact.map((p) => p.split('.').pop()).join('/') || 'values'} and a score within ${keyTolerance.toExponential(2)}`,
      };
    }
    used[best] = 1;
    perm.push(best);
  }
  return { perm };
}

/** `t` with its rows (dim 0) reordered: row i of the result is row perm[i] of `t`. */
export function permuteRows(t: Tensor, perm: readonly number[]): Tensor {
  const src = cloneContiguous(t);
  const data = src.storage.data;
  const width = t.shape[0] ? data.length / t.shape[0] : 0;
  const out = cloneContiguous(t);
  const dst = out.storage.data;
  perm.forEach((j, i) => {
    for (let k = 0; k < width; k++) dst[i * width + k] = data[j * width + k];
  });
  return out;
}
