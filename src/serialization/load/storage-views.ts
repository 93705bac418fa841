// Tensor storages that view the archive's bytes instead of copying them: PyTorch writes every record
// 64-byte aligned and stored (not deflated), so on a little-endian host the bytes already are the typed
// array. Halves the memory and time of loading large models; misaligned records fall back to a copy.

import { endianness } from 'node:os';
import { DTYPES, type DType, type StorageArray } from '../../tensor/dtype.js';
import { Storage } from '../../tensor/tensor.js';
import { archiveStorageLoader, type StorageLoader } from '../zip/archive-storage.js';
import type { ZipArchive } from '../zip/read-archive.js';

const LITTLE_ENDIAN = endianness() === 'LE';

function view(dtype: DType, buffer: ArrayBufferLike, offset: number, slots: number): StorageArray {
  switch (dtype) {
    case 'float32':
    case 'complex64':
      return new Float32Array(buffer, offset, slots);
    case 'float64':
    case 'complex128':
      return new Float64Array(buffer, offset, slots);
    case 'int64':
      return new BigInt64Array(buffer, offset, slots);
    case 'int32':
      return new Int32Array(buffer, offset, slots);
    case 'int16':
      return new Int16Array(buffer, offset, slots);
    case 'int8':
      return new Int8Array(buffer, offset, slots);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer, offset, slots);
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(buffer, offset, slots);
  }
}

/**
 * Loads `<folder>/<key>` records as Storages over the archive's own bytes (a write to such a tensor writes
 * the in-memory archive, never the file). Errors and unaligned records go through archiveStorageLoader.
 * `verifyChecksums` false skips the CRC-32 of stored records, as PyTorch's reader does.
 */
export function viewingStorageLoader(
  archive: ZipArchive,
  folder: string,
  verifyChecksums = true,
): StorageLoader {
  const copying = archiveStorageLoader(archive, folder);
  return (key, dtype, numel) => {
    const name = `${folder}/${key}`;
    const { itemSize, lanes } = DTYPES[dtype];
    const entry = archive.has(name) ? archive.entry(name) : undefined;
    if (!LITTLE_ENDIAN || !entry || entry.method !== 0) return copying(key, dtype, numel);
    // Without checksums (torch.jit.load's own setting) the record is taken as stored, unverified.
    const bytes = verifyChecksums
      ? archive.read(name)
      : archive.bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    const alignment = itemSize / lanes;
    if (bytes.length < numel * itemSize || bytes.byteOffset % alignment !== 0)
      return copying(key, dtype, numel);
    return new Storage(dtype, view(dtype, bytes.buffer, bytes.byteOffset, numel * lanes));
  };
}
