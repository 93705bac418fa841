// Writes .pt zip archives the way PyTorch's writer lays them out: every entry under one top folder, each
// entry's data aligned to 64 bytes through an 'FB' padding extra field, code stored deflated, zip64 end records.

import { basename } from 'node:path';
import { writeFileAtomic } from '../../atomic-file.js';
import { deflateSync } from 'fflate';
import { crc32 } from './crc32.js';
import { zipError } from './zip-errors.js';
import {
  CENTRAL_HEADER_SIG,
  CENTRAL_HEADER_SIZE,
  DATA_ALIGNMENT,
  EOCD_SIG,
  EOCD_SIZE,
  EXTRA_PADDING_FB,
  EXTRA_ZIP64,
  FLAG_UTF8,
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

/** One file to put in the archive. */
export interface ArchiveEntry {
  /** Path relative to the archive folder: `data.pkl`, `data/0`, `code/__torch__.py`, `version`. */
  readonly name: string;
  /** Content; strings are written as UTF-8. */
  readonly data: Uint8Array | string;
  /**
   * Deflate this entry. Default: true for `code/` files and `.debug_pkl` files, false otherwise (storages
   * and pickles stay stored so they can be mapped). A deflated entry that would not shrink is stored.
   */
  readonly compress?: boolean;
}

/** Options of {@link buildArchive} and {@link writeArchiveAtomic}. */
export interface WriteArchiveOptions {
  /** Top folder of every entry. Default: `archive` in memory, the file's stem on disk (`model.pt` -> `model`). */
  readonly folder?: string;
}

const utf8 = new TextEncoder();
const SOURCE = '<archive writer>';

/** An entry laid out: its local header (with padding) and its data, plus what the central directory needs. */
interface Laid {
  readonly path: Uint8Array;
  readonly header: Uint8Array;
  readonly data: Uint8Array;
  readonly method: number;
  readonly crc: number;
  readonly size: number;
  readonly offset: number;
}

/** The folder name PyTorch derives from a file path: the base name without its last extension. */
export function archiveFolderFor(path: string): string {
  const base = basename(path);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem === '' ? 'archive' : stem;
}

/** True for entries PyTorch deflates: TorchScript source and its debug pickles. */
export function isCompressedByDefault(name: string): boolean {
  return name.startsWith('code/') || name.endsWith('.debug_pkl');
}

function checkName(name: string): void {
  const bad =
    name === '' ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    name.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad)
    throw zipError('BAD_ENTRY_NAME', SOURCE, `bad entry name '${name}': use a relative path like 'data/0'`);
}

function checkFolder(folder: string): void {
  if (folder === '' || folder.includes('/') || folder.includes('\\') || folder === '.' || folder === '..') {
    throw zipError(
      'BAD_ENTRY_NAME',
      SOURCE,
      `bad archive folder '${folder}': use one path component like 'model'`,
    );
  }
}

/** Lays out every entry (headers, compression, CRCs, offsets) and returns the chunks of the whole file in order. */
function layOut(entries: readonly ArchiveEntry[], folder: string): Uint8Array[] {
  checkFolder(folder);
  const seen = new Set<string>();
  const laid: Laid[] = [];
  let offset = 0;
  for (const entry of entries) {
    checkName(entry.name);
    if (seen.has(entry.name))
      throw zipError('BAD_ENTRY_NAME', SOURCE, `entry '${entry.name}' is given twice`);
    seen.add(entry.name);
    const content = typeof entry.data === 'string' ? utf8.encode(entry.data) : entry.data;
    if (content.length >= MAX_32) {
      throw zipError(
        'WRITE_FAILED',
        SOURCE,
        `entries of 4 GiB or more are not supported (${content.length} bytes)`,
        entry.name,
      );
    }
    const path = utf8.encode(`${folder}/${entry.name}`);
    if (path.length > 0xffff)
      throw zipError('BAD_ENTRY_NAME', SOURCE, 'entry name is longer than 65535 bytes', entry.name);
    let data = content;
    let method = METHOD_STORED;
    if (entry.compress ?? isCompressedByDefault(entry.name)) {
      const deflated = deflateSync(content, { level: 6 });
      if (deflated.length < content.length) {
        data = deflated;
        method = METHOD_DEFLATE;
      }
    }
    const crc = crc32(content);
    const header = localHeader(path, method, crc, data.length, content.length, offset);
    laid.push({ path, header, data, method, crc, size: content.length, offset });
    offset += header.length + data.length;
  }
  const chunks: Uint8Array[] = [];
  for (const entry of laid) chunks.push(entry.header, entry.data);
  const directoryOffset = offset;
  let directorySize = 0;
  for (const entry of laid) {
    const header = centralHeader(entry);
    chunks.push(header);
    directorySize += header.length;
  }
  chunks.push(endRecords(laid.length, directoryOffset, directorySize));
  return chunks;
}

