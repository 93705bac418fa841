// `tsfreeze freeze a.pt b.pt ... -o DIR --jobs N`: several models, in worker threads, each frozen
// exactly as a single-model run with the same flags would be.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const NAMES = ['conv_bn_relu', 'seed_simple_param', 'nested_submodules', 'dropout_linear_eval'];

describe('cli: tsfreeze freeze with several models and --jobs', function () {
  this.timeout(180_000);
  let dir: string;
  let MODELS: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-many-'));
    // Each fixture is a module.pt in its own folder: give them distinct names, as a user's files have.
    MODELS = NAMES.map((n) => {
      const to = join(dir, `${n}.pt`);
      copyFileSync(join(FIXTURES_DIR, n, 'module.pt'), to);
      return to;
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--jobs 2 writes every model into DIR, byte-identical to one-at-a-time runs, summaries in order', async () => {
    const par = join(dir, 'par');
    const r = await cli('freeze', ...MODELS, '-o', par, '--jobs', '2', '--json');
    expect(r.code, r.err).to.equal(0);
    const summaries = r.out.split(/\n(?=\{)/).map((t) => JSON.parse(t) as { model: string; output: string });
    expect(summaries.map((s) => s.model)).to.deep.equal(MODELS);
    for (const model of MODELS) {
      const name = model.split('/').slice(-1)[0];
      // Same file name: the archive's top folder is named after it, as torch.jit.save does.
      mkdirSync(join(dir, 'single'), { recursive: true });
      const single = join(dir, 'single', name);
      const one = await cli('freeze', model, '-o', single);
      expect(one.code, one.err).to.equal(0);
      expect(readFileSync(join(par, name)).equals(readFileSync(single)), model).to.equal(true);
    }
  });

  it('shared flags reach every model; a failing model fails the command but not the others', async () => {
    const out = join(dir, 'out');
    const missing = join(dir, 'nope.pt');
    const r = await cli('freeze', MODELS[0], missing, MODELS[1], '-o', out, '--jobs', '2', '--stats');
    expect(r.code).to.equal(1);
    expect(r.err).to.include(`nope.pt`);
    expect(r.err).to.include('1 of 3 models failed');
    expect(r.err.match(/Statistics Collected/g)).to.have.length(2);
    expect(existsSync(join(out, 'conv_bn_relu.pt'))).to.equal(true);
    expect(existsSync(join(out, 'seed_simple_param.pt'))).to.equal(true);
    expect(existsSync(join(out, 'nope.pt'))).to.equal(false);
  });

  it('two models with one file name are refused before anything runs', async () => {
    const a = join(FIXTURES_DIR, 'conv_bn_relu', 'module.pt');
    const b = join(FIXTURES_DIR, 'seed_simple_param', 'module.pt');
    const r = await cli('freeze', a, b, '-o', join(dir, 'out'), '--jobs', '2');
    expect(r.code).to.equal(1);
    expect(r.err).to.include('two models are named module.pt');
  });
});
