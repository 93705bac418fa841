// Reference convolution for tests: the direct definition, in float64, one output element at a time.

import { zeros } from '../../src/tensor/creation.js';
import type { Tensor } from '../../src/tensor/tensor.js';

// Direct definition of a 2-d convolution (stride, padding, dilation, groups).
export function naiveConv2d(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  s: number[],
  p: number[],
  d: number[],
  g: number,
): Tensor {
  const [N, C, H, W] = x.shape;
  const [O, Cg, KH, KW] = w.shape;
  const OH = Math.floor((H + 2 * p[0] - d[0] * (KH - 1) - 1) / s[0]) + 1;
  const OW = Math.floor((W + 2 * p[1] - d[1] * (KW - 1) - 1) / s[1]) + 1;
  const out = zeros([N, O, OH, OW], { dtype: 'float64' });
  const Og = O / g;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = b ? Number(b.get(o)) : 0;
          const grp = Math.floor(o / Og);
          for (let c = 0; c < Cg; c++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const ih = oh * s[0] - p[0] + kh * d[0];
                const iw = ow * s[1] - p[1] + kw * d[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                acc += Number(x.get(n, grp * Cg + c, ih, iw)) * Number(w.get(o, c, kh, kw));
              }
          out.setFlat(((n * O + o) * OH + oh) * OW + ow, acc);
        }
  void C;
  return out;
}
