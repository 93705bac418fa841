// irStamp on a ScriptModule tree: a class's part is made once per stamp (instances of a class share its
// methods), yet the stamp moves exactly when the per-module stamp (each instance's methods, graphs and
// epochs, in module order) moves.

import { expect } from 'chai';
import { Graph, ScriptModule, TensorTensor, insertConstant, moduleBuilder } from '../../src/index.js';
import { irStamp } from '../../src/pipeline/ir-stamp.js';

const FORWARD = (cls: string): string =>
  `graph(%self : __torch__.${cls}, %x : Tensor):\n  %y : Tensor = aten::neg(%x)\n  return (%y)\n`;

// Root { a: Leaf, b: Leaf, c: Other }: two instances of one class.
function tree(): { root: ScriptModule; a: ScriptModule; c: ScriptModule } {
  const leaf = (): ScriptModule => moduleBuilder('Leaf').method('forward', FORWARD('Leaf')).build();
  const a = leaf();
  // A second instance of a's class: the two share its methods, as instances of one scripted class do.
  const b = new ScriptModule(a.type);
  b.setAttr('training', true);
  const c = moduleBuilder('Other')
    .method('forward', FORWARD('Other'))
    .method('extra', FORWARD('Other'))
    .build();
  const root = moduleBuilder('Root')
    .submodule('a', a)
    .submodule('b', b)
    .submodule('c', c)
    .method('forward', FORWARD('Root'))
    .build();
  return { root, a, c };
}

// The stamp as one part per module instance, made for each instance (what irStamp must agree with).
function perInstance(root: ScriptModule): string {
  return root
    .modules()
    .map((m) => m.methods.map((f) => `${f.name}@${f.graph.epoch}#${graphId(f.graph)}`).join(',') + ';')
    .join('');
}
const ids = new Map<Graph, number>();
const graphId = (g: Graph): number => ids.get(g) ?? (ids.set(g, ids.size), ids.size - 1);

describe('pipeline: irStamp of a module tree', () => {
  it('moves exactly when the methods, graphs or epochs of some instance move', () => {
    const { root, a, c } = tree();
    const edits: [string, () => void][] = [
      ['nothing', () => {}],
      ['a graph of a shared class changes', () => insertConstant(a.type.methods[0].graph, 1)],
      ['nothing again', () => {}],
      ['a method is removed', () => c.type.removeMethod('extra')],
      ['a method graph is replaced', () => (c.type.methods[0].graph = replacement())],
      ['a submodule is removed', () => root.removeAttr('c')],
      ['the root graph changes', () => insertConstant(root.type.methods[0].graph, 2)],
    ];
    for (const [what, edit] of edits) {
      const [before, reference] = [irStamp(root), perInstance(root)];
      edit();
      expect(irStamp(root) !== before, what).to.equal(perInstance(root) !== reference);
    }
  });
});

function replacement(): Graph {
  const g = new Graph();
  g.registerOutput(g.addInput(TensorTensor, 'x'));
  return g;
}
