// `tsfreeze freeze` end to end, in-process: summaries, graph/code/explain output, errors with exit 1.

import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
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

const fixture = (name: string): string => join(FIXTURES_DIR, name, 'module.pt');
const count = (text: string, kind: string): number =>
  text.split('\n').filter((l) => l.includes(`= ${kind}(`)).length;

describe('cli: tsfreeze freeze', function () {
  this.timeout(120_000);

  it('resnet18: no batch_norm left with optimizeNumerics; one per conv without', async () => {
    const folded = await cli('freeze', fixture('tv_resnet18_w8'), '--graph');
    expect(folded.code).to.equal(0);
    expect(count(folded.out, 'aten::batch_norm')).to.equal(0);
    expect(count(folded.out, 'aten::conv2d')).to.equal(20);
    const kept = await cli('freeze', fixture('tv_resnet18_w8'), '--graph', '--no-optimize-numerics');
    expect(kept.code).to.equal(0);
    expect(count(kept.out, 'aten::batch_norm')).to.equal(count(kept.out, 'aten::conv2d'));
    expect(count(kept.out, 'aten::batch_norm')).to.equal(20);
  });

  it('prints a before/after summary, and JSON with --json', async () => {
    const text = await cli('freeze', fixture('conv_bn_relu'));
    expect(text.code).to.equal(0);
    expect(text.out).to.match(/batch_norms folded: 3/);
    const json = await cli('freeze', fixture('conv_bn_relu'), '--json');
    const summary = JSON.parse(json.out) as {
      before: { batchNorms: number };
      after: { batchNorms: number; parameters: number };
    };
    expect(summary.before.batchNorms).to.equal(3);
    expect(summary.after).to.include({ batchNorms: 0, parameters: 0 });
  });

  it('--explain says why each attribute was kept or folded', async () => {
    const r = await cli('freeze', fixture('seed_preserved_attrs'), '--preserve', 'version', '--explain');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/modified_tensor: kept: mutated in forward by aten::add_/);
    expect(r.out).to.match(/version: kept: preserved by the user/);
  });

  it('--code prints PyTorch-style code with the constants', async () => {
    const r = await cli('freeze', fixture('seed_simple_param'), '--code');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/torch\.mm\(CONSTANTS\.c0, input\)/);
  });

  it('a module saved in training mode: exit 1 with PyTorch message', async () => {
    const r = await cli('freeze', fixture('error_training_mode'));
    expect(r.code).to.equal(1);
    expect(r.err).to.match(
      /Freezing is currently only implemented for modules in eval mode\. Please call \.eval\(\)/,
    );
    expect(r.err).not.to.match(/\n\s+at /); // no stack trace
  });

  it('an unknown preserved name: exit 1, Unknown name', async () => {
    const r = await cli('freeze', fixture('seed_simple_param'), '--preserve', 'nonexistent_attr');
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/Unknown name: nonexistent_attr/);
  });

  it('a malformed pipeline file: exit 1 naming the file and the problem, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"passes": ["inline-submodules", {"pass": 3}]}');
    const out = join(dir, 'out.pt');
    const r = await cli('freeze', fixture('seed_simple_param'), '--pipeline', bad, '-o', out);
    expect(r.code).to.equal(1);
    expect(r.err).to.include('bad.json');
    expect(existsSync(out)).to.equal(false);
    writeFileSync(bad, '{"passes": ["inline-submodulez"]}');
    const unknown = await cli('freeze', fixture('seed_simple_param'), '--pipeline', bad);
    expect(unknown.code).to.equal(1);
    expect(unknown.err).to.match(/unknown pass 'inline-submodulez'[\s\S]*inline-submodules/);
  });

  it('a corrupt .pt: exit 1 naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-cli-'));
    const bad = join(dir, 'broken.pt');
    writeFileSync(bad, 'not a zip at all');
    const r = await cli('freeze', bad);
    expect(r.code).to.equal(1);
    expect(r.err).to.include('broken.pt');
  });

  it('a variant of freeze.json runs as given: without freeze-attributes nothing is folded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-cli-'));
    const variant = join(dir, 'inline-only.json');
    writeFileSync(
      variant,
      JSON.stringify({
        options: {
          preservedAttrs: { type: 'string[]', default: [], description: 'x' },
          optimizeNumerics: { type: 'boolean', default: true, description: 'x' },
        },
        passes: ['inline-submodules'],
      }),
    );
    const r = await cli('freeze', fixture('seed_simple_param'), '--pipeline', variant, '--json');
    expect(r.code).to.equal(0);
    expect((JSON.parse(r.out) as { after: { parameters: number } }).after.parameters).to.equal(3);
  });
});
