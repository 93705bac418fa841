// torchvision's custom operators on the CPU, as torchvision 0.14's CPU kernels compute them: nms, roi_align,
// roi_pool, ps_roi_align, ps_roi_pool and deform_conv2d. Detection models call them through
// `ops.torchvision.*`; their schemas are ordinary entries of the operator table.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { cloneContiguous, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';

type Floats = Float32Array | Float64Array;

/** The elements of a floating-point tensor, contiguous from index 0, in its own precision. */
function floats(t: Tensor, name: string, what: string): Floats {
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `${name}: ${what} must be float or double, got ${DTYPES[t.dtype].irName}`,
    );
  return cloneContiguous(t).storage.data as Floats;
}

function checkRois(rois: Tensor, name: string): void {
  if (rois.dim !== 2 || rois.shape[1] !== 5)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `${name}: rois must have shape [K, 5], got [${rois.shape.join(', ')}]`,
    );
}

function check4d(input: Tensor, name: string): void {
  if (input.dim !== 4)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `${name}: input must be [N, C, H, W], got [${input.shape.join(', ')}]`,
    );
}

/**
 * torchvision::nms: indices of the boxes kept, by decreasing score. A box is dropped when its IoU with a
 * kept box is above the threshold. Box arithmetic is done in the boxes' own precision, as torchvision does,
 * so borderline IoUs decide the same way.
 */
export function nms(dets: Tensor, scores: Tensor, iouThreshold: number): Tensor {
  if (dets.dim !== 2 || dets.shape[1] !== 4)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `nms: boxes should have shape [N, 4], got [${dets.shape.join(', ')}]`,
    );
  if (scores.dim !== 1 || scores.shape[0] !== dets.shape[0])
    throw new RuntimeError('SHAPE_MISMATCH', 'nms: boxes and scores should have the same number of elements');
  const n = dets.shape[0];
  if (n === 0) return Tensor.zeros('int64', [0]);
  const b = floats(dets, 'nms', 'boxes');
  const s = floats(toDType(scores, dets.dtype), 'nms', 'scores');
  const r = b instanceof Float32Array ? Math.fround : (v: number): number => v;
  const area = new Float64Array(n);
  for (let i = 0; i < n; i++) area[i] = r(r(b[4 * i + 2] - b[4 * i]) * r(b[4 * i + 3] - b[4 * i + 1]));
  // Descending by score; equal scores keep their index order (a stable sort).
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[j] - s[i] || i - j);
  const suppressed = new Uint8Array(n);
  const keep: bigint[] = [];
  const threshold = r(iouThreshold);
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi];
    if (suppressed[i]) continue;
    keep.push(BigInt(i));
    const [x1, y1, x2, y2] = [b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]];
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj];
      if (suppressed[j]) continue;
      const w = Math.max(0, r(Math.min(x2, b[4 * j + 2]) - Math.max(x1, b[4 * j])));
      const h = Math.max(0, r(Math.min(y2, b[4 * j + 3]) - Math.max(y1, b[4 * j + 1])));
      const inter = r(w * h);
      const iou = r(inter / r(r(area[i] + area[j]) - inter));
      if (iou > threshold) suppressed[j] = 1;
    }
  }
  return Tensor.fromArray('int64', keep, [keep.length]);
}

/** Bilinear sample of one plane as roi_align does: clamps to the border, 0 far outside. */
function sampleRoiAlign(
  plane: Floats,
  base: number,
  height: number,
  width: number,
  y0: number,
  x0: number,
): number {
  if (y0 < -1 || y0 > height || x0 < -1 || x0 > width) return 0;
  let y = Math.max(y0, 0);
  let x = Math.max(x0, 0);
  let yLow = Math.trunc(y);
  let xLow = Math.trunc(x);
  let yHigh: number;
  let xHigh: number;
  if (yLow >= height - 1) {
    yHigh = yLow = height - 1;
    y = yLow;
  } else yHigh = yLow + 1;
  if (xLow >= width - 1) {
    xHigh = xLow = width - 1;
    x = xLow;
  } else xHigh = xLow + 1;
  const ly = y - yLow;
  const lx = x - xLow;
  const hy = 1 - ly;
  const hx = 1 - lx;
  return (
    hy * hx * plane[base + yLow * width + xLow] +
    hy * lx * plane[base + yLow * width + xHigh] +
    ly * hx * plane[base + yHigh * width + xLow] +
    ly * lx * plane[base + yHigh * width + xHigh]
  );
}

interface RoiGeometry {
  readonly batch: number;
  readonly startH: number;
  readonly startW: number;
  readonly binH: number;
  readonly binW: number;
  readonly gridH: number;
  readonly gridW: number;
}

