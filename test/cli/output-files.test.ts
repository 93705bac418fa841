// Every file the CLI writes (freeze -o, freeze A B -o DIR, opt -o, run --output-dir, viz -o, --report) is
// written whole or not at all (issue 15 item 5): through a symbolic link to the link's target (as `cp`
// does), removing the temporary files of killed runs, never leaving a temporary or half-written file when
// the write fails, and a SIGKILL in the middle of `freeze -o` leaves the old file or the complete new one.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { loadModule } from '../../src/serialization/index.js';
import { saveNpy } from '../../src/tensor/npy.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { decodeValue, FIXTURES_DIR, readFixtureCase } from '../support/fixture-case.js';

const BIN = fileURLToPath(new URL('../../../bin/tsfreeze.js', import.meta.url));
const MODEL = join(FIXTURES_DIR, 'seed_simple_param', 'module.pt');
const OLD = 'the previous output\n';

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(argv, { out: () => undefined, err: (t) => void (err += t) });
  return { code, err };
}

/** One way the CLI writes a file: the arguments writing `target`, and what a complete file looks like. */
interface Writer {
  readonly name: string;
  /** The output name given to the command (its extension picks the format). */
  readonly given: string;
  readonly argv: (target: string, dir: string) => string[];
  /** The file written when the command is given `target` (run --output-dir names a folder). */
  readonly file: (target: string) => string;
  readonly complete: (path: string) => void;
}

const isArchive = (path: string): void => {
  expect(loadModule(path).hasMethod('forward'), path).to.equal(true);
};
const startsWith = (prefix: string) => (path: string) => {
  expect(readFileSync(path, 'utf8').startsWith(prefix), `${path} starts with ${prefix}`).to.equal(true);
};

const WRITERS: Writer[] = [
  {
    name: 'freeze -o',
    given: 'a.pt',
    argv: (t) => ['freeze', MODEL, '-o', t],
    file: (t) => t,
    complete: isArchive,
  },
  {
    name: 'freeze A B -o DIR',
    given: 'a.pt',
    argv: (t) => ['freeze', MODEL, join(FIXTURES_DIR, 'conv_bn_relu', 'frozen.pt'), '-o', dirname(t)],
    file: (t) => join(dirname(t), 'module.pt'),
    complete: isArchive,
  },
  {
    name: 'opt -o',
    given: 'a.pt',
    argv: (t) => ['opt', MODEL, '--passes', 'dead-code-elimination', '-o', t],
    file: (t) => t,
    complete: isArchive,
  },
  {
    name: 'run --output-dir',
    given: 'a.npy',
    argv: (t, dir) => ['run', MODEL, '--input', join(dir, 'x.npy'), '--output-dir', dirname(t)],
    file: (t) => join(dirname(t), 'output0.npy'),
    complete: (path) => expect(readFileSync(path).subarray(1, 6).toString()).to.equal('NUMPY'),
  },
  {
    name: 'viz -o',
    given: 'a.svg',
    argv: (t) => ['viz', MODEL, '-o', t],
    file: (t) => t,
    complete: startsWith('<svg'),
  },
  {
    name: 'freeze --report',
    given: 'a.html',
    argv: (t, dir) => ['freeze', MODEL, '-o', join(dir, 'frozen-by-report.pt'), '--report', t],
    file: (t) => t,
    complete: startsWith('<!DOCTYPE html>'),
  },
];

/** A pid no process has: a child that already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return child.pid!;
}

const temps = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

describe('cli: output files are written whole or not at all', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-out-'));
    const fx = readFixtureCase(join(FIXTURES_DIR, 'seed_simple_param'));
    saveNpy(join(dir, 'x.npy'), decodeValue(fx.dir, fx.calls[0].inputs[0]) as Tensor);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const w of WRITERS) {
    it(`${w.name}: writes through a symbolic link to its target, the link stays`, async () => {
      const outDir = join(dir, 'out');
      const real = join(dir, 'real');
      mkdirSync(outDir);
      mkdirSync(real);
      const given = join(outDir, w.given);
      const linkTarget = join(real, 'file');
      writeFileSync(linkTarget, OLD);
      symlinkSync(linkTarget, w.file(given));
      const r = await cli(...w.argv(given, dir));
      expect(r.code, r.err).to.equal(0);
      expect(lstatSync(w.file(given)).isSymbolicLink(), 'the link is still a link').to.equal(true);
      w.complete(linkTarget);
      expect(temps(real)).to.deep.equal([]);
      expect(temps(outDir)).to.deep.equal([]);
    });

    it(`${w.name}: removes the temporary files of killed runs, keeps those of live processes and others`, async () => {
      const outDir = join(dir, 'out');
      mkdirSync(outDir);
      const given = join(outDir, w.given);
      const name = basename(w.file(given));
      const stale = `.${name}.${deadPid()}.0123abcd.tmp`;
      const live = `.${name}.${process.ppid}.0123abcd.tmp`;
      const foreign = `.other.${deadPid()}.0123abcd.tmp`;
      for (const f of [stale, live, foreign]) writeFileSync(join(outDir, f), 'partial');
      const r = await cli(...w.argv(given, dir));
      expect(r.code, r.err).to.equal(0);
      w.complete(w.file(given));
      expect(temps(outDir).sort()).to.deep.equal([foreign, live].sort());
    });

    it(`${w.name}: a write that fails leaves no temporary file and a typed error`, async () => {
      const outDir = join(dir, 'out');
      mkdirSync(outDir);
      const given = join(outDir, w.given);
      // The output name is taken by a folder: the final rename fails after everything was written.
      mkdirSync(w.file(given));
      writeFileSync(join(w.file(given), 'keep'), OLD);
      const r = await cli(...w.argv(given, dir));
      expect(r.code).to.not.equal(0);
      expect(r.err).to.not.include('internal error');
      expect(readFileSync(join(w.file(given), 'keep'), 'utf8')).to.equal(OLD);
      expect(temps(outDir)).to.deep.equal([]);
    });
  }

  it('freeze -o killed (SIGKILL) at any moment leaves the old file or the complete new one; the next run cleans up', async function () {
    const model = join(FIXTURES_DIR, 'tv_resnet18_w8', 'module.pt');
    const out = join(dir, 'frozen.pt');
    writeFileSync(out, OLD);
    for (const delayMs of [150, 400, 800, 1500]) {
      const child = spawn(process.execPath, [BIN, 'freeze', model, '-o', out], { stdio: 'ignore' });
      // Listen before waiting: on a fast machine the run may end before the kill, and 'exit' is not repeated.
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await exited;
      const text = readFileSync(out);
      if (text.toString() !== OLD) isArchive(out);
    }
    const r = await cli('freeze', model, '-o', out);
    expect(r.code, r.err).to.equal(0);
    isArchive(out);
    expect(temps(dir)).to.deep.equal([]);
    expect(existsSync(out)).to.equal(true);
  });
});
