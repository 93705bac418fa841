// Parses a zip's central directory (with zip64) and checks every local header, without decompressing anything.
// Every offset and length is bounds-checked first, so garbage input fails fast with a typed error.

import { zipError } from './zip-errors.js';
import {
  CENTRAL_HEADER_SIG,
  CENTRAL_HEADER_SIZE,
  EOCD_SEARCH_SPAN,
  EOCD_SIG,
  EOCD_SIZE,
  EXTRA_ZIP64,
  FLAG_ENCRYPTED,
  LOCAL_HEADER_SIG,
  LOCAL_HEADER_SIZE,
  MAX_32,
  METHOD_DEFLATE,
  METHOD_STORED,
  ZIP64_EOCD_SIG,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIG,
  ZIP64_LOCATOR_SIZE,
} from './zip-format.js';

/** One entry of the central directory, with the position of its data resolved from its local header. */
export interface ZipEntryInfo {
  /** Full name inside the zip (`module/data/0`). */
  readonly path: string;
  /** 0 = stored, 8 = deflate. */
  readonly method: number;
  readonly compressedSize: number;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** CRC-32 recorded in the central directory. */
  readonly crc32: number;
  readonly localHeaderOffset: number;
  /** Absolute offset of the entry's (compressed) data in the archive. */
  readonly dataOffset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Little-endian readers that never read past `bytes` (callers check bounds first). */
function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}
function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
function u64(bytes: Uint8Array, at: number): number {
  // Offsets above 2^53 cannot address a JS buffer anyway; treat them as out of range.
  const value = u32(bytes, at) + u32(bytes, at + 4) * 0x100000000;
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}

interface DirectoryLocation {
  offset: number;
  size: number;
  count: number;
  /** Where the directory must end: the zip64 record or the EOCD. */
  end: number;
}

