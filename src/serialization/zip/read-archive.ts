// Reads a whole .pt archive (the zip torch.jit.save / torch.save write) into a ZipArchive: entries addressed
// relative to the archive's top folder, inflated on demand, CRC-32 checked on every read.

import { inflateRawSync } from 'node:zlib';
import { checkLimit, currentLimits, LimitError } from '../../limits.js';
import { crc32 } from './crc32.js';
import { readDirectory, type ZipEntryInfo } from './zip-directory.js';
import { zipError } from './zip-errors.js';
import { METHOD_STORED } from './zip-format.js';
import { readWholeFile } from './read-file.js';

export type { ZipEntryInfo } from './zip-directory.js';

/** Options of {@link readArchive}. */
export interface ReadArchiveOptions {
  /** Name used in error messages when reading from bytes (default `<buffer>`). */
  readonly name?: string;
  /** Fail with MISSING_ENTRY unless the archive has `data.pkl` (default true, as every .pt has one). */
  readonly requireDataPkl?: boolean;
  /** Inflate and CRC-check every entry now instead of on first read (default false). */
  readonly verify?: boolean;
}

/** Deflate cannot expand data by more than ~1032:1; a larger declared ratio is a corrupt (or hostile) header. */
const MAX_DEFLATE_RATIO = 1032;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A read-only view of a .pt zip archive held in memory. */
export class ZipArchive {
  /** Top-level folder every PyTorch entry lives under (`module`, `frozen`, `archive`, ...); '' when entries are at the root. */
  readonly folder: string;
  private readonly byPath = new Map<string, ZipEntryInfo>();
  private readonly verified = new Set<string>();

  /** Prefer {@link readArchive}; the constructor trusts that `entries` came from `bytes`. */
  constructor(
    /** File path or `<buffer>`: what error messages name. */
    readonly source: string,
    readonly bytes: Uint8Array,
    private readonly all: readonly ZipEntryInfo[],
  ) {
    for (const entry of all) this.byPath.set(entry.path, entry);
    this.folder = detectFolder(all);
  }

  /** Every entry in central-directory order, with full paths. */
  entries(): readonly ZipEntryInfo[] {
    return this.all;
  }

  /** Names of the entries under the archive folder, relative to it (`data.pkl`, `code/__torch__.py`, `data/0`). */
  names(): string[] {
    const out: string[] = [];
    for (const entry of this.all) {
      const name = this.relativeName(entry.path);
      if (name !== undefined && name !== '' && !name.endsWith('/')) out.push(name);
    }
    return out;
  }

  /** Relative names starting with `prefix` (`list('code/')`, `list('data/')`), in archive order. */
  list(prefix = ''): string[] {
    return this.names().filter((name) => name.startsWith(prefix));
  }

  /** True when the archive has `name` (relative to the folder). */
  has(name: string): boolean {
    return this.byPath.has(this.fullPath(name));
  }

  /** The entry `name` (relative to the folder); throws MISSING_ENTRY when absent. */
  entry(name: string): ZipEntryInfo {
    const entry = this.byPath.get(this.fullPath(name));
    if (!entry)
      throw zipError('MISSING_ENTRY', this.source, `the archive has no entry '${this.fullPath(name)}'`, name);
    return entry;
  }

  /**
   * The uncompressed bytes of `name`, CRC-checked. Stored entries are returned as a view of the archive
   * buffer (no copy): treat the result as read-only.
   */
  read(name: string): Uint8Array {
    const entry = this.entry(name);
    const data = this.extract(entry, name);
    if (!this.verified.has(entry.path)) {
      const actual = crc32(data);
      if (actual !== entry.crc32) {
        throw zipError(
          'CORRUPT_ENTRY',
          this.source,
          `CRC-32 mismatch (recorded ${hex(entry.crc32)}, computed ${hex(actual)}): the file is corrupt`,
          name,
        );
      }
      this.verified.add(entry.path);
    }
    return data;
  }

  /** The bytes of `name`, or undefined when the archive has no such entry. */
  tryRead(name: string): Uint8Array | undefined {
    return this.has(name) ? this.read(name) : undefined;
  }

  /** The UTF-8 text of `name` (code files, `version`). */
  readText(name: string): string {
    const bytes = this.read(name);
    try {
      return utf8.decode(bytes);
    } catch (cause) {
      throw zipError('CORRUPT_ENTRY', this.source, 'is not valid UTF-8 text', name, cause);
    }
  }

  /** Reads every entry once, so a corrupt byte anywhere is reported now. */
  verify(): void {
    for (const entry of this.all) {
      if (entry.path.endsWith('/')) continue;
      this.read(this.relativeName(entry.path) ?? entry.path);
    }
  }

  /** `name` relative to the folder, or undefined for an entry outside it. */
  private relativeName(path: string): string | undefined {
    if (this.folder === '') return path;
    return path.startsWith(`${this.folder}/`) ? path.slice(this.folder.length + 1) : undefined;
  }

  private fullPath(name: string): string {
    return this.folder === '' ? name : `${this.folder}/${name}`;
  }

