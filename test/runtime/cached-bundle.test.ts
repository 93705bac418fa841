// loadCachedBundle (src/runtime/cached-bundle.ts): a CommonJS bundle run with a V8 code cache. Each load
// runs in a fresh node process (V8 keeps compiled scripts per process, which would hide what the cache
// does): a missing, corrupt or stale cache must never change what the bundle computes.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const CACHED_BUNDLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'src',
  'runtime',
  'cached-bundle.js',
);

interface LoadResult {
  state: string;
  answer: number;
  wrote: boolean;
}

/** Loads `bundle` with `caches` in a fresh process (with extra node flags), runs it, writes the cache. */
function load(bundle: string, caches: string[], flags: string[] = []): LoadResult | 'no bundle' {
  const script = `import(${JSON.stringify(CACHED_BUNDLE)}).then(({ loadCachedBundle }) => {
    const b = loadCachedBundle(${JSON.stringify(bundle)}, ${JSON.stringify(caches)});
    if (!b) return console.log(JSON.stringify('no bundle'));
    console.log(JSON.stringify({ state: b.cache, answer: b.exports.answer(), wrote: b.writeCache() }));
  })`;
  const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as LoadResult | 'no bundle';
}

/** A bundle whose answer() returns `answer`; its source length does not depend on the answer's digits. */
function writeBundle(file: string, answer: number, mtimeSeconds: number): void {
  const body = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
  writeFileSync(file, `${body}\nmodule.exports = { answer: () => f0(${answer}) };\n`);
  utimesSync(file, mtimeSeconds, mtimeSeconds);
}

describe('runtime: a CommonJS bundle with a V8 code cache', function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-cache-'));
    bundle = join(dir, 'b.cjs');
    cache = join(dir, 'caches', 'b.cache');
    writeBundle(bundle, 42, 1_000_000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the cache when it is missing, then runs from it', () => {
    expect(load(bundle, [cache])).to.deep.equal({ state: 'absent', answer: 42, wrote: true });
    expect(readFileSync(cache, 'latin1')).to.match(/^tsfreeze-code-cache 1 \d+ \d+ v\d/);
    expect(load(bundle, [cache])).to.deep.equal({ state: 'accepted', answer: 42, wrote: false });
    // A path relative to the working directory names the same bundle.
    expect(load(relative(process.cwd(), bundle), [cache])).to.deep.equal({
      state: 'accepted',
      answer: 42,
      wrote: false,
    });
  });

  it('a corrupt cache is rejected by V8: the bundle compiles from source and the cache is rewritten', () => {
    load(bundle, [cache]);
    const bytes = readFileSync(cache);
    const header = bytes.indexOf(0x0a) + 1;
    for (let i = header; i < bytes.length; i += 7) bytes[i] ^= 0x5a;
    writeFileSync(cache, bytes);
    expect(load(bundle, [cache])).to.deep.equal({ state: 'rejected', answer: 42, wrote: true });
    expect(load(bundle, [cache])).to.deep.equal({ state: 'accepted', answer: 42, wrote: false });
  });

  it('a rebuilt bundle of the same length never runs the old bytecode', () => {
    load(bundle, [cache]);
    writeBundle(bundle, 17, 2_000_000);
    expect(load(bundle, [cache])).to.deep.equal({ state: 'absent', answer: 17, wrote: true });
  });

  it('a cache made under other V8 flags is rejected', () => {
    load(bundle, [cache], ['--interrupt-budget=100000']);
    expect(load(bundle, [cache])).to.deep.equal({ state: 'rejected', answer: 42, wrote: true });
  });

  it('writes to the first cache location that can be written, and reads from any', () => {
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, '');
    const second = join(dir, 'user', 'b.cache');
    expect(load(bundle, [join(blocked, 'b.cache')])).to.deep.equal({
      state: 'absent',
      answer: 42,
      wrote: false,
    });
    expect(load(bundle, [join(blocked, 'b.cache'), second])).to.deep.include({ wrote: true });
    expect(load(bundle, [join(blocked, 'b.cache'), second])).to.deep.equal({
      state: 'accepted',
      answer: 42,
      wrote: false,
    });
  });

  it('no bundle file: undefined (the caller runs the unbundled modules)', () => {
    mkdirSync(join(dir, 'empty'));
    expect(load(join(dir, 'empty', 'missing.cjs'), [cache])).to.equal('no bundle');
  });
});
