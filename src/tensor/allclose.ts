// Numeric comparison of tensors as torch.allclose does it, plus the worst-error figure tests report.

import { RuntimeError } from '../errors.js';
import { toDType } from './convert.js';
import { broadcastShapes } from './shape.js';
import type { Tensor } from './tensor.js';
import { expand } from './views.js';

/** Tolerances of allClose (PyTorch's defaults: rtol 1e-5, atol 1e-8, NaNs unequal). */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

function pairs(a: Tensor, b: Tensor): [Float64Array, Float64Array] {
  const shape = broadcastShapes(a.shape, b.shape);
  const read = (t: Tensor): Float64Array => {
    const d = toDType(expand(t, shape), 'float64', true);
    return d.storage.data as Float64Array;
  };
  return [read(a), read(b)];
}

/** torch.allclose(a, b): |a - b| <= atol + rtol * |b| everywhere (inputs broadcast). */
export function allClose(a: Tensor, b: Tensor, options: CloseOptions = {}): boolean {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  const [x, y] = pairs(a, b);
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u === v) continue;
    if (Number.isNaN(u) || Number.isNaN(v)) {
      if (options.equalNan && Number.isNaN(u) && Number.isNaN(v)) continue;
      return false;
    }
    if (!(Math.abs(u - v) <= atol + rtol * Math.abs(v))) return false;
  }
  return true;
}

/** The largest |a - b| (NaN when exactly one side is NaN at some position; shapes must broadcast). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const [x, y] = pairs(a, b);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u === v || (Number.isNaN(u) && Number.isNaN(v))) continue;
    const d = Math.abs(u - v);
    if (Number.isNaN(d)) return NaN;
    if (d > worst) worst = d;
  }
  return worst;
}

/** Throws a RuntimeError naming the worst element when allClose fails (handy in tests and checks). */
export function assertClose(actual: Tensor, expected: Tensor, options: CloseOptions = {}): void {
  if (actual.dtype === 'bool' || expected.dtype === 'bool') {
    // Bools compare exactly.
    options = { ...options, rtol: 0, atol: 0 };
  }
  if (!allClose(actual, expected, options)) {
    throw new RuntimeError(
      'NOT_CLOSE',
      `tensors differ: max |a-b| = ${maxAbsDiff(actual, expected)} (rtol ${options.rtol ?? 1e-5}, atol ${options.atol ?? 1e-8}); shapes [${actual.shape.join(', ')}] vs [${expected.shape.join(', ')}]`,
    );
  }
}
