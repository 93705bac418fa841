// Factories for the zip layer's SerializationErrors: one stable code each, and a message naming the file and entry.

import { SerializationError } from '../../errors.js';

/** Stable codes of the errors the zip layer throws. */
export type ZipErrorCode =
  | 'NOT_A_ZIP'
  | 'TRUNCATED'
  | 'CORRUPT_ZIP'
  | 'CORRUPT_ENTRY'
  | 'MISSING_ENTRY'
  | 'UNSUPPORTED_ZIP'
  | 'FILE_NOT_FOUND'
  | 'IO_ERROR'
  | 'BAD_ENTRY_NAME'
  | 'WRITE_FAILED';

/** A SerializationError whose message reads `<source>: <what>` or `<source>: entry '<name>': <what>`. */
export function zipError(
  code: ZipErrorCode,
  source: string,
  what: string,
  entry?: string,
  cause?: unknown,
): SerializationError {
  const where = entry === undefined ? source : `${source}: entry '${entry}'`;
  return new SerializationError(code, `${where}: ${what}`, cause === undefined ? undefined : { cause });
}
