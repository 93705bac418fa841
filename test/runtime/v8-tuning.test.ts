// The CLI's V8 setting for one-job processes (src/runtime/v8-tuning.ts): V8 must accept the flag (it
// prints "unrecognized flag" to stderr for a name it does not know and otherwise ignores it), and the
// tsfreeze command must make it when it runs a subcommand. Checked in child processes, so the test
// runner's own flags stay as they are.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  missingOneShotNodeFlags,
  ONE_SHOT_INLINING_BUDGET,
  ONE_SHOT_INTERRUPT_BUDGET,
  ONE_SHOT_NODE_FLAGS,
  ONE_SHOT_V8_FLAGS,
} from '../../src/runtime/v8-tuning.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TUNING = join(DIST, 'src', 'runtime', 'v8-tuning.js');
const BIN = join(DIST, '..', 'bin', 'tsfreeze.js');

describe('runtime: V8 tuning for one-job processes', function () {
  this.timeout(60_000);

  it('sets the interrupt budget and the inlining budget', () => {
    expect(ONE_SHOT_V8_FLAGS).to.deep.equal([
      `--interrupt-budget=${ONE_SHOT_INTERRUPT_BUDGET}`,
      `--max-inlined-bytecode-size-cumulative=${ONE_SHOT_INLINING_BUDGET}`,
    ]);
    // Both are names this V8 lists (setFlagsFromString only warns about a name it does not know).
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    for (const flag of ONE_SHOT_V8_FLAGS) expect(options).to.contain(`  ${flag.split('=')[0]} (`);
  });

  it('V8 accepts the flags', () => {
    const script = `import(${JSON.stringify(TUNING)}).then((m) => console.log(m.tuneV8ForOneShotRuns()))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim()).to.equal('true');
  });

  it('the tsfreeze command sets it for subcommands only', () => {
    const bin = BIN;
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
      const subcommand = run('ir', '--help');
      for (const flag of ONE_SHOT_V8_FLAGS) expect(subcommand).to.contain(`flag ${flag}\n`);
      expect(run('--help')).not.to.contain('flag --');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("bin/tsfreeze.js's first line starts node with exactly ONE_SHOT_NODE_FLAGS, which V8 accepts", () => {
    const first = readFileSync(BIN, 'utf8').split('\n')[0];
    // The glibc tunables in front are src/runtime/malloc-tuning.ts's (test/runtime/malloc-tuning.test.ts).
    expect(first).to.match(new RegExp(` node ${ONE_SHOT_NODE_FLAGS.join(' ')}$`));
    expect(first.startsWith('#!/usr/bin/env -S ')).to.equal(true);
    const r = spawnSync(process.execPath, [...ONE_SHOT_NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });

  it('run as a program, the tsfreeze command has those flags', () => {
    // A preloaded hook (through NODE_OPTIONS, as the command is run by its first line) reports execArgv.
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-v8-'));
    const hook = join(dir, 'hook.cjs');
    writeFileSync(hook, `process.stderr.write('execArgv ' + JSON.stringify(process.execArgv) + '\\n');`);
    try {
      const r = spawnSync(BIN, ['--version'], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: `--require ${hook}` },
      });
      const line = r.stderr.split('\n').find((l) => l.startsWith('execArgv '));
      expect(line, r.stderr).to.be.a('string');
      const execArgv = JSON.parse(line!.slice('execArgv '.length)) as string[];
      expect(missingOneShotNodeFlags(execArgv)).to.deep.equal([]);
      expect(missingOneShotNodeFlags([])).to.deep.equal([...ONE_SHOT_NODE_FLAGS]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
