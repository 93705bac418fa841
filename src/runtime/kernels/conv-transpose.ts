// Transposed convolution (1-3 spatial dims, groups, stride, padding, output_padding, dilation): per image
// and group, columns = W_g^T @ x_g with the blocked GEMM, then col2im scatter-adds them into the output.
// Also aten::_convolution's dispatch between the forward and transposed forms.

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { contiguous, copyInto, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { squeeze, unsqueeze } from '../../tensor/views.js';
import { convComputeDType, convolution, to3, type ConvGeometry } from './conv.js';
import type { NumArray } from './ew-core.js';
import { gemm } from './gemm.js';

// Adds a [C*KD*KH*KW, ID*IH*IW] column matrix into an image of C channels of size outSize (the
// geometry is that of the forward conv whose input is this output).
function col2im(col: NumArray, C: number, g: ConvGeometry, img: NumArray, imgOff: number): void {
  const [D, H, W] = g.inSize;
  const [KD, KH, KW] = g.kernel;
  const [sd, sh, sw] = g.stride;
  const [pd, ph, pw] = g.padBefore;
  const [dd, dh, dw] = g.dilation;
  const [OD, OH, OW] = g.outSize;
  let src = 0;
  for (let c = 0; c < C; c++) {
    const cOff = imgOff + c * D * H * W;
    for (let kd = 0; kd < KD; kd++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          for (let od = 0; od < OD; od++) {
            const id = od * sd - pd + kd * dd;
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh - ph + kh * dh;
              const inside = id >= 0 && id < D && ih >= 0 && ih < H;
              const base = cOff + (id * H + ih) * W;
              for (let ow = 0; ow < OW; ow++, src++) {
                const iw = ow * sw - pw + kw * dw;
                if (inside && iw >= 0 && iw < W) img[base + iw] += col[src];
              }
            }
          }
        }
      }
    }
  }
}

/** conv_transpose{1,2,3}d: input [N, Cin, ...] (or unbatched), weight [Cin, Cout/groups, k...]. */
export function convTranspose(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  stride: readonly number[],
  padding: readonly number[],
  outputPadding: readonly number[],
  groups: number,
  dilation: readonly number[],
): Tensor {
  const nd = weight.dim - 2;
  if (nd < 1 || nd > 3)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `conv_transpose: weight must have 3 to 5 dims, got ${weight.dim}`,
    );
  if (input.dim === nd + 1) {
    return squeeze(
      convTranspose(unsqueeze(input, 0), weight, bias, stride, padding, outputPadding, groups, dilation),
      0,
    );
  }
  if (input.dim !== nd + 2) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to conv_transpose${nd}d, but got input of size: [${input.shape.join(', ')}]`,
    );
  }
  const [N, Cin] = input.shape;
  if (Cin !== weight.shape[0] || Cin % groups !== 0) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Given transposed=1, weight of size [${weight.shape.join(', ')}], expected input[${input.shape.join(', ')}] to have ${weight.shape[0]} channels, but got ${Cin} channels instead`,
    );
  }
  if (weight.dtype !== input.dtype) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `Input type (${DTYPES[input.dtype].irName}) and weight type (${DTYPES[weight.dtype].irName}) should be the same`,
    );
  }
  const per = (v: readonly number[]): number[] =>
    v.length === 1 ? new Array<number>(nd).fill(v[0]) : [...v];
  const st = per(stride);
  const pad = per(padding);
  const op = per(outputPadding);
  const dl = per(dilation);
  const ks = weight.shape.slice(2);
  const inSp = input.shape.slice(2);
  const outSp = inSp.map((s, i) => (s - 1) * st[i] - 2 * pad[i] + dl[i] * (ks[i] - 1) + op[i] + 1);
  for (let i = 0; i < nd; i++) {
    if (op[i] >= st[i] && op[i] >= dl[i]) {
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `output padding must be smaller than either stride or dilation, but got output_padding=${op[i]}, stride=${st[i]}, dilation=${dl[i]}`,
      );
    }
  }
  if (outSp.some((s) => s <= 0))
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `conv_transpose: output size [${outSp.join(', ')}] is too small`,
    );
  const compute = convComputeDType(input.dtype, 'slow_conv_transpose2d_out_cpu');
  const x = contiguous(toDType(input, compute));
  const w = contiguous(toDType(weight, compute));
  const Cg = Cin / groups;
  const Og = weight.shape[1];
  const O = Og * groups;
  const k = ks.reduce((a, b) => a * b, 1);
  const Lin = inSp.reduce((a, b) => a * b, 1);
  const Lout = outSp.reduce((a, b) => a * b, 1);
  // The forward conv that maps this op's output back to its input has this geometry.
  const geom: ConvGeometry = {
    inSize: to3(outSp, 1),
    kernel: to3(ks, 1),
    stride: to3(st, 1),
    padBefore: to3(pad, 0),
    dilation: to3(dl, 1),
    outSize: to3(inSp, 1),
  };
  const out = Tensor.zeros(compute, [N, O, ...outSp]);
  const cols = Tensor.zeros(compute, [Og * k, Lin]);
  const cd = cols.storage.data as NumArray;
  const od = out.storage.data as Float32Array | Float64Array;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const A = {
        data: w.storage.data as NumArray,
        offset: w.offset + g * Cg * Og * k,
        rowStride: 1,
        colStride: Og * k,
      };
      const B = {
        data: x.storage.data as NumArray,
        offset: x.offset + (n * Cin + g * Cg) * Lin,
        rowStride: Lin,
        colStride: 1,
      };
      gemm(Og * k, Lin, Cg, A, B, { data: cd, offset: 0, rowStride: Lin }, 1, 0);
      col2im(cd, Og, geom, od, (n * O + g * Og) * Lout);
    }
  }
  if (bias !== null) {
    const b = contiguous(toDType(bias, compute));
    const bd = b.storage.data as NumArray;
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        const v = bd[b.offset + o];
        const base = (n * O + o) * Lout;
        for (let i = 0; i < Lout; i++) od[base + i] += v;
      }
    }
  }
  if (compute === input.dtype) return out;
  return copyInto(Tensor.zeros(input.dtype, out.shape), out);
}

/** aten::_convolution / aten::convolution: forward or transposed by the flag. */
export function convolutionAny(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
  transposed: boolean,
  outputPadding: readonly number[],
  groups: number,
): Tensor {
  if (transposed) return convTranspose(input, weight, bias, stride, padding, outputPadding, groups, dilation);
  return convolution(input, weight, bias, stride, padding, dilation, groups);
}
