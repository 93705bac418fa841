// Matrix products: mm, bmm, matmul (all of torch.matmul's dim cases and batch broadcasting), addmm,
// baddbmm, linear, mv, dot, outer. Float32/float64 go through the blocked GEMM on the storage arrays
// directly (transposed operands are just strides); other dtypes multiply exactly in a naive loop.

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { contiguous, copyInto, toDType } from '../../tensor/convert.js';
import { promoteTypes } from '../../tensor/promotion.js';
import type { Scalar } from '../../tensor/scalar.js';
import { broadcastShapes } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { expand, reshape, squeeze, t2d, unsqueeze } from '../../tensor/views.js';
import { add, mul } from './arith.js';
import { castScalar, type NumArray } from './ew-core.js';
import { gemm, type MatRef } from './gemm.js';

function checkSameDtype(a: Tensor, b: Tensor, what = 'mat1 and mat2'): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      'DTYPE_MISMATCH',
      `expected ${what} to have the same dtype, but got: ${DTYPES[a.dtype].irName.toLowerCase()} != ${DTYPES[b.dtype].irName.toLowerCase()}`,
    );
  }
}

function matRef(t: Tensor, batch: number, batchStride: number): MatRef {
  return {
    data: t.storage.data as NumArray,
    offset: t.offset + batch * batchStride,
    rowStride: t.strides[0 + t.dim - 2],
    colStride: t.strides[t.dim - 1],
  };
}

const GEMM_DTYPES = new Set<DType>(['float32', 'float64']);

// out[b] = alpha * a[b] @ c[b] + beta * out[b] for 3-d a [B,M,K], c [B,K,N], out [B,M,N] contiguous.
function batchedProduct(a: Tensor, b: Tensor, out: Tensor, alpha: number, beta: number): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (GEMM_DTYPES.has(out.dtype)) {
    for (let i = 0; i < B; i++) {
      gemm(
        M,
        N,
        K,
        matRef(a, i, a.strides[0]),
        matRef(b, i, b.strides[0]),
        { data: out.storage.data as NumArray, offset: out.offset + i * M * N, rowStride: N },
        alpha,
        beta,
      );
    }
    return;
  }
  naiveProduct(a, b, out, alpha, beta);
}

function naiveProduct(a: Tensor, b: Tensor, out: Tensor, alpha: number, beta: number): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const big = out.dtype === 'int64';
  const work = big ? 'int64' : 'float64';
  const x = contiguous(toDType(a, work));
  const y = contiguous(toDType(b, work));
  const prev = toDType(out, work, true);
  const res = Tensor.zeros(work, out.shape);
  for (let i = 0; i < B; i++) {
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const o = (i * M + m) * N + n;
        if (big) {
          let s = 0n;
          for (let k = 0; k < K; k++)
            s +=
              (x.storage.data as BigInt64Array)[(i * M + m) * K + k] *
              (y.storage.data as BigInt64Array)[(i * K + k) * N + n];
          const p = beta === 0 ? 0n : BigInt(beta) * (prev.storage.data as BigInt64Array)[o];
          (res.storage.data as BigInt64Array)[o] = BigInt.asIntN(64, BigInt(alpha) * s + p);
        } else {
          let s = 0;
          for (let k = 0; k < K; k++)
            s +=
              (x.storage.data as Float64Array)[(i * M + m) * K + k] *
              (y.storage.data as Float64Array)[(i * K + k) * N + n];
          (res.storage.data as Float64Array)[o] =
            alpha * s + (beta === 0 ? 0 : beta * (prev.storage.data as Float64Array)[o]);
        }
      }
    }
  }
  copyInto(out, res);
}

/** mat1 [M,K] @ mat2 [K,N]. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.dim !== 2 || b.dim !== 2)
    throw new RuntimeError('INVALID_ARGUMENT', `${a.dim !== 2 ? 'self' : 'mat2'} must be a matrix`);
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
    );
  }
  checkSameDtype(a, b);
  const out = Tensor.zeros(a.dtype, [a.shape[0], b.shape[1]]);
  batchedProduct(unsqueeze(a, 0), unsqueeze(b, 0), unsqueeze(out, 0), 1, 0);
  return out;
}

/** Batched [B,M,K] @ [B,K,N]. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dim !== 3 || b.dim !== 3) throw new RuntimeError('INVALID_ARGUMENT', `batch1 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  checkSameDtype(a, b, 'batch1 and batch2');
  const out = Tensor.zeros(a.dtype, [a.shape[0], a.shape[1], b.shape[2]]);
  batchedProduct(a, b, out, 1, 0);
  return out;
}

/** torch.matmul: dot, matrix-vector, vector-matrix, mm, and broadcast batched products. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.dim === 0 || b.dim === 0)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      'both arguments to matmul need to be at least 1D, but they are ' + a.dim + 'D and ' + b.dim + 'D',
    );
  if (a.dim === 1 && b.dim === 1) return dot(a, b);
  if (a.dim === 2 && b.dim === 1) return squeeze(mm(a, unsqueeze(b, 1)), 1);
  if (a.dim === 1 && b.dim === 2) return squeeze(mm(unsqueeze(a, 0), b), 0);
  if (a.dim === 2 && b.dim === 2) return mm(a, b);
  // Batched: vectors become matrices, batch dims broadcast, then the extra dims are dropped again.
  const x = a.dim === 1 ? unsqueeze(a, 0) : a;
  const y = b.dim === 1 ? unsqueeze(b, 1) : b;
  const [M, K] = x.shape.slice(-2);
  const [K2, N] = y.shape.slice(-2);
  if (K !== K2) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `mat1 and mat2 shapes cannot be multiplied (${x.numel / K}x${K} and ${K2}x${N})`,
    );
  }
  checkSameDtype(a, b);
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  const nb = batch.reduce((p, q) => p * q, 1);
  const xb = reshape(expand(x, [...batch, M, K]), [nb, M, K]);
  const yb = reshape(expand(y, [...batch, K, N]), [nb, K, N]);
  const out = Tensor.zeros(a.dtype, [nb, M, N]);
  batchedProduct(xb, yb, out, 1, 0);
  let shape = [...batch, M, N];
  if (a.dim === 1) shape = [...batch, N];
  else if (b.dim === 1) shape = [...batch, M];
  return reshape(out, shape);
}

/** 1-d dot product (0-dim result). */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.dim !== 1 || b.dim !== 1)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `1D tensors expected, but got ${a.dim}D and ${b.dim}D tensors`,
    );
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  checkSameDtype(a, b, 'both vectors');
  return reshape(mm(unsqueeze(a, 0), unsqueeze(b, 1)), []);
}

