// What CLI commands share: the output streams and reading model files with errors that name the file.

import { TsFreezeError } from '../errors.js';
import type { ScriptModule } from '../module/script-module.js';
import { loadModule } from '../serialization/index.js';

/** What a subcommand needs to print; tests pass buffers instead of the process streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Called with the error a command failed with, before it is printed (embedders, the fuzzer). */
  readonly failed?: (error: unknown) => void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Loads a .pt file; any failure is a TsFreezeError that names the file. */
export function loadModelFile(path: string): ScriptModule {
  try {
    return loadModule(path);
  } catch (error) {
    if (error instanceof TsFreezeError) {
      if (error.message.includes(path)) throw error;
      throw new TsFreezeError(error.code, `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
