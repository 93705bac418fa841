// The CLI's glibc tunables (src/runtime/malloc-tuning.ts): its first line must start node with them in front
// of the user's own GLIBC_TUNABLES, and the helpers that start children as the CLI does must agree with it.
// Whether the kernel then gives huge pages is the machine's business and is not checked here.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  hasOneShotMallocTunables,
  ONE_SHOT_MALLOC_TUNABLES,
  withOneShotMallocTunables,
} from '../../src/runtime/malloc-tuning.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(DIST, '..', 'bin', 'tsfreeze.js');

describe('runtime: glibc malloc tunables of the CLI', function () {
  this.timeout(60_000);

  it("bin/tsfreeze.js's first line sets ONE_SHOT_MALLOC_TUNABLES before the user's GLIBC_TUNABLES", () => {
    const first = readFileSync(BIN, 'utf8').split('\n')[0];
    expect(
      first.startsWith(
        `#!/usr/bin/env -S GLIBC_TUNABLES=${ONE_SHOT_MALLOC_TUNABLES}:\${GLIBC_TUNABLES} node `,
      ),
    ).to.equal(true, first);
  });

  // A preloaded hook (through NODE_OPTIONS, as the command is run by its first line) reports the variable.
  const tunablesOfCommand = (userValue: string | undefined): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-malloc-'));
    const hook = join(dir, 'hook.cjs');
    writeFileSync(
      hook,
      `process.stderr.write('tunables ' + JSON.stringify(process.env.GLIBC_TUNABLES) + '\\n');`,
    );
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${hook}` };
      if (userValue === undefined) delete env.GLIBC_TUNABLES;
      else env.GLIBC_TUNABLES = userValue;
      const r = spawnSync(BIN, ['--version'], { encoding: 'utf8', env });
      expect(r.status, r.stderr).to.equal(0);
      const line = r.stderr.split('\n').find((l) => l.startsWith('tunables '));
      expect(line, r.stderr).to.be.a('string');
      return JSON.parse(line!.slice('tunables '.length)) as string;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('run as a program, the tsfreeze command has them, and a user setting comes after them (so it wins)', () => {
    const alone = tunablesOfCommand(undefined);
    expect(hasOneShotMallocTunables({ GLIBC_TUNABLES: alone })).to.equal(true);
    expect(alone.split(':')[0]).to.equal(ONE_SHOT_MALLOC_TUNABLES);
    const user = 'glibc.malloc.hugetlb=0';
    const withUser = tunablesOfCommand(user);
    expect(withUser.split(':')).to.deep.equal([ONE_SHOT_MALLOC_TUNABLES, user]);
  });

  it('withOneShotMallocTunables starts a child as the first line does; hasOneShotMallocTunables reads it back', () => {
    expect(withOneShotMallocTunables({ PATH: '/bin' })).to.deep.equal({
      PATH: '/bin',
      GLIBC_TUNABLES: `${ONE_SHOT_MALLOC_TUNABLES}:`,
    });
    const user = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    expect(withOneShotMallocTunables(user).GLIBC_TUNABLES).to.equal(
      `${ONE_SHOT_MALLOC_TUNABLES}:glibc.malloc.arena_max=2`,
    );
    expect(user.GLIBC_TUNABLES).to.equal('glibc.malloc.arena_max=2'); // the input is not changed
    expect(hasOneShotMallocTunables(withOneShotMallocTunables({}))).to.equal(true);
    expect(hasOneShotMallocTunables({})).to.equal(false);
    expect(hasOneShotMallocTunables({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' })).to.equal(false);
  });
});
