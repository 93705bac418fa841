// The fuzz corpus: minimal reproducers under test/fuzz-corpus/<target>/, each with an expectation in
// test/fuzz-corpus/expectations.json (what it must do now that it is fixed). Large text reproducers are
// stored gzipped (`.gz`), which the replay reads transparently.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { TARGET_NAMES, type TargetName } from './targets.js';

export const CORPUS_DIR = join(REPO_ROOT, 'test/fuzz-corpus');
const EXPECTATIONS = join(CORPUS_DIR, 'expectations.json');

/**
 * What a corpus case must do: succeed (`ok`), fail with a typed error (`error`, optionally with its code,
 * the limit it names and words of the message), or anything but a crash (`no-crash`).
 */
export interface Expectation {
  readonly expect: 'ok' | 'error' | 'no-crash';
  readonly code?: string;
  readonly limit?: string;
  readonly words?: readonly string[];
  /** What the case reproduces (issue item, or the fuzzer's signature). */
  readonly why: string;
  readonly seed?: number;
  readonly index?: number;
}

export interface CorpusCase {
  readonly name: string;
  readonly target: TargetName;
  readonly data: Uint8Array | string;
  readonly expectation: Expectation | undefined;
}

const EXTENSION: Record<TargetName, string> = {
  pt: '.pt',
  ir: '.ir',
  pipeline: '.txt',
  'pipeline-json': '.json',
  npy: '.npy',
};
const BINARY = new Set<TargetName>(['pt', 'npy']);

function readExpectations(): Record<string, Expectation> {
  return existsSync(EXPECTATIONS)
    ? (JSON.parse(readFileSync(EXPECTATIONS, 'utf8')) as Record<string, Expectation>)
    : {};
}

/** Every corpus case, target by target, in name order. */
export function readCorpus(): CorpusCase[] {
  const expectations = readExpectations();
  const out: CorpusCase[] = [];
  for (const target of TARGET_NAMES) {
    const dir = join(CORPUS_DIR, target);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      const name = `${target}/${file}`;
      let bytes: Uint8Array = readFileSync(join(dir, file));
      if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
      const data = BINARY.has(target) ? bytes : new TextDecoder().decode(bytes);
      out.push({ name, target, data, expectation: expectations[name] });
    }
  }
  return out;
}

/** Saves a reproducer found by the fuzzer; expects no crash once fixed. Returns its corpus name. */
export function saveReproducer(
  target: TargetName,
  data: Uint8Array | string,
  found: { verdict: string; signature: string; seed: number; index: number },
): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const hash = createHash('sha1').update(bytes).digest('hex').slice(0, 10);
  const big = bytes.length > 64 * 1024;
  const file = `found-${found.verdict}-${hash}${EXTENSION[target]}${big ? '.gz' : ''}`;
  mkdirSync(join(CORPUS_DIR, target), { recursive: true });
  writeFileSync(join(CORPUS_DIR, target, file), big ? gzipSync(bytes, { level: 9 }) : bytes);
  const expectations = readExpectations();
  const name = `${target}/${file}`;
  expectations[name] = {
    expect: 'no-crash',
    why: `${found.verdict}: ${found.signature}`,
    seed: found.seed,
    index: found.index,
  };
  writeExpectations(expectations);
  return name;
}

/** Records what corpus case `name` (`target/file`) must do. */
export function setExpectation(name: string, expectation: Expectation): void {
  const expectations = readExpectations();
  expectations[name] = expectation;
  writeExpectations(expectations);
}

function writeExpectations(expectations: Record<string, Expectation>): void {
  const sorted = Object.fromEntries(Object.entries(expectations).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(EXPECTATIONS, `${JSON.stringify(sorted, null, 2)}\n`);
}
