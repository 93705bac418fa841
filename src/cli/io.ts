// What CLI commands share: the output streams and reading model files with errors that name the file.

import { TsFreezeError } from '../errors.js';
import type { ScriptModule } from '../module/script-module.js';
import { loadModule } from '../serialization/index.js';

export { processIO, type CliIO } from './process-io.js';

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
