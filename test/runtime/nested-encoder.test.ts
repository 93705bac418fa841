// nn.TransformerEncoder's nested-tensor fast path (src/runtime/kernels/nested-padded.ts) against PyTorch
// 1.13 (test/fixtures/nested_encoder, scripts/make-nested-encoder-fixture.py): the scripted encoder, run as
// loaded and after freeze(), gives PyTorch's outputs, cut to the longest sequence with zeros past each
// length; a mask with a gap takes the dense path as in PyTorch. Other kernels refuse a nested value.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeze } from '../../passes/index.js';
import type { ScriptModule } from '../../src/module/index.js';
import { KERNELS } from '../../src/runtime/kernels/index.js';
import { nestedFromMask } from '../../src/runtime/kernels/nested-padded.js';
import { installRuntime } from '../../src/runtime/runtime.js';
import { loadModule } from '../../src/serialization/index.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { loadNpy } from '../../src/tensor/npy.js';
import { Tensor } from '../../src/tensor/tensor.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'nested_encoder');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as {
  cases: { name: string; pad: string; out: string }[];
};

describe("nn.TransformerEncoder's nested-tensor fast path vs PyTorch 1.13", () => {
  before(() => installRuntime());
  const x = loadNpy(join(DIR, 'x.npy'));

  // One module per way of running, shared by the cases (freezing takes a few seconds).
  const modules: Record<string, ScriptModule> = {};
  const moduleFor = (label: string): ScriptModule =>
    (modules[label] ??=
      label === 'frozen' ? freeze(loadModule(join(DIR, 'model.pt'))) : loadModule(join(DIR, 'model.pt')));
  for (const label of ['as loaded', 'frozen']) {
    for (const c of index.cases) {
      it(`${c.name} (${label})`, () => {
        const got = moduleFor(label).forward(x, null, loadNpy(join(DIR, c.pad))) as Tensor;
        const want = loadNpy(join(DIR, c.out));
        expect([...got.shape]).to.deep.equal([...want.shape]);
        expect(
          allClose(got, want, { atol: 1e-5, rtol: 1e-5 }),
          `max |diff| ${maxAbsDiff(got, want)}`,
        ).to.equal(true);
      });
    }
  }

  it('kernels other than the encoder layer and to_padded_tensor refuse a nested value', () => {
    const nested = nestedFromMask(
      x,
      Tensor.fromArray('bool', new Array<boolean>(18).fill(true), [3, 6]),
      true,
    );
    expect(() => KERNELS['aten::relu']([nested])).to.throw(/nested tensor is not supported/);
    expect(() => KERNELS['aten::cat']([[nested, x], 0])).to.throw(/nested tensor is not supported/);
    expect(KERNELS['aten::dim']([nested])).to.equal(3);
  });

  it('to_padded_tensor pads to output_size and refuses truncation, as PyTorch', () => {
    const mask = Tensor.fromArray('bool', [true, false, false, true, true, false], [2, 3]);
    const nested = nestedFromMask(x.slice(0, 0, 2).slice(1, 0, 3), mask, true);
    const padded = KERNELS['aten::to_padded_tensor']([nested, 7, [2, 4, 8]]) as Tensor;
    expect([...padded.shape]).to.deep.equal([2, 4, 8]);
    expect(padded.get(0, 1, 0)).to.equal(7);
    expect(padded.get(1, 1, 3)).to.equal(x.get(1, 1, 3));
    expect(() => KERNELS['aten::to_padded_tensor']([nested, 0, [2, 1, 8]])).to.throw(
      /Truncation is not supported/,
    );
    const gap = Tensor.fromArray('bool', [true, false, true, true, true, false], [2, 3]);
    expect(() => nestedFromMask(x.slice(1, 0, 3).slice(0, 0, 2), gap, true)).to.throw(
      /left-aligned without gaps/,
    );
  });
});
