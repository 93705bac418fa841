// The pass-manager flags `freeze` and `opt` share (src/cli/pass-manager-flags.ts): each flag works in
// both commands, with the same meaning.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { PASS_MANAGER_FLAG_GROUPS } from '../../src/cli/pass-manager-flags.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

const MISC_PLUGIN = `${REPO_ROOT}dist/test/plugins/misc-passes.js`;
const INVOLUTIONS = `${REPO_ROOT}dist/test/plugins/fold-involutions.js`;
const MODEL = join(FIXTURES_DIR, 'conv_bn_relu', 'module.pt');

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const G = `graph(%x : Tensor):
  %a : Tensor = aten::neg(%x)
  %b : Tensor = aten::neg(%a)
  %dead : Tensor = aten::relu(%x)
  return (%b)
`;

describe('cli: pass-manager flags shared by freeze and opt', function () {
  this.timeout(120_000);
  let dir: string;
  let g: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-flags-'));
    g = join(dir, 'g.ir');
    writeFileSync(g, G);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('both commands list every shared flag in --help', async () => {
    const flags = PASS_MANAGER_FLAG_GROUPS.flatMap((group) =>
      group.options({ name: 'opt', verifyEachByDefault: true }).map((o) => o.long!),
    );
    expect(flags).to.include.members(['--plugin', '--stats', '--print-changed', '--disable-pass', '--stack']);
    for (const command of ['freeze', 'opt']) {
      const help = await cli(command, '--help');
      expect(help.code).to.equal(0);
      for (const flag of flags) expect(help.out, `${command} --help`).to.include(flag);
    }
  });

  it('freeze --plugin --passes --stats --print-after: a plugin pass runs inside a freeze run', async () => {
    const r = await cli(
      'freeze',
      MODEL,
      '--plugin',
      INVOLUTIONS,
      '--passes',
      'freeze,fold-involutions',
      '--stats',
      '--print-after',
      'fold-involutions',
      '--json',
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include('IR Dump After fold-involutions on forward');
    expect(r.err).to.match(/\d+ fold-conv-bn - folded/);
    expect(JSON.parse(r.out).after.batchNorms).to.equal(0);
  });

  it('--print-changed=diff prints unified diffs of the passes that changed something', async () => {
    const r = await cli(
      'opt',
      g,
      '--passes',
      'dead-code-elimination,constant-pooling',
      '--print-changed=diff',
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include('// -----// IR Dump At Start //----- //');
    expect(r.err).to.include('// -----// IR Dump After dead-code-elimination on graph //----- //');
    expect(r.err).to.include('-  %dead : Tensor = aten::relu(%x)');
    expect(r.err).to.match(/^@@ /m);
    expect(r.err).to.include('IR Dump After constant-pooling on graph omitted because no change');
    const f = await cli('freeze', MODEL, '--print-changed=diff', '--json');
    expect(f.code, f.err).to.equal(0);
    expect(f.err).to.include('IR Dump After fold-conv-bn on forward');
    expect(f.err).to.match(/^-.*aten::batch_norm/m);
  });

  it('--disable-pass skips a pass in both commands; unknown or required names are refused', async () => {
    const r = await cli(
      'opt',
      g,
      '--passes',
      'dead-code-elimination',
      '--disable-pass',
      'dead-code-elimination',
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include('aten::relu');
    const f = await cli('freeze', MODEL, '--disable-pass', 'fold-conv-bn', '--json');
    expect(f.code, f.err).to.equal(0);
    expect(JSON.parse(f.out).after.batchNorms).to.equal(3);
    const typo = await cli('freeze', MODEL, '--disable-pass', 'fold-conv-bm');
    expect(typo.code).to.equal(1);
    expect(typo.err).to.include("did you mean 'fold-conv-bn'?");
    const required = await cli('freeze', MODEL, '--disable-pass', 'freeze-check');
    expect(required.code).to.equal(1);
    expect(required.err).to.include('required for correctness');
  });

  it('--print-pipeline-passes prints the expanded pipeline (options resolved) and runs nothing', async () => {
    const out = join(dir, 'frozen.pt');
    const seed = join(FIXTURES_DIR, 'seed_preserved_attrs', 'module.pt');
    const r = await cli('freeze', seed, '--preserve', 'version', '--print-pipeline-passes', '-o', out);
    expect(r.code, r.err).to.equal(0);
    expect(existsSync(out)).to.equal(false);
    expect(r.out).to.match(/^freeze-check\{preserve=\[version\]\},fixpoint\{max=8\}\(freeze-interfaces/);
    expect(r.out).to.include('fixpoint{max=10}(fold-conv-bn,');
    expect(r.out).to.not.include('$');
    const off = await cli('freeze', MODEL, '--no-optimize-numerics', '--print-pipeline-passes');
    expect(off.out).to.not.include('fold-conv-bn');
    const again = await cli(
      'opt',
      g,
      '--passes',
      r.out.trim().replace(/\{preserve=\[version\]\}/g, ''),
      '--print-pipeline-passes',
    );
    expect(again.code, again.err).to.equal(0);
  });

  it('--filter-print-methods prints only the named methods', async () => {
    const r = await cli(
      'freeze',
      MODEL,
      '--print-after',
      'freeze-attributes',
      '--filter-print-methods',
      'nothing',
      '--json',
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include('IR Dump After');
    expect(r.err).to.not.include('graph(');
    const shown = await cli(
      'freeze',
      MODEL,
      '--print-after',
      'freeze-attributes',
      '--filter-print-methods',
      'forward',
      '--json',
    );
    expect(shown.err).to.include('graph(');
  });

  it('--print-after-failure shows the IR a failing pass left; --stack shows its stack trace', async () => {
    const r = await cli(
      'opt',
      g,
      '--plugin',
      MISC_PLUGIN,
      '--passes',
      'explode',
      '--print-after-failure',
      '--stack',
    );
    expect(r.code).to.equal(1);
    expect(r.err).to.include('IR Dump After explode on graph Failed (kaboom)');
    expect(r.err).to.include('aten::neg');
    expect(r.err).to.match(/stack of the failing pass:\nError: kaboom\n\s+at Explode\.run/);
    const plain = await cli('opt', g, '--plugin', MISC_PLUGIN, '--passes', 'explode');
    expect(plain.err).to.not.include('    at ');
  });

  it('opt verifies after each pass by default (--no-verify-each opts out); freeze does on --verify-each', async () => {
    const broken = await cli('opt', g, '--plugin', MISC_PLUGIN, '--passes', 'break-ir');
    expect(broken.code).to.equal(1);
    expect(broken.err).to.include("pass 'break-ir' failed");
    const unchecked = await cli(
      'opt',
      g,
      '--plugin',
      MISC_PLUGIN,
      '--passes',
      'break-ir',
      '--no-verify-each',
    );
    expect(unchecked.code, unchecked.err).to.equal(0);
    const f = await cli(
      'freeze',
      MODEL,
      '--plugin',
      MISC_PLUGIN,
      '--passes',
      'freeze,break-ir',
      '--verify-each',
    );
    expect(f.code).to.equal(1);
    expect(f.err).to.include("pass 'break-ir' failed");
  });

  it('reproducers are written only when asked for', async () => {
    const r = await cli('opt', g, '--plugin', MISC_PLUGIN, '--passes', 'explode');
    expect(r.code).to.equal(1);
    expect(r.err).to.not.include('reproducer:');
  });
});
