// Writing report files whole or not at all: into a temporary file beside the target, then renamed.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { TsFreezeError } from '../errors.js';

/** Writes `text` to `path` atomically; errors name the file. */
export function writeWhole(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new TsFreezeError('IO_ERROR', `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
