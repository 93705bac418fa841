// Tensor factories, dtype conversion, the seeded generator, allClose, and the KERNELS table contract
// (every key is a real PyTorch 1.13 schema; every tensor op in the fixture graphs has a kernel).

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperatorRegistry } from '../../src/ops/index.js';
import { KERNELS, getKernel } from '../../src/runtime/kernels/index.js';
import { allClose, assertClose } from '../../src/tensor/allclose.js';
import { arange, eye, full, linspace, ones, tensor, zeros } from '../../src/tensor/creation.js';
import { Generator, rand, randn } from '../../src/tensor/random.js';
import { floatScalar, FloatScalar } from '../../src/tensor/scalar.js';
import { Tensor } from '../../src/tensor/tensor.js';

const FIX = join(process.cwd(), 'test', 'fixtures');

describe('factories and conversion', () => {
  it('infer dtypes like torch.tensor / full / arange', () => {
    expect(tensor([1, 2]).dtype).to.equal('int64');
    expect(tensor([1, 2.5]).dtype).to.equal('float32');
    expect(tensor([floatScalar(1)]).dtype).to.equal('float32');
    expect(tensor([[true], [false]]).dtype).to.equal('bool');
    expect(full([2], 7).dtype).to.equal('int64');
    expect(arange(0, 1, 0.25).toArray()).to.deep.equal([0, 0.25, 0.5, 0.75]);
    expect(arange(5).dtype).to.equal('int64');
    expect(arange(10, 0, -3).toArray()).to.deep.equal([10n, 7n, 4n, 1n]);
    expect(linspace(0, 1, 5).toArray()).to.deep.equal([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).to.deep.equal([1, 0, 0, 0, 1, 0]);
    expect(ones([2], { dtype: 'int32' }).toArray()).to.deep.equal([1, 1]);
    expect(() => tensor([[1, 2], [3]])).to.throw(/expected sequence of length 2 at dim 1/);
    expect(() => zeros([-1])).to.throw(/negative dimension/);
  });

  it('converts between dtypes as C casts on x86 do', () => {
    expect(tensor([1.9, -1.9, 300.5]).to('int32').toArray()).to.deep.equal([1, -1, 300]);
    expect(tensor([300.5, -1.5]).to('uint8').toArray()).to.deep.equal([44, 255]);
    expect(tensor([Infinity, NaN]).to('int64').toArray()).to.deep.equal([-(2n ** 63n), -(2n ** 63n)]);
    expect(tensor([0.5, 0, NaN]).to('bool').toArray()).to.deep.equal([true, false, true]);
    expect(
      Tensor.fromArray('int64', [2n ** 40n + 5n], [1])
        .to('int32')
        .toArray(),
    ).to.deep.equal([5]);
    expect(tensor([65504, 1e-8, 0.1]).to('float16').to('float32').toArray()).to.deep.equal([
      65504,
      0,
      Math.fround(0.0999755859375),
    ]);
    expect(tensor([1.5]).to('bfloat16').toArray()).to.deep.equal([1.5]);
  });

  it('kernel scalars: item gives FloatScalar for floats, Int/Float/Bool/size/dim are plain values', () => {
    expect(KERNELS['aten::item']([tensor([2.0], { dtype: 'float32' })])).to.be.instanceOf(FloatScalar);
    expect(KERNELS['aten::item']([tensor([3])])).to.equal(3);
    expect(KERNELS['aten::Int.Tensor']([tensor([3.7])])).to.equal(3);
    expect(KERNELS['aten::Bool.Tensor']([tensor([0])])).to.equal(false);
    expect(KERNELS['aten::size']([zeros([2, 3])])).to.deep.equal([2, 3]);
    expect(KERNELS['aten::size.int']([zeros([2, 3]), -1])).to.equal(3);
    expect(KERNELS['aten::dim']([zeros([2, 3])])).to.equal(2);
    expect(() => KERNELS['aten::item']([zeros([2])])).to.throw(
      /a Tensor with 2 elements cannot be converted to Scalar/,
    );
  });
});

describe('seeded random numbers', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(randn([5], { seed: 42 }).toArray()).to.deep.equal(randn([5], { seed: 42 }).toArray());
    expect(randn([5], { seed: 42 }).toArray()).to.not.deep.equal(randn([5], { seed: 43 }).toArray());
    const g = new Generator(7);
    const first = [g.nextUint32(), g.nextUint32()];
    g.manualSeed(7);
    expect([g.nextUint32(), g.nextUint32()]).to.deep.equal(first);
  });

  it('has the right moments', () => {
    const n = randn([20000], { seed: 1, dtype: 'float64' }).toArray().map(Number);
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    expect(mean).to.be.closeTo(0, 0.03);
    expect(variance).to.be.closeTo(1, 0.05);
    const u = rand([20000], { seed: 2 }).toArray().map(Number);
    expect(Math.min(...u)).to.be.at.least(0);
    expect(Math.max(...u)).to.be.lessThan(1);
    expect(u.reduce((a, b) => a + b, 0) / u.length).to.be.closeTo(0.5, 0.01);
  });
});

