// Complex tensors through .pt files: complex64/complex128 buffers saved by torch 1.13 load, run, freeze
// into complex constants, save (ComplexFloatStorage / ComplexDoubleStorage records) and load again, in our
// loader and (when /usr/bin/python3 has torch) in torch.jit.load, with PyTorch's outputs every time.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeze } from '../../passes/index.js';
import { Tuple, type IValue } from '../../src/ir/ivalue.js';
import { installRuntime } from '../../src/runtime/runtime.js';
import { loadModule, saveModule } from '../../src/serialization/index.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { loadNpy } from '../../src/tensor/npy.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { FIXTURES } from './save-helpers.js';
import { pythonHasTorch, runPython } from './zip-test-helpers.js';

const DIR = join(FIXTURES, '_complex');

function expectOutputs(result: IValue, what: string): void {
  const outs = (result as Tuple).items as Tensor[];
  [0, 1].forEach((i) => {
    const want = loadNpy(join(DIR, `out${i}.npy`));
    expect(outs[i].dtype, `${what} output ${i} dtype`).to.equal(want.dtype);
    expect(
      allClose(outs[i], want, { atol: 1e-6 }),
      `${what} output ${i}: ${maxAbsDiff(outs[i], want)}`,
    ).to.equal(true);
  });
}

describe('complex tensors in .pt files', () => {
  let dir: string;
  before(() => {
    installRuntime();
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-complex-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads complex buffers saved by torch and runs complex math with its outputs', () => {
    const m = loadModule(join(DIR, 'complex_buffers.pt'));
    const w = m.getAttr('w') as Tensor;
    expect([w.dtype, (m.getAttr('d') as Tensor).dtype]).to.deep.equal(['complex64', 'complex128']);
    expectOutputs(m.forward(loadNpy(join(DIR, 'x.npy'))), 'loaded');
  });

  it('freezes complex buffers into constants, saves and reloads them', () => {
    const frozen = freeze(loadModule(join(DIR, 'complex_buffers.pt')));
    const x = loadNpy(join(DIR, 'x.npy'));
    expectOutputs(frozen.forward(x), 'frozen');
    const path = join(dir, 'frozen.pt');
    saveModule(frozen, path);
    expectOutputs(loadModule(path).forward(x), 'reloaded');
  });

  it('torch.jit.load reads the frozen complex constants back', function () {
    if (!pythonHasTorch()) this.skip();
    const path = join(dir, 'frozen.pt');
    const out = runPython(
      `import sys, numpy as np, torch
m = torch.jit.load(sys.argv[1])
a, b = m(torch.from_numpy(np.load(sys.argv[2])))
print(float((a - torch.from_numpy(np.load(sys.argv[3]))).abs().max()), float((b - torch.from_numpy(np.load(sys.argv[4]))).abs().max()))`,
      [path, join(DIR, 'x.npy'), join(DIR, 'out0.npy'), join(DIR, 'out1.npy')],
    );
    const [d0, d1] = out.trim().split(' ').map(Number);
    expect(d0).to.be.below(1e-6);
    expect(d1).to.be.below(1e-6);
  });
});
