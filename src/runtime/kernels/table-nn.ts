// Kernel table entries for neural-network ops: matrix products, convolutions, normalisation, pooling,
// dropout, embedding, recurrent layers and the fused transformer kernels.

import { Tensor } from '../../tensor/tensor.js';
import * as attn from './attention.js';
import { convolution } from './conv.js';
import { convolutionAny, convTranspose } from './conv-transpose.js';
import { dropout } from './dropout.js';
import { embedding } from './indexing.js';
import * as la from './linalg.js';
import * as nm from './norm.js';
import * as pool from './pool.js';
import { rnn, rnnCell } from './rnn.js';
import {
  boolArg,
  floatArg,
  intArg,
  intListArg,
  optIntArg,
  optTensorArg,
  scalarArg,
  strArg,
  tensorArg,
  tensorListArg,
  type KernelArg,
  type KernelTable,
} from './types.js';

const T = tensorArg;
const OT = optTensorArg;

function convKernels(t: KernelTable): void {
  for (const nd of [1, 2, 3]) {
    const l = (a: readonly KernelArg[], i: number): number[] => intListArg(a, i, nd);
    t[`aten::conv${nd}d`] = (a) =>
      convolution(T(a, 0), T(a, 1), OT(a, 2), l(a, 3), l(a, 4), l(a, 5), intArg(a, 6));
    t[`aten::conv${nd}d.padding`] = (a) =>
      convolution(T(a, 0), T(a, 1), OT(a, 2), l(a, 3), strArg(a, 4), l(a, 5), intArg(a, 6));
    const name = nd === 1 ? 'aten::conv_transpose1d' : `aten::conv_transpose${nd}d.input`;
    t[name] = (a) =>
      convTranspose(T(a, 0), T(a, 1), OT(a, 2), l(a, 3), l(a, 4), l(a, 5), intArg(a, 6), l(a, 7));
  }
  const any = (a: readonly KernelArg[]): Tensor =>
    convolutionAny(
      T(a, 0),
      T(a, 1),
      OT(a, 2),
      intListArg(a, 3),
      intListArg(a, 4),
      intListArg(a, 5),
      boolArg(a, 6),
      intListArg(a, 7),
      intArg(a, 8),
    );
  t['aten::convolution'] = any;
  t['aten::_convolution'] = any;
  t['aten::_convolution.deprecated'] = any;
}

function poolKernels(t: KernelTable): void {
  for (const nd of [1, 2, 3]) {
    const l = (a: readonly KernelArg[], i: number): number[] => intListArg(a, i, nd);
    const max = (a: readonly KernelArg[]): [Tensor, Tensor] =>
      pool.maxPool(T(a, 0), nd, l(a, 1), intListArg(a, 2), l(a, 3), l(a, 4), boolArg(a, 5));
    t[`aten::max_pool${nd}d`] = (a) =>
      pool.maxPoolValues(T(a, 0), nd, l(a, 1), intListArg(a, 2), l(a, 3), l(a, 4), boolArg(a, 5));
    t[`aten::max_pool${nd}d_with_indices`] = (a) => max(a);
    t[`aten::avg_pool${nd}d`] = (a) =>
      pool.avgPool(
        T(a, 0),
        nd,
        l(a, 1),
        intListArg(a, 2),
        l(a, 3),
        boolArg(a, 4),
        boolArg(a, 5),
        nd === 1 ? null : optIntArg(a, 6),
      );
    t[`aten::adaptive_avg_pool${nd}d`] = (a) => pool.adaptivePool(T(a, 0), nd, l(a, 1), 'avg')[0];
    if (nd < 3) t[`aten::adaptive_max_pool${nd}d`] = (a) => pool.adaptivePool(T(a, 0), nd, l(a, 1), 'max');
  }
  t['aten::_adaptive_avg_pool2d'] = (a) => pool.adaptivePool(T(a, 0), 2, intListArg(a, 1, 2), 'avg')[0];
}

function normKernels(t: KernelTable): void {
  t['aten::batch_norm'] = (a) =>
    nm.batchNorm(
      T(a, 0),
      OT(a, 1),
      OT(a, 2),
      OT(a, 3),
      OT(a, 4),
      boolArg(a, 5),
      floatArg(a, 6),
      floatArg(a, 7),
    );
  t['aten::native_batch_norm'] = (a) => {
    const out = nm.batchNorm(
      T(a, 0),
      OT(a, 1),
      OT(a, 2),
      OT(a, 3),
      OT(a, 4),
      boolArg(a, 5),
      floatArg(a, 6),
      floatArg(a, 7),
    );
    // save_mean / save_invstd are only meaningful for autograd; empty like ATen's eval path.
    return [out, Tensor.zeros(out.dtype, [0]), Tensor.zeros(out.dtype, [0])];
  };
  t['aten::instance_norm'] = (a) =>
    nm.instanceNorm(
      T(a, 0),
      OT(a, 1),
      OT(a, 2),
      OT(a, 3),
      OT(a, 4),
      boolArg(a, 5),
      floatArg(a, 6),
      floatArg(a, 7),
    );
  t['aten::layer_norm'] = (a) => nm.layerNorm(T(a, 0), intListArg(a, 1), OT(a, 2), OT(a, 3), floatArg(a, 4));
  t['aten::native_layer_norm'] = (a) =>
    nm.nativeLayerNorm(T(a, 0), intListArg(a, 1), OT(a, 2), OT(a, 3), floatArg(a, 4));
  t['aten::group_norm'] = (a) => nm.groupNorm(T(a, 0), intArg(a, 1), OT(a, 2), OT(a, 3), floatArg(a, 4));
}

