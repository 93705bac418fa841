// What `npm pack` would publish: the built code, docs and LICENSE, one freeze.json, source maps that
// carry their sources, and `./package.json` reachable through the exports map.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../support/ir-case-runner.js';

interface PackFile {
  readonly path: string;
}

describe('package contents (npm pack --dry-run)', function () {
  this.timeout(120_000);
  let files: string[];
  before(() => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--offline', '--ignore-scripts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    files = (JSON.parse(r.stdout) as { files: PackFile[] }[])[0].files.map((f) => f.path);
  });

  it('ships the entry, the CLI, LICENSE and every docs page', () => {
    expect(files).to.include.members([
      'LICENSE',
      'README.md',
      'package.json',
      'bin/tsfreeze.js',
      'bin/package.json',
      'dist/passes/index.js',
      'dist/passes/index.d.ts',
      'dist/src/cli/main.js',
      'dist/src/cli/main.bundle.js',
      'dist/src/cli/help-snapshot.json',
      'dist/src/cli/cli.bundle.cjs',
      'dist/src/cli/freeze-worker.js',
      'docs/writing-a-pass.md',
      'docs/embedding.md',
      'docs/cli.md',
      'docs/pipeline.schema.json',
    ]);
    expect(files.filter((f) => f.startsWith('dist/test') || f.startsWith('dist/bench'))).to.deep.equal([]);
    // The CLI's V8 code cache belongs to the machine that built it (src/runtime/cli-bundle.ts).
    expect(files.filter((f) => f.endsWith('.cache'))).to.deep.equal([]);
  });

  it('holds exactly one freeze.json, the one the code reads', () => {
    expect(files.filter((f) => f.endsWith('freeze.json'))).to.deep.equal([
      'dist/passes/pipelines/freeze.json',
    ]);
  });

  it('source maps carry their sources (the .ts files are not shipped)', () => {
    const maps = files.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).to.be.greaterThan(0);
    const map = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/passes/index.js.map'), 'utf8')) as {
      sourcesContent?: string[];
    };
    expect(map.sourcesContent?.[0]).to.include('builtinPasses');
  });

  it('exports ./package.json and the freeze pipeline', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    expect(pkg.exports['./package.json']).to.equal('./package.json');
    expect(pkg.exports['./pipelines/freeze.json']).to.equal('./dist/passes/pipelines/freeze.json');
  });
});
