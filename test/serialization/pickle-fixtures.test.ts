// Every fixture archive's data.pkl and constants.pkl decode to what Python + PyTorch report (structure, tensor
// metadata and values), storages stay shared, and pickle(unpickle(x)) reproduces the pickle.

import { expect } from 'chai';
import { Tensor, type Storage } from '../../src/tensor/tensor.js';
import {
  loadPickle,
  pickle,
  PickledObject,
  PickleTuple,
  TensorRef,
  unpickle,
  type PickleValue,
} from '../../src/serialization/pickle/index.js';
import { archiveStorageLoader, readArchive, type ZipArchive } from '../../src/serialization/zip/index.js';
import {
  encodeValue,
  expectSameJson,
  readExpected,
  withoutTensorData,
  type Json,
  type StorageKeys,
} from './pickle-test-helpers.js';
import { fixtureArchives } from './zip-test-helpers.js';

const PICKLES = [
  ['data.pkl', 'data'],
  ['constants.pkl', 'constants'],
] as const;

/** Loads a pickle with real storages, recording which record each Storage came from. */
function loadWithStorages(
  archive: ZipArchive,
  pkl: string,
  folder: string,
): { value: PickleValue; keys: StorageKeys; loads: string[] } {
  const keys: StorageKeys = new Map();
  const loads: string[] = [];
  const loader = archiveStorageLoader(archive, folder);
  const value = loadPickle(archive.read(pkl), {
    name: `${archive.source}:${pkl}`,
    loadStorage: (key, dtype, numel) => {
      loads.push(key);
      const storage = loader(key, dtype, numel);
      keys.set(storage, key);
      return storage;
    },
  });
  return { value, keys, loads };
}

/** Every tensor reachable from `value`, in visiting order. */
function tensorsIn(value: PickleValue, out: (Tensor | TensorRef)[] = []): (Tensor | TensorRef)[] {
  if (value instanceof Tensor || value instanceof TensorRef) out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => tensorsIn(item, out));
  else if (value instanceof Map) value.forEach((item, key) => (tensorsIn(key, out), tensorsIn(item, out)));
  else if (value instanceof PickledObject && value.state !== undefined) tensorsIn(value.state, out);
  else if (value instanceof PickleTuple) value.items.forEach((item) => tensorsIn(item, out));
  return out;
}

describe('pickle: fixture archives match python + torch', () => {
  for (const fixture of fixtureArchives()) {
    const label = `${fixture.caseName}/${fixture.file}`;
    const expectedName = `${fixture.caseName}__${fixture.folder}.json`;

    describe(label, () => {
      const archive = readArchive(fixture.path);
      const expected = readExpected(expectedName);

      for (const [pkl, folder] of PICKLES) {
        it(`${pkl}: same values as python, tensors over shared storages`, () => {
          const { value, keys, loads } = loadWithStorages(archive, pkl, folder);
          expectSameJson(encodeValue(value, keys), expected[pkl]);
          // Each record is loaded once; every tensor on it shares the one Storage.
          expect(new Set(loads).size).to.equal(loads.length);
          const byKey = new Map<string, Storage>();
          for (const tensor of tensorsIn(value) as Tensor[]) {
            const key = keys.get(tensor.storage) as string;
            expect(byKey.get(key) ?? tensor.storage).to.equal(tensor.storage);
            byKey.set(key, tensor.storage);
          }
        });

        it(`${pkl}: without a storage loader, TensorRefs carry the same metadata`, () => {
          const value = loadPickle(archive.read(pkl));
          expect(tensorsIn(value).every((t) => t instanceof TensorRef)).to.equal(true);
          expectSameJson(encodeValue(value), withoutTensorData(expected[pkl] as Json));
        });

        it(`${pkl}: pickle(unpickle(x)) unpickles to the same structure`, () => {
          const { value, keys } = loadWithStorages(archive, pkl, folder);
          const written = pickle(value);
          // Storages come back keyed in first-use order, as torch.jit.save numbers them.
          const renamed: StorageKeys = new Map();
          for (const { key, storage } of written.storages) renamed.set(storage as Storage, key);
          expect(written.storages.map((s) => keys.get(s.storage as Storage))).to.deep.equal(
            written.storages.map((s) => s.key),
          );
          const again = unpickle(written.bytes);
          expectSameJson(encodeValue(again), withoutTensorData(expected[pkl] as Json));
        });
      }

      it('zip entries match python: names, methods, sizes, CRCs', () => {
        const rows = archive.entries().map((e) => [e.path, e.method, e.size, e.crc32]);
        expect(rows).to.deep.equal(expected.entries);
        expect(archive.folder).to.equal(expected.folder);
      });

      it('every .debug_pkl unpickles and round-trips', () => {
        const names = archive.list('code/').filter((name) => name.endsWith('.debug_pkl'));
        for (const name of names) {
          const value = unpickle(archive.read(name), { name });
          expect(encodeValue(unpickle(pickle(value).bytes))).to.deep.equal(encodeValue(value));
        }
      });
    });
  }
});

describe('pickle: byte-identical to torch.jit.save', () => {
  // PyTorch memoizes a tensor or object only while something else holds it (use_count > 1); the frozen
  // data.pkl files whose attributes nothing else holds are the one place the bytes differ (5 of 142).
  for (const fixture of fixtureArchives()) {
    it(`${fixture.caseName}/${fixture.file}: constants.pkl${fixture.file === 'module.pt' ? ' and data.pkl' : ''}`, () => {
      const archive = readArchive(fixture.path);
      const names = fixture.file === 'module.pt' ? ['data.pkl', 'constants.pkl'] : ['constants.pkl'];
      for (const name of names) {
        const original = archive.read(name);
        const rewritten = pickle(loadPickle(original)).bytes;
        expect(Buffer.from(rewritten).equals(Buffer.from(original)), name).to.equal(true);
      }
    });
  }
});
