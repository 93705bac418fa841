// Must-show: a plugin living in its own npm package. The test writes a plain-JavaScript plugin (no
// decorators, tsfreeze as a peer dependency), packs it with `npm pack` (offline), installs the tarball
// into an app folder beside a link to this package, then runs the `tsfreeze` binary from that folder
// with `--plugin <package>`, and inserts the same plugin at a freeze extension point from TypeScript.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { createFreezeContainer, freezeWithReport, loadModule, type PassClass } from '../../passes/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

const PLUGIN_JS = `// tsfreeze-plugin-relu-cleanup: relu(relu(x)) => relu(x), and counts the relus it sees.
import { definePass } from 'tsfreeze';

export const reluCleanup = definePass({
  name: 'relu-cleanup',
  summary: 'Fold relu(relu(x)) into relu(x)',
  statistics: ['seen', 'folded'],
  run(graph, context) {
    let changed = false;
    for (const outer of graph.nodesOfKind('aten::relu')) {
      context.count('seen');
      const inner = outer.inputs[0].node;
      if (inner.kind !== 'aten::relu') continue;
      outer.output().replaceAllUsesWith(inner.output());
      context.count('folded');
      changed = true;
    }
    return { changed };
  },
});

export const passes = [reluCleanup];
`;

const MODEL = join(FIXTURES_DIR, 'conv_bn_relu', 'module.pt');

describe('a plugin in its own npm package', function () {
  this.timeout(180_000);
  let dir: string;
  let app: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-npm-plugin-'));
    const pkg = join(dir, 'plugin');
    mkdirSync(pkg);
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: 'tsfreeze-plugin-relu-cleanup',
        version: '1.0.0',
        type: 'module',
        exports: { '.': './index.js' },
        peerDependencies: { tsfreeze: '*' },
      }),
    );
    writeFileSync(join(pkg, 'index.js'), PLUGIN_JS);
    const pack = spawnSync('npm', ['pack', '--offline', '--silent', '--pack-destination', dir], {
      cwd: pkg,
      encoding: 'utf8',
    });
    expect(pack.status, pack.stderr).to.equal(0);
    const tarball = join(dir, pack.stdout.trim().split('\n').pop()!);
    app = join(dir, 'app');
    const installed = join(app, 'node_modules', 'tsfreeze-plugin-relu-cleanup');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // Installing a tarball without dependencies is unpacking its package/ folder (offline, like npm).
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], {
      encoding: 'utf8',
    });
    expect(tar.status, tar.stderr).to.equal(0);
    // The peer dependency: this very package, as `npm link` would provide it.
    symlinkSync(REPO_ROOT.replace(/\/$/, ''), join(app, 'node_modules', 'tsfreeze'), 'dir');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tsfreeze freeze model.pt --plugin <package> --pipeline my.json --stats --print-changed=diff -o out.pt', () => {
    const pipeline = join(app, 'my.json');
    writeFileSync(pipeline, JSON.stringify({ passes: ['freeze', 'relu-cleanup', 'dead-code-elimination'] }));
    const out = join(app, 'out.pt');
    const run = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'tsfreeze.js'),
        'freeze',
        MODEL,
        '--plugin',
        'relu-cleanup', // resolved as tsfreeze-plugin-relu-cleanup from the working directory
        '--pipeline',
        pipeline,
        '--stats',
        '--print-changed=diff',
        '-o',
        out,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).to.equal(0);
    const seen = Number(/\s(\d+) relu-cleanup - seen/.exec(run.stderr)?.[1]);
    expect(run.stderr).to.include('IR Dump After relu-cleanup on forward omitted because no change');
    expect(run.stderr).to.include('IR Dump After fold-conv-bn on forward');
    expect(run.stderr).to.match(/^-.*aten::batch_norm/m);
    expect(run.stdout).to.include('batch_norms folded: 3');
    expect(existsSync(out)).to.equal(true);
    const frozen = loadModule(readFileSync(out));
    expect(frozen.namedParameters()).to.have.length(0);
    expect(seen).to.equal(frozen.graph.nodesOfKind('aten::relu').length).and.to.be.greaterThan(0);
  });

  it('the same plugin inserted at a freeze extension point from TypeScript', async () => {
    const plugin = (await import(
      pathToFileURL(join(app, 'node_modules', 'tsfreeze-plugin-relu-cleanup', 'index.js')).href
    )) as { passes: PassClass[] };
    const container = createFreezeContainer();
    const { registerPasses } = await import('../../passes/index.js');
    registerPasses(container, plugin.passes);
    const { report, module } = freezeWithReport(loadModule(MODEL), {
      container,
      extensions: [{ point: 'after-inlining', passes: 'relu-cleanup' }],
    });
    const at = report.executed.findIndex((e) => e.pass === 'relu-cleanup');
    expect(at).to.be.greaterThan(report.executed.findIndex((e) => e.pass === 'inline-submodules'));
    expect(at).to.be.lessThan(report.executed.findIndex((e) => e.pass === 'freeze-attributes'));
    expect(report.statistics['relu-cleanup'].seen).to.equal(module.graph.nodesOfKind('aten::relu').length);
    expect(() =>
      freezeWithReport(loadModule(MODEL), {
        container,
        extensions: [{ point: 'after-inlinig', passes: 'relu-cleanup' }],
      }),
    ).to.throw(/no such point; did you mean 'after-inlining'\?/);
  });
});
