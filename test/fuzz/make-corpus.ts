// Writes the hand-made reproducers of issue 15 into test/fuzz-corpus/ (the fuzzer adds its own finds
// there too). Run: `npm run build:test && node dist/test/fuzz/make-corpus.js`. Big text cases are gzipped.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CORPUS_DIR, setExpectation, type Expectation } from './corpus.js';
import { deepIfs, nestedLoops } from './mutators/ir.js';
import { namedPipelines } from './mutators/pipeline.js';
import { nest } from './mutators/bytes.js';
import { buildArchive, readArchive, type ArchiveEntry } from '../../src/serialization/zip/index.js';

const SEED_ARCHIVE = fileURLToPath(
  new URL('../../../test/fixtures/seed_simple_param/module.pt', import.meta.url),
);

/** A corpus case written by this script: file name (with target folder), content and expectation. */
export interface MadeCase {
  readonly name: string;
  readonly data: string | Uint8Array;
  readonly expectation: Expectation;
}

const limit = (name: string, why: string): Expectation => ({
  expect: 'error',
  code: 'LIMIT_EXCEEDED',
  limit: name,
  why,
});

/** The reproducers, by issue 15 item. */
export function madeCases(): MadeCase[] {
  return [
    {
      name: 'ir/nested-ifs-501.ir',
      data: deepIfs(501),
      expectation: limit('maxNestingDepth', '15.1 IR parser: ~1,400 nested prim::If overflowed the stack'),
    },
    {
      name: 'ir/nested-ifs-495.ir',
      data: deepIfs(495),
      expectation: {
        expect: 'ok',
        why: '15.1 nesting within the limit parses, and every pass of the pipeline handles it',
      },
    },
    {
      name: 'ir/deep-tuple-type.ir',
      data: `graph(%x : ${nest('(int, ', 'int', ')', 10000)}):\n  return (%x)\n`,
      expectation: limit('maxNestingDepth', '15.1 type parser: 10k-deep tuple type'),
    },
    {
      name: 'ir/deep-dict-type.ir',
      data: `graph(%x : ${nest('Dict(str, ', 'int', ')', 10000)}):\n  return (%x)\n`,
      expectation: limit('maxNestingDepth', '15.1 type parser: 10k-deep dict type'),
    },
    {
      name: 'ir/deep-list-constant.ir',
      data: `graph():\n  %x : int[] = prim::Constant[value=${nest('[', '1', ']', 10000)}]()\n  return (%x)\n`,
      expectation: limit('maxNestingDepth', '15.1 value parser: 10k-deep list constant'),
    },
    {
      name: 'ir/list-type-100k.ir',
      data: `graph(%x : int${'[]'.repeat(100000)}):\n  return (%x)\n`,
      expectation: limit('maxNestingDepth', '15.1 type printer: 100k-deep list type (ListType.str)'),
    },
    {
      name: 'pipeline/fixpoint-10k.txt',
      data: nest('fixpoint(', 'peephole', ')', 10000),
      expectation: limit('maxNestingDepth', '15.1 pipeline text parser: 10k-deep fixpoint(...)'),
    },
    {
      name: 'pipeline-json/deep-1000.json',
      data: `{"passes": [${nest('{"fixpoint": {}, "passes": [', '"peephole"', ']}', 1000)}]}`,
      expectation: limit('maxNestingDepth', '15.1 pipeline JSON 1,000 levels deep (zod)'),
    },
    {
      name: 'pipeline-json/named-chain-10k.json',
      data: namedPipelines('chain', 10000),
      expectation: limit('maxNestingDepth', '15.1 named-pipeline planning of a 10k chain (plan.ts)'),
    },
    {
      name: 'pipeline-json/named-chain-50.json',
      data: namedPipelines('chain', 50),
      expectation: { expect: 'ok', why: '15.1 a chain of named pipelines within the limit plans and runs' },
    },
    {
      name: 'pipeline-json/named-diamond-20.json',
      data: namedPipelines('diamond', 20),
      expectation: limit('maxPipelineSteps', '15.3 a diamond of named pipelines expanding to 2^20 pass runs'),
    },
    {
      name: 'pipeline/unknown-name-1m.txt',
      data: 'x'.repeat(1_000_000),
      expectation: {
        expect: 'error',
        code: 'UNKNOWN_PASS',
        words: ['unknown pass', '1000000 characters'],
        why: '15.3 edit distance on a 1M-char unknown pass name took > 60 s',
      },
    },
    {
      name: 'ir/nested-loops-4x63.ir',
      data: nestedLoops(4, 63),
      expectation: {
        expect: 'ok',
        why: '15.3 nested constant loops fully unrolled at every level (4x63 took > 30 s)',
      },
    },
    {
      name: 'pt/zip-bomb.pt',
      data: zipBomb(),
      expectation: limit(
        'maxExpansionRatio',
        '15.3 zip bomb: a small archive whose code entry inflates to 32 MiB of zeros (2.3 MB gave 2.43 GB and exit 0): refused before inflating, against the file size',
      ),
    },
    {
      name: 'ir/arange-1e9.ir',
      data: 'graph():\n  %n : int = prim::Constant[value=1000000000]()\n  %none : NoneType = prim::Constant()\n  %t : Tensor = aten::arange(%n, %none, %none, %none, %none)\n  return (%t)\n',
      expectation: {
        expect: 'ok',
        why: '15.3 constant propagation evaluating aten::arange(1e9) took 7.9 GB: not folded now',
      },
    },
  ];
}

