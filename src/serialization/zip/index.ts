// Public surface of the zip layer: reading and writing .pt archives, and loading their storage records.

export { readArchive, ZipArchive, type ReadArchiveOptions, type ZipEntryInfo } from './read-archive.js';
export {
  buildArchive,
  writeArchiveAtomic,
  archiveFolderFor,
  isCompressedByDefault,
  type ArchiveEntry,
  type WriteArchiveOptions,
} from './write-archive.js';
export { archiveStorageLoader, type StorageLoader } from './archive-storage.js';
export { crc32 } from './crc32.js';
export type { ZipErrorCode } from './zip-errors.js';
