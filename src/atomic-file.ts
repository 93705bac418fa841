// Writing output files atomically: into a temporary file beside the target, flushed, then renamed over
// it, so a failure or a kill never leaves a partial output. Temporary files left by killed runs are
// removed by the next write to the same folder; a symbolic link is written through, as `cp` does.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { TsFreezeError } from './errors.js';

/** The most bytes one write is given (fs writes refuse more than 2 GiB - 1). */
const WRITE_PIECE = 1 << 30;

/**
 * Writes `chunks` to `path` atomically. On failure the temporary file is removed, `path` is left as it
 * was, and the error is a TsFreezeError IO_ERROR naming the file (the system error is its cause).
 */
export function writeFileAtomic(path: string, chunks: readonly (Uint8Array | string)[]): void {
  const target = throughLinks(path);
  removeStaleTemps(target);
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    for (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let done = 0;
      // One write takes at most 2 GiB - 1 bytes; a frozen model's tensor data can be larger (vit_h_14, 2.5 GB).
      while (done < bytes.length)
        done += writeSync(fd, bytes, done, Math.min(bytes.length - done, WRITE_PIECE));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already failing: the original error is the one to report.
      }
    }
    try {
      unlinkSync(temp);
    } catch {
      // The temporary file may never have been created.
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new TsFreezeError('IO_ERROR', `cannot write ${path}: ${why}; the file was not changed`, {
      cause: error,
    });
  }
}

// The file a path names once symbolic links are followed (also a dangling link's target).
function throughLinks(path: string): string {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    let isLink = false;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return current;
    }
    if (!isLink) return current;
    try {
      return realpathSync(current);
    } catch {
      current = resolve(dirname(current), readlinkSync(current));
    }
  }
  return current;
}

const TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

// Removes `.NAME.PID.HEX.tmp` files of `target`'s name whose writing process is gone (a killed run).
function removeStaleTemps(target: string): void {
  const dir = dirname(target);
  const name = basename(target);
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  for (const file of files) {
    const m = TEMP.exec(file);
    if (!m || m[1] !== name || isAlive(Number(m[2]))) continue;
    try {
      unlinkSync(join(dir, file));
    } catch {
      // Someone else removed it, or it is not ours to remove: leave it.
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