// A real fixture archive plus a deflated code file of 32 MiB of zeros (about 1,000 times its size).
function zipBomb(): Uint8Array {
  const seed = readArchive(readFileSync(SEED_ARCHIVE), { requireDataPkl: false });
  const entries: ArchiveEntry[] = seed.names().map((name) => ({ name, data: seed.read(name).slice() }));
  entries.push({ name: 'code/__torch__/bomb.py', data: new Uint8Array(32 << 20) });
  return buildArchive(entries, { folder: 'archive' });
}

/** Reproducers kept as files (made with PyTorch, see each `why`): only their expectations are written here. */
export const STORED_CASES: readonly { readonly name: string; readonly expectation: Expectation }[] = [
  {
    name: 'pt/deep-modules-300.pt',
    expectation: {
      expect: 'ok',
      why: '15.3 a submodule chain 300 deep (scripts/make-deep-modules.py) took 2.5 GB: inline-submodules once, and the CLI summary counts the inlined graph without building a second copy (test/fuzz/deep-modules.test.ts runs it under a 512 MB heap)',
    },
  },
  {
    name: 'pt/deep-modules-1000.pt',
    expectation: {
      expect: 'ok',
      why: '15.1/15.3 a submodule chain 1,000 deep (scripts/make-deep-modules.py), which PyTorch loads and freezes: was TOO_DEEP, then overflowed the stack restoring objects in the CLI (now filled from a work list; test/fuzz/deep-modules.test.ts loads it in a fresh process)',
    },
  },
  {
    name: 'pt/billion-laughs.pt',
    expectation: {
      expect: 'ok',
      why: '15.3 a 7 KB archive whose pickle shares sub-lists 40 levels deep (2^40 paths; was 19 s and 3.2 GB at fewer levels): saved by tsfreeze, frozen and reloaded in linear time',
    },
  },
  {
    name: 'pt/recursive-method.pt',
    expectation: {
      expect: 'error',
      code: 'RECURSIVE_CALL',
      words: ["method 'g' is called recursively. Recursive calls are not supported"],
      why: '15.4 a method calling itself (torch.jit.save output, code edited) is refused at load, as torch.jit.load does',
    },
  },
];

function main(): void {
  for (const c of STORED_CASES) setExpectation(c.name, c.expectation);
  for (const c of madeCases()) {
    const bytes = typeof c.data === 'string' ? new TextEncoder().encode(c.data) : c.data;
    const big = bytes.length > 64 * 1024;
    const path = join(CORPUS_DIR, big ? `${c.name}.gz` : c.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, big ? gzipSync(bytes, { level: 9 }) : bytes);
    setExpectation(big ? `${c.name}.gz` : c.name, c.expectation);
  }
}

if (process.argv[1]?.endsWith('make-corpus.js')) main();
