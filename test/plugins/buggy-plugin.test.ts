// Must-show: a buggy plugin gets, for each bug, an actionable message naming the pass (exit 1, never
// "internal error"), and its reproducer replays with `opt --run-reproducer` failing the same way.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

const BUGGY = `${REPO_ROOT}dist/test/plugins/buggy-plugin.js`;
const MODEL = join(FIXTURES_DIR, 'conv_bn_relu', 'module.pt');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const CASES = [
  {
    pass: 'dangling-use',
    says: ["pass 'dangling-use' failed", 'used before it is defined', 'prim::Return'],
  },
  {
    pass: 'crash',
    says: ["pass 'crash' failed: Cannot read properties of undefined (reading 'kinds')"],
  },
  {
    pass: 'needs-table',
    says: [
      "pass 'needs-table' (NeedsTable) (registered by plugin",
      'buggy-plugin.js',
      'nothing is bound to Symbol(buggy-plugin.Table)',
    ],
  },
  {
    pass: 'silent-change',
    says: ["pass 'silent-change' failed", 'changed the IR of forward but reported { changed: false }'],
  },
  {
    pass: 'stale-alias',
    flags: ['--verify-analysis-invalidation'],
    says: [
      "pass 'stale-alias' failed",
      "changed the IR of forward but kept analysis 'alias-analysis' cached",
      'cached: ',
      'fresh:  ',
    ],
  },
];

describe('a buggy plugin: actionable errors and reproducers that replay', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tsfreeze-buggy-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`${c.pass}: names the pass, exits 1, and its reproducer fails the same way`, async () => {
      const out = join(dir, 'out.pt');
      const r = await cli(
        'freeze',
        MODEL,
        '--plugin',
        BUGGY,
        '--passes',
        `freeze,${c.pass}`,
        '--verify-each',
        ...(c.flags ?? []),
        '--reproducer-dir',
        dir,
        '-o',
        out,
      );
      expect(r.code, r.err).to.equal(1);
      expect(r.err).to.not.include('internal error');
      for (const s of c.says) expect(r.err).to.include(s);
      expect(readdirSync(dir)).to.not.include('out.pt'); // never a half-written output
      const file = /reproducer: (.*\.json)/.exec(r.err)![1];
      expect(r.err).to.include(`tsfreeze opt --run-reproducer ${file}`);
      const again = await cli('opt', '--run-reproducer', file);
      expect(again.code, again.err).to.equal(1);
      // The same pass, the same error; numbered value names may differ after the module's .pt round trip.
      const firstLine = (s: string): string => s.split('\n')[0].replace(/%\d+/g, '%N');
      expect(firstLine(again.err)).to.equal(firstLine(r.err));
      expect(again.err).to.not.include('reproducer:'); // replaying writes none unless asked
    });
  }

  it('--unreported-changes=warn lets a silent plugin through with a warning; stale analyses pass unless checked', async () => {
    const out = join(dir, 'out.pt');
    const warned = await cli(
      'freeze',
      MODEL,
      '--plugin',
      BUGGY,
      '--passes',
      'freeze,silent-change',
      '--unreported-changes',
      'warn',
      '-o',
      out,
    );
    expect(warned.code, warned.err).to.equal(0);
    expect(warned.err).to.include(
      "pass 'silent-change' changed the IR of forward but reported { changed: false }; treated as changed",
    );
    expect(readdirSync(dir)).to.include('out.pt');
    const unchecked = await cli(
      'freeze',
      MODEL,
      '--plugin',
      BUGGY,
      '--passes',
      'freeze,stale-alias',
      '-o',
      out,
    );
    expect(unchecked.code, unchecked.err).to.equal(0);
  });

  it('the built-in freeze pipeline keeps no stale analysis (--verify-analysis-invalidation)', async () => {
    const r = await cli('freeze', MODEL, '--verify-analysis-invalidation', '-o', join(dir, 'out.pt'));
    expect(r.code, r.err).to.equal(0);
  });

  it('the replay runs the plugin pass on the module as the pipeline received it (module passes too)', async () => {
    const r = await cli(
      'freeze',
      MODEL,
      '--plugin',
      BUGGY,
      '--passes',
      'freeze,crash',
      '--reproducer-dir',
      dir,
    );
    const file = /reproducer: (.*\.json)/.exec(r.err)![1];
    const listed = await cli('opt', '--run-reproducer', file, '--print-pipeline-passes');
    expect(listed.code, listed.err).to.equal(0);
    expect(listed.out).to.match(/^freeze-check\{preserve=\[\]\},.*,crash\n$/);
  });
});
