// Shape arithmetic shared by views and kernels: dim wrapping, broadcasting, -1 inference, view strides.

import { RuntimeError } from '../errors.js';
import { contiguousStrides, shapeNumel } from './tensor.js';

/** Wraps a possibly negative `dim` into [0, ndim), as PyTorch's maybe_wrap_dim does (0-dim tensors accept -1 and 0). */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RuntimeError(
      'DIM_OUT_OF_RANGE',
      `Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/** Wraps a list of dims and rejects repeats ("dim 1 appears multiple times in the list of dims"). */
export function normalizeDims(dims: readonly number[], ndim: number): number[] {
  const out = dims.map((d) => normalizeDim(d, ndim));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d))
      throw new RuntimeError('DIM_REPEATED', `dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}

/** The broadcast shape of several shapes (numpy rules), or a PyTorch-worded error. */
export function broadcastShapes(...shapes: readonly (readonly number[])[]): number[] {
  let ndim = 0;
  for (const s of shapes) ndim = Math.max(ndim, s.length);
  const out = new Array<number>(ndim).fill(1);
  for (let i = 0; i < shapes.length; i++) {
    const s = shapes[i];
    for (let j = 0; j < s.length; j++) {
      const d = ndim - s.length + j;
      const size = s[j];
      if (size === out[d] || size === 1) continue;
      if (out[d] === 1) {
        out[d] = size;
        continue;
      }
      throw new RuntimeError(
        'SHAPE_MISMATCH',
        `The size of tensor a (${out[d]}) must match the size of tensor b (${size}) at non-singleton dimension ${d}`,
      );
    }
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if broadcast to `target` (0 on broadcast dims). */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  if (lead < 0)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `cannot broadcast [${shape.join(', ')}] to [${target.join(', ')}]`,
    );
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === target[lead + i]) out[lead + i] = shape[i] === 1 ? 0 : strides[i];
    else if (shape[i] === 1) out[lead + i] = 0;
    else {
      throw new RuntimeError(
        'SHAPE_MISMATCH',
        `The expanded size of the tensor (${target[lead + i]}) must match the existing size (${shape[i]}) at non-singleton dimension ${lead + i}.  Target sizes: [${target.join(', ')}].  Tensor sizes: [${shape.join(', ')}]`,
      );
    }
  }
  return out;
}

/** Resolves one -1 in a requested shape against `numel` ("shape '[2, -1]' is invalid for input of size 7"). */
export function inferShape(shape: readonly number[], numel: number): number[] {
  const out = [...shape];
  let infer = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    if (s === -1) {
      if (infer >= 0) throw new RuntimeError('INVALID_SHAPE', 'only one dimension can be inferred');
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RuntimeError('INVALID_SHAPE', `invalid shape dimension ${s}`);
    } else known *= s;
  }
  const bad = (): RuntimeError =>
    new RuntimeError('INVALID_SHAPE', `shape '[${shape.join(', ')}]' is invalid for input of size ${numel}`);
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) throw bad();
    out[infer] = numel / known;
  } else if (known !== numel) throw bad();
  return out;
}

/**
 * Strides that let storage laid out as `oldShape`/`oldStrides` be read as `newShape` without copying,
 * or null when the layouts are incompatible (then reshape copies and view fails). Old dims are taken in
 * runs that are contiguous with each other; each run must be matched exactly by a run of new dims.
 */
export function viewStrides(
  oldShape: readonly number[],
  oldStrides: readonly number[],
  newShape: readonly number[],
): number[] | null {
  if (shapeNumel(oldShape) === 0 || oldShape.length === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewDim = newShape.length - 1;
  let runStride = oldStrides[oldShape.length - 1];
  let runNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    runNumel *= oldShape[d];
    const runEnds = d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== runNumel * runStride);
    if (!runEnds) continue;
    while (viewDim >= 0 && (viewNumel < runNumel || newShape[viewDim] === 1)) {
      out[viewDim] = viewNumel * runStride;
      viewNumel *= newShape[viewDim];
      viewDim--;
    }
    if (viewNumel !== runNumel) return null;
    if (d > 0) {
      runStride = oldStrides[d - 1];
      runNumel = 1;
      viewNumel = 1;
    }
  }
  return viewDim === -1 ? out : null;
}

/** Checks that a list of sizes is a valid shape (non-negative integers). */
export function checkShape(shape: readonly number[], what = 'size'): number[] {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw new RuntimeError(
        'INVALID_SHAPE',
        `Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}] (${what})`,
      );
    }
  }
  return [...shape];
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
