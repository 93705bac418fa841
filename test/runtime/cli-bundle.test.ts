// The CLI's job path (src/runtime/cli-bundle.ts, bin/tsfreeze.js): the whole CLI in one bundle with a V8
// code cache. Whatever the cache's state, `tsfreeze` must print and exit exactly as the unbundled modules do;
// plugins run unbundled (they share the package entry's module instances).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { CLI_BUNDLE, cliCacheFiles, needsUnbundledCli } from '../../src/runtime/cli-bundle.js';
import { ONE_SHOT_NODE_FLAGS } from '../../src/runtime/v8-tuning.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT = join(DIST, '..');
const BIN = join(ROOT, 'bin', 'tsfreeze.js');
const MODEL = join(ROOT, 'examples', 'resnet18_w8.pt');
const PLUGIN = join(DIST, 'test', 'plugins', 'fold-involutions.js');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function tsfreeze(env: Record<string, string>, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [...ONE_SHOT_NODE_FLAGS, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TSFREEZE_NO_BUNDLE: '', TSFREEZE_CODE_CACHE_DIR: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('runtime: the CLI bundle and its code cache', function () {
  this.timeout(120_000);

  it('needsUnbundledCli: plugins, reproducers (which may name plugins) and TSFREEZE_NO_BUNDLE=1', () => {
    expect(needsUnbundledCli(['freeze', 'm.pt'], {})).to.equal(false);
    expect(needsUnbundledCli(['freeze', 'm.pt', '--plugin', 'x'], {})).to.equal(true);
    expect(needsUnbundledCli(['opt', 'g.ir', '--plugin=x'], {})).to.equal(true);
    expect(needsUnbundledCli(['opt', '--run-reproducer', 'r.json'], {})).to.equal(true);
    expect(needsUnbundledCli(['freeze', 'm.pt'], { TSFREEZE_NO_BUNDLE: '1' })).to.equal(true);
  });

  it('the cache lives next to the bundle, then in the user cache dir; TSFREEZE_CODE_CACHE_DIR overrides', () => {
    const [local, user] = cliCacheFiles({ XDG_CACHE_HOME: '/x/cache' });
    expect(dirname(local)).to.equal(dirname(CLI_BUNDLE));
    expect(local).to.contain(process.version);
    expect(dirname(user)).to.equal('/x/cache/tsfreeze');
    expect(cliCacheFiles({ TSFREEZE_CODE_CACHE_DIR: '/c' })).to.deep.equal([
      join('/c', `cli.bundle.${process.version}-${process.arch}.cache`),
    ]);
  });

  it('the build made the bundle and a cache for this Node', () => {
    expect(statSync(CLI_BUNDLE).size).to.be.greaterThan(100_000);
    expect(readdirSync(dirname(CLI_BUNDLE))).to.include(
      `cli.bundle.${process.version}-${process.arch}.cache`,
    );
  });

  it('freeze prints the same with the unbundled modules, without a cache, from it, and from a corrupt one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-cli-cache-'));
    const env = { TSFREEZE_CODE_CACHE_DIR: dir };
    const cacheFile = (): string => join(dir, readdirSync(dir)[0]);
    try {
      const args = ['freeze', MODEL, '--graph'];
      const reference = tsfreeze({ TSFREEZE_NO_BUNDLE: '1' }, ...args);
      expect(reference.code, reference.err).to.equal(0);
      expect(reference.out).to.contain('graph(');

      expect(tsfreeze(env, ...args)).to.deep.equal(reference); // no cache yet: written after the job
      expect(readdirSync(dir)).to.have.length(1);
      const written = readFileSync(cacheFile());
      expect(tsfreeze(env, ...args)).to.deep.equal(reference); // from the cache: left as it is
      expect(readFileSync(cacheFile()).equals(written)).to.equal(true);

      const corrupt = Buffer.from(written);
      for (let i = corrupt.indexOf(0x0a) + 1; i < corrupt.length; i += 5) corrupt[i] ^= 0xff;
      writeFileSync(cacheFile(), corrupt);
      expect(tsfreeze(env, ...args)).to.deep.equal(reference); // rejected by V8: compiled, rewritten
      expect(readFileSync(cacheFile()).equals(corrupt)).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('errors print and exit the same on both paths', () => {
    const bundled = tsfreeze({}, 'freeze', join(ROOT, 'no-such-model.pt'));
    expect(bundled.code).to.equal(1);
    expect(bundled.err).to.contain('no-such-model.pt');
    expect(bundled).to.deep.equal(
      tsfreeze({ TSFREEZE_NO_BUNDLE: '1' }, 'freeze', join(ROOT, 'no-such-model.pt')),
    );
  });

  it('a plugin pass runs from the command line (unbundled path)', () => {
    const r = tsfreeze(
      {},
      'freeze',
      MODEL,
      '--plugin',
      PLUGIN,
      '--passes',
      'freeze,fold-involutions',
      '--json',
    );
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(r.out).after.batchNorms).to.equal(0);
  });
});
