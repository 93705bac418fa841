// The CLI's V8 setting for one-job processes (src/runtime/v8-tuning.ts): V8 must accept the flag (it
// prints "unrecognized flag" to stderr for a name it does not know and otherwise ignores it), and the
// tsfreeze command must make it when it runs a subcommand. Checked in child processes, so the test
// runner's own flags stay as they are.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ONE_SHOT_INTERRUPT_BUDGET } from '../../src/runtime/v8-tuning.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TUNING = join(DIST, 'src', 'runtime', 'v8-tuning.js');

describe('runtime: V8 tuning for one-job processes', function () {
  this.timeout(60_000);

  it('V8 accepts the interrupt-budget flag', () => {
    const script = `import(${JSON.stringify(TUNING)}).then((m) => console.log(m.tuneV8ForOneShotRuns()))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim()).to.equal('true');
  });

  it('the tsfreeze command sets it for subcommands only', () => {
    const bin = join(DIST, '..', 'bin', 'tsfreeze.js');
    // A preloaded hook reports every V8 flag the process sets (builtin ES module exports re-synced).
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-v8-'));
    const hook = join(dir, 'hook.cjs');
    writeFileSync(
      hook,
      `const v8 = require('node:v8'); const set = v8.setFlagsFromString;
       v8.setFlagsFromString = (f) => { process.stderr.write('flag ' + f + '\\n'); return set(f); };
       require('node:module').syncBuiltinESMExports();`,
    );
    try {
      const run = (...args: string[]): string =>
        spawnSync(process.execPath, ['-r', hook, bin, ...args], { encoding: 'utf8' }).stderr;
      expect(run('ir', '--help')).to.contain(`flag --interrupt-budget=${ONE_SHOT_INTERRUPT_BUDGET}`);
      expect(run('--help')).not.to.contain('flag --');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
