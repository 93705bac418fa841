// Checks the CRC-32 of an archive's tensor records on a worker thread while the main thread compiles the
// code: the archive is read into shared memory, so the worker reads the same bytes without a copy. The
// loader waits for the result before it returns and reports a mismatch like the zip layer does.

import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import type { ZipArchive } from '../zip/read-archive.js';
import { zipError } from '../zip/zip-errors.js';
import { readWholeFile } from '../zip/read-file.js';

// Runs as CommonJS in the worker: one message per archive, results written into the shared state.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', ({ bytes, jobs, state }) => {
  const out = new Int32Array(state.buffer, state.byteOffset + 4, jobs.length / 2);
  for (let i = 0; i < jobs.length; i += 2) out[i / 2] = zlib.crc32(bytes.subarray(jobs[i], jobs[i] + jobs[i + 1]));
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});`;

let worker: Worker | null | undefined;

/**
 * Tensor data below this size is checked on the main thread: starting the worker costs ~30 ms of CPU
 * (a new isolate), what the native CRC-32 takes for ~100 MB; only past that does the overlap pay.
 */
export const BACKGROUND_MIN_BYTES = 256 << 20;

function crcWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    if (typeof (zlib as { crc32?: unknown }).crc32 !== 'function') throw new Error('no zlib.crc32');
    worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('error', () => {
      worker = null;
    });
  } catch {
    worker = null;
  }
  return worker;
}

/** Reads a whole file into a SharedArrayBuffer (so a worker can read it too); throws the OS error. */
export function readFileShared(path: string): Uint8Array {
  return readWholeFile(path, true);
}

/** A check running in the background; `wait` blocks until it is done and throws on a mismatch. */
export interface PendingCrcCheck {
  wait(): void;
}

/**
 * Starts checking the stored entries `names` of `archive` on the worker, or returns undefined when that is
 * not possible (bytes not in shared memory, no worker); the caller then checks them itself.
 */
export function startCrcCheck(
  archive: ZipArchive,
  names: readonly string[],
  minBytes = BACKGROUND_MIN_BYTES,
): PendingCrcCheck | undefined {
  if (!(archive.bytes.buffer instanceof SharedArrayBuffer) || names.length === 0) return undefined;
  const entries = names.map((n) => archive.entry(n)).filter((e) => e.method === 0);
  // Below that size the worker's start-up costs more than checking here.
  if (entries.reduce((n, e) => n + e.compressedSize, 0) < minBytes) return undefined;
  const w = crcWorker();
  if (!w) return undefined;
  const jobs = new Float64Array(entries.length * 2);
  entries.forEach((e, i) => {
    jobs[2 * i] = e.dataOffset;
    jobs[2 * i + 1] = e.compressedSize;
  });
  const state = new Int32Array(new SharedArrayBuffer(4 * (1 + entries.length)));
  w.postMessage({ bytes: archive.bytes, jobs, state });
  return {
    wait(): void {
      // A minute is far beyond any real archive; past it, check on this thread instead of hanging.
      if (Atomics.wait(state, 0, 0, 60_000) === 'timed-out' && Atomics.load(state, 0) === 0) {
        for (const e of entries) archive.read(relative(archive, e.path));
        return;
      }
      entries.forEach((e, i) => {
        const actual = state[1 + i] >>> 0;
        if (actual !== e.crc32) {
          const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
          throw zipError(
            'CORRUPT_ENTRY',
            archive.source,
            `CRC-32 mismatch (recorded ${hex(e.crc32)}, computed ${hex(actual)}): the file is corrupt`,
            relative(archive, e.path),
          );
        }
      });
    },
  };
}

function relative(archive: ZipArchive, path: string): string {
  return archive.folder && path.startsWith(`${archive.folder}/`)
    ? path.slice(archive.folder.length + 1)
    : path;
}