/** Finds the end-of-central-directory record, following the zip64 locator when the 32-bit fields overflow. */
function locateDirectory(bytes: Uint8Array, source: string): DirectoryLocation {
  const startsLikeZip = bytes.length >= 4 && u32(bytes, 0) === LOCAL_HEADER_SIG;
  if (bytes.length === 0) throw zipError('NOT_A_ZIP', source, 'not a zip archive: the file is empty');
  let eocd = -1;
  const lowest = Math.max(0, bytes.length - EOCD_SEARCH_SPAN);
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    // The comment length must reach exactly to the end of the file, which rejects stray signatures.
    if (u32(bytes, at) === EOCD_SIG && at + EOCD_SIZE + u16(bytes, at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) {
    if (startsLikeZip) {
      throw zipError(
        'TRUNCATED',
        source,
        'truncated zip archive: it starts like a zip but has no end-of-central-directory record',
      );
    }
    throw zipError('NOT_A_ZIP', source, 'not a zip archive (no end-of-central-directory record)');
  }
  if (u16(bytes, eocd + 4) !== 0 || u16(bytes, eocd + 6) !== 0) {
    throw zipError('UNSUPPORTED_ZIP', source, 'multi-disk zip archives are not supported');
  }
  let count = u16(bytes, eocd + 10);
  let size = u32(bytes, eocd + 12);
  let offset = u32(bytes, eocd + 16);
  let end = eocd;
  const locator = eocd - ZIP64_LOCATOR_SIZE;
  if (locator >= 0 && u32(bytes, locator) === ZIP64_LOCATOR_SIG) {
    const record = u64(bytes, locator + 8);
    if (record + ZIP64_EOCD_SIZE > locator || u32(bytes, record) !== ZIP64_EOCD_SIG) {
      throw zipError(
        'CORRUPT_ZIP',
        source,
        'corrupt zip archive: the zip64 end-of-central-directory locator points nowhere',
      );
    }
    count = u64(bytes, record + 32);
    size = u64(bytes, record + 40);
    offset = u64(bytes, record + 48);
    end = record;
  } else if (count === 0xffff || size === MAX_32 || offset === MAX_32) {
    throw zipError(
      'CORRUPT_ZIP',
      source,
      'corrupt zip archive: zip64 sizes are announced but the zip64 record is missing',
    );
  }
  if (offset + size > end) {
    throw zipError(
      'CORRUPT_ZIP',
      source,
      `corrupt zip archive: the central directory (${size} bytes at ${offset}) overlaps its end record`,
    );
  }
  // Each header takes at least 46 bytes, so a larger count cannot be real.
  if (count * CENTRAL_HEADER_SIZE > size) {
    throw zipError(
      'CORRUPT_ZIP',
      source,
      `corrupt zip archive: ${count} entries cannot fit in a ${size}-byte central directory`,
    );
  }
  return { offset, size, count, end };
}

/** Applies a zip64 extra field to the 32-bit values that overflowed. */
function applyZip64(
  bytes: Uint8Array,
  extraStart: number,
  extraEnd: number,
  sizes: { size: number; compressedSize: number; localHeaderOffset: number },
): void {
  let at = extraStart;
  while (at + 4 <= extraEnd) {
    const id = u16(bytes, at);
    const length = u16(bytes, at + 2);
    const body = at + 4;
    if (body + length > extraEnd) return;
    if (id === EXTRA_ZIP64) {
      let field = body;
      const take = (): number => {
        if (field + 8 > body + length) return MAX_32;
        const value = u64(bytes, field);
        field += 8;
        return value;
      };
      // The zip64 field lists only the values whose 32-bit slot is 0xffffffff, in this order.
      if (sizes.size === MAX_32) sizes.size = take();
      if (sizes.compressedSize === MAX_32) sizes.compressedSize = take();
      if (sizes.localHeaderOffset === MAX_32) sizes.localHeaderOffset = take();
      return;
    }
    at = body + length;
  }
}

/** Reads the central directory and resolves each entry's data offset from its local header. */
export function readDirectory(bytes: Uint8Array, source: string): ZipEntryInfo[] {
  const location = locateDirectory(bytes, source);
  const entries: ZipEntryInfo[] = [];
  const seen = new Set<string>();
  let at = location.offset;
  const directoryEnd = location.offset + location.size;
  for (let i = 0; i < location.count; i++) {
    if (at + CENTRAL_HEADER_SIZE > directoryEnd || u32(bytes, at) !== CENTRAL_HEADER_SIG) {
      throw zipError(
        'CORRUPT_ZIP',
        source,
        `corrupt zip archive: central directory header ${i} is missing or damaged`,
      );
    }
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const sizes = {
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      localHeaderOffset: u32(bytes, at + 42),
    };
    const crc = u32(bytes, at + 16);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const nameStart = at + CENTRAL_HEADER_SIZE;
    const next = nameStart + nameLength + extraLength + commentLength;
    if (next > directoryEnd) {
      throw zipError(
        'CORRUPT_ZIP',
        source,
        `corrupt zip archive: central directory header ${i} runs past the directory`,
      );
    }
    const path = utf8.decode(bytes.subarray(nameStart, nameStart + nameLength));
    applyZip64(bytes, nameStart + nameLength, nameStart + nameLength + extraLength, sizes);
    if (flags & FLAG_ENCRYPTED)
      throw zipError('UNSUPPORTED_ZIP', source, 'encrypted entries are not supported', path);
    if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
      throw zipError(
        'UNSUPPORTED_ZIP',
        source,
        `compression method ${method} is not supported (only stored and deflate)`,
        path,
      );
    }
    if (seen.has(path))
      throw zipError('CORRUPT_ZIP', source, 'corrupt zip archive: the entry appears twice', path);
    seen.add(path);
    const dataOffset = resolveLocalHeader(bytes, source, path, sizes.localHeaderOffset, location.offset);
    if (dataOffset + sizes.compressedSize > location.offset) {
      throw zipError(
        'CORRUPT_ENTRY',
        source,
        `data (${sizes.compressedSize} bytes at ${dataOffset}) runs into the central directory`,
        path,
      );
    }
    entries.push({ path, method, crc32: crc, dataOffset, ...sizes });
    at = next;
  }
  return entries;
}

/** Checks the local header at `offset` and returns where the entry's data begins. */
function resolveLocalHeader(
  bytes: Uint8Array,
  source: string,
  path: string,
  offset: number,
  limit: number,
): number {
  if (offset + LOCAL_HEADER_SIZE > limit || u32(bytes, offset) !== LOCAL_HEADER_SIG) {
    throw zipError('CORRUPT_ENTRY', source, `no local header at offset ${offset}`, path);
  }
  const nameLength = u16(bytes, offset + 26);
  const extraLength = u16(bytes, offset + 28);
  const nameStart = offset + LOCAL_HEADER_SIZE;
  if (nameStart + nameLength + extraLength > limit) {
    throw zipError('CORRUPT_ENTRY', source, 'local header runs into the central directory', path);
  }
  const localName = utf8.decode(bytes.subarray(nameStart, nameStart + nameLength));
  if (localName !== path) {
    throw zipError('CORRUPT_ENTRY', source, `local header names '${localName}' instead`, path);
  }
  return nameStart + nameLength + extraLength;
}
