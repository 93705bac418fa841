// `tsfreeze ir print` / `ir verify`: real graphs reprint byte for byte; malformed IR gives
// file:line:col, the line, a caret and exit 1.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('cli: tsfreeze ir', () => {
  for (const file of [
    'control_flow/graph.txt',
    'nested_submodules/inlined_graph.txt',
    'conv_bn_relu/frozen_graph.txt',
  ]) {
    it(`ir print reprints ${file} byte for byte`, async () => {
      const path = join(FIXTURES_DIR, file);
      const r = await cli('ir', 'print', path);
      expect(r.code).to.equal(0);
      expect(r.out).to.equal(readFileSync(path, 'utf8'));
    });
  }

  it('ir verify reports the node count', async () => {
    const r = await cli('ir', 'verify', join(FIXTURES_DIR, 'control_flow/graph.txt'));
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/ok \(\d+ nodes, 2 inputs, 1 outputs\)/);
  });

  it('malformed IR: file:line:col, the line, a caret, exit 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-ir-'));
    const path = join(dir, 'bad.ir');
    writeFileSync(path, 'graph(%x : Tensor):\n  %y : Tensor = aten::relu(%z)\n  return (%y)\n');
    const r = await cli('ir', 'print', path);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/bad\.ir:2:\d+: .*%z/);
    expect(r.err).to.include('  %y : Tensor = aten::relu(%z)');
    expect(r.err).to.match(/\n\s*\^/);
    expect(r.err).not.to.match(/\n\s+at /);
  });

  it('a missing file: exit 1 naming it', async () => {
    const r = await cli('ir', 'verify', '/nonexistent/graph.ir');
    expect(r.code).to.equal(1);
    expect(r.err).to.include('/nonexistent/graph.ir');
  });
});
