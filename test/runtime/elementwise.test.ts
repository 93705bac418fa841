// Element-wise kernels by hand: type promotion (0-dim tensors and Python scalars as wrapped numbers),
// integer division and remainder sign rules, int64 exactness, bool rules, unary edge values.

import { expect } from 'chai';
import { KERNELS, add, div, floorDivide, fmod, remainder, erf } from '../../src/runtime/kernels/index.js';
import { scalarTensor, tensor, zeros } from '../../src/tensor/creation.js';
import { canCast, promoteTypes, resultType } from '../../src/tensor/promotion.js';
import { floatScalar } from '../../src/tensor/scalar.js';
import { Tensor } from '../../src/tensor/tensor.js';

const nums = (t: Tensor): number[] => t.toArray().map(Number);
const run = (op: string, ...args: Parameters<(typeof KERNELS)[string]>[0]): Tensor =>
  KERNELS[op](args) as Tensor;

describe('type promotion', () => {
  it('promote_types table cases', () => {
    expect(promoteTypes('uint8', 'int8')).to.equal('int16');
    expect(promoteTypes('bool', 'int32')).to.equal('int32');
    expect(promoteTypes('int64', 'float16')).to.equal('float16');
    expect(promoteTypes('float16', 'bfloat16')).to.equal('float32');
    expect(promoteTypes('int32', 'float64')).to.equal('float64');
    expect(promoteTypes('complex64', 'float64')).to.equal('complex128');
  });

  it('result_type with 0-dim tensors and wrapped Python numbers', () => {
    const i64 = tensor([1, 2]);
    const f32 = tensor([1.5]);
    expect(resultType(i64, 2.5)).to.equal('float32');
    expect(resultType(i64, floatScalar(2))).to.equal('float32');
    expect(resultType(i64, 2)).to.equal('int64');
    expect(resultType(f32, scalarTensor(1.5, { dtype: 'float64' }))).to.equal('float32');
    expect(resultType(tensor([1], { dtype: 'int32' }), scalarTensor(7))).to.equal('int32');
    expect(resultType(tensor([1], { dtype: 'int32' }), scalarTensor(1.5, { dtype: 'float64' }))).to.equal(
      'float64',
    );
    expect(resultType(tensor([true]), 1)).to.equal('int64');
    expect(resultType(tensor([true]), true)).to.equal('bool');
    expect(resultType(tensor([1], { dtype: 'uint8' }), 300)).to.equal('uint8');
    expect(resultType(scalarTensor(1), 2.5)).to.equal('float32');
    expect(resultType(tensor([1], { dtype: 'float16' }), 2.5)).to.equal('float16');
    expect(resultType(scalarTensor(1.5, { dtype: 'float64' }), scalarTensor(2))).to.equal('float64');
  });

  it('can_cast rules', () => {
    expect(canCast('float32', 'int64')).to.equal(false);
    expect(canCast('int64', 'float32')).to.equal(true);
    expect(canCast('int64', 'bool')).to.equal(false);
    expect(canCast('bool', 'uint8')).to.equal(true);
  });

  it('kernels return the promoted dtype', () => {
    expect(add(tensor([1, 2]), floatScalar(2)).dtype).to.equal('float32');
    expect(add(tensor([1, 2], { dtype: 'int32' }), tensor([1, 2], { dtype: 'int8' })).dtype).to.equal(
      'int32',
    );
    expect(div(tensor([3]), tensor([2])).dtype).to.equal('float32');
    expect(run('aten::lt.Scalar', tensor([1, 2]), 1.5).dtype).to.equal('bool');
    expect(run('aten::mul.Tensor', tensor([1.5], { dtype: 'float16' }), tensor([2])).dtype).to.equal(
      'float16',
    );
  });
});

