// `tsfreeze run MODEL.pt --input x.npy --output-dir DIR`, in-process: outputs match PyTorch's, NumPy reads
// them back, and bad input exits 1 with a clear message and no output file.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/main.js';
import { loadNpy, saveNpy } from '../../src/tensor/npy.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import {
  compareValue,
  decodeValue,
  readFixtureCase,
  FIXTURES_DIR,
  type EncodedTensor,
  type FixtureCase,
} from '../support/fixture-case.js';

const PY = '/usr/bin/python3';
const TOLERANCE = { rtol: 1e-4, atol: 1e-4 };

/** Runs the CLI in-process, capturing what it prints. */
async function tsfreeze(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('tsfreeze run', function () {
  let dir: string;
  const fixture = (name: string): FixtureCase => readFixtureCase(join(FIXTURES_DIR, name));
  // Writes the tensor input `index` of a fixture's first call as a .npy file.
  const inputNpy = (fx: FixtureCase, index = 0, name = 'x.npy'): string => {
    const path = join(dir, name);
    saveNpy(path, decodeValue(fx.dir, fx.calls[0].inputs[index]) as Tensor);
    return path;
  };
  const outputFiles = (out: string): string[] => (existsSync(out) ? readdirSync(out) : []);

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-run-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs tv_resnet18_w8 on a .npy image and writes output0.npy equal to PyTorch output', async function () {
    const fx = fixture('tv_resnet18_w8');
    const out = join(dir, 'out');
    const r = await tsfreeze('run', fx.modulePath!, '--input', inputNpy(fx), '--output-dir', out);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.out).to.include('output0: Tensor float32 [1, 10]');
    expect(outputFiles(out)).to.deep.equal(['output0.npy', 'outputs.json']);
    const c = compareValue(loadNpy(join(out, 'output0.npy')), fx.calls[0].output!, fx.dir, TOLERANCE);
    expect(c.mismatches).to.deep.equal([]);
  });

  it('--freeze runs the frozen module and matches PyTorch frozen output', async function () {
    const fx = fixture('conv_bn_relu');
    const out = join(dir, 'out');
    const r = await tsfreeze('run', fx.modulePath!, '--freeze', '--input', inputNpy(fx), '--output-dir', out);
    expect(r.code, r.err).to.equal(0);
    const c = compareValue(loadNpy(join(out, 'output0.npy')), fx.calls[0].frozenOutput!, fx.dir, TOLERANCE);
    expect(c.mismatches).to.deep.equal([]);
  });

  it('a (Tensor, int, str) result: one .npy file, the int and the str in outputs.json', async function () {
    const fx = fixture('non_tensor_inputs');
    const out = join(dir, 'out');
    const r = await tsfreeze(
      'run',
      fx.modulePath!,
      '--input',
      inputNpy(fx),
      '--input',
      '2',
      '--input',
      '0.5',
      '--input',
      'true',
      '--input',
      '["a","b"]',
      '--output-dir',
      out,
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(
      /output0: Tensor float32 \[2, 4\]\noutput1: int 4\noutput2: string b\nwrote 2 files to [^\n]+ \(structure in outputs.json\)\n$/,
    );
    expect(outputFiles(out)).to.deep.equal(['output0.npy', 'outputs.json']);
    const expected = fx.calls[0].output!;
    if (expected.kind !== 'tuple') throw new Error('non_tensor_inputs records a tuple output');
    expect(
      compareValue(loadNpy(join(out, 'output0.npy')), expected.items[0], fx.dir, TOLERANCE).mismatches,
    ).to.deep.equal([]);
    const tree = JSON.parse(readFileSync(join(out, 'outputs.json'), 'utf8')) as { items: unknown[] };
    expect(tree.items.slice(1)).to.deep.equal([
      { kind: 'int', value: 4 },
      { kind: 'str', value: 'b' },
    ]);
  });

  it('writes .npy files NumPy reads back with the right dtype, shape and values', async function () {
    if (spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status !== 0) {
      console.log(`    skipped: ${PY} has no numpy`);
      return this.skip();
    }
    const fx = fixture('seed_simple_param');
    const out = join(dir, 'out');
    const r = await tsfreeze('run', fx.modulePath!, '--input', inputNpy(fx), '--output-dir', out);
    expect(r.code, r.err).to.equal(0);
    const expected = fx.calls[0].output as EncodedTensor;
    const script = [
      'import sys, numpy as np',
      'a = np.load(sys.argv[1])',
      'b = np.fromfile(sys.argv[2], dtype=np.float32).reshape(a.shape)',
      'print(a.dtype, list(a.shape), a.flags["C_CONTIGUOUS"], float(np.abs(a - b).max()))',
    ].join('\n');
    const py = spawnSync(PY, ['-c', script, join(out, 'output0.npy'), join(fx.dir, expected.file!)], {
      encoding: 'utf8',
    });
    expect(py.status, py.stderr).to.equal(0);
    const [dtype, shape, contiguous, diff] = py.stdout.trim().split(/ (?![^[]*\])/);
    expect([dtype, shape, contiguous]).to.deep.equal(['float32', `[${expected.shape.join(', ')}]`, 'True']);
    expect(Number(diff)).to.be.at.most(1e-4);
  });

  describe('bad input: exit 1, a message naming the problem, no output file', function () {
    const failsCleanly = async (argv: string[], out: string, words: RegExp): Promise<void> => {
      const r = await tsfreeze(...argv);
      expect(r.code).to.equal(1);
      expect(r.err).to.match(/^error: /);
      expect(r.err).to.match(words);
      expect(r.err).not.to.match(/\n\s+at /); // no stack trace
      expect(outputFiles(out)).to.deep.equal([]);
    };

    it('a missing .npy file', async function () {
      const fx = fixture('seed_simple_param');
      const out = join(dir, 'out');
      const missing = join(dir, 'nope.npy');
      await failsCleanly(
        ['run', fx.modulePath!, '--input', missing, '--output-dir', out],
        out,
        /cannot read .*nope\.npy/,
      );
    });

    it('a corrupt .npy file (bad magic, truncated data)', async function () {
      const fx = fixture('seed_simple_param');
      const out = join(dir, 'out');
      const garbage = join(dir, 'garbage.npy');
      writeFileSync(garbage, 'this is not numpy');
      await failsCleanly(
        ['run', fx.modulePath!, '--input', garbage, '--output-dir', out],
        out,
        /garbage\.npy.*not a \.npy file/,
      );
      const good = inputNpy(fx, 0, 'good.npy');
      const truncated = join(dir, 'truncated.npy');
      const bytes = readFileSync(good);
      writeFileSync(truncated, bytes.subarray(0, bytes.length - 4));
      await failsCleanly(
        ['run', fx.modulePath!, '--input', truncated, '--output-dir', out],
        out,
        /truncated\.npy.*needs \d+/,
      );
    });

    it('the wrong number of inputs', async function () {
      const fx = fixture('seed_simple_param');
      const out = join(dir, 'out');
      await failsCleanly(
        ['run', fx.modulePath!, '--output-dir', out],
        out,
        /forward\(\) is missing argument 'input'/,
      );
      const x = inputNpy(fx);
      await failsCleanly(
        ['run', fx.modulePath!, '--input', x, '--input', x, '--output-dir', out],
        out,
        /forward\(\) takes 1 positional arguments but 2 were given/,
      );
    });

    it('an input of the wrong shape fails in the kernel and names the op', async function () {
      const fx = fixture('tv_resnet18_w8');
      const out = join(dir, 'out');
      const x = join(dir, 'flat.npy');
      saveNpy(x, (decodeValue(fx.dir, fx.calls[0].inputs[0]) as Tensor).reshape([-1]));
      await failsCleanly(
        ['run', fx.modulePath!, '--input', x, '--output-dir', out],
        out,
        /aten::conv2d: Expected 3D \(unbatched\) or 4D \(batched\) input/,
      );
    });

    it('a model file that does not exist', async function () {
      const out = join(dir, 'out');
      await failsCleanly(
        ['run', join(dir, 'missing.pt'), '--output-dir', out],
        out,
        /missing\.pt: no such file/,
      );
    });
  });
});