/** Matrix-vector product. */
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.dim !== 2 || v.dim !== 1)
    throw new RuntimeError('INVALID_ARGUMENT', `vector + matrix @ vector expected, got ${a.dim}, ${v.dim}`);
  return squeeze(mm(a, unsqueeze(v, 1)), 1);
}

/** Outer product of two vectors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  return mul(unsqueeze(a, 1), unsqueeze(b, 0));
}

function scalarFactor(s: Scalar, dtype: DType): number {
  return castScalar(s, dtype === 'float32' ? 'float64' : dtype);
}

/** beta * self + alpha * (mat1 @ mat2); self broadcasts to [M, N]. */
export function addmm(self: Tensor, a: Tensor, b: Tensor, beta: Scalar = 1, alpha: Scalar = 1): Tensor {
  if (a.dim !== 2 || b.dim !== 2) throw new RuntimeError('INVALID_ARGUMENT', 'mat1 must be a matrix');
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
    );
  }
  checkSameDtype(a, b);
  const out = Tensor.zeros(promoteTypes(a.dtype, self.dtype), [a.shape[0], b.shape[1]]);
  const be = scalarFactor(beta, out.dtype);
  if (be !== 0) copyInto(out, self);
  batchedProduct(unsqueeze(a, 0), unsqueeze(b, 0), unsqueeze(out, 0), scalarFactor(alpha, out.dtype), be);
  return out;
}

/** beta * self + alpha * bmm(batch1, batch2). */
export function baddbmm(self: Tensor, a: Tensor, b: Tensor, beta: Scalar = 1, alpha: Scalar = 1): Tensor {
  if (a.dim !== 3 || b.dim !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `baddbmm: incompatible batch shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
    );
  }
  checkSameDtype(a, b, 'batch1 and batch2');
  const out = Tensor.zeros(a.dtype, [a.shape[0], a.shape[1], b.shape[2]]);
  const be = scalarFactor(beta, out.dtype);
  if (be !== 0) copyInto(out, self);
  batchedProduct(a, b, out, scalarFactor(alpha, out.dtype), be);
  return out;
}

/** beta * self + alpha * (mat @ vec). */
export function addmv(self: Tensor, a: Tensor, v: Tensor, beta: Scalar = 1, alpha: Scalar = 1): Tensor {
  return squeeze(addmm(unsqueeze(expand(self, [a.shape[0]]), 1), a, unsqueeze(v, 1), beta, alpha), 1);
}

/** input [*, K] @ weight[N, K]^T + bias: the product reads weight through transposed strides. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (weight.dim !== 2 && weight.dim !== 1)
    throw new RuntimeError('INVALID_ARGUMENT', `linear: weight must be 1-D or 2-D, got ${weight.dim}-D`);
  if (input.dim === 0) throw new RuntimeError('INVALID_ARGUMENT', 'linear: input must be at least 1-D');
  if (weight.dim === 1) {
    const r = matmul(input, weight);
    return bias === null ? r : add(r, bias);
  }
  const K = input.shape[input.dim - 1];
  const N = weight.shape[0];
  if (weight.shape[1] !== K) {
    const rows = input.numel / Math.max(K, 1);
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `mat1 and mat2 shapes cannot be multiplied (${rows}x${K} and ${weight.shape[1]}x${N})`,
    );
  }
  checkSameDtype(input, weight);
  const lead = input.shape.slice(0, -1);
  const x = reshape(input, [-1, K]);
  const out = Tensor.zeros(input.dtype, [x.shape[0], N]);
  let beta = 0;
  if (bias !== null) {
    copyInto(out, bias);
    beta = 1;
  }
  batchedProduct(unsqueeze(x, 0), unsqueeze(t2d(weight), 0), unsqueeze(out, 0), 1, beta);
  return reshape(out, [...lead, N]);
}
