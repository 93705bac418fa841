// `tsfreeze show`, run in-process: the module tree, --graph [METHOD], --code, and exit code 1 with a clear
// message for files that are not TorchScript archives.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { parseIR } from '../../src/ir/index.js';
import { loadModule, readArchive } from '../../src/serialization/index.js';
import { FIXTURES } from '../serialization/zip-test-helpers.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const fixture = (name: string, file = 'module.pt'): string => join(FIXTURES, name, file);

describe('cli: tsfreeze show', () => {
  it('prints the module tree with classes, parameters, attributes with values, and methods', async () => {
    const { code, out, err } = await run('show', fixture('nested_submodules'));
    expect(err).to.equal('');
    expect(code).to.equal(0);
    expect(out).to.include('TorchScript archive version 3');
    expect(out).to.include('(root): __torch__.Top');
    expect(out).to.match(/label\s+str = 'top'/);
    expect(out).to.match(/eps\s+float = 0\.001/);
    expect(out).to.match(/table\s+Dict\[str, float\] = \{'a': 1\.5, 'b': -2\.0\}/);
    expect(out).to.match(/shape_hint\s+Tuple\[int, int\] = \(2, 8\)/);
    expect(out).to.match(/weight\s+float32\[8, 8\] requires_grad/);
    expect(out).to.include('methods: forward, helper');
    expect(out).to.include('lin: __torch__.torch.nn.modules.linear.Linear');
  });

  it('prints buffers and constants', async () => {
    const { code, out } = await run('show', fixture('conv_bn_relu'));
    expect(code).to.equal(0);
    expect(out).to.include('buffers:');
    expect(out).to.match(/running_mean\s+float32\[8\]/);
    expect(out).to.match(/kernel_size\s+Final\[Tuple\[int, int\]\] = \(3, 3\)/);
  });

  it('--graph prints forward as IR text that parses back', async () => {
    const { code, out } = await run('show', fixture('control_flow'), '--graph');
    expect(code).to.equal(0);
    expect(out).to.match(/^graph\(%self/);
    expect(out).to.include('prim::Loop');
    const graph = parseIR(out);
    expect(graph.inputs).to.have.lengthOf(2);
  });

  it('--graph METHOD prints another method; an unknown one is exit 1 naming the methods', async () => {
    const other = await run('show', fixture('preserved_method'), '--graph', 'other');
    expect(other.code).to.equal(0);
    expect(other.out).to.include('graph(%self : __torch__.WithExport');
    const missing = await run('show', fixture('preserved_method'), '--graph', 'nope');
    expect(missing.code).to.equal(1);
    expect(missing.err).to.include("has no method 'nope'");
    expect(missing.err).to.include('forward');
  });

  it('--code prints the TorchScript source stored in the archive', async () => {
    const { code, out } = await run('show', fixture('seed_simple_param'), '--code');
    expect(code).to.equal(0);
    expect(out).to.include('# code/__torch__.py');
    expect(out).to.include('class MyModule(Module):');
    expect(out).to.include('# code/__torch__/torch/nn/modules/linear.py');
  });

  describe('bad files exit 1 with a message naming the file', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tsfreeze-show-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a missing file', async () => {
      const { code, err } = await run('show', join(dir, 'missing.pt'));
      expect(code).to.equal(1);
      expect(err).to.include('missing.pt').and.include('no such file');
    });

    it('a text file', async () => {
      const path = join(dir, 'notes.pt');
      writeFileSync(path, 'not a model\n');
      const { code, err } = await run('show', path);
      expect(code).to.equal(1);
      expect(err).to.include('notes.pt').and.include('not a zip');
    });

    it('a flipped byte in tensor data (which loading, like torch.jit.load, does not check): CRC-32 error naming the record', async () => {
      const bytes = new Uint8Array(readFileSync(fixture('seed_simple_param')));
      bytes[readArchive(bytes).entry('data/0').dataOffset + 2] ^= 0x20;
      const path = join(dir, 'flipped.pt');
      writeFileSync(path, bytes);
      expect(loadModule(path).namedParameters()).to.have.lengthOf(3);
      const { code, err } = await run('show', path);
      expect(code).to.equal(1);
      expect(err).to.include('flipped.pt').and.include('data/0').and.include('CRC-32');
    });
  });
});

describe('cli: tsfreeze show --ops', () => {
  const zooModel = join(FIXTURES, 'zoo', 'nn.EmbeddingBag.mean', 'script', 'model.pt');

  it('lists the operators the code calls, with counts and how each runs', async () => {
    const { code, out } = await run('show', zooModel, '--ops');
    expect(code).to.equal(0);
    expect(out).to.match(/operators in \d+ nodes; \d+ without a kernel/);
    expect(out).to.match(/\s1\s+aten::embedding_bag\.padding_idx\s+kernel/);
    expect(out).to.match(/prim::GetAttr\s+interpreter/);
  });

  it('--json gives the same list as data', async () => {
    const { code, out } = await run('show', zooModel, '--ops', '--json');
    expect(code).to.equal(0);
    const parsed = JSON.parse(out) as { operators: { key: string; status: { state: string } }[] };
    const bag = parsed.operators.find((o) => o.key === 'aten::embedding_bag.padding_idx');
    expect(bag?.status.state).to.equal('kernel');
  });
});
