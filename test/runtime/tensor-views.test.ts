// Views share storage: shapes/strides of each view op, in-place writes through views reaching the
// base, reshape copying only when it must, copy_ broadcasting and converting, and the error wording.

import { expect } from 'chai';
import { KERNELS } from '../../src/runtime/kernels/index.js';
import { arange, tensor, zeros } from '../../src/tensor/creation.js';
import { broadcastShapes, inferShape, viewStrides } from '../../src/tensor/shape.js';
import { floatScalar } from '../../src/tensor/scalar.js';
import { Tensor } from '../../src/tensor/tensor.js';

const nums = (t: Tensor): number[] => t.toArray().map(Number);

describe('tensor views', () => {
  it('view/reshape share storage when strides allow and reshape copies otherwise', () => {
    const a = arange(0, 12).reshape([3, 4]);
    const v = a.view([2, 6]);
    expect(v.storage).to.equal(a.storage);
    expect([...v.strides]).to.deep.equal([6, 1]);
    const t = a.t();
    expect(t.isContiguous).to.equal(false);
    expect(() => t.view([12]))
      .to.throw(/view size is not compatible/)
      .with.property('code', 'INVALID_VIEW');
    const r = t.reshape([12]);
    expect(r.storage).to.not.equal(a.storage);
    expect(nums(r)).to.deep.equal([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    // Splitting a transposed dim is still a view.
    const s = t.view([2, 2, 3]);
    expect(s.storage).to.equal(a.storage);
    expect([...s.strides]).to.deep.equal([2, 1, 4]);
  });

  it('computes view strides with size-1 dims and -1 inference', () => {
    expect(viewStrides([2, 1, 3], [3, 99, 1], [6])).to.deep.equal([1]);
    expect(viewStrides([4, 3], [1, 4], [12])).to.equal(null);
    expect(inferShape([2, -1], 8)).to.deep.equal([2, 4]);
    expect(() => inferShape([3, -1], 8)).to.throw("shape '[3, -1]' is invalid for input of size 8");
  });

  it('select, slice with step, narrow, diagonal and as_strided index the same storage', () => {
    const a = arange(0, 24).reshape([2, 3, 4]);
    expect(nums(a.select(1, -1))).to.deep.equal([8, 9, 10, 11, 20, 21, 22, 23]);
    const s = a.slice(2, 1, null, 2);
    expect([...s.shape]).to.deep.equal([2, 3, 2]);
    expect(nums(s.select(0, 0))).to.deep.equal([1, 3, 5, 7, 9, 11]);
    expect(nums(a.slice(1, -100, 100))).to.deep.equal(nums(a));
    expect(nums(a.narrow(2, 1, 2).select(0, 1).select(0, 0))).to.deep.equal([13, 14]);
    const m = arange(0, 9).reshape([3, 3]);
    expect(nums(m.diagonal())).to.deep.equal([0, 4, 8]);
    expect(nums(m.diagonal(1))).to.deep.equal([1, 5]);
    expect(nums(m.diagonal(-1))).to.deep.equal([3, 7]);
    expect(nums(m.asStrided([2, 2], [1, 3], 1))).to.deep.equal([1, 4, 2, 5]);
    expect(() => m.asStrided([3, 3], [3, 1], 1)).to.throw(/out of bounds for storage of size 9/);
  });

  it('chunk, split and unbind return views in order', () => {
    const a = arange(0, 10);
    expect(a.chunk(3).map((c) => c.numel)).to.deep.equal([4, 4, 2]);
    expect(a.split(4).map(nums)).to.deep.equal([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(a.split([3, 7]).map((c) => c.numel)).to.deep.equal([3, 7]);
    expect(() => a.split([3, 3])).to.throw(/split_with_sizes expects split_sizes to sum exactly to 10/);
    const m = arange(0, 6).reshape([2, 3]);
    expect(m.unbind(1).map(nums)).to.deep.equal([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    for (const c of a.chunk(3)) expect(c.storage).to.equal(a.storage);
  });

  it('tensor_split returns views of self (all three overloads) that writes reach', () => {
    const a = arange(0, 14).reshape([7, 2]);
    const bySections = KERNELS['aten::tensor_split.sections']([a, 3, 0]) as Tensor[];
    expect(bySections.map((c) => c.shape[0])).to.deep.equal([3, 2, 2]);
    const byIndices = KERNELS['aten::tensor_split.indices']([a, [1, -2, 20], -2]) as Tensor[];
    expect(byIndices.map((c) => c.shape[0])).to.deep.equal([1, 4, 2, 0]);
    const byTensor = KERNELS['aten::tensor_split.tensor_indices_or_sections']([
      a,
      tensor([1]),
      1,
    ]) as Tensor[];
    expect(byTensor.map(nums)).to.deep.equal([
      [0, 2, 4, 6, 8, 10, 12],
      [1, 3, 5, 7, 9, 11, 13],
    ]);
    for (const c of [...bySections, ...byIndices, ...byTensor]) expect(c.storage).to.equal(a.storage);
    KERNELS['aten::add_.Scalar']([bySections[1], 100, 1]);
    expect(nums(a.select(1, 0))).to.deep.equal([0, 2, 4, 106, 108, 10, 12]);
  });

  it('expand, squeeze, unsqueeze, permute, flatten, t', () => {
    const b = tensor([1, 2, 3]).expand([2, -1]);
    expect([...b.strides]).to.deep.equal([0, 1]);
    expect(nums(b)).to.deep.equal([1, 2, 3, 1, 2, 3]);
    expect(() => tensor([1, 2, 3]).expand([2, 4])).to.throw(
      /expanded size of the tensor \(4\) must match the existing size \(3\)/,
    );
    const u = zeros([2, 1, 3, 1]);
    expect([...u.squeeze().shape]).to.deep.equal([2, 3]);
    expect([...u.squeeze(1).shape]).to.deep.equal([2, 3, 1]);
    expect([...u.squeeze(0).shape]).to.deep.equal([2, 1, 3, 1]);
    expect([...zeros([2, 3]).unsqueeze(-1).shape]).to.deep.equal([2, 3, 1]);
    expect([...zeros([2, 3, 4]).permute([2, 0, 1]).shape]).to.deep.equal([4, 2, 3]);
    expect([...zeros([2, 3, 4, 5]).flatten(1, 2).shape]).to.deep.equal([2, 12, 5]);
    expect(() => zeros([2, 3]).transpose(0, 2)).to.throw(
      'Dimension out of range (expected to be in range of [-2, 1], but got 2)',
    );
    expect(() => zeros([2, 3, 4]).t()).to.throw(/t\(\) expects a tensor with <= 2 dimensions/);
  });
});

describe('in-place writes through views', () => {
  it('copy_ into a select view changes the base', () => {
    const base = zeros([2, 3]);
    base.select(0, 1).copy_(tensor([floatScalar(1), floatScalar(2), floatScalar(3)]));
    expect(nums(base)).to.deep.equal([0, 0, 0, 1, 2, 3]);
  });

  it('add_ on a transposed, strided slice writes exactly those base elements', () => {
    const base = zeros([3, 4]);
    const v = base.t().slice(0, 1, null, 2); // columns 1 and 3, as rows
    KERNELS['aten::add_.Scalar']([v, 5, 1]);
    expect(nums(base)).to.deep.equal([0, 5, 0, 5, 0, 5, 0, 5, 0, 5, 0, 5]);
  });

  it('relu_ / mul_ / masked_fill_ / clamp_ / zero_ / fill_ act through views and return self', () => {
    const base = tensor(
      [
        [-1, 2],
        [3, -4],
      ],
      { dtype: 'float32' },
    );
    const row = base.select(0, 1);
    expect(KERNELS['aten::relu_']([row])).to.equal(row);
    expect(nums(base)).to.deep.equal([-1, 2, 3, 0]);
    KERNELS['aten::mul_.Tensor']([base.select(1, 0), tensor([floatScalar(10), floatScalar(100)])]);
    expect(nums(base)).to.deep.equal([-10, 2, 300, 0]);
    KERNELS['aten::masked_fill_.Scalar']([base.select(1, 1), tensor([true, false]), floatScalar(7)]);
    expect(nums(base)).to.deep.equal([-10, 7, 300, 0]);
    KERNELS['aten::clamp_']([base.select(0, 0), floatScalar(-1), floatScalar(1)]);
    expect(nums(base)).to.deep.equal([-1, 1, 300, 0]);
    KERNELS['aten::fill_.Scalar']([base.select(1, 0), 9]);
    expect(nums(base)).to.deep.equal([9, 1, 9, 0]);
    KERNELS['aten::zero_']([base.select(0, 0)]);
    expect(nums(base)).to.deep.equal([0, 0, 9, 0]);
  });

  it('reads overlapping inputs before writing (x[1:] += x[:-1])', () => {
    const x = tensor([1, 2, 3, 4]);
    KERNELS['aten::add_.Tensor']([x.slice(0, 1), x.slice(0, 0, -1), 1]);
    expect(nums(x)).to.deep.equal([1, 3, 5, 7]);
  });

  it('copy_ broadcasts and converts dtype; refuses a larger source', () => {
    const dst = zeros([2, 3], { dtype: 'int32' });
    dst.copy_(tensor([1.7, -2.7, 3.2]));
    expect(nums(dst)).to.deep.equal([1, -2, 3, 1, -2, 3]);
    const b = zeros([2], { dtype: 'bool' });
    b.copy_(tensor([0.0001, 0]));
    expect(b.toArray()).to.deep.equal([true, false]);
    expect(() => zeros([3]).copy_(zeros([2, 3]))).to.throw(/doesn't match the broadcast shape/);
  });

  it('in-place ops refuse results they cannot hold, with PyTorch wording', () => {
    expect(() => KERNELS['aten::add_.Scalar']([tensor([1, 2]), 1.5, 1])).to.throw(
      "result type Float can't be cast to the desired output type Long",
    );
    expect(() => KERNELS['aten::add_.Tensor']([zeros([3]), zeros([2, 3]), 1])).to.throw(
      "output with shape [3] doesn't match the broadcast shape [2, 3]",
    );
    expect(() => KERNELS['aten::sqrt_']([tensor([4])])).to.throw(
      /can't be cast to the desired output type Long/,
    );
  });

  it('contiguous() returns self when already contiguous and a copy otherwise', () => {
    const a = zeros([2, 3]);
    expect(a.contiguous()).to.equal(a);
    expect(a.t().contiguous().storage).to.not.equal(a.storage);
    expect(KERNELS['aten::to.dtype']([a, 6, false, false, null])).to.equal(a);
    expect(KERNELS['aten::to.dtype']([a, 6, false, true, null])).to.not.equal(a);
  });
});

describe('broadcasting', () => {
  it('follows numpy rules and names the mismatching dim', () => {
    expect(broadcastShapes([2, 1, 3], [4, 1], [])).to.deep.equal([2, 4, 3]);
    expect(broadcastShapes([0, 1], [1, 5])).to.deep.equal([0, 5]);
    expect(() => broadcastShapes([3], [4])).to.throw(
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0',
    );
    // The dim is counted in the broadcast result, as ATen's infer_size does.
    expect(() => broadcastShapes([2, 6], [4])).to.throw(
      'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1',
    );
  });

  it('broadcasts operands of element-wise kernels, including 0-dim and empty tensors', () => {
    const r = KERNELS['aten::mul.Tensor']([arange(0, 3).reshape([3, 1]), arange(0, 2)]) as Tensor;
    expect([...r.shape]).to.deep.equal([3, 2]);
    expect(nums(r)).to.deep.equal([0, 0, 0, 1, 0, 2]);
    const e = KERNELS['aten::add.Tensor']([zeros([0, 3]), zeros([3]), 1]) as Tensor;
    expect([...e.shape]).to.deep.equal([0, 3]);
  });
});
