// Deep submodule chains (issue 15 items 1 and 3), in fresh processes as a user runs them: a 1,000-deep
// chain, which PyTorch loads, loads with Node's default stack; a 300-deep chain (2.5 GB before) freezes
// under a 512 MB heap, where inlining it twice or keeping every inlined level would run out of memory.
// The files come from scripts/make-deep-modules.py.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeInlined } from '../../src/cli/model-summary.js';
import { loadModule } from '../../src/serialization/index.js';
import { CORPUS_DIR } from './corpus.js';

const BIN = fileURLToPath(new URL('../../../bin/tsfreeze.js', import.meta.url));

// Runs the CLI; what it prints on stdout is dropped (the 1,000-level module tree is megabytes of text).
function tsfreeze(nodeFlags: string[], ...argv: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [...nodeFlags, BIN, ...argv], {
    encoding: 'utf8',
    timeout: 300_000,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { status: r.status, out: r.stderr };
}

describe('deep submodule chains in a fresh tsfreeze process', function () {
  this.timeout(300_000);

  it('1,000 deep: `tsfreeze show` loads it with the default stack (objects are not restored recursively)', () => {
    const r = tsfreeze([], 'show', join(CORPUS_DIR, 'pt', 'deep-modules-1000.pt'));
    expect(r.out).to.not.include('internal error');
    expect(r.status, r.out.slice(0, 2000)).to.equal(0);
  });

  it('300 deep: `tsfreeze freeze -o` under a 512 MB heap writes the frozen chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-deep-'));
    try {
      const out = join(dir, 'frozen.pt');
      const r = tsfreeze(
        ['--max-old-space-size=512'],
        'freeze',
        join(CORPUS_DIR, 'pt', 'deep-modules-300.pt'),
        '-o',
        out,
      );
      expect(r.status, r.out.slice(0, 2000)).to.equal(0);
      const frozen = loadModule(out);
      expect(frozen.children().length).to.equal(0);
      expect(frozen.graph.nodesOfKind('aten::add').length).to.be.greaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI summary counts the inlined 1,000-deep chain without inlining it: one mul and 1,000 adds', () => {
    const module = loadModule(join(CORPUS_DIR, 'pt', 'deep-modules-1000.pt'));
    const summary = summarizeInlined(module);
    // Leaf: GetAttr w, mul; each Wrap: GetAttr inner, add, and the constant 1.
    expect(summary.getAttrs).to.equal(1001);
    expect(summary.nodes).to.equal(1 + 1 + 1000 * 3);
  });
});
