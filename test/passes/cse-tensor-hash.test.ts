// CSE's tensor content hash: equal tensors (distinct objects, any layout) hash alike, and tensors that
// differ in a sampled run (the first and last elements always are) hash apart, for small tensors (every
// element read) and large ones (64 runs of 64 elements).

import { expect } from 'chai';
import { tensorHash } from '../../passes/common-subexpression-elimination.js';
import { Tensor } from '../../src/index.js';

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 100);

describe('common-subexpression-elimination tensorHash', () => {
  for (const n of [1, 7, 256, 257, 100003]) {
    it(`${n} elements: equal copies hash alike; a change at the first or last element hashes apart`, () => {
      const a = Tensor.fromStorage('float32', ramp(n), [n]);
      expect(tensorHash(Tensor.fromStorage('float32', ramp(n), [n]))).to.equal(tensorHash(a));
      for (const at of [0, n - 1]) {
        const data = ramp(n);
        data[at] += 1;
        expect(tensorHash(Tensor.fromStorage('float32', data, [n])), `changed at ${at}`).to.not.equal(
          tensorHash(a),
        );
      }
    });
  }

  it('a large tensor changed inside any of its sampled runs hashes apart; strided and contiguous copies alike', () => {
    const n = 16 * 1000 + 13;
    const a = Tensor.fromStorage('float32', ramp(n), [n]);
    for (const k of [1, 5, 10, 14]) {
      const data = ramp(n);
      data[Math.floor((k * (n - 16)) / 15) + 5] += 1;
      expect(tensorHash(Tensor.fromStorage('float32', data, [n])), `run ${k}`).to.not.equal(tensorHash(a));
    }
    // A transposed view (read element by element) hashes as its contiguous copy.
    const [rows, cols] = [300, 200];
    const v = (i: number, j: number): number => Math.fround(Math.sin(i * cols + j) * 100);
    const contiguous = Tensor.fromStorage(
      'float32',
      Float32Array.from({ length: rows * cols }, (_, k) => v(Math.floor(k / cols), k % cols)),
      [rows, cols],
    );
    const columns = Float32Array.from({ length: rows * cols }, (_, k) => v(k % rows, Math.floor(k / rows)));
    const strided = Tensor.fromStorage('float32', columns, [cols, rows]).t();
    expect(strided.isContiguous).to.equal(false);
    expect(strided.shape).to.deep.equal([rows, cols]);
    expect(tensorHash(strided)).to.equal(tensorHash(contiguous));
  });

  it('dtype and shape are part of the key', () => {
    const data = ramp(12);
    const a = tensorHash(Tensor.fromStorage('float32', data, [3, 4]));
    expect(tensorHash(Tensor.fromStorage('float32', data.slice(), [4, 3]))).to.not.equal(a);
    expect(tensorHash(Tensor.fromStorage('float64', Float64Array.from(data), [3, 4]))).to.not.equal(a);
  });
});
