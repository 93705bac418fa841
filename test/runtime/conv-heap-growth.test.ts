// Regression (wrong result, wav2vec2's feature extractor): the WebAssembly heap grew inside a conv's
// output epilogue, and the next 1024-pixel block of that conv packed its columns through the typed-array
// view taken before the growth (a view of the old memory), so every output pixel past the first block
// was garbage — on the first call of a process only (later calls found the heap grown). The check runs
// in a child process so the heap starts small whatever ran before.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('convolution while the WebAssembly heap grows', () => {
  it('the first large convs of a fresh process match the direct definition past the first GEMM block', () => {
    const child = join(import.meta.dirname, 'conv-heap-growth-child.js');
    const run = spawnSync(process.execPath, [child], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).to.equal(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).to.have.length(2);
    for (const line of lines) {
      const [name, error] = line.split(' ');
      expect(Number(error), name).to.be.lessThan(1e-4);
    }
  });
});
