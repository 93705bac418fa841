// Reading a whole .pt file: its size is checked against maxArchiveBytes before anything is allocated,
// and it is read in pieces, because one fs read (and readFileSync) stops at 2 GiB while real models
// are larger (torchvision's regnet_y_128gf and vit_h_14 archives are 2.5-2.6 GB).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { checkLimit } from '../../limits.js';

/** The most bytes one read asks for (fs reads refuse more than 2 GiB - 1). */
export const READ_PIECE_BYTES = 1 << 30;

/**
 * The bytes of the file at `path`, in a SharedArrayBuffer when `shared` (so a worker can read them too).
 * Throws LimitError for a file over maxArchiveBytes (before reading it) and the OS error otherwise.
 */
export function readWholeFile(path: string, shared: boolean, pieceBytes = READ_PIECE_BYTES): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    checkLimit('maxArchiveBytes', size, `${path}: the file`);
    const bytes = new Uint8Array(shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
    for (let done = 0; done < size;) {
      const n = readSync(fd, bytes, done, Math.min(size - done, pieceBytes), done);
      if (n === 0) return bytes.subarray(0, done); // the file shrank while we read it
      done += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}
