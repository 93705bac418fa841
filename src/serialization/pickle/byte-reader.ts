// A bounds-checked cursor over pickle bytes: fixed-width little-endian numbers, length-prefixed blobs
// (refused when the declared length exceeds what remains) and protocol-0 text lines.

import { pickleError } from './pickle-errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Reads a pickle stream front to back; every read past the end throws TRUNCATED or BAD_LENGTH. */
export class ByteReader {
  position = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  get atEnd(): boolean {
    return this.position >= this.bytes.length;
  }

  /** Ensures `count` more bytes exist for the argument of the opcode at `opcodeOffset`. */
  private need(count: number, what: string, opcodeOffset: number): void {
    if (count > this.remaining) {
      throw pickleError(
        'TRUNCATED',
        this.source,
        `truncated pickle: ${what} needs ${count} bytes, ${this.remaining} left`,
        opcodeOffset,
      );
    }
  }

  u8(what: string, at: number): number {
    this.need(1, what, at);
    return this.bytes[this.position++];
  }

  u16(what: string, at: number): number {
    this.need(2, what, at);
    const value = this.view.getUint16(this.position, true);
    this.position += 2;
    return value;
  }

  i32(what: string, at: number): number {
    this.need(4, what, at);
    const value = this.view.getInt32(this.position, true);
    this.position += 4;
    return value;
  }

  u32(what: string, at: number): number {
    this.need(4, what, at);
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  /** An unsigned 64-bit length; values past 2^53 are reported as too long rather than rounded. */
  u64(what: string, at: number): number {
    this.need(8, what, at);
    const value = this.view.getBigUint64(this.position, true);
    this.position += 8;
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
  }

  /** A big-endian IEEE double (BINFLOAT). */
  f64be(what: string, at: number): number {
    this.need(8, what, at);
    const value = this.view.getFloat64(this.position, false);
    this.position += 8;
    return value;
  }

  /** `length` raw bytes (a view, no copy); a declared length beyond the input is BAD_LENGTH. */
  take(length: number, what: string, at: number): Uint8Array {
    if (length < 0 || length > this.remaining) {
      throw pickleError(
        'BAD_LENGTH',
        this.source,
        `${what} declares ${length} bytes but only ${this.remaining} remain (truncated or corrupt pickle)`,
        at,
      );
    }
    const out = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return out;
  }

  /** UTF-8 text of `length` bytes. */
  utf8(length: number, what: string, at: number): string {
    return utf8.decode(this.take(length, what, at));
  }

  /** A protocol-0 argument line without its newline, decoded as latin-1. */
  line(what: string, at: number): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0)
      throw pickleError('TRUNCATED', this.source, `truncated pickle: ${what} has no terminating newline`, at);
    const out = latin1(this.bytes.subarray(this.position, end));
    this.position = end + 1;
    return out;
  }
}

/** Bytes to a string of the same code units (latin-1). */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** A little-endian two's complement integer (LONG1/LONG4), as a number when safe, else a bigint. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += bytes[i].toString(16).padStart(2, '0');
  let value = BigInt(`0x${hex}`);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return normalizeInt(value);
}

/** A bigint as a number when it is within the safe integer range. */
export function normalizeInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}
