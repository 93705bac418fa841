// Strided iteration for element-wise loops: walks a shape for several operands at once, coalescing
// dims so contiguous (and broadcast-scalar) operands become one long run that callers loop over directly.

import { DTYPES, type StorageArray } from './dtype.js';
import type { Tensor } from './tensor.js';

/**
 * Calls `run(offsets, n, steps)` once per innermost run of `n` elements of `shape`, in row-major order.
 * Operand k's elements of that run sit at `offsets[k] + i * steps[k]` in its storage. `offsets` is reused
 * between calls: read it before returning. Size-1 dims are dropped and dims that are contiguous with each
 * other in every operand are merged, so a contiguous tensor is walked as a single run.
 */
export function forEachRun(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  bases: readonly number[],
  run: (offsets: number[], n: number, steps: readonly number[]) => void,
): void {
  const nOps = strides.length;
  const sizes: number[] = [];
  const st: number[][] = [];
  for (let k = 0; k < nOps; k++) st.push([]);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 0) return;
    if (size === 1) continue;
    const last = sizes.length - 1;
    let merge = last >= 0;
    for (let k = 0; merge && k < nOps; k++) if (st[k][last] !== strides[k][d] * size) merge = false;
    if (merge) {
      sizes[last] *= size;
      for (let k = 0; k < nOps; k++) st[k][last] = strides[k][d];
    } else {
      sizes.push(size);
      for (let k = 0; k < nOps; k++) st[k].push(strides[k][d]);
    }
  }
  const offs = [...bases];
  if (sizes.length === 0) {
    run(offs, 1, new Array<number>(nOps).fill(0));
    return;
  }
  const inner = sizes.length - 1;
  const n = sizes[inner];
  const steps = st.map((s) => s[inner]);
  if (inner === 0) {
    run(offs, n, steps);
    return;
  }
  const counter = new Array<number>(inner).fill(0);
  for (;;) {
    run(offs, n, steps);
    let d = inner - 1;
    for (; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < nOps; k++) offs[k] += st[k][d];
      if (counter[d] < sizes[d]) break;
      for (let k = 0; k < nOps; k++) offs[k] -= st[k][d] * sizes[d];
      counter[d] = 0;
    }
    if (d < 0) return;
    // Run callbacks may keep a copy of offsets; the loop above mutates the array in place.
  }
}

/** Storage index of every element of `t`, in row-major order (for gathers that need random access). */
export function storageIndices(t: Tensor): Int32Array | Float64Array {
  const n = t.numel;
  const out = n < 2 ** 31 ? new Int32Array(n) : new Float64Array(n);
  let i = 0;
  forEachRun(t.shape, [t.strides], [t.offset], (offs, len, steps) => {
    let o = offs[0];
    const s = steps[0];
    for (let k = 0; k < len; k++, o += s) out[i++] = o;
  });
  return out;
}

/**
 * The elements of `t` in row-major order as its own storage type, without copying when `t` is already
 * contiguous (then the result aliases `t`'s storage: do not write to it unless that is meant).
 */
export function denseData(t: Tensor): StorageArray {
  const { lanes } = DTYPES[t.dtype];
  const n = t.numel;
  if (t.isContiguous)
    return t.storage.data.subarray(t.offset * lanes, (t.offset + n) * lanes) as StorageArray;
  const src = t.storage.data;
  const out = new (src.constructor as new (n: number) => StorageArray)(n * lanes);
  let i = 0;
  if (lanes === 2) {
    forEachRun(t.shape, [t.strides], [t.offset], (offs, len, steps) => {
      let o = offs[0];
      for (let k = 0; k < len; k++, o += steps[0]) {
        out[i++] = src[2 * o];
        out[i++] = src[2 * o + 1];
      }
    });
    return out;
  }
  forEachRun(t.shape, [t.strides], [t.offset], (offs, len, steps) => {
    let o = offs[0];
    const s = steps[0];
    for (let k = 0; k < len; k++, o += s) out[i++] = src[o];
  });
  return out;
}
