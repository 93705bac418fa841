// Writing report files whole or not at all (writeFileAtomic: a temporary file beside the target, renamed;
// a symbolic link is written through; temporary files of killed runs are removed; errors are IO_ERROR).

import { writeFileAtomic } from '../atomic-file.js';

/** Writes `text` to `path` atomically; errors name the file. */
export function writeWhole(path: string, text: string): void {
  writeFileAtomic(path, [text]);
}