function alignGeometry(
  r: Floats,
  k: number,
  scale: number,
  pooled: [number, number],
  samplingRatio: number,
  aligned: boolean,
): RoiGeometry {
  const offset = aligned ? 0.5 : 0;
  const startW = r[5 * k + 1] * scale - offset;
  const startH = r[5 * k + 2] * scale - offset;
  let roiW = r[5 * k + 3] * scale - offset - startW;
  let roiH = r[5 * k + 4] * scale - offset - startH;
  if (!aligned) {
    roiW = Math.max(roiW, 1);
    roiH = Math.max(roiH, 1);
  }
  return {
    batch: Math.trunc(r[5 * k]),
    startH,
    startW,
    binH: roiH / pooled[0],
    binW: roiW / pooled[1],
    gridH: samplingRatio > 0 ? samplingRatio : Math.ceil(roiH / pooled[0]),
    gridW: samplingRatio > 0 ? samplingRatio : Math.ceil(roiW / pooled[1]),
  };
}

/** Mean of the bilinear samples of one bin (roi_align, ps_roi_align). */
function alignBin(
  x: Floats,
  base: number,
  h: number,
  w: number,
  g: RoiGeometry,
  ph: number,
  pw: number,
): number {
  let sum = 0;
  for (let iy = 0; iy < g.gridH; iy++) {
    const y = g.startH + ph * g.binH + ((iy + 0.5) * g.binH) / g.gridH;
    for (let ix = 0; ix < g.gridW; ix++) {
      const xx = g.startW + pw * g.binW + ((ix + 0.5) * g.binW) / g.gridW;
      sum += sampleRoiAlign(x, base, h, w, y, xx);
    }
  }
  return sum / Math.max(g.gridH * g.gridW, 1);
}

/** torchvision::roi_align: [K, C, ph, pw] averages of bilinear samples inside each box (rois: batch, x1, y1, x2, y2). */
export function roiAlign(
  input: Tensor,
  rois: Tensor,
  scale: number,
  pooledH: number,
  pooledW: number,
  samplingRatio: number,
  aligned: boolean,
): Tensor {
  check4d(input, 'roi_align');
  checkRois(rois, 'roi_align');
  const [, c, h, w] = input.shape;
  const k = rois.shape[0];
  const x = floats(input, 'roi_align', 'input');
  const r = floats(toDType(rois, input.dtype), 'roi_align', 'rois');
  const out = Tensor.zeros(input.dtype, [k, c, pooledH, pooledW]);
  const o = out.storage.data as Floats;
  for (let n = 0; n < k; n++) {
    const g = alignGeometry(r, n, scale, [pooledH, pooledW], samplingRatio, aligned);
    for (let ch = 0; ch < c; ch++) {
      const base = (g.batch * c + ch) * h * w;
      for (let ph = 0; ph < pooledH; ph++)
        for (let pw = 0; pw < pooledW; pw++)
          o[((n * c + ch) * pooledH + ph) * pooledW + pw] = alignBin(x, base, h, w, g, ph, pw);
    }
  }
  return out;
}

/** Checks and buffers shared by ps_roi_align and ps_roi_pool: output channel c of bin (ph, pw) reads channel (c*ph_n+ph)*pw_n+pw. */
function positionSensitiveSetup(input: Tensor, rois: Tensor, pooledH: number, pooledW: number, op: string) {
  check4d(input, op);
  checkRois(rois, op);
  const [, c, h, w] = input.shape;
  if (c % (pooledH * pooledW) !== 0)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `${op}: input channels must be a multiple of output_size[0] * output_size[1]`,
    );
  const cOut = c / (pooledH * pooledW);
  const k = rois.shape[0];
  const x = floats(input, op, 'input');
  const r = floats(toDType(rois, input.dtype), op, 'rois');
  const out = Tensor.zeros(input.dtype, [k, cOut, pooledH, pooledW]);
  const mapping = Tensor.zeros('int32', [k, cOut, pooledH, pooledW]);
  const o = out.storage.data as Floats;
  const m = mapping.storage.data as Int32Array;
  return { c, h, w, cOut, k, x, r, out, mapping, o, m };
}

/** torchvision::ps_roi_align: position-sensitive roi_align; output channel c of bin (ph, pw) reads input channel (c*ph_n+ph)*pw_n+pw. */
export function psRoiAlign(
  input: Tensor,
  rois: Tensor,
  scale: number,
  pooledH: number,
  pooledW: number,
  samplingRatio: number,
): [Tensor, Tensor] {
  const { c, h, w, cOut, k, x, r, out, mapping, o, m } = positionSensitiveSetup(
    input,
    rois,
    pooledH,
    pooledW,
    'ps_roi_align',
  );
  for (let n = 0; n < k; n++) {
    // ps_roi_align always shifts by half a pixel and does not force boxes to at least 1x1.
    const g = alignGeometry(r, n, scale, [pooledH, pooledW], samplingRatio, true);
    for (let co = 0; co < cOut; co++)
      for (let ph = 0; ph < pooledH; ph++)
        for (let pw = 0; pw < pooledW; pw++) {
          const cIn = (co * pooledH + ph) * pooledW + pw;
          const at = ((n * cOut + co) * pooledH + ph) * pooledW + pw;
          o[at] = alignBin(x, (g.batch * c + cIn) * h * w, h, w, g, ph, pw);
          m[at] = cIn;
        }
  }
  return [out, mapping];
}

