// `tsfreeze --help` and `--version` print text recorded from the live CLI at build time
// (src/cli/help-snapshot.ts): the recording must be what the CLI prints now, at every width, and bin/tsfreeze.js
// must print exactly that, from the snapshot alone.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  HELP_SNAPSHOT_ARGVS,
  MAX_WIDTH,
  recordHelpSnapshot,
  type HelpSnapshot,
} from '../../src/cli/help-snapshot.js';
import { main } from '../../src/cli/main.js';

const BIN = fileURLToPath(new URL('../../../bin/tsfreeze.js', import.meta.url));
const SNAPSHOT = fileURLToPath(new URL('../../src/cli/help-snapshot.json', import.meta.url));

async function live(argv: readonly string[], helpWidth?: number) {
  let stdout = '';
  let stderr = '';
  const status = await main(argv, {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    ...(helpWidth === undefined ? {} : { helpWidth }),
  });
  return { status, stdout, stderr };
}

// `script` (util-linux) runs a command in a pseudo-terminal of the given width; undefined where it is missing.
function inTerminal(columns: number, args: string[]): string | undefined {
  const command = [`stty cols ${columns}`, [process.execPath, BIN, ...args].join(' ')].join('; ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
  if (r.error) return undefined;
  return r.stdout.replaceAll('\r\n', '\n');
}

describe('cli: the help snapshot', function () {
  this.timeout(60_000);

  it('is what the CLI prints now, for every command line and width it holds', async () => {
    const built = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as HelpSnapshot;
    expect(built).to.deep.equal(JSON.parse(JSON.stringify(await recordHelpSnapshot())));
    expect(built.entries.map((e) => e.argv)).to.deep.equal(HELP_SNAPSHOT_ARGVS);
    for (const e of built.entries) expect(e.widths).to.have.length(MAX_WIDTH + 1);
    // Widths change the wrapping: a snapshot of one width only would be wrong in most terminals.
    const help = built.entries.find((e) => e.argv[0] === '--help')!;
    expect(built.texts[help.widths[60]]).not.to.equal(built.texts[help.widths[200]]);
  });

  it('bin/tsfreeze.js prints it (output, stream, exit code) without loading the CLI', async () => {
    for (const argv of HELP_SNAPSHOT_ARGVS) {
      const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' });
      // Not a terminal: commander's width is 80.
      const expected = await live(argv, 80);
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }, argv.join(' ')).to.deep.equal(
        expected,
      );
      const traced = spawnSync(process.execPath, [BIN, ...argv], {
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: 'module' },
      });
      expect(traced.stderr).to.contain('tsfreeze.js');
      expect(traced.stderr).not.to.match(/commander|dist\/src\/cli\/main/);
    }
  });

  it("in a terminal, prints the text for the terminal's width; wider than recorded runs the CLI", async function () {
    for (const columns of [0, 45, 123, MAX_WIDTH, MAX_WIDTH + 17]) {
      const shown = inTerminal(columns, ['--help']);
      if (shown === undefined) this.skip();
      expect(shown, `${columns} columns`).to.equal((await live(['--help'], columns)).stdout);
    }
  });

  it('command lines it does not hold run the CLI as before', async () => {
    for (const argv of [['help', 'show'], ['--help', '--version'], ['--nonsense']]) {
      const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' });
      const expected = await live(argv, 80);
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }, argv.join(' ')).to.deep.equal(
        expected,
      );
    }
  });
});