describe('integer division and remainder', () => {
  const a = tensor([7, -7, 7, -7]);
  const b = tensor([2, 2, -2, -2]);

  it('div rounding modes', () => {
    expect(nums(div(a, b))).to.deep.equal([3.5, -3.5, -3.5, 3.5]);
    expect(nums(div(a, b, 'trunc'))).to.deep.equal([3, -3, -3, 3]);
    expect(nums(div(a, b, 'floor'))).to.deep.equal([3, -4, -4, 3]);
    expect(div(a, b, 'floor').dtype).to.equal('int64');
    expect(() => div(a, b, 'round')).to.throw(
      "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'",
    );
  });

  it('floor_divide floors (PyTorch >= 1.13), on floats too', () => {
    expect(nums(floorDivide(a, b))).to.deep.equal([3, -4, -4, 3]);
    expect(nums(floorDivide(tensor([7.5, -7.5]), tensor([2, 2])))).to.deep.equal([3, -4]);
    expect(
      Object.is(
        floorDivide(tensor([-0.0], { dtype: 'float32' }), tensor([2], { dtype: 'float32' })).item(),
        -0,
      ),
    ).to.equal(true);
    expect(nums(floorDivide(tensor([-0.5]), 2))).to.deep.equal([-1]);
  });

  it('remainder follows the divisor sign, fmod the dividend sign', () => {
    expect(nums(remainder(a, b))).to.deep.equal([1, 1, -1, -1]);
    expect(nums(fmod(a, b))).to.deep.equal([1, -1, 1, -1]);
    expect(nums(remainder(tensor([5.5, -5.5]), -2))).to.deep.equal([-0.5, -1.5]);
    expect(nums(fmod(tensor([5.5, -5.5]), -2))).to.deep.equal([1.5, -1.5]);
    expect(nums(run('aten::remainder.Scalar_Tensor', 5, tensor([3, -3])))).to.deep.equal([2, -1]);
  });

  it('integer division by zero raises ZeroDivisionError; float gives inf/nan', () => {
    expect(() => floorDivide(tensor([1]), tensor([0]))).to.throw('ZeroDivisionError');
    expect(() => remainder(tensor([1]), 0)).to.throw('ZeroDivisionError');
    expect(() => div(tensor([1]), tensor([0]), 'trunc')).to.throw('ZeroDivisionError');
    expect(nums(div(tensor([1, -1]), tensor([0, 0])))).to.deep.equal([Infinity, -Infinity]);
    expect(Number.isNaN(Number(remainder(tensor([1.5]), 0).item()))).to.equal(true);
  });

  it('int64 arithmetic is exact beyond 2^53 and wraps at 2^64', () => {
    const big = Tensor.fromArray('int64', [2n ** 62n + 1n], [1]);
    expect(add(big, big).item()).to.equal(-(2n ** 63n) + 2n);
    expect(run('aten::mul.Scalar', Tensor.fromArray('int64', [9007199254740993n], [1]), 3).item()).to.equal(
      27021597764222979n,
    );
    expect(floorDivide(Tensor.fromArray('int64', [-9007199254740993n], [1]), 2).item()).to.equal(
      -4503599627370497n,
    );
  });

  it('uint8 and int32 wrap like C', () => {
    expect(nums(run('aten::sub.Scalar', tensor([5], { dtype: 'uint8' }), 10, 1))).to.deep.equal([251]);
    expect(
      nums(run('aten::mul.Tensor', tensor([65536], { dtype: 'int32' }), tensor([65537], { dtype: 'int32' }))),
    ).to.deep.equal([65536]);
  });
});

