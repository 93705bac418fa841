// Factories for the pickle layer's SerializationErrors: one stable code each; messages name the pickle and the byte offset.

import { SerializationError } from '../../errors.js';

/** Stable codes of the errors the unpickler and pickler throw. */
export type PickleErrorCode =
  | 'FORBIDDEN_GLOBAL'
  | 'UNKNOWN_OPCODE'
  | 'TRUNCATED'
  | 'BAD_LENGTH'
  | 'TOO_DEEP'
  | 'CYCLIC_PICKLE'
  | 'BAD_PICKLE'
  | 'UNSUPPORTED_PICKLE'
  | 'BAD_PERSISTENT_ID'
  | 'BAD_TENSOR'
  | 'UNPICKLABLE';

/** A SerializationError reading `<source>: <what>` or `<source> at byte <offset>: <what>`. */
export function pickleError(
  code: PickleErrorCode,
  source: string,
  what: string,
  offset?: number,
  cause?: unknown,
): SerializationError {
  const where = offset === undefined ? source : `${source} at byte ${offset}`;
  return new SerializationError(code, `${where}: ${what}`, cause === undefined ? undefined : { cause });
}
