// Errors of the .pt loader: SerializationErrors with a stable code whose message names the archive and entry.

import { SerializationError } from '../../errors.js';

/** Stable codes of the loader's own errors (the zip, pickle and source layers add theirs). */
export type LoadErrorCode =
  | 'UNSUPPORTED_VERSION'
  | 'MISSING_CODE'
  | 'UNKNOWN_TYPE'
  | 'BAD_OBJECT'
  | 'BAD_CONSTANTS'
  | 'UNSUPPORTED_ARCHIVE'
  | 'RECURSIVE_CALL';

/** `<archive>: entry '<entry>': <what>` (or without the entry). */
export function loadError(
  code: LoadErrorCode,
  source: string,
  what: string,
  entry?: string,
  cause?: unknown,
): SerializationError {
  const where = entry === undefined ? source : `${source}: entry '${entry}'`;
  return new SerializationError(code, `${where}: ${what}`, cause === undefined ? undefined : { cause });
}
