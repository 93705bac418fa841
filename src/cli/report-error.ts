// How an error reaches the user: known errors as `error: message` (exit 1), commander's own usage errors
// (already printed), anything else as an internal error with its stack (exit 2).

import { CommanderError } from './commander.js';
import { isTsFreezeError } from '../errors.js';
import type { CliIO } from './io.js';

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(error: unknown, io: CliIO): number {
  io.failed?.(error);
  if (error instanceof CommanderError) {
    // commander already printed its message; help/version exit 0.
    return error.exitCode === 0 ? 0 : 1;
  }
  if (isTsFreezeError(error)) {
    io.err(`error: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  io.err(`internal error (please report): ${message}\n`);
  return 2;
}
