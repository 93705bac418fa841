// The emitter against PyTorch's own compiler on hand-written functions (test/fixtures/_emit/cases.py):
// control flow with outputs and carried values, refinement, loops over ranges/lists/zip/enumerate/tuples,
// containers, subscripts, method calls, keyword arguments and defaults, constant folding. Each graph must
// match, structurally, the one torch.jit.CompilationUnit builds (scripts/extract-emit-expectations.py).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseIR, verify } from '../../src/ir/index.js';
import { diffGraphs } from '../support/graph-compare.js';
import { FIXTURES } from './zip-test-helpers.js';
import { compileSource } from './emit-test-helpers.js';

const DIR = join(FIXTURES, '_emit');
const SOURCE = readFileSync(join(DIR, 'cases.py'), 'utf8');
const NAMES = [...SOURCE.matchAll(/^def (\w+)\(/gm)].map((m) => m[1]);

describe('emit: hand-written functions match what PyTorch compiles', () => {
  const compiled = compileSource(SOURCE);

  it('has cases', () => {
    expect(NAMES.length).to.be.greaterThan(25);
  });

  for (const name of NAMES) {
    it(name, () => {
      const graph = compiled.function(name).graph;
      verify(graph);
      // PyTorch prints an empty list constant as `annotate(List[int], [])`, which the IR parser does not read.
      const text = readFileSync(join(DIR, `${name}.txt`), 'utf8').replace(
        /annotate\(List\[\w+\], \[\]\)/g,
        '[]',
      );
      const theirs = parseIR(text, { file: `${name}.txt` });
      const diff = diffGraphs(graph, theirs);
      expect(diff, `${diff}\n--- ours:\n${graph.toString()}`).to.equal(undefined);
    });
  }
});
