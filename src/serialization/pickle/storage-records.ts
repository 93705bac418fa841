// Turns the storages a pickle references into the archive records that hold their bytes (`data/0`, `constants/3`).

import { DTYPES, storageBytes } from '../../tensor/dtype.js';
import type { Storage } from '../../tensor/tensor.js';
import { pickleError } from './pickle-errors.js';
import type { PickledStorage } from './pickler.js';
import { StorageRef } from './values.js';

/** One archive record: the same shape as the zip writer's ArchiveEntry. */
export interface StorageRecord {
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * The records for `storages` (from `pickle(...).storages`) under `folder`: `<folder>/<key>` holding the
 * little-endian bytes of each storage's `numel` elements. A StorageRef has no bytes of its own;
 * `readRef` supplies them (for example from the archive it was read from), else UNPICKLABLE.
 */
export function storageRecords(
  storages: readonly PickledStorage[],
  folder: string,
  readRef?: (ref: StorageRef) => Uint8Array,
): StorageRecord[] {
  return storages.map(({ key, storage, dtype, numel }) => {
    const size = numel * DTYPES[dtype].itemSize;
    let bytes: Uint8Array;
    if (storage instanceof StorageRef) {
      if (!readRef) {
        throw pickleError(
          'UNPICKLABLE',
          '<pickler>',
          `storage '${storage.key}' is a reference without data; pass readRef`,
        );
      }
      bytes = readRef(storage);
    } else {
      bytes = storageBytes((storage as Storage).data);
    }
    if (bytes.length < size) {
      throw pickleError(
        'UNPICKLABLE',
        '<pickler>',
        `storage '${key}' has ${bytes.length} bytes, needs ${size}`,
      );
    }
    return { name: `${folder}/${key}`, data: bytes.subarray(0, size) };
  });
}
