// The seed modules of test/support/seed-modules.ts match what PyTorch 1.13 recorded for the two
// torch.jit.freeze docs examples: graphs, parameters, attribute order and values, clone type names.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verify } from '../../src/ir/verify.js';
import { printGraph } from '../../src/ir/text/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ScriptModule } from '../../src/module/script-module.js';
import { SEED_FIXTURES, seedPreservedAttrs, seedSimpleParam } from '../support/seed-modules.js';

// dist/test/module -> test/fixtures (tests read fixtures from the source tree).
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

interface AttributeFact {
  readonly kind: string;
  readonly value?: unknown;
}
interface CaseFacts {
  readonly original: {
    readonly named_parameters: string[];
    readonly named_buffers: string[];
    readonly submodules: string[];
    readonly attributes: string[];
    readonly attribute_values: Record<string, AttributeFact>;
    readonly methods: string[];
    readonly type: string;
  };
  readonly expected: { readonly frozen_type: string };
}

function facts(dir: string): CaseFacts {
  return JSON.parse(readFileSync(`${FIXTURES}${dir}/case.json`, 'utf8')) as CaseFacts;
}

function checkAgainstCase(m: ScriptModule, dir: string): void {
  const f = facts(dir);
  expect(m.type.qualifiedName).to.equal(f.original.type);
  expect(m.namedParameters().map(([n]) => n)).to.deep.equal(f.original.named_parameters);
  expect(m.namedBuffers().map(([n]) => n)).to.deep.equal(f.original.named_buffers);
  expect(m.namedChildren().map(([n]) => n)).to.deep.equal(f.original.submodules);
  expect(m.namedAttributes().map(([n]) => n)).to.deep.equal(f.original.attributes);
  expect(m.methodNames()).to.deep.equal(f.original.methods);
  const values = new Map(m.namedAttributes());
  for (const [name, fact] of Object.entries(f.original.attribute_values)) {
    expect(values.get(name), name).to.equal(fact.kind === 'None' ? null : fact.value);
  }
  // Freezing clones the module first: the clone's type gets PyTorch's frozen name.
  expect(m.clone().type.qualifiedName).to.equal(f.expected.frozen_type);
}

describe('test/support seed modules', () => {
  it('MyModule(2, 3) has the structure PyTorch recorded', () => {
    const m = seedSimpleParam();
    checkAgainstCase(m, SEED_FIXTURES.simpleParam);
    expect(m.training).to.equal(false);
    const shapes = m.namedParameters().map(([n, t]) => [n, t.shape, t.dtype, t.requiresGrad]);
    expect(shapes).to.deep.equal([
      ['weight', [2, 3], 'float32', true],
      ['linear.weight', [3, 2], 'float32', true],
      ['linear.bias', [3], 'float32', true],
    ]);
    const linear = m.getSubmodule('linear');
    expect(linear.type.constants.map((c) => [c.name, c.value])).to.deep.equal([
      ['out_features', 3],
      ['in_features', 2],
    ]);
    expect(m.type.getAttribute('_is_full_backward_hook').type.annotationStr()).to.equal('Optional[bool]');
    expect(linear.type.getAttribute('_is_full_backward_hook').type.annotationStr()).to.equal('NoneType');
    expect((m.getAttr('weight') as Tensor).getNumber(0)).to.equal(Math.fround(0.49625658988952637));
  });

  it('MyModule2 has the structure PyTorch recorded', () => {
    const m = seedPreservedAttrs();
    checkAgainstCase(m, SEED_FIXTURES.preservedAttrs);
    const t = m.getAttr('modified_tensor') as Tensor;
    expect([t.dtype, t.shape, t.item(), t.requiresGrad]).to.deep.equal(['float32', [], 10, false]);
    expect(m.type.getAttribute('modified_tensor').type.str()).to.equal('Tensor');
    expect(m.getAttr('version')).to.equal(1);
  });

  it('forward graphs print back exactly as the fixtures graph.txt', () => {
    for (const [build, dir] of [
      [seedSimpleParam, SEED_FIXTURES.simpleParam],
      [seedPreservedAttrs, SEED_FIXTURES.preservedAttrs],
    ] as const) {
      const m = build();
      verify(m.graph);
      expect(printGraph(m.graph)).to.equal(readFileSync(`${FIXTURES}${dir}/graph.txt`, 'utf8'));
      expect(m.graph.inputs[0].type).to.equal(m.type);
    }
  });

  it('each call builds independent modules', () => {
    const a = seedPreservedAttrs();
    const b = seedPreservedAttrs();
    a.setAttr('version', 2);
    expect(b.getAttr('version')).to.equal(1);
    expect(a.getAttr('modified_tensor')).to.not.equal(b.getAttr('modified_tensor'));
    expect(a.type).to.not.equal(b.type);
  });
});
