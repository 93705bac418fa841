// Every code block in README.md and docs/*.md compiles and runs. Blocks are typed by their fence:
//   ts / ts file=NAME.ts  compiled together with tsc (importing 'tsfreeze', this package), then each
//                         non-file block runs with node in a folder holding the example files;
//   sh                    each `tsfreeze ...` line runs through the CLI in that folder (npm lines are
//                         the set-up commands CI itself runs);
//   json                  parsed (pipeline JSON validated); ir: parsed as IR;
//   text, ebnf            shown output or grammar, not code.
// An untagged block fails the test: say what it is.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { parseIR, parsePipelineJson } from '../../src/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

interface Block {
  readonly page: string;
  readonly line: number;
  readonly lang: string;
  readonly file: string | undefined;
  readonly code: string;
}

const PAGES = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const KNOWN = ['ts', 'sh', 'json', 'ir', 'text', 'ebnf'];

function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(REPO_ROOT, page), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(?:file=(\S+))?\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    out.push({ page, line: start + 1, lang: open[1], file: open[2], code: `${body.join('\n')}\n` });
  }
  return out;
}

const BLOCKS = PAGES.flatMap(blocksOf);
// Snippets compile inside the package (dist/doc-snippets), so 'tsfreeze' resolves to this package by name.
const ROOT = join(REPO_ROOT, 'dist', 'doc-snippets');
const PLAY = join(ROOT, 'playground');

const slug = (b: Block): string => `${b.page.replace(/[/.]/g, '_')}_${b.line}`;

function preparePlayground(): void {
  mkdirSync(PLAY, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'examples', 'resnet18_w8.pt'), join(PLAY, 'model.pt'));
  for (const name of ['seed_simple_param', 'seed_preserved_attrs'])
    copyFileSync(join(FIXTURES_DIR, name, 'module.pt'), join(PLAY, `${name}.pt`));
  copyFileSync(join(REPO_ROOT, 'examples', 'nested_submodules.ir'), join(PLAY, 'graph.ir'));
  copyFileSync(join(REPO_ROOT, 'examples', 'nested_submodules.ir'), join(PLAY, 'model.ir'));
  writeFileSync(join(PLAY, 'my.json'), JSON.stringify({ passes: ['freeze', 'dead-code-elimination'] }));
  // A 1x3x32x32 float32 .npy input for `tsfreeze run --input x.npy`.
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 32, 32), }";
  const padded = header.padEnd(118, ' ') + '\n';
  const magic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]);
  writeFileSync(
    join(PLAY, 'x.npy'),
    Buffer.concat([magic, Buffer.from(padded), Buffer.alloc(3 * 32 * 32 * 4)]),
  );
}

describe('docs: every code block compiles and runs', function () {
  this.timeout(300_000);
  const ts = BLOCKS.filter((b) => b.lang === 'ts');

  before(() => {
    rmSync(ROOT, { recursive: true, force: true });
    mkdirSync(ROOT, { recursive: true });
    preparePlayground();
    for (const b of ts) writeFileSync(join(PLAY, b.file ?? `${slug(b)}.ts`), b.code);
    writeFileSync(
      join(ROOT, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: {
          rootDir: 'playground',
          outDir: 'out',
          declaration: false,
          sourceMap: false,
          inlineSources: false,
        },
        include: ['playground/*.ts'],
      }),
    );
  });

  it('every block says what it is (a known fence language)', () => {
    const unknown = BLOCKS.filter((b) => !KNOWN.includes(b.lang)).map(
      (b) => `${b.page}:${b.line} '${b.lang}'`,
    );
    expect(unknown, 'tag each block with one of ts, sh, json, ir, text, ebnf').to.deep.equal([]);
  });

  it('the TypeScript blocks compile together (tsc, strict)', () => {
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, `${r.stdout}${r.stderr}`).to.equal(0);
  });

  for (const b of ts.filter((x) => !x.file)) {
    it(`runs ${b.page}:${b.line}`, () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'out', `${slug(b)}.js`)], {
        cwd: PLAY,
        encoding: 'utf8',
      });
      expect(r.status, `${b.page}:${b.line}\n${r.stdout}${r.stderr}`).to.equal(0);
    });
  }

  for (const b of BLOCKS.filter((x) => x.lang === 'sh')) {
    it(`runs the tsfreeze commands of ${b.page}:${b.line}`, async () => {
      const commands = b.code
        .split('\n')
        .map((l) => l.replace(/\s+#.*$/, '').trim())
        .filter((l) => /^(npx )?tsfreeze /.test(l));
      const here = process.cwd();
      process.chdir(PLAY);
      try {
        for (const c of commands) {
          const argv = c
            .replace(/^(npx )?tsfreeze /, '')
            .match(/'[^']*'|\S+/g)!
            .map((a) => a.replace(/^'(.*)'$/, '$1'));
          let err = '';
          const code = await main(argv, { out: () => undefined, err: (t) => void (err += t) });
          expect(code, `${b.page}:${b.line}: ${c}\n${err}`).to.equal(0);
        }
      } finally {
        process.chdir(here);
      }
    });
  }

  for (const b of BLOCKS.filter((x) => x.lang === 'json')) {
    it(`parses ${b.page}:${b.line}`, () => {
      const data: unknown = JSON.parse(b.code);
      if (typeof data === 'object' && data !== null && 'passes' in data) parsePipelineJson(data);
    });
  }

  for (const b of BLOCKS.filter((x) => x.lang === 'ir')) {
    it(`parses the IR of ${b.page}:${b.line}`, () => {
      const text = b.code
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('//'))
        .join('\n');
      for (const graph of text.split(/\n(?=graph\()/)) if (graph.trim()) parseIR(graph);
    });
  }
});
