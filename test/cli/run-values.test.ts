// `tsfreeze run` with the inputs and outputs of detection models: a list of tensors in (a JSON list of .npy
// paths, or a value .json file), and a dict, a list of dicts, a named tuple, an int and a str out — printed
// one leaf a line and written as outputs.json + .npy files, equal to what PyTorch 1.13 computes
// (test/fixtures/_run_io, scripts/make-run-io-fixture.py).

import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/main.js';
import { encodeValue, readValueFiles, Tuple, writeValueFiles } from '../../src/index.js';
import { loadNpy } from '../../src/tensor/npy.js';

const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/_run_io');
const EXPECTED = join(FIXTURE, 'expected');

async function tsfreeze(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}

const readTree = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8'));

/** Every tensor file of `expected` is in `dir` with the same dtype, shape and values (1e-6). */
function expectSameFiles(dir: string): void {
  const files = readdirSync(EXPECTED).filter((f) => f.endsWith('.npy'));
  expect(readdirSync(dir).sort()).to.deep.equal([...files, 'outputs.json'].sort());
  for (const f of files) {
    const [ours, torch] = [loadNpy(join(dir, f)), loadNpy(join(EXPECTED, f))];
    expect([ours.dtype, ours.shape], f).to.deep.equal([torch.dtype, torch.shape]);
    const [a, b] = [ours.toArray(), torch.toArray()];
    a.forEach((x, i) => expect(Math.abs(Number(x) - Number(b[i])), f).to.be.at.most(1e-6));
  }
}

describe('tsfreeze run: lists of tensors in, nested structures out', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tsfreeze-run-io-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const images = JSON.stringify([join(FIXTURE, 'img0.npy'), join(FIXTURE, 'img1.npy')]);

  it('takes ["a.npy", "b.npy"] as a Tensor[] and writes the dict/list/named tuple structure', async () => {
    const out = join(dir, 'out');
    const r = await tsfreeze(
      'run',
      join(FIXTURE, 'model.pt'),
      '--input',
      images,
      '--input',
      '0.5',
      '--output-dir',
      out,
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.equal(
      [
        'output0: empty dict',
        'output1.0.boxes: Tensor float32 [2, 5]',
        'output1.0.labels: Tensor int64 [1]',
        'output1.1.boxes: Tensor float32 [2, 4]',
        'output1.1.labels: Tensor int64 [1]',
        'output2.total: Tensor float32 [4, 5]',
        'output2.peak: Tensor float32 [6, 4]',
        'output3: int 2',
        'output4: string ok',
        `wrote 7 files to ${out} (structure in outputs.json)`,
        '',
      ].join('\n'),
    );
    expect(readTree(out)).to.deep.equal(readTree(EXPECTED));
    expectSameFiles(out);
  });

  it('reads an input from a value .json file (the format it writes) and --freeze gives the same', async () => {
    const images = [0, 1].map((i) => loadNpy(join(FIXTURE, `img${i}.npy`)));
    writeValueFiles(dir, encodeValue(images, 'input0'), 'input0.json');
    const out = join(dir, 'out');
    const r = await tsfreeze(
      'run',
      join(FIXTURE, 'model.pt'),
      '--freeze',
      '--input',
      join(dir, 'input0.json'),
      '--input',
      '0.5',
      '--output-dir',
      out,
    );
    expect(r.code, r.err).to.equal(0);
    expect(readTree(out)).to.deep.equal(readTree(EXPECTED));
    expectSameFiles(out);
    const back = readValueFiles(out, 'outputs.json');
    expect(back).to.be.instanceOf(Tuple);
    expect((back as Tuple).items).to.have.length(5);
  });

  it('a bad literal names itself, exits 1 and writes nothing', async () => {
    const out = join(dir, 'out');
    const r = await tsfreeze('run', join(FIXTURE, 'model.pt'), '--input', '[1, {oops', '--output-dir', out);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain("input '[1, {oops' is neither a .npy or .json file nor a JSON literal");
    expect(() => readdirSync(out)).to.throw();
  });
});
