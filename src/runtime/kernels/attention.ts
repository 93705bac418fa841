// The fused transformer kernels TorchScript's fast paths call: aten::_native_multi_head_attention and
// aten::_transformer_encoder_layer_fwd, composed from linear, matmul, softmax and layer_norm.
// Masks: bool (true = masked out) or additive float; mask_type 0 = attn_mask [L, S], 1 = key padding [B, S].

import { RuntimeError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { narrow, permute, reshape, squeeze, transpose, unsqueeze } from '../../tensor/views.js';
import { gelu, relu, softmax } from './activation.js';
import { add, mul } from './arith.js';
import { maskedFill } from './indexing.js';
import { linear, matmul } from './linalg.js';
import { layerNorm } from './norm.js';
import { mean } from './reduce.js';

function applyMask(scores: Tensor, mask: Tensor, maskType: number | null): Tensor {
  // scores: [B, H, L, S].
  let m = mask;
  if (
    maskType === 1 ||
    (maskType === null &&
      mask.dim === 2 &&
      mask.shape[0] === scores.shape[0] &&
      mask.shape[0] !== scores.shape[2])
  ) {
    m = unsqueeze(unsqueeze(mask, 1), 1);
  } else if (mask.dim === 3) {
    m = reshape(mask, [scores.shape[0], -1, mask.shape[1], mask.shape[2]]);
  }
  if (m.dtype === 'bool') return maskedFill(scores, m, -Infinity);
  return add(scores, m);
}

/** aten::_native_multi_head_attention: [output [B, L, E], weights (or an empty tensor)]. */
export function nativeMultiHeadAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDim: number,
  numHeads: number,
  qkvWeight: Tensor,
  qkvBias: Tensor,
  projWeight: Tensor,
  projBias: Tensor,
  mask: Tensor | null,
  needWeights: boolean,
  averageWeights: boolean,
  maskType: number | null,
): [Tensor, Tensor] {
  const batched = query.dim === 3;
  const q0 = batched ? query : unsqueeze(query, 0);
  const k0 = batched ? key : unsqueeze(key, 0);
  const v0 = batched ? value : unsqueeze(value, 0);
  if (embedDim % numHeads !== 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'embed_dim must be divisible by num_heads');
  const E = embedDim;
  const Dh = E / numHeads;
  const [B, L] = q0.shape;
  const S = k0.shape[1];
  const proj = (x: Tensor, i: number): Tensor =>
    linear(x, narrow(qkvWeight, 0, i * E, E), narrow(qkvBias, 0, i * E, E));
  const heads = (x: Tensor, n: number): Tensor => permute(reshape(x, [B, n, numHeads, Dh]), [0, 2, 1, 3]);
  const q = heads(mul(proj(q0, 0), 1 / Math.sqrt(Dh)), L);
  const k = heads(proj(k0, 1), S);
  const v = heads(proj(v0, 2), S);
  let scores = matmul(q, transpose(k, 2, 3));
  if (mask !== null) scores = applyMask(scores, mask, maskType);
  const attn = softmax(scores, -1);
  const ctx = reshape(permute(matmul(attn, v), [0, 2, 1, 3]), [B, L, E]);
  let out = linear(ctx, projWeight, projBias);
  let weights = Tensor.zeros(query.dtype, [0]);
  if (needWeights) weights = averageWeights ? mean(attn, [1]) : attn;
  if (!batched) {
    out = squeeze(out, 0);
    if (needWeights) weights = squeeze(weights, 0);
  }
  return [out, weights];
}

/** aten::_transformer_encoder_layer_fwd: self-attention + feed-forward with post- or pre-norm. */
export function transformerEncoderLayer(
  src: Tensor,
  embedDim: number,
  numHeads: number,
  qkvWeight: Tensor,
  qkvBias: Tensor,
  projWeight: Tensor,
  projBias: Tensor,
  useGelu: boolean,
  normFirst: boolean,
  eps: number,
  norm1: [Tensor, Tensor],
  norm2: [Tensor, Tensor],
  ffn1: [Tensor, Tensor],
  ffn2: [Tensor, Tensor],
  mask: Tensor | null,
  maskType: number | null,
): Tensor {
  const ln = (x: Tensor, [w, b]: [Tensor, Tensor]): Tensor => layerNorm(x, [embedDim], w, b, eps);
  let x = normFirst ? ln(src, norm1) : src;
  x = nativeMultiHeadAttention(
    x,
    x,
    x,
    embedDim,
    numHeads,
    qkvWeight,
    qkvBias,
    projWeight,
    projBias,
    mask,
    false,
    true,
    maskType,
  )[0];
  x = add(x, src);
  if (!normFirst) x = ln(x, norm1);
  const residual = x;
  let y = normFirst ? ln(x, norm2) : x;
  y = linear(y, ffn1[0], ffn1[1]);
  y = useGelu ? gelu(y) : relu(y);
  y = linear(y, ffn2[0], ffn2[1]);
  y = add(y, residual);
  if (!normFirst) y = ln(y, norm2);
  return y;
}