function dropoutKernels(t: KernelTable): void {
  const variants = {
    dropout: {},
    feature_dropout: { feature: true },
    alpha_dropout: { alpha: true },
    feature_alpha_dropout: { feature: true, alpha: true },
  };
  for (const [name, opts] of Object.entries(variants)) {
    t[`aten::${name}`] = (a) => dropout(T(a, 0), floatArg(a, 1), boolArg(a, 2), opts);
    t[`aten::${name}_`] = (a) => dropout(T(a, 0), floatArg(a, 1), boolArg(a, 2), { ...opts, inplace: true });
  }
}

function linalgKernels(t: KernelTable): void {
  t['aten::mm'] = (a) => la.mm(T(a, 0), T(a, 1));
  t['aten::bmm'] = (a) => la.bmm(T(a, 0), T(a, 1));
  t['aten::matmul'] = (a) => la.matmul(T(a, 0), T(a, 1));
  t['aten::mv'] = (a) => la.mv(T(a, 0), T(a, 1));
  t['aten::dot'] = (a) => la.dot(T(a, 0), T(a, 1));
  t['aten::outer'] = (a) => la.outer(T(a, 0), T(a, 1));
  t['aten::ger'] = (a) => la.outer(T(a, 0), T(a, 1));
  t['aten::addmm'] = (a) => la.addmm(T(a, 0), T(a, 1), T(a, 2), scalarArg(a, 3), scalarArg(a, 4));
  t['aten::addmv'] = (a) => la.addmv(T(a, 0), T(a, 1), T(a, 2), scalarArg(a, 3), scalarArg(a, 4));
  t['aten::baddbmm'] = (a) => la.baddbmm(T(a, 0), T(a, 1), T(a, 2), scalarArg(a, 3), scalarArg(a, 4));
  t['aten::linear'] = (a) => la.linear(T(a, 0), T(a, 1), OT(a, 2));
}

function recurrentKernels(t: KernelTable): void {
  const common = (a: readonly KernelArg[]) =>
    [boolArg(a, 3), intArg(a, 4), floatArg(a, 5), boolArg(a, 6), boolArg(a, 7), boolArg(a, 8)] as const;
  t['aten::lstm.input'] = (a) => rnn('lstm', T(a, 0), tensorListArg(a, 1), tensorListArg(a, 2), ...common(a));
  t['aten::gru.input'] = (a) => rnn('gru', T(a, 0), [T(a, 1)], tensorListArg(a, 2), ...common(a));
  t['aten::rnn_tanh.input'] = (a) => rnn('rnn_tanh', T(a, 0), [T(a, 1)], tensorListArg(a, 2), ...common(a));
  t['aten::rnn_relu.input'] = (a) => rnn('rnn_relu', T(a, 0), [T(a, 1)], tensorListArg(a, 2), ...common(a));
  t['aten::lstm_cell'] = (a) =>
    rnnCell('lstm', T(a, 0), tensorListArg(a, 1), T(a, 2), T(a, 3), OT(a, 4), OT(a, 5));
  t['aten::gru_cell'] = (a) => rnnCell('gru', T(a, 0), [T(a, 1)], T(a, 2), T(a, 3), OT(a, 4), OT(a, 5))[0];
  t['aten::rnn_tanh_cell'] = (a) =>
    rnnCell('rnn_tanh', T(a, 0), [T(a, 1)], T(a, 2), T(a, 3), OT(a, 4), OT(a, 5))[0];
  t['aten::rnn_relu_cell'] = (a) =>
    rnnCell('rnn_relu', T(a, 0), [T(a, 1)], T(a, 2), T(a, 3), OT(a, 4), OT(a, 5))[0];
}

/** Neural-network kernels by schema name. */
export function nnKernels(): KernelTable {
  const t: KernelTable = {};
  convKernels(t);
  poolKernels(t);
  normKernels(t);
  dropoutKernels(t);
  linalgKernels(t);
  recurrentKernels(t);
  t['aten::embedding'] = (a) => embedding(T(a, 0), T(a, 1));
  t['aten::_native_multi_head_attention'] = (a) =>
    attn.nativeMultiHeadAttention(
      T(a, 0),
      T(a, 1),
      T(a, 2),
      intArg(a, 3),
      intArg(a, 4),
      T(a, 5),
      T(a, 6),
      T(a, 7),
      T(a, 8),
      OT(a, 9),
      boolArg(a, 10),
      boolArg(a, 11),
      optIntArg(a, 12),
    );
  t['aten::_transformer_encoder_layer_fwd'] = (a) =>
    attn.transformerEncoderLayer(
      T(a, 0),
      intArg(a, 1),
      intArg(a, 2),
      T(a, 3),
      T(a, 4),
      T(a, 5),
      T(a, 6),
      boolArg(a, 7),
      boolArg(a, 8),
      floatArg(a, 9),
      [T(a, 10), T(a, 11)],
      [T(a, 12), T(a, 13)],
      [T(a, 14), T(a, 15)],
      [T(a, 16), T(a, 17)],
      OT(a, 18),
      optIntArg(a, 19),
    );
  return t;
}
