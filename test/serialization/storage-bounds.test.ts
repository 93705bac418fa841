// Issue 15.4: a tensor must lie inside the storage it really gets. A storage key's record is made once,
// by its first reference; a later reference declaring more elements must not read past it (gave NaN).

import 'reflect-metadata';
import { expect } from 'chai';
import { Storage, Tensor } from '../../src/tensor/tensor.js';
import { allocateStorage } from '../../src/tensor/dtype.js';
import { loadPickle, pickle, StorageRef, TensorRef } from '../../src/serialization/pickle/index.js';
import { expectCode } from './zip-test-helpers.js';

describe('pickle: tensor views are checked against their real storage', () => {
  const small = new StorageRef('0', 'float32', 'cpu', 2);
  const claimsMore = new StorageRef('0', 'float32', 'cpu', 100);
  const load = (bytes: Uint8Array): unknown =>
    loadPickle(bytes, {
      name: 'views.pkl',
      loadStorage: (key, dtype, numel) => new Storage(dtype, allocateStorage(dtype, numel)),
    });

  it('two references to one key, the second claiming 100 elements of a 2-element record: BAD_TENSOR', () => {
    const { bytes } = pickle(
      [new TensorRef(small, 0, [2], [1], false), new TensorRef(claimsMore, 0, [100], [1], false)],
      {
        persistentId: () => '0',
      },
    );
    expectCode(() => load(bytes), 'BAD_TENSOR', 'reaches element 99 of a 2-element storage');
  });

  it('views inside the record still load and share it', () => {
    const { bytes } = pickle(
      [new TensorRef(small, 0, [2], [1], false), new TensorRef(claimsMore, 1, [1], [1], false)],
      {
        persistentId: () => '0',
      },
    );
    const [a, b] = load(bytes) as Tensor[];
    expect(a.storage).to.equal(b.storage);
  });
});
