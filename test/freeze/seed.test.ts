// The two examples of torch.jit.freeze's documentation, in TypeScript: the mission's acceptance test.

import { expect } from 'chai';
import { Tensor, FreezeError } from '../../src/index.js';
import { explainFreeze, freeze } from '../../passes/index.js';
import { seedPreservedAttrs, seedSimpleParam } from '../support/seed-modules.js';

describe('freeze: the seed examples', () => {
  it('example 1: parameters are inlined, none are left, outputs unchanged', () => {
    const scripted = seedSimpleParam();
    const input = Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [3, 2]);
    const before = scripted.forward(input) as Tensor;
    const frozen = freeze(scripted);
    expect(frozen.namedParameters()).to.have.length(0);
    expect(frozen.graph.nodesOfKind('prim::GetAttr')).to.have.length(0);
    expect(frozen.graph.nodesOfKind('prim::CallMethod')).to.have.length(0);
    const after = frozen.forward(input) as Tensor;
    expect(after.toArray()).to.deep.equal(before.toArray());
    // The original still has its parameters and still runs.
    expect(scripted.namedParameters().map(([n]) => n)).to.deep.equal([
      'weight',
      'linear.weight',
      'linear.bias',
    ]);
  });

  it('example 2: preserved `version` stays settable; mutated `modified_tensor` is kept: 12, then 13', () => {
    const scripted = seedPreservedAttrs();
    const frozen = freeze(scripted, { preservedAttrs: ['version'] });
    expect(frozen.getAttr('version')).to.equal(1);
    frozen.setAttr('version', 2);
    expect(frozen.getAttr('version')).to.equal(2);
    expect(frozen.hasAttr('modified_tensor')).to.equal(true);
    const one = Tensor.fromArray('int64', [1n], []);
    expect(Number((frozen.forward(one) as Tensor).item())).to.equal(12);
    expect(Number((frozen.forward(one) as Tensor).item())).to.equal(13);
  });

  it('refuses a module in training mode with PyTorch message', () => {
    const scripted = seedSimpleParam();
    scripted.train();
    expect(() => freeze(scripted))
      .to.throw(FreezeError, /only implemented for modules in eval mode. Please call .eval\(\)/)
      .with.property('code', 'TRAINING_MODE');
  });

  it('refuses an unknown preserved name with PyTorch message', () => {
    expect(() => freeze(seedSimpleParam(), { preservedAttrs: ['nonexistent_attr'] }))
      .to.throw(FreezeError, 'Unknown name: nonexistent_attr')
      .with.property('code', 'UNKNOWN_NAME');
  });

  it('explains every attribute: folded, preserved, mutated or removed', () => {
    const { attributes, text } = explainFreeze(seedPreservedAttrs(), { preservedAttrs: ['version'] });
    const fate = (path: string): string[] =>
      attributes.find((a) => a.path === path)?.fates.map((f) => f.kind) ?? [];
    expect(fate('version')).to.include('preserved');
    expect(fate('modified_tensor')).to.include('mutated');
    expect(text).to.match(/modified_tensor: kept: mutated in forward by aten::add_/);
    const simple = explainFreeze(seedSimpleParam());
    expect(simple.text).to.match(/linear\.weight: folded into constant %self\.linear\.weight/);
    expect(simple.text).to.match(/training: removed/);
  });
});
