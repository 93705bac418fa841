// TorchScript classes (@torch.jit.script class) through .pt files, against torch 1.13 (fixture written by
// scripts/make-script-class-fixture.py): objects created in forward with `X.__new__(X)` + `__init__`,
// objects held in attributes (a list of objects, an Optional object field, magic methods), a mutated
// object. Load and run, freeze (the attribute objects become object constants where PyTorch makes them),
// save, and load again in our loader and in torch.jit.load; torch's own frozen archive (objects in
// constants.pkl) loads and runs here too.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeze } from '../../passes/index.js';
import type { Graph } from '../../src/ir/graph.js';
import type { IValue, Tuple } from '../../src/ir/ivalue.js';
import { NamedClassType } from '../../src/ir/types.js';
import { installRuntime } from '../../src/runtime/runtime.js';
import { loadModule, saveModule } from '../../src/serialization/index.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { loadNpy } from '../../src/tensor/npy.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { FIXTURES } from './save-helpers.js';
import { pythonHasTorch, runPython } from './zip-test-helpers.js';

const DIR = join(FIXTURES, '_script_class');

interface Expected {
  readonly model: { calls: number; seen: string[] };
  readonly frozen: { calls: number; seen: string[] };
  readonly frozen_object_constants: string[];
  readonly frozen_in_memory_calls: number[];
}

const expected = (): Expected => JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;
const input = (): Tensor => loadNpy(join(DIR, 'x.npy'));

/** Checks y and z against PyTorch's arrays (`prefix`_y.npy, _z.npy); returns calls and seen. */
function checkTensors(result: IValue, prefix: string, what: string): { calls: number; seen: string[] } {
  const [y, z, calls, seen] = (result as Tuple).items as [Tensor, Tensor, number, string[]];
  for (const [got, name] of [
    [y, 'y'],
    [z, 'z'],
  ] as const) {
    const want = loadNpy(join(DIR, `${prefix}_${name}.npy`));
    expect(allClose(got, want, { atol: 1e-6 }), `${what} ${name}: ${maxAbsDiff(got, want)}`).to.equal(true);
  }
  return { calls: Number(calls), seen };
}

/** Class names (last component) of the object constants in a graph, nested blocks included. */
function objectConstants(graph: Graph): string[] {
  const names: string[] = [];
  for (const n of graph.allNodes()) {
    const t = n.outputs[0]?.type;
    if (n.kind === 'prim::Constant' && t instanceof NamedClassType)
      names.push(t.qualifiedName.split('.').pop()!);
  }
  return names.sort();
}

describe('script classes in .pt files', () => {
  let dir: string;
  before(() => {
    installRuntime();
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-script-class-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the scripted module and runs it as torch does (objects created, mutated, held)', () => {
    const out = checkTensors(loadModule(join(DIR, 'scripted.pt')).forward(input()), 'model', 'loaded');
    expect(out).to.deep.equal(expected().model);
  });

  it("freezes attribute objects into object constants where PyTorch does, with PyTorch's outputs", () => {
    const frozen = freeze(loadModule(join(DIR, 'scripted.pt')));
    expect(objectConstants(frozen.graph)).to.deep.equal(expected().frozen_object_constants);
    // The mutated object is shared by the frozen module across calls, as in PyTorch's frozen module.
    const calls = [0, 1].map(() => checkTensors(frozen.forward(input()), 'model', 'frozen').calls);
    expect(calls).to.deep.equal(expected().frozen_in_memory_calls);
  });

  it('saves the frozen module (objects in constants.pkl) and loads it back here', () => {
    const path = join(dir, 'ours_frozen.pt');
    saveModule(freeze(loadModule(join(DIR, 'scripted.pt'))), path);
    const reloaded = loadModule(path);
    expect(objectConstants(reloaded.graph)).to.deep.equal(expected().frozen_object_constants);
    expect(checkTensors(reloaded.forward(input()), 'frozen', 'reloaded').seen).to.deep.equal(
      expected().frozen.seen,
    );
  });

  it("loads torch's frozen archive, whose objects are constants, and runs it", () => {
    const m = loadModule(join(DIR, 'torch_frozen.pt'));
    expect(objectConstants(m.graph)).to.deep.equal(expected().frozen_object_constants);
    const out = checkTensors(m.forward(input()), 'frozen', 'torch-frozen');
    expect(out.seen).to.deep.equal(expected().frozen.seen);
    // torch.jit.load drops writes to fields of CONSTANTS objects (calls stays 0, so 0 + 3); we keep them
    // (1 + 3), as the frozen module computed before it was saved. docs/freeze.md lists the difference.
    expect([out.calls, expected().frozen.calls]).to.deep.equal([4, 3]);
  });

  it('torch.jit.load reads our frozen archive with its object constants', function () {
    if (!pythonHasTorch()) this.skip();
    const path = join(dir, 'ours_frozen.pt');
    const out = runPython(
      `import sys, numpy as np, torch
m = torch.jit.load(sys.argv[1])
y, z, calls, seen = m(torch.from_numpy(np.load(sys.argv[2])))
d = lambda a, f: float((a - torch.from_numpy(np.load(f))).abs().max())
print(d(y, sys.argv[3]), d(z, sys.argv[4]), ",".join(seen))`,
      [path, join(DIR, 'x.npy'), join(DIR, 'frozen_y.npy'), join(DIR, 'frozen_z.npy')],
    );
    const [dy, dz, seen] = out.trim().split(' ');
    expect(Number(dy)).to.be.below(1e-6);
    expect(Number(dz)).to.be.below(1e-6);
    expect(seen).to.equal(expected().frozen.seen.join(','));
  });
});