  private extract(entry: ZipEntryInfo, name: string): Uint8Array {
    const raw = this.bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    if (entry.method === METHOD_STORED) {
      if (entry.size !== entry.compressedSize) {
        throw zipError(
          'CORRUPT_ENTRY',
          this.source,
          `stored entry declares ${entry.size} bytes but holds ${entry.compressedSize}`,
          name,
        );
      }
      return raw;
    }
    if (impossibleSize(entry)) {
      throw zipError(
        'CORRUPT_ENTRY',
        this.source,
        `declared size ${entry.size} is impossible for ${entry.compressedSize} deflated bytes`,
        name,
      );
    }
    let out: Uint8Array;
    try {
      // Node's native inflate (code files and pickles are deflated; a JS inflater was a tenth of the load
      // time), stopping past the declared size instead of inflating a bomb.
      out = raw.length === 0 && entry.size === 0 ? raw : inflateRawSync(raw, inflateOptions(entry.size));
    } catch (cause) {
      if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw zipError(
          'CORRUPT_ENTRY',
          this.source,
          `inflates to more than ${entry.size} bytes, expected ${entry.size}`,
          name,
          cause,
        );
      }
      const why = cause instanceof Error ? cause.message : String(cause);
      throw zipError('CORRUPT_ENTRY', this.source, `deflate data is corrupt (${why})`, name, cause);
    }
    if (out.length !== entry.size) {
      throw zipError(
        'CORRUPT_ENTRY',
        this.source,
        `inflates to ${out.length} bytes, expected ${entry.size}`,
        name,
      );
    }
    return out;
  }
}

// One output chunk of the declared size where that is small (no concatenation), at most 1 MiB a chunk.
function inflateOptions(size: number): { maxOutputLength: number; chunkSize: number } {
  return { maxOutputLength: Math.max(size, 1), chunkSize: Math.min(Math.max(size, 64), 1 << 20) };
}

function impossibleSize(entry: ZipEntryInfo): boolean {
  return entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 64;
}

/** The folder holding `data.pkl` (PyTorch's layout), else the first entry's top folder, else ''. */
function detectFolder(entries: readonly ZipEntryInfo[]): string {
  for (const entry of entries) {
    const match = /^([^/]+)\/data\.pkl$/.exec(entry.path);
    if (match) return match[1];
  }
  if (entries.some((entry) => entry.path === 'data.pkl')) return '';
  const first = entries[0]?.path ?? '';
  const slash = first.indexOf('/');
  return slash > 0 ? first.slice(0, slash) : '';
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** Reads a file, turning OS errors into SerializationErrors that name the path. */
function readSource(path: string): Uint8Array {
  try {
    // The size is checked before reading: a huge file is refused by name, not by an allocation failure.
    return readWholeFile(path, false);
  } catch (cause) {
    if (cause instanceof LimitError) throw cause;
    const code = (cause as { code?: unknown }).code;
    const why = cause instanceof Error ? cause.message : String(cause);
    if (code === 'ENOENT') throw zipError('FILE_NOT_FOUND', path, 'no such file', undefined, cause);
    throw zipError('IO_ERROR', path, `cannot read the file (${why})`, undefined, cause);
  }
}

/**
 * Opens a .pt archive from a file path or from bytes. Parses the central directory now (fast, bounded:
 * garbage fails in microseconds) and inflates/CRC-checks entries when they are read.
 * Throws SerializationError: NOT_A_ZIP, TRUNCATED, CORRUPT_ZIP, CORRUPT_ENTRY, UNSUPPORTED_ZIP,
 * MISSING_ENTRY (no data.pkl), FILE_NOT_FOUND, IO_ERROR.
 */
export function readArchive(source: string | Uint8Array, options: ReadArchiveOptions = {}): ZipArchive {
  const name = typeof source === 'string' ? source : (options.name ?? '<buffer>');
  const bytes = typeof source === 'string' ? readSource(source) : source;
  checkLimit('maxArchiveBytes', bytes.length, `${name}: the archive`);
  const archive = new ZipArchive(name, bytes, readDirectory(bytes, name));
  checkInflatedSize(archive, bytes.length);
  if ((options.requireDataPkl ?? true) && !archive.has('data.pkl')) {
    const where = archive.folder === '' ? 'data.pkl' : `${archive.folder}/data.pkl`;
    throw zipError('MISSING_ENTRY', name, `not a PyTorch archive: no '${where}' entry`, 'data.pkl');
  }
  if (options.verify) archive.verify();
  return archive;
}

/**
 * Refuses archives whose compressed entries declare more inflated bytes than the limits allow (a zip bomb),
 * before anything is inflated; inflating checks that each entry holds exactly what it declares.
 */
function checkInflatedSize(archive: ZipArchive, fileBytes: number): void {
  let inflated = 0;
  for (const entry of archive.entries()) {
    // An impossible declared size is reported as CORRUPT_ENTRY when the entry is read.
    if (entry.method !== METHOD_STORED && !impossibleSize(entry)) inflated += entry.size;
  }
  checkLimit(
    'maxDecompressedBytes',
    inflated,
    `${archive.source}: the compressed entries inflate to ${inflated} bytes`,
  );
  const allowed = currentLimits().maxExpansionRatio * fileBytes + 1024 ** 2;
  if (inflated > allowed) {
    throw new LimitError(
      'maxExpansionRatio',
      Math.round(inflated / Math.max(1, fileBytes)),
      `${archive.source}: ${fileBytes} bytes of archive inflate to ${inflated} bytes`,
    );
  }
}
