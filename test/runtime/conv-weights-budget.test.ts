// Prepared constant conv weights stay in the WebAssembly heap only up to a budget: past it (a model whose
// weights alone fill the 4 GiB memory, regnet_y_128gf) they are prepared per call and released after it,
// with the same numbers.

import { expect } from 'chai';
import { setCachedWeightsBudget, weightsInHeap } from '../../src/runtime/kernels/conv-weights.js';
import { wasmHeap } from '../../src/runtime/kernels/wasm-heap.js';
import { Tensor } from '../../src/index.js';

describe('prepared conv weights: the heap budget', () => {
  const heap = wasmHeap();
  const fill = (w: Tensor) => (mem: Float32Array, base: number) =>
    mem.set(w.storage.data as Float32Array, base);

  it('caches a constant weight within the budget, and prepares one past it per call', function () {
    if (!heap) this.skip();
    const before = heap!.reservedBytes();
    const small = Tensor.fromStorage('float32', new Float32Array(16).fill(2), [16]);
    const lease = weightsInHeap(heap!, small, 'test', 16, fill(small), true);
    lease.done();
    expect(heap!.reservedBytes()).to.be.greaterThan(before, 'cached within the budget');

    const previous = setCachedWeightsBudget(heap!.reservedBytes() + 64);
    try {
      const held = heap!.reservedBytes();
      const big = Tensor.fromStorage(
        'float32',
        new Float32Array(1024).map((_, i) => i),
        [1024],
      );
      const transient = weightsInHeap(heap!, big, 'test', 1024, fill(big), true);
      const mem = heap!.floats();
      expect(mem[transient.offset / 4 + 1023]).to.equal(1023);
      transient.done();
      expect(heap!.reservedBytes()).to.equal(held, 'released after the call: not cached past the budget');
    } finally {
      setCachedWeightsBudget(previous);
    }
  });
});
