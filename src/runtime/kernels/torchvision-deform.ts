// torchvision::deform_conv2d on the CPU: a convolution whose kernel taps are moved by learned offsets
// (bilinear samples) and optionally scaled by a mask, computed as torchvision 0.14 does (deformable
// im2col, then one matrix product per group).

import { RuntimeError } from '../../errors.js';
import { cloneContiguous, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';

type Floats = Float32Array | Float64Array;

/** Stride, padding, dilation, groups of a deform_conv2d call. */
export interface DeformParams {
  readonly stride: [number, number];
  readonly pad: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly offsetGroups: number;
  readonly useMask: boolean;
}

// Bilinear sample with zeros outside the plane (deform_conv2d's interpolation, unlike roi_align's clamping).
function sample(x: Floats, base: number, height: number, width: number, y: number, xx: number): number {
  if (y <= -1 || height <= y || xx <= -1 || width <= xx) return 0;
  const h0 = Math.floor(y);
  const w0 = Math.floor(xx);
  const lh = y - h0;
  const lw = xx - w0;
  const at = (h: number, w: number): number =>
    h >= 0 && w >= 0 && h <= height - 1 && w <= width - 1 ? x[base + h * width + w] : 0;
  return (
    (1 - lh) * (1 - lw) * at(h0, w0) +
    (1 - lh) * lw * at(h0, w0 + 1) +
    lh * (1 - lw) * at(h0 + 1, w0) +
    lh * lw * at(h0 + 1, w0 + 1)
  );
}

const data = (t: Tensor, dtype: Tensor['dtype']): Floats =>
  cloneContiguous(toDType(t, dtype)).storage.data as Floats;

/** torchvision::deform_conv2d(input, weight, offset, mask, bias, ...): [N, Cout, Hout, Wout]. */
export function deformConv2d(
  input: Tensor,
  weight: Tensor,
  offset: Tensor,
  mask: Tensor,
  bias: Tensor,
  p: DeformParams,
): Tensor {
  if (input.dim !== 4 || weight.dim !== 4)
    throw new RuntimeError('SHAPE_MISMATCH', 'deform_conv2d: input and weight must be 4-d');
  const [n, cin, h, w] = input.shape;
  const [cout, cinPerGroup, kh, kw] = weight.shape;
  const outH = Math.floor((h + 2 * p.pad[0] - (p.dilation[0] * (kh - 1) + 1)) / p.stride[0]) + 1;
  const outW = Math.floor((w + 2 * p.pad[1] - (p.dilation[1] * (kw - 1) + 1)) / p.stride[1]) + 1;
  if (cin !== cinPerGroup * p.groups || cin % p.offsetGroups !== 0)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      'deform_conv2d: channels do not divide into groups / offset groups',
    );
  if (
    offset.shape[1] !== 2 * p.offsetGroups * kh * kw ||
    offset.shape[2] !== outH ||
    offset.shape[3] !== outW
  )
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `deform_conv2d: offset must be [N, ${2 * p.offsetGroups * kh * kw}, ${outH}, ${outW}]`,
    );
  const dtype = input.dtype === 'float64' ? 'float64' : 'float32';
  const [x, wt, off] = [data(input, dtype), data(weight, dtype), data(offset, dtype)];
  const m = p.useMask ? data(mask, dtype) : undefined;
  const b = bias.numel ? data(bias, dtype) : undefined;
  const taps = kh * kw;
  const plane = outH * outW;
  const cols = new Float64Array(cin * taps * plane);
  const out = Tensor.zeros(dtype, [n, cout, outH, outW]);
  const o = out.storage.data as Floats;
  const perOffsetGroup = cin / p.offsetGroups;
  const coutPerGroup = cout / p.groups;
  for (let bi = 0; bi < n; bi++) {
    // Deformable im2col: column (c, i, j) at output (y, x) is the tap's sample, times the mask.
    for (let c = 0; c < cin; c++) {
      const grp = Math.floor(c / perOffsetGroup);
      for (let t = 0; t < taps; t++) {
        const i = Math.floor(t / kw);
        const j = t % kw;
        for (let oy = 0; oy < outH; oy++)
          for (let ox = 0; ox < outW; ox++) {
            const pix = oy * outW + ox;
            const offBase = (bi * 2 * p.offsetGroups * taps + grp * 2 * taps + 2 * t) * plane + pix;
            const dy = off[offBase];
            const dx = off[offBase + plane];
            const scale = m ? m[((bi * p.offsetGroups + grp) * taps + t) * plane + pix] : 1;
            const y = oy * p.stride[0] - p.pad[0] + i * p.dilation[0] + dy;
            const xx = ox * p.stride[1] - p.pad[1] + j * p.dilation[1] + dx;
            cols[(c * taps + t) * plane + pix] = scale * sample(x, (bi * cin + c) * h * w, h, w, y, xx);
          }
      }
    }
    for (let co = 0; co < cout; co++) {
      const g = Math.floor(co / coutPerGroup);
      for (let pix = 0; pix < plane; pix++) {
        let acc = b ? b[co] : 0;
        for (let ci = 0; ci < cinPerGroup; ci++)
          for (let t = 0; t < taps; t++)
            acc +=
              wt[(co * cinPerGroup + ci) * taps + t] *
              cols[((g * cinPerGroup + ci) * taps + t) * plane + pix];
        o[(bi * cout + co) * plane + pix] = acc;
      }
    }
  }
  return out;
}