describe('other element-wise rules', () => {
  it('alpha must be integral for integral tensors; rsub is other - alpha*self', () => {
    expect(() => run('aten::add.Tensor', tensor([1]), tensor([1]), 1.5)).to.throw(
      'For integral input tensors, argument alpha must not be a floating point number.',
    );
    expect(nums(run('aten::rsub.Scalar', tensor([1, 2]), 10, 2))).to.deep.equal([8, 6]);
    expect(nums(run('aten::sub.Tensor', tensor([1.5]), tensor([0.5]), 3))).to.deep.equal([0]);
  });

  it('bool tensors: + is or, * is and, - and neg are refused', () => {
    expect(run('aten::add.Tensor', tensor([true, false]), tensor([true, false]), 1).toArray()).to.deep.equal([
      true,
      false,
    ]);
    expect(run('aten::mul.Tensor', tensor([true, true]), tensor([true, false])).toArray()).to.deep.equal([
      true,
      false,
    ]);
    expect(() => run('aten::sub.Tensor', tensor([true]), tensor([true]), 1)).to.throw(
      /Subtraction, the `-` operator, with two bool tensors/,
    );
    expect(() => run('aten::neg', tensor([true]))).to.throw(/Negation, the `-` operator, on a bool tensor/);
  });

  it('pow: integer exponents exact, negative int scalar exponent refused', () => {
    expect(nums(run('aten::pow.Tensor_Tensor', tensor([2, 3, -2]), tensor([10, 2, 3])))).to.deep.equal([
      1024, 9, -8,
    ]);
    expect(() => run('aten::pow.Tensor_Scalar', tensor([2]), -1)).to.throw(
      'Integers to negative integer powers are not allowed.',
    );
    expect(nums(run('aten::pow.Tensor_Scalar', tensor([4]), 0.5))).to.deep.equal([2]);
    expect(nums(run('aten::pow.Scalar', 2, tensor([1.0, 3.0])))).to.deep.equal([2, 8]);
  });

  it('maximum/minimum/clamp propagate NaN; clamp with min > max gives max', () => {
    expect(Number.isNaN(run('aten::maximum', tensor([NaN]), tensor([1])).item())).to.equal(true);
    expect(nums(run('aten::clamp', tensor([1.5, 5]), 3, 2))).to.deep.equal([2, 2]);
    expect(Number.isNaN(Number(run('aten::clamp', tensor([NaN]), 0, 1).item()))).to.equal(true);
    expect(() => run('aten::clamp', tensor([1.5]), null, null)).to.throw(/At least one of 'min' or 'max'/);
    expect(nums(run('aten::clamp_min', tensor([-1, 2]), 0))).to.deep.equal([0, 2]);
  });

  it('unary edge values: round half to even, sign, erf, float ops promote ints', () => {
    expect(nums(run('aten::round', tensor([0.5, 1.5, 2.5, -2.5, 2.6])))).to.deep.equal([0, 2, 2, -2, 3]);
    expect(nums(run('aten::sign', tensor([-3, 0, 4])))).to.deep.equal([-1, 0, 1]);
    expect(erf(0.5)).to.be.closeTo(0.5204998778130465, 1e-15);
    expect(erf(-3.5)).to.be.closeTo(-0.9999992569016276, 1e-15);
    expect(run('aten::exp', tensor([0, 1])).dtype).to.equal('float32');
    expect(run('aten::abs', tensor([-3])).dtype).to.equal('int64');
    expect(run('aten::isnan', tensor([NaN, 1])).toArray()).to.deep.equal([true, false]);
    expect(run('aten::logical_not', tensor([0, 2])).toArray()).to.deep.equal([true, false]);
    expect(nums(run('aten::bitwise_not', tensor([0, 5])))).to.deep.equal([-1, -6]);
  });

  it('comparisons against scalars and of mixed dtypes', () => {
    expect(run('aten::eq.Scalar', tensor([1, 2, 3]), 2).toArray()).to.deep.equal([false, true, false]);
    expect(run('aten::ge.Tensor', tensor([1.5, 2]), tensor([2, 2])).toArray()).to.deep.equal([false, true]);
    expect(run('aten::ne.Scalar', tensor([0.1], { dtype: 'float32' }), 0.1).toArray()).to.deep.equal([false]);
  });

  it('activations at reference points', () => {
    const x = tensor([-3, -1, 0, 1, 3], { dtype: 'float32' });
    // torch.nn.functional.hardswish(-3.) is -0., as x * clamp(x + 3, 0, 6) / 6 gives.
    expect(nums(run('aten::hardswish', x))).to.deep.equal([-0, -1 / 3, 0, 4 / 6, 3].map(Math.fround));
    expect(nums(run('aten::relu6', tensor([-1, 3, 7])))).to.deep.equal([0, 3, 6]);
    expect(Number(run('aten::gelu', tensor([1], { dtype: 'float64' }), 'none').item())).to.be.closeTo(
      0.8413447460685429,
      1e-15,
    );
    expect(Number(run('aten::gelu', tensor([1], { dtype: 'float64' }), 'tanh').item())).to.be.closeTo(
      0.8411919906082768,
      1e-15,
    );
    expect(() => run('aten::gelu', tensor([1.5]), 'exact')).to.throw(
      /approximate argument must be either none or tanh/,
    );
    expect(nums(run('aten::leaky_relu', tensor([-2, 2], { dtype: 'float64' }), 0.1))).to.deep.equal([
      -0.2, 2,
    ]);
  });

  it('writes results into an int64 self with bigint math (add_ on Long)', () => {
    const t = zeros([2], { dtype: 'int64' });
    run('aten::add_.Scalar', t, 5, 2);
    expect(t.toArray()).to.deep.equal([10n, 10n]);
  });
});
