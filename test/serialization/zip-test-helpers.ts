// Shared helpers for the zip and pickle tests: the fixture archives, and running Debian's python3 + torch for cross-checks.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { TsFreezeError } from '../../src/errors.js';

/** test/fixtures, found from the compiled file (dist/test/serialization/*.js). */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** One .pt archive among the fixtures. */
export interface FixtureArchive {
  readonly caseName: string;
  /** `module.pt` or `frozen.pt`. */
  readonly file: string;
  readonly path: string;
  /** `module/` or `frozen/`: the folder PyTorch named after the file. */
  readonly folder: string;
}

/** Every module.pt and frozen.pt under test/fixtures, in a stable order. */
export function fixtureArchives(): FixtureArchive[] {
  const out: FixtureArchive[] = [];
  for (const caseName of readdirSync(FIXTURES).sort()) {
    for (const file of ['module.pt', 'frozen.pt']) {
      const path = join(FIXTURES, caseName, file);
      if (existsSync(path)) out.push({ caseName, file, path, folder: file.replace(/\.pt$/, '') });
    }
  }
  return out;
}

const PYTHON = '/usr/bin/python3';
let torchAvailable: boolean | undefined;

/** True when /usr/bin/python3 can import torch (checked once). */
export function pythonHasTorch(): boolean {
  if (torchAvailable === undefined) {
    const result = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    torchAvailable = result.status === 0;
  }
  return torchAvailable;
}

/** Runs a python program with arguments; returns stdout, or fails the test with stderr. */
export function runPython(program: string, args: readonly string[] = []): string {
  const result = spawnSync(PYTHON, ['-c', program, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`python failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** Asserts that `run` throws a TsFreezeError with `code` whose message contains every `words`; returns it. */
export function expectCode(run: () => unknown, code: string, ...words: string[]): TsFreezeError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${code} error`).to.be.instanceOf(TsFreezeError);
  const error = caught as TsFreezeError;
  expect(error.code, error.message).to.equal(code);
  for (const word of words) expect(error.message).to.contain(word);
  return error;
}

/** A deterministic xorshift byte generator, so random-input tests are reproducible. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
