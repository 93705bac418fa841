// Saving frozen modules with fork/wait: the fork block prints as PyTorch prints a forked subgraph
// (`def __forked_function(): ...` then `fork(__forked_function)`), our loader reads it back with the same
// outputs, and (when /usr/bin/python3 has torch) torch.jit.load runs it with the same outputs too.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeze } from '../../passes/index.js';
import { installRuntime } from '../../src/runtime/runtime.js';
import { loadModule, saveModule } from '../../src/serialization/index.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { loadNpy, saveNpy } from '../../src/tensor/npy.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { FIXTURES } from './save-helpers.js';
import { pythonHasTorch, runPython } from './zip-test-helpers.js';

const CASES = [
  'test_freeze_module_with_fork',
  'test_freeze_module_with_nested_fork',
  'test_freeze_module_with_fork2',
  'test_freeze_module_with_fork_calling_module_method',
];

// One python process for every saved model (importing torch dominates): argv = x.npy, then model/out pairs.
const TORCH_RUN = `
import sys, numpy as np, torch
x = torch.from_numpy(np.load(sys.argv[1]))
for model, out in zip(sys.argv[2::2], sys.argv[3::2]):
    m = torch.jit.load(model)
    np.save(out, m(x).detach().numpy())
    print(sum(1 for n in m.graph.nodes() if n.kind() == 'prim::fork'))
`;

describe('saving frozen modules with fork', () => {
  let dir: string;
  before(() => {
    installRuntime();
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-fork-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const saved: { name: string; path: string; want: Tensor }[] = [];
  const x = Tensor.fromArray(
    'float32',
    Array.from({ length: 16 }, (_, i) => Math.sin(i + 1)),
    [4, 4],
  );

  for (const name of CASES) {
    it(`${name}: prints fork(__forked_function), reloads and runs with the same outputs`, () => {
      const original = loadModule(join(FIXTURES, 'freezing', name, 'module.pt')).eval();
      const want = original.forward(x) as Tensor;
      const frozen = freeze(original);
      expect(frozen.code).to.match(/def __forked_function\d*\(\):\n[\s\S]*= fork\(__forked_function\d*\)/);
      const path = join(dir, `${name}.pt`);
      saveModule(frozen, path);
      const ours = loadModule(path).forward(x) as Tensor;
      expect(allClose(ours, want, { atol: 1e-6 }), `reloaded: ${maxAbsDiff(ours, want)}`).to.equal(true);
      saved.push({ name, path, want });
    });
  }

  it('torch.jit.load runs every saved fork module with the same outputs', function () {
    if (!pythonHasTorch()) this.skip();
    expect(saved.length).to.equal(CASES.length);
    saveNpy(join(dir, 'x.npy'), x);
    const args = saved.flatMap((s) => [s.path, join(dir, `${s.name}.out.npy`)]);
    const forks = runPython(TORCH_RUN, [join(dir, 'x.npy'), ...args])
      .trim()
      .split('\n')
      .map(Number);
    saved.forEach((s, i) => {
      expect(forks[i], `${s.name}: prim::fork nodes after torch.jit.load`).to.be.greaterThan(0);
      const theirs = loadNpy(join(dir, `${s.name}.out.npy`));
      expect(allClose(theirs, s.want, { atol: 1e-5 }), `${s.name}: ${maxAbsDiff(theirs, s.want)}`).to.equal(
        true,
      );
    });
  });
});