describe('allClose', () => {
  it('uses |a - b| <= atol + rtol * |b|, broadcasting, NaN handling', () => {
    expect(allClose(tensor([1.0, 2.0]), tensor([1.000005, 2.0]))).to.equal(true);
    expect(allClose(tensor([1.0]), tensor([1.001]))).to.equal(false);
    expect(allClose(tensor([1.0]), tensor([1.001]), { atol: 1e-2 })).to.equal(true);
    expect(allClose(tensor([[1.5, 1.5]]), tensor([1.5]))).to.equal(true);
    expect(allClose(tensor([NaN]), tensor([NaN]))).to.equal(false);
    expect(allClose(tensor([NaN]), tensor([NaN]), { equalNan: true })).to.equal(true);
    expect(() => assertClose(tensor([1.0]), tensor([2.0])))
      .to.throw(/max \|a-b\| = 1/)
      .with.property('code', 'NOT_CLOSE');
  });
});

describe('KERNELS table', () => {
  // The operator table's keys: PyTorch 1.13's aten/prim schemas and torchvision's (scripts/extract-schemas.py).
  const schemaNames = new Set(new OperatorRegistry().entries().map((e) => e.key));

  it('is keyed by real PyTorch 1.13 schema names', () => {
    const keys = Object.keys(KERNELS);
    expect(keys.length).to.be.greaterThan(400);
    expect(keys.filter((k) => !schemaNames.has(k))).to.deep.equal([]);
    expect(getKernel('aten::add.Tensor')).to.equal(KERNELS['aten::add.Tensor']);
    expect(getKernel('aten::nope')).to.equal(undefined);
  });

  it('has a kernel for every tensor op in the fixture graphs', () => {
    const ops = new Set<string>();
    for (const c of readdirSync(FIX)) {
      if (c.startsWith('_') || c.includes('.')) continue;
      for (const f of readdirSync(join(FIX, c)).filter((n) => n.endsWith('.txt'))) {
        for (const m of readFileSync(join(FIX, c, f), 'utf8').matchAll(/aten::[A-Za-z_0-9]+/g)) ops.add(m[0]);
      }
    }
    // Scalar, list, string and context ops belong to the interpreter.
    const notTensorOps = new Set([
      'aten::__contains__',
      'aten::__getitem__',
      'aten::__is__',
      'aten::__isnot__',
      'aten::__not__',
      'aten::_set_item',
      'aten::append',
      'aten::clear',
      'aten::copy',
      'aten::dict',
      'aten::extend',
      'aten::find',
      'aten::floordiv',
      'aten::format',
      'aten::insert',
      'aten::is_autocast_enabled',
      'aten::is_grad_enabled',
      'aten::items',
      'aten::keys',
      'aten::list',
      'aten::pop',
      'aten::reverse',
      'aten::setdefault',
      'aten::str',
      'aten::update',
      'aten::values',
      'aten::warn',
    ]);
    const bases = new Set(Object.keys(KERNELS).map((k) => k.split('.')[0]));
    const missing = [...ops].filter((o) => !bases.has(o) && !notTensorOps.has(o));
    expect(ops.size).to.be.greaterThan(60);
    expect(missing).to.deep.equal([]);
  });

  it('names the op in errors and rejects wrong argument kinds with KERNEL_ARG', () => {
    expect(() => KERNELS['aten::relu'](['x']))
      .to.throw('aten::relu: argument 0: expected Tensor, got string')
      .with.property('code', 'KERNEL_ARG');
    expect(() => KERNELS['aten::mm']([zeros([2, 3]), zeros([2, 3])])).to.throw(
      /^aten::mm: mat1 and mat2 shapes cannot be multiplied/,
    );
  });
});
