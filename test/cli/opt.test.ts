// `tsfreeze opt`, run in-process: output, exit codes, every instrumentation flag, plugins, reproducers.

import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runOptCommand } from '../../src/cli/opt-command.js';
import { loadModule } from '../../src/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { fileCheck } from '../support/filecheck.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

const PLUGIN = `${REPO_ROOT}dist/test/plugins/fold-involutions.js`;
const MISC_PLUGIN = `${REPO_ROOT}dist/test/plugins/misc-passes.js`;

/** A graph with dead pure nodes (top level and nested) next to an in-place op, SetAttr and RaiseException. */
const G = `graph(%self : __torch__.M,
      %x : Tensor,
      %c : bool):
  %one : int = prim::Constant[value=1]()
  %none : NoneType = prim::Constant()
  %msg : str = prim::Constant[value="bad input"]()
  %dead : Tensor = aten::mul(%x, %x)
  %dead2 : Tensor = aten::relu(%dead)
  %inplace : Tensor = aten::add_(%x, %x, %one)
   = prim::SetAttr[name="seen"](%self, %x)
  %r : Tensor = prim::If(%c)
    block0():
      %nested_dead : Tensor = aten::sigmoid(%x)
       = prim::RaiseException(%msg, %none)
      -> (%x)
    block1():
      %nested_dead2 : Tensor = aten::tanh(%x)
      %y : Tensor = aten::neg(%x)
      -> (%y)
  return (%r)
`;

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('tsfreeze opt', () => {
  let dir: string;
  let g: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-opt-'));
    g = join(dir, 'g.ir');
    writeFileSync(g, G);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function opt(...args: string[]): Promise<Run> {
    let out = '';
    let err = '';
    const code = await runOptCommand(args, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  }

  it('--passes dead-code-elimination removes dead pure nodes, nested ones too, and keeps in-place ops, SetAttr and RaiseException', async () => {
    const r = await opt(g, '--passes', 'dead-code-elimination');
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.equal('');
    fileCheck(
      r.out,
      `
      CHECK-NOT: aten::mul
      CHECK-NOT: aten::relu
      CHECK: %inplace : Tensor = aten::add_(%x, %x, %one)
      CHECK-NEXT: = prim::SetAttr[name="seen"](%self, %x)
      CHECK-NEXT: %r : Tensor = prim::If(%c)
      CHECK-NEXT: block0():
      CHECK-NEXT: = prim::RaiseException(%msg, %none)
      CHECK-NEXT: -> (%x)
      CHECK-NEXT: block1():
      CHECK-NEXT: %y : Tensor = aten::neg(%x)
      CHECK-NEXT: -> (%y)
      CHECK-NOT: sigmoid
      CHECK-NOT: tanh`,
    );
  });

  it('--passes no-such-pass exits 1 naming the known passes', async () => {
    const r = await opt(g, '--passes', 'dead-code-elimination,no-such-pass');
    expect(r.code).to.equal(1);
    expect(r.out).to.equal('');
    expect(r.err).to.include("error: unknown pass 'no-such-pass'");
    expect(r.err).to.match(/known passes: .*constant-pooling, .*dead-code-elimination/);
    expect(r.err).to.not.include('    at '); // no stack trace
  });

  it('a typo gets the nearest pass suggested', async () => {
    const r = await opt(g, '--passes', 'dead-code-elimnation');
    expect(r.code).to.equal(1);
    expect(r.err).to.include("did you mean 'dead-code-elimination'?");
  });

  it('malformed pipeline text names the column, with a caret', async () => {
    const r = await opt(g, '--passes', 'dead-code-elimination,fixpoint{max=3}(constant-pooling');
    expect(r.code).to.equal(1);
    expect(r.err).to.include('pipeline syntax error at column 55');
    expect(r.err).to.include(
      `  dead-code-elimination,fixpoint{max=3}(constant-pooling\n  ${' '.repeat(54)}^`,
    );
  });

  it('--pipeline FILE.json runs the same pipeline as its text form, with the same output', async () => {
    const json = join(dir, 'p.json');
    writeFileSync(
      json,
      JSON.stringify({
        passes: ['dead-code-elimination', { fixpoint: { max: 3 }, passes: ['constant-pooling'] }],
      }),
    );
    const a = await opt(g, '--pipeline', json);
    const b = await opt(g, '--passes', 'dead-code-elimination,fixpoint{max=3}(constant-pooling)');
    expect(a.code, a.err).to.equal(0);
    expect(a.out).to.equal(b.out);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ passes: [{ fixpoint: { max: 'x' }, passes: [] }] }));
    const c = await opt(g, '--pipeline', bad);
    expect(c.code).to.equal(1);
    expect(c.err).to.include('passes[0].fixpoint.max');
  });

  it('--time-passes prints the timing tree to stderr, the IR to stdout', async () => {
    const r = await opt(
      g,
      '--passes',
      'constant-pooling,fixpoint(dead-code-elimination,constant-pooling)',
      '--time-passes',
    );
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^graph\(/);
    fileCheck(
      r.err,
      `
      CHECK: ... Pass execution timing report ...
      CHECK: Total Execution Time: {{[0-9]+\\.[0-9]{4}}} seconds
      CHECK: ----Wall Time----  ----Name----
      CHECK-NEXT: {{[0-9.]+ \\( *[0-9.]+%\\)}}  constant-pooling
      CHECK-NEXT: {{[0-9.]+ \\( *[0-9.]+%\\)}}  fixpoint (2 iterations)
      CHECK-NEXT: {{[0-9.]+ \\( *[0-9.]+%\\)}}    dead-code-elimination (x2)
      CHECK-NEXT: {{[0-9.]+ \\( *[0-9.]+%\\)}}    constant-pooling (x2)
      CHECK-NEXT: (100.0%)  Total`,
    );
  });

  it('--print-after-all prints the IR after each pass; --print-after NAME only after that one', async () => {
    const all = await opt(g, '--passes', 'constant-pooling,dead-code-elimination', '--print-after-all');
    fileCheck(
      all.err,
      `
      CHECK: // -----// IR Dump After constant-pooling on graph //----- //
      CHECK-NEXT: graph(%self : __torch__.M,
      CHECK: aten::mul
      CHECK: // -----// IR Dump After dead-code-elimination on graph //----- //
      CHECK-NEXT: graph(%self : __torch__.M,
      CHECK-NOT: aten::mul`,
    );
    const one = await opt(
      g,
      '--passes',
      'constant-pooling,dead-code-elimination',
      '--print-after',
      'dead-code-elimination',
    );
    expect(one.err.match(/IR Dump/g)).to.have.length(1);
    expect(one.err).to.include('IR Dump After dead-code-elimination on graph');
    const bad = await opt(g, '--passes', 'constant-pooling', '--print-after', 'dead-code-elimnation');
    expect(bad.code).to.equal(1);
    expect(bad.err).to.include("did you mean 'dead-code-elimination'");
  });

  it('--print-changed prints the input, each change, and notes passes that changed nothing', async () => {
    const r = await opt(g, '--passes', 'dead-code-elimination,dead-code-elimination', '--print-changed');
    const headers = r.err.split('\n').filter((l) => l.startsWith('// -----//'));
    expect(headers).to.deep.equal([
      '// -----// IR Dump At Start //----- //',
      '// -----// IR Dump After dead-code-elimination on graph //----- //',
      '// -----// IR Dump After dead-code-elimination on graph omitted because no change //----- //',
    ]);
  });

  it('--verify-each is silent on good passes and names the pass that breaks the IR', async () => {
    const ok = await opt(g, '--passes', 'dead-code-elimination,constant-pooling', '--verify-each');
    expect(ok.code).to.equal(0);
    expect(ok.err).to.equal('');
    const bad = await opt(
      g,
      '--plugin',
      MISC_PLUGIN,
      '--passes',
      'constant-pooling,break-ir,dead-code-elimination',
      '--verify-each',
      '--reproducer-dir',
      dir,
    );
    expect(bad.code).to.equal(1);
    expect(bad.out).to.equal('');
    expect(bad.err).to.include("error: pass 'break-ir' failed:");
    expect(bad.err).to.include('passes run before it: constant-pooling');
    expect(bad.err).to.include('prim::Constant[value=1](%none)'); // the broken node is printed
    expect(bad.err).to.include(`reproducer: ${dir}`);
  });

  it('--stats prints the counted statistics', async () => {
    const r = await opt(g, '--passes', 'dead-code-elimination,constant-pooling', '--stats');
    fileCheck(
      r.err,
      `
      CHECK: ... Statistics Collected ...
      CHECK-NOT: constant-pooling
      CHECK: 4 dead-code-elimination - nodes-removed`,
    );
  });

  it('--opt-bisect-limit N runs the first N passes and lists what ran and what did not', async () => {
    const r = await opt(
      g,
      '--passes',
      'constant-pooling,dead-code-elimination,constant-pooling',
      '--opt-bisect-limit',
      '1',
    );
    expect(r.code).to.equal(0);
    expect(r.err.trimEnd().split('\n')).to.deep.equal([
      'BISECT: running pass (1) constant-pooling on graph',
      'BISECT: NOT running pass (2) dead-code-elimination on graph',
      'BISECT: NOT running pass (3) constant-pooling on graph',
    ]);
    expect(r.out).to.include('aten::mul'); // dead-code-elimination did not run
    const bad = await opt(g, '--passes', 'constant-pooling', '--opt-bisect-limit', 'many');
    expect(bad.code).to.equal(1);
    expect(bad.err).to.include('expects an integer');
  });

  it('a failing pass exits 1 and writes a reproducer that `opt --run-reproducer` replays with its plugin', async () => {
    const r = await opt(
      g,
      '--plugin',
      MISC_PLUGIN,
      '--passes',
      'dead-code-elimination,explode',
      '--reproducer-dir',
      dir,
    );
    expect(r.code).to.equal(1);
    expect(r.err).to.include("error: pass 'explode' failed: kaboom");
    expect(r.err).to.include('passes run before it: dead-code-elimination');
    const path = /reproducer: (.*)/.exec(r.err)![1];
    const text = readFileSync(path, 'utf8');
    expect(text).to.include('"pipeline": "dead-code-elimination,explode"');
    expect(text).to.include('aten::mul'); // the input as the pipeline received it
    const again = await opt('--run-reproducer', path);
    expect(again.code).to.equal(1);
    expect(again.err).to.include("pass 'explode' failed: kaboom");
    expect(again.err).to.not.include('reproducer:');
  });

  it('--option sets pipeline options for $references and when groups', async () => {
    const text = 'when{option=clean}(dead-code-elimination)';
    expect((await opt(g, '--passes', text, '--option', 'clean=true')).out).to.not.include('aten::mul');
    expect((await opt(g, '--passes', text, '--option', 'clean=false')).out).to.include('aten::mul');
    const unset = await opt(g, '--passes', text);
    expect(unset.code).to.equal(1);
    expect(unset.err).to.include("pipeline option 'clean' is not set");
  });

  it('--remarks prints why passes did not do something', async () => {
    const ir = join(dir, 'mystery.ir');
    writeFileSync(ir, 'graph(%x : Tensor):\n  %y : Tensor = mylib::mystery(%x)\n  return (%x)\n');
    const r = await opt(ir, '--passes', 'dead-code-elimination', '--remarks');
    expect(r.err).to.equal(
      'remark: dead-code-elimination on graph: mylib::mystery -> %y: kept: mylib::mystery is not in the operator table, so it may have side effects\n',
    );
    expect((await opt(ir, '--passes', 'dead-code-elimination')).err).to.equal('');
  });

  it('-o writes the IR to a file', async () => {
    const out = join(dir, 'out.ir');
    const r = await opt(g, '--passes', 'dead-code-elimination', '-o', out);
    expect(r.out).to.equal('');
    expect(readFileSync(out, 'utf8')).to.match(/^graph\(/);
  });

  it('bad input files exit 1 with the file position', async () => {
    const missing = await opt(join(dir, 'nope.ir'), '--passes', 'dead-code-elimination');
    expect(missing.code).to.equal(1);
    expect(missing.err).to.include('nope.ir: no such file');
    const broken = join(dir, 'broken.ir');
    writeFileSync(
      broken,
      '// a comment line\ngraph(%x : Tensor):\n  %y : Tensor = aten::relu(%z)\n  return (%y)\n',
    );
    const r = await opt(broken, '--passes', 'dead-code-elimination');
    expect(r.code).to.equal(1);
    expect(r.err).to.include(`${broken}:3:`);
    const noPipeline = await opt(g);
    expect(noPipeline.code).to.equal(1);
    expect(noPipeline.err).to.include("give --passes '<pipeline>' or --pipeline FILE.json");
  });

  it('--list-passes lists names, summaries, options and statistics', async () => {
    const r = await opt('--list-passes');
    expect(r.code).to.equal(0);
    fileCheck(
      r.out,
      `
      CHECK: Passes:
      CHECK: constant-pooling
      CHECK-NEXT: Keep one prim::Constant per distinct value
      CHECK-NEXT: statistics: constants-merged, constants-hoisted
      CHECK: dead-code-elimination
      CHECK-NEXT: Remove nodes whose outputs are unused`,
    );
    expect(r.out).to.not.include('fold-involutions');
  });

  it('a plugin loaded with --plugin runs by name, gets its constructor dependency, and is listed', async () => {
    const ir = join(dir, 'neg.ir');
    writeFileSync(
      ir,
      'graph(%x : Tensor):\n  %a : Tensor = aten::neg(%x)\n  %b : Tensor = aten::neg(%a)\n  %c : Tensor = aten::relu(%b)\n  return (%c)\n',
    );
    const r = await opt(
      ir,
      '--plugin',
      PLUGIN,
      '--passes',
      'fold-involutions,dead-code-elimination',
      '--stats',
    );
    expect(r.code, r.err).to.equal(0);
    fileCheck(
      r.out,
      'CHECK: graph(%x : Tensor):\nCHECK-NEXT: %c : Tensor = aten::relu(%x)\nCHECK-NEXT: return (%c)',
    );
    expect(r.err).to.include('1 fold-involutions - folded');
    const list = await opt('--list-passes', '--plugin', PLUGIN);
    fileCheck(
      list.out,
      `
      CHECK: fold-involutions
      CHECK-NEXT: Fold f(f(x)) into x for involutions such as aten::neg
      CHECK-NEXT: options:
      CHECK-NEXT: only: string[] = []  fold only these op kinds
      CHECK-NEXT: statistics: folded`,
    );
    const options = await opt(
      ir,
      '--plugin',
      PLUGIN,
      '--passes',
      'fold-involutions{only=[aten::bitwise_not]}',
    );
    expect(options.out).to.include('aten::neg(%a)');
  });

  it('a plugin that cannot be loaded, or exports nothing usable, is an error naming it', async () => {
    const missing = await opt('--list-passes', '--plugin', join(dir, 'nope.js'));
    expect(missing.code).to.equal(1);
    expect(missing.err).to.include(`cannot load plugin ${join(dir, 'nope.js')}`);
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const nothing = 1;\n');
    const r = await opt('--list-passes', '--plugin', empty);
    expect(r.code).to.equal(1);
    expect(r.err).to.include('exports neither register(container) nor a passes array');
  });

  it('anchored groups run on chosen submodules and methods of a .pt; mistakes exit 1 before any change', async () => {
    const model = join(FIXTURES_DIR, 'nested_submodules', 'module.pt');
    const out = join(dir, 'out.pt');
    const pipeline = 'submodules(mid: inline-submodules),methods(forward: dead-code-elimination)';
    const r = await opt(model, '--passes', pipeline, '-o', out);
    expect(r.code, r.err).to.equal(0);
    const saved = loadModule(out);
    const calls = (path: string): number =>
      [...saved.getSubmodule(path).getMethod('forward').graph.allNodes()].filter(
        (n) => n.kind === 'prim::CallMethod',
      ).length;
    expect(calls('mid')).to.equal(0);
    expect(calls('')).to.be.greaterThan(0);
    const listed = await opt(model, '--passes', pipeline, '--print-pipeline-passes');
    expect(listed.out).to.equal('submodules(mid:inline-submodules),methods(forward:dead-code-elimination)\n');
    const missing = await opt(model, '--passes', 'submodules(mid.ownn: dead-code-elimination)', '-o', out);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.include(
      "error: submodules(mid.ownn): submodule 'mid' has no submodule 'ownn'; did you mean 'own'?",
    );
    const onGraph = await opt(g, '--passes', 'methods(forward: dead-code-elimination)');
    expect(onGraph.code).to.equal(1);
    expect(onGraph.err).to.include('the pipeline input is a single graph');
  });

  it('--help exits 0 and lists the flags', async () => {
    const r = await opt('--help');
    expect(r.code).to.equal(0);
    for (const flag of [
      '--passes',
      '--pipeline',
      '--print-after-all',
      '--print-changed',
      '--time-passes',
      '--stats',
      '--verify-each',
      '--opt-bisect-limit',
      '--plugin',
      '--list-passes',
    ]) {
      expect(r.out).to.include(flag);
    }
  });
});
