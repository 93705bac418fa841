// The subcommand table `tsfreeze --help` lists without loading the commands: it agrees with the real
// commands, and the help path's static imports stay within commander and a few small CLI modules
// (and the --max-* limit flags every command takes).

import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Help } from 'commander';
import { COMMANDS } from '../../src/cli/commands.js';
import { main } from '../../src/cli/main.js';

const DIST_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

// Every project file reachable from `file` through static imports (dynamic import() is not followed).
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm)) {
    staticImports(resolve(dirname(file), m[1] ?? m[2]), seen);
  }
  return seen;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (out += t) });
  return { code, out };
}

describe('cli: the subcommand table', function () {
  this.timeout(60_000);

  it('lists each command exactly as the loaded command describes itself', async () => {
    for (const entry of COMMANDS) {
      const command = (await entry.load())({ out: () => undefined, err: () => undefined });
      expect(command.name()).to.equal(entry.name);
      expect(new Help().subcommandTerm(command)).to.equal(entry.term);
      expect(command.description()).to.equal(entry.description);
    }
  });

  it('--help statically imports only commander and the small CLI modules', () => {
    const files = [...staticImports(join(DIST_SRC, 'cli', 'main.js'))].map((f) => relative(DIST_SRC, f));
    expect(files.sort()).to.deep.equal(
      [
        'cli/commander.js',
        'cli/commands.js',
        'cli/limit-flags.js',
        'cli/main.js',
        'cli/process-io.js',
        'cli/report-error.js',
        'errors.js',
        'limits.js',
      ].sort(),
    );
  });

  it('bin/tsfreeze.js loads the bundle of those modules, which imports the rest instead of copying it', () => {
    const bundle = readFileSync(join(DIST_SRC, 'cli', 'main.bundle.js'), 'utf8');
    const imported = new Set(
      [...bundle.matchAll(/(?:^import\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\))/gm)].map(
        (m) => m[1] ?? m[2],
      ),
    );
    // Modules with state or identity other modules share must stay single: the current limits, commander
    // (required by src/cli/commander.ts, not bundled), the errors; the subcommands and what they load.
    expect([...imported].sort()).to.deep.equal(
      [
        '../entry-hooks.js',
        '../errors.js',
        '../limits.js',
        '../serialization/printer/index.js',
        'node:module',
        'reflect-metadata',
        ...COMMANDS.map((c) => `./${c.name}-command.js`),
      ].sort(),
    );
    expect(bundle).to.contain('(import.meta.url)("commander")');
    const bin = readFileSync(join(DIST_SRC, '..', '..', 'bin', 'tsfreeze.js'), 'utf8');
    expect(bin).to.contain("import('../dist/src/cli/main.bundle.js')");
  });

  it('runs a command that is loaded on demand, and shows its help through `help <command>`', async () => {
    const listed = await cli('--help');
    for (const entry of COMMANDS) expect(listed.out).to.contain(entry.name);
    const help = await cli('help', 'show');
    expect(help.code).to.equal(0);
    expect(help.out).to.contain('Usage: tsfreeze show [options] <model>');
    const unknown = await cli('frobnicate');
    expect(unknown.code).to.equal(1);
    expect(unknown.out).to.contain("unknown command 'frobnicate'");
  });
});