interface PoolBin {
  readonly h0: number;
  readonly h1: number;
  readonly w0: number;
  readonly w1: number;
}

/**
 * The integer window of bin (ph, pw) of a box quantised to the feature grid. roi_pool counts the end
 * pixel (`plusOne`) and clips windows to [0, size]; ps_roi_pool does neither and clips to [0, size - 1],
 * so its windows never include the last row or column (torchvision's CPU kernels do exactly this).
 */
function poolBins(
  r: Floats,
  n: number,
  scale: number,
  pooled: [number, number],
  size: [number, number],
  plusOne: boolean,
): (ph: number, pw: number) => PoolBin {
  const round = (v: number): number => Math.sign(v) * Math.round(Math.abs(v)); // std::round: halves away from 0
  const startW = round(r[5 * n + 1] * scale);
  const startH = round(r[5 * n + 2] * scale);
  const extra = plusOne ? 1 : 0;
  const roiW = Math.max(round(r[5 * n + 3] * scale) - startW + extra, 1);
  const roiH = Math.max(round(r[5 * n + 4] * scale) - startH + extra, 1);
  const binH = roiH / pooled[0];
  const binW = roiW / pooled[1];
  const clip = (v: number, hi: number): number => Math.min(Math.max(v, 0), plusOne ? hi : hi - 1);
  return (ph: number, pw: number): PoolBin => ({
    h0: clip(Math.floor(ph * binH) + startH, size[0]),
    h1: clip(Math.ceil((ph + 1) * binH) + startH, size[0]),
    w0: clip(Math.floor(pw * binW) + startW, size[1]),
    w1: clip(Math.ceil((pw + 1) * binW) + startW, size[1]),
  });
}

/** torchvision::roi_pool: max over each bin of the box, and the flat index (h * W + w) of the max. */
export function roiPool(
  input: Tensor,
  rois: Tensor,
  scale: number,
  pooledH: number,
  pooledW: number,
): [Tensor, Tensor] {
  check4d(input, 'roi_pool');
  checkRois(rois, 'roi_pool');
  const [, c, h, w] = input.shape;
  const k = rois.shape[0];
  const x = floats(input, 'roi_pool', 'input');
  const r = floats(toDType(rois, input.dtype), 'roi_pool', 'rois');
  const out = Tensor.zeros(input.dtype, [k, c, pooledH, pooledW]);
  const argmax = Tensor.zeros('int32', [k, c, pooledH, pooledW]);
  const o = out.storage.data as Floats;
  const a = argmax.storage.data as Int32Array;
  for (let n = 0; n < k; n++) {
    const batch = Math.trunc(r[5 * n]);
    const bin = poolBins(r, n, scale, [pooledH, pooledW], [h, w], true);
    for (let ph = 0; ph < pooledH; ph++)
      for (let pw = 0; pw < pooledW; pw++) {
        const { h0, h1, w0, w1 } = bin(ph, pw);
        const empty = h1 <= h0 || w1 <= w0;
        for (let ch = 0; ch < c; ch++) {
          const base = (batch * c + ch) * h * w;
          let best = empty ? 0 : -Number.MAX_VALUE;
          let index = -1;
          for (let yy = h0; yy < h1; yy++)
            for (let xx = w0; xx < w1; xx++) {
              const v = x[base + yy * w + xx];
              if (v > best) {
                best = v;
                index = yy * w + xx;
              }
            }
          const at = ((n * c + ch) * pooledH + ph) * pooledW + pw;
          o[at] = best;
          a[at] = index;
        }
      }
  }
  return [out, argmax];
}

/** torchvision::ps_roi_pool: position-sensitive average pooling of each bin. */
export function psRoiPool(
  input: Tensor,
  rois: Tensor,
  scale: number,
  pooledH: number,
  pooledW: number,
): [Tensor, Tensor] {
  const { c, h, w, cOut, k, x, r, out, mapping, o, m } = positionSensitiveSetup(
    input,
    rois,
    pooledH,
    pooledW,
    'ps_roi_pool',
  );
  for (let n = 0; n < k; n++) {
    const batch = Math.trunc(r[5 * n]);
    const bin = poolBins(r, n, scale, [pooledH, pooledW], [h, w], false);
    for (let co = 0; co < cOut; co++)
      for (let ph = 0; ph < pooledH; ph++)
        for (let pw = 0; pw < pooledW; pw++) {
          const { h0, h1, w0, w1 } = bin(ph, pw);
          const cIn = (co * pooledH + ph) * pooledW + pw;
          const base = (batch * c + cIn) * h * w;
          let sum = 0;
          for (let yy = h0; yy < h1; yy++) for (let xx = w0; xx < w1; xx++) sum += x[base + yy * w + xx];
          const area = (h1 - h0) * (w1 - w0);
          const at = ((n * cOut + co) * pooledH + ph) * pooledW + pw;
          o[at] = area > 0 ? sum / area : 0;
          m[at] = cIn;
        }
  }
  return [out, mapping];
}