/** Local header with sizes known up front and an 'FB' extra field padding the data start to 64 bytes. */
function localHeader(
  path: Uint8Array,
  method: number,
  crc: number,
  compressed: number,
  size: number,
  offset: number,
): Uint8Array {
  const unpadded = offset + LOCAL_HEADER_SIZE + path.length + 4;
  const padding = (DATA_ALIGNMENT - (unpadded % DATA_ALIGNMENT)) % DATA_ALIGNMENT;
  const extraLength = 4 + padding;
  const out = new Uint8Array(LOCAL_HEADER_SIZE + path.length + extraLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, LOCAL_HEADER_SIG, true);
  view.setUint16(4, method === METHOD_DEFLATE ? 20 : 0, true); // version needed, as PyTorch writes it
  view.setUint16(6, FLAG_UTF8, true);
  view.setUint16(8, method, true);
  // Time and date stay 0, as in PyTorch's archives, so output is reproducible.
  view.setUint32(14, crc, true);
  view.setUint32(18, compressed, true);
  view.setUint32(22, size, true);
  view.setUint16(26, path.length, true);
  view.setUint16(28, extraLength, true);
  out.set(path, LOCAL_HEADER_SIZE);
  const extra = LOCAL_HEADER_SIZE + path.length;
  view.setUint16(extra, EXTRA_PADDING_FB, true);
  view.setUint16(extra + 2, padding, true);
  out.fill(0x5a, extra + 4); // 'Z', PyTorch's filler byte
  return out;
}

/** Central directory header; a zip64 extra field carries the local header offset once it passes 4 GiB. */
function centralHeader(entry: Laid): Uint8Array {
  const needs64 = entry.offset >= MAX_32;
  const extraLength = needs64 ? 12 : 0;
  const out = new Uint8Array(CENTRAL_HEADER_SIZE + entry.path.length + extraLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, CENTRAL_HEADER_SIG, true);
  view.setUint16(4, needs64 ? 45 : 0, true); // version made by
  view.setUint16(6, needs64 ? 45 : entry.method === METHOD_DEFLATE ? 20 : 0, true); // version needed
  view.setUint16(8, FLAG_UTF8, true);
  view.setUint16(10, entry.method, true);
  view.setUint32(16, entry.crc, true);
  view.setUint32(20, entry.data.length, true);
  view.setUint32(24, entry.size, true);
  view.setUint16(28, entry.path.length, true);
  view.setUint16(30, extraLength, true);
  view.setUint32(42, needs64 ? MAX_32 : entry.offset, true);
  out.set(entry.path, CENTRAL_HEADER_SIZE);
  if (needs64) {
    const extra = CENTRAL_HEADER_SIZE + entry.path.length;
    view.setUint16(extra, EXTRA_ZIP64, true);
    view.setUint16(extra + 2, 8, true);
    view.setBigUint64(extra + 4, BigInt(entry.offset), true);
  }
  return out;
}

/** Zip64 end record, its locator and the classic end record (PyTorch always writes all three). */
function endRecords(count: number, directoryOffset: number, directorySize: number): Uint8Array {
  const out = new Uint8Array(ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE + EOCD_SIZE);
  const view = new DataView(out.buffer);
  const zip64At = directoryOffset + directorySize;
  view.setUint32(0, ZIP64_EOCD_SIG, true);
  view.setBigUint64(4, BigInt(ZIP64_EOCD_SIZE - 12), true);
  view.setUint16(12, 45, true);
  view.setUint16(14, 45, true);
  view.setBigUint64(24, BigInt(count), true);
  view.setBigUint64(32, BigInt(count), true);
  view.setBigUint64(40, BigInt(directorySize), true);
  view.setBigUint64(48, BigInt(directoryOffset), true);
  const locator = ZIP64_EOCD_SIZE;
  view.setUint32(locator, ZIP64_LOCATOR_SIG, true);
  view.setBigUint64(locator + 8, BigInt(zip64At), true);
  view.setUint32(locator + 16, 1, true);
  const eocd = locator + ZIP64_LOCATOR_SIZE;
  view.setUint32(eocd, EOCD_SIG, true);
  view.setUint16(eocd + 8, Math.min(count, 0xffff), true);
  view.setUint16(eocd + 10, Math.min(count, 0xffff), true);
  view.setUint32(eocd + 12, Math.min(directorySize, MAX_32), true);
  view.setUint32(eocd + 16, Math.min(directoryOffset, MAX_32), true);
  return out;
}

/** Builds a whole archive in memory. Entries keep the given order; throws BAD_ENTRY_NAME on bad or duplicate names. */
export function buildArchive(
  entries: readonly ArchiveEntry[],
  options: WriteArchiveOptions = {},
): Uint8Array {
  const chunks = layOut(entries, options.folder ?? 'archive');
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Writes an archive to `path` atomically: into a temporary file in the same folder, flushed, then renamed
 * over `path`. On any failure the temporary file is removed and `path` is left as it was (WRITE_FAILED).
 */
export function writeArchiveAtomic(
  path: string,
  entries: readonly ArchiveEntry[],
  options: WriteArchiveOptions = {},
): void {
  // Lay out first: a bad entry fails before anything touches the disk.
  const chunks = layOut(entries, options.folder ?? archiveFolderFor(path));
  try {
    writeFileAtomic(path, chunks);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw zipError(
      'WRITE_FAILED',
      path,
      `cannot write the archive (${why}); the file was not changed`,
      undefined,
      cause,
    );
  }
}
