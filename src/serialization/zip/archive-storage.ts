// Turns the storage records of an opened archive (`data/0`, `constants/3`) into shared tensor Storages.

import { DTYPES, storageFromBytes, type DType } from '../../tensor/dtype.js';
import { Storage } from '../../tensor/tensor.js';
import type { ZipArchive } from './read-archive.js';
import { zipError } from './zip-errors.js';

/** Loads storage `key` of `dtype` with `numel` elements; what `loadPickle`'s `loadStorage` option takes. */
export type StorageLoader = (key: string, dtype: DType, numel: number) => Storage;

/**
 * A loader reading `<folder>/<key>` from `archive` (`data` for data.pkl, `constants` for constants.pkl).
 * Each call makes a new Storage; `loadPickle` caches them by key so tensors on one record share it.
 * Throws MISSING_ENTRY for an absent record and CORRUPT_ENTRY when it is shorter than `numel` elements.
 */
export function archiveStorageLoader(archive: ZipArchive, folder = 'data'): StorageLoader {
  return (key, dtype, numel) => {
    const name = `${folder}/${key}`;
    const bytes = archive.read(name);
    const need = numel * DTYPES[dtype].itemSize;
    if (bytes.length < need) {
      throw zipError(
        'CORRUPT_ENTRY',
        archive.source,
        `holds ${bytes.length} bytes, but a ${dtype} storage of ${numel} elements needs ${need}`,
        name,
      );
    }
    return new Storage(dtype, storageFromBytes(dtype, bytes.subarray(0, need)));
  };
}
