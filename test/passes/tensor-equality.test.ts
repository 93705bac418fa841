// TensorEquality (CSE's and constant pooling's tensorEqual): PyTorch's verdicts (NaN never equal, 0 equal
// to -0), and the memcmp work it saves: views of the very same bytes are never compared, and each pair of
// storage regions is compared once per run.

import { expect } from 'chai';
import { TensorEquality } from '../../passes/tensor-equality.js';
import { Tensor } from '../../src/index.js';

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 100);

// Buffer.compare calls made while `body` runs.
function memcmps(body: () => void): number {
  const original = Buffer.compare;
  let calls = 0;
  Buffer.compare = (a: Uint8Array, b: Uint8Array) => {
    calls++;
    return original(a, b);
  };
  try {
    body();
  } finally {
    Buffer.compare = original;
  }
  return calls;
}

describe('TensorEquality', () => {
  it('two views of the same bytes are equal without a memcmp, unless they hold a NaN', () => {
    const data = ramp(64);
    const storage = Tensor.fromStorage('float32', data, [64]);
    const [a, b] = [storage.view([8, 8]), storage.view([8, 8])];
    expect(a).to.not.equal(b);
    expect(memcmps(() => expect(new TensorEquality().same(a, b)).to.equal(true))).to.equal(0);
    const nan = ramp(64);
    nan[17] = NaN;
    const withNaN = Tensor.fromStorage('float32', nan, [64]);
    expect(new TensorEquality().same(withNaN.view([8, 8]), withNaN.view([8, 8]))).to.equal(false);
  });

  it('equal bytes in two storages: equal unless NaN; 0 and -0 equal; a different element unequal', () => {
    const tensors = new TensorEquality();
    const same = (x: Float32Array, y: Float32Array): boolean =>
      tensors.same(Tensor.fromStorage('float32', x, [9]), Tensor.fromStorage('float32', y, [9]));
    expect(same(ramp(9), ramp(9))).to.equal(true);
    const [x, y] = [ramp(9), ramp(9)];
    x[3] = y[3] = NaN;
    expect(same(x, y)).to.equal(false);
    const [z, m] = [ramp(9), ramp(9)];
    z[2] = 0;
    m[2] = -0;
    expect(same(z, m)).to.equal(true);
    const d = ramp(9);
    d[8] += 1;
    expect(same(ramp(9), d)).to.equal(false);
  });

  it('each pair of storage regions is compared once per run, whichever views meet', () => {
    const [p, q] = [ramp(100), ramp(100)];
    const tensors = new TensorEquality();
    const calls = memcmps(() => {
      for (let k = 0; k < 3; k++) {
        const a = Tensor.fromStorage('float32', p, [100]).view([10, 10]);
        const b = Tensor.fromStorage('float32', q, [100]).view([10, 10]);
        expect(tensors.same(a, b)).to.equal(true);
        expect(tensors.same(b, a)).to.equal(true);
      }
    });
    expect(calls).to.equal(1);
    // A fresh run compares again (a numerics pass may have written the storage in between).
    expect(
      memcmps(() =>
        new TensorEquality().same(
          Tensor.fromStorage('float32', p, [100]),
          Tensor.fromStorage('float32', q, [100]),
        ),
      ),
    ).to.equal(1);
  });

  it('different regions of one storage are compared as any two tensors', () => {
    const data = new Float32Array(20);
    data.set(ramp(10), 0);
    data.set(ramp(10), 10);
    const whole = Tensor.fromStorage('float32', data, [20]);
    const tensors = new TensorEquality();
    expect(tensors.same(whole.narrow(0, 0, 10), whole.narrow(0, 10, 10))).to.equal(true);
    data[15] = 1e6;
    const fresh = new TensorEquality();
    expect(fresh.same(whole.narrow(0, 0, 10), whole.narrow(0, 10, 10))).to.equal(false);
  });

  it('strided and integer tensors are compared element by element', () => {
    const tensors = new TensorEquality();
    const m = Tensor.fromStorage('float32', ramp(6), [2, 3]);
    expect(tensors.same(m.t(), Tensor.fromStorage('float32', ramp(6), [2, 3]).t())).to.equal(true);
    const ints = (v: number[]): Tensor =>
      Tensor.fromStorage('int64', BigInt64Array.from(v.map(BigInt)), [v.length]);
    expect(tensors.same(ints([1, 2, 3]), ints([1, 2, 3]))).to.equal(true);
    expect(tensors.same(ints([1, 2, 3]), ints([1, 2, 4]))).to.equal(false);
  });
});
