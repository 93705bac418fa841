// The report and numerics flags end to end, in-process: `freeze --report`, `--check-numerics` naming a
// wrong plugin pass (and `--check-numerics-strict` exiting 1 without writing the model), `opt --report`,
// and `tsfreeze viz` to SVG and HTML.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { saveModule, saveNpy, Tensor } from '../../src/index.js';
import type { ReportData } from '../../src/report/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { scaledModule } from '../support/scaled-module.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

function pageData(file: string): ReportData {
  const html = readFileSync(file, 'utf8');
  const json = /<script type="application\/json" id="tsfreeze-data">(.*?)<\/script>/s.exec(html)![1];
  return JSON.parse(json) as ReportData;
}

const RESNET = join(REPO_ROOT, 'examples', 'resnet18_w8.pt');
const WRONG_PLUGIN = join(REPO_ROOT, 'dist', 'test', 'plugins', 'wrong-fold-mul-two.js');

describe('cli: --report, --check-numerics, viz', function () {
  this.timeout(300_000);
  let dir: string;
  let scaled: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-report-cli-'));
    scaled = join(dir, 'scaled.pt');
    saveModule(scaledModule(), scaled);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('freeze --report writes one self-contained page: passes, explanations, alias db, first pictures', async () => {
    const file = join(dir, 'resnet.html');
    const r = await cli('freeze', RESNET, '--report', file);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include(`report written to ${file}`);
    const html = readFileSync(file, 'utf8');
    // Nothing to fetch: no external scripts, style sheets or resources (the browser test watches requests).
    expect(html).to.not.match(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:/);
    const data = pageData(file);
    expect(data.title).to.equal(RESNET);
    expect(data.passes.map((p) => p.pass)).to.include.members([
      'inline-submodules',
      'freeze-attributes',
      'fold-conv-bn',
    ]);
    expect(data.explanations!.find((e) => e.path === 'conv1.weight')!.fates[0].kind).to.equal('folded');
    expect(data.attachments[0].text).to.include('prim::GetAttr');
    expect(data.pictures!.pass).to.equal(data.passes.find((p) => p.changed)!.number);
    expect(data.pictures!.after!.svg).to.include('data-node=');
  });

  it('--check-numerics names a wrong plugin pass as the first that breaks the outputs', async () => {
    const r = await cli(
      'freeze',
      scaled,
      '--plugin',
      WRONG_PLUGIN,
      '--passes',
      'freeze,fold-mul-two',
      '--check-numerics',
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include('synthesized inputs');
    expect(r.err).to.match(/first pass breaking the outputs: fold-mul-two \(#\d+ on forward\)/);
    const clean = await cli('freeze', scaled, '--check-numerics');
    expect(clean.err).to.match(/all \d+ changing passes within tolerance/);
  });

  it('--check-numerics-strict exits 1 and writes no model, but still the report', async () => {
    const model = join(dir, 'out.pt');
    const page = join(dir, 'strict.html');
    const r = await cli(
      'freeze',
      scaled,
      '--plugin',
      WRONG_PLUGIN,
      '--passes',
      'freeze,fold-mul-two',
      '--check-numerics-strict',
      '--report',
      page,
      '-o',
      model,
    );
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/--check-numerics-strict: pass fold-mul-two .* breaks the outputs/);
    expect(existsSync(model)).to.equal(false);
    expect(pageData(page).numerics!.firstFailure!.pass).to.equal('fold-mul-two');
  });

  it('--check-numerics=FILE.npy runs on the given inputs; a missing file is an error naming it', async () => {
    const npy = join(dir, 'x.npy');
    saveNpy(npy, Tensor.fromArray('float32', [1, 2, 3, -1, -2, -3], [2, 3]));
    const r = await cli('freeze', scaled, `--check-numerics=${npy}`);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include(`given inputs`).and.include(npy);
    const missing = await cli('freeze', scaled, `--check-numerics=${join(dir, 'nope.npy')}`);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.include('nope.npy');
  });

  it('opt --report records a graph pipeline; an IR input typed with sizes gets synthesized inputs', async () => {
    const ir = join(dir, 'g.ir');
    writeFileSync(
      ir,
      `graph(%x : Float(2, 3)):
  %1 : int = prim::Constant[value=1]()
  %d : Tensor = aten::relu(%x)
  %y : Tensor = aten::add(%x, %x, %1)
  return (%y)
`,
    );
    const page = join(dir, 'opt.html');
    const r = await cli('opt', ir, '--passes', 'dead-code-elimination', '--report', page, '--check-numerics');
    expect(r.code, r.err).to.equal(0);
    const data = pageData(page);
    expect(data.title).to.equal(ir);
    expect(data.passes[0]).to.include({ pass: 'dead-code-elimination', label: 'graph', changed: true });
    expect(data.numerics!.inputs.descriptions[0]).to.include('float32[2, 3]');
    expect(data.numerics!.firstFailure).to.equal(undefined);
  });

  it('viz draws a .pt method as SVG (one box per drawn node) or as a page; bad outputs are refused', async () => {
    const svg = join(dir, 'r.svg');
    const r = await cli('viz', RESNET, '--inline', '-o', svg);
    expect(r.code, r.err).to.equal(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).to.match(/^<svg class="tsf-graph" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const drawn = Number(/drew (\d+) of/.exec(r.err)![1]);
    expect(text.match(/data-node="/g)).to.have.length(drawn);
    const page = join(dir, 'r.html');
    expect((await cli('viz', RESNET, '-o', page)).code).to.equal(0);
    expect(pageData(page).mode).to.equal('graph');
    const bad = await cli('viz', RESNET, '-o', join(dir, 'r.png'));
    expect(bad.code).to.equal(1);
    expect(bad.err).to.include('.svg or an .html');
    expect(existsSync(join(dir, 'r.png'))).to.equal(false);
    const noMethod = await cli('viz', RESNET, '--method', 'nope', '-o', svg);
    expect(noMethod.err).to.include("no method 'nope'");
  });
});
