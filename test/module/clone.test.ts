// ScriptModule.clone(): new mangled types (once per type), new objects (shared instances stay shared),
// method graphs copied with every cloned type rewritten, tensors shared unless copyTensors.

import { expect } from 'chai';
import { verify } from '../../src/ir/verify.js';
import { IntType, ListType } from '../../src/ir/types.js';
import { moduleBuilder, classBuilder } from '../../src/module/builder.js';
import { CompilationUnit } from '../../src/module/compilation-unit.js';
import type { ScriptObject } from '../../src/module/script-object.js';
import type { ScriptModule } from '../../src/module/script-module.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { callSubmoduleGraph, floats, readAttrGraph } from './helpers.js';

const LINEAR = '__torch__.torch.nn.modules.linear.Linear';

function tree(cu = new CompilationUnit()): { m: ScriptModule; shared: ScriptModule; other: ScriptModule } {
  const lin = (w: number): ScriptModule =>
    moduleBuilder(LINEAR, { cu })
      .parameter('weight', floats([w]))
      .method('forward', (cls) => readAttrGraph(cls, 'weight'))
      .build();
  const shared = lin(1);
  const other = lin(2);
  const m = moduleBuilder('MyModule', { cu })
    .parameter('weight', floats([1, 2, 3, 4, 5, 6], [2, 3]))
    .attribute('version', 1, IntType)
    .attribute('history', [1, 2], new ListType(IntType))
    .submodule('a', shared)
    .submodule('b', shared)
    .submodule('c', other)
    .method('forward', (cls) => callSubmoduleGraph(cls, 'a', shared.type))
    .build();
  return { m, shared, other };
}

describe('module/clone', () => {
  it('mangles cloned type names in pre-order, root first, in the root type unit', () => {
    const { m } = tree();
    const c = m.clone();
    expect(c.type.qualifiedName).to.equal('__torch__.___torch_mangle_1.MyModule');
    // The builder already mangled the second Linear (`___torch_mangle_0`): the counter moved past it.
    expect(c.getSubmodule('a').type.qualifiedName).to.equal(
      '__torch__.torch.nn.modules.linear.___torch_mangle_2.Linear',
    );
    expect(c.type.cu).to.equal(m.type.cu);
    expect(c.originalName).to.equal('MyModule');
  });

  it('gives a freshly built module the names PyTorch gives a freshly loaded one', () => {
    const cu = new CompilationUnit();
    const lin = moduleBuilder(LINEAR, { cu })
      .parameter('weight', floats([1]))
      .build();
    const m = moduleBuilder('MyModule', { cu }).submodule('linear', lin).build();
    const c = m.clone();
    expect(c.type.qualifiedName).to.equal('__torch__.___torch_mangle_0.MyModule');
    expect(c.getSubmodule('linear').type.qualifiedName).to.equal(
      '__torch__.torch.nn.modules.linear.___torch_mangle_1.Linear',
    );
  });

  it('keeps an instance shared by two paths shared, and clones every object', () => {
    const { m, shared, other } = tree();
    const c = m.clone();
    const a = c.getSubmodule('a');
    expect(a).to.equal(c.getSubmodule('b'));
    expect(a).to.not.equal(shared);
    expect(c.getSubmodule('c')).to.not.equal(other);
    expect(c.namedModules().map(([n]) => n)).to.deep.equal(m.namedModules().map(([n]) => n));
    expect(c.namedParameters().map(([n]) => n)).to.deep.equal(['weight', 'a.weight', 'c.weight']);
  });

  it('rewrites submodule attribute types and method graphs to the cloned types', () => {
    const { m } = tree();
    const c = m.clone();
    const aType = c.getSubmodule('a').type;
    expect(c.type.getAttribute('a').type).to.equal(aType);
    const g = c.graph;
    expect(g).to.not.equal(m.graph);
    expect(g.inputs[0].type).to.equal(c.type);
    const getAttr = g.nodesOfKind('prim::GetAttr')[0];
    expect(getAttr.output().type).to.equal(aType);
    expect(g.nodesOfKind('prim::If')[0].output().type).to.equal(aType);
    verify(g);
    // The original graph is untouched.
    expect(m.graph.inputs[0].type).to.equal(m.type);
    expect(m.graph.nodesOfKind('prim::GetAttr')[0].output().type).to.equal(m.getSubmodule('a').type);
    expect(c.getSubmodule('a').graph.inputs[0].type).to.equal(aType);
  });

  it('clones a type used by two instances once', () => {
    const cu = new CompilationUnit();
    const t1 = moduleBuilder('Leaf', { cu }).attribute('v', 1).build();
    const twin = moduleBuilder('Holder', { cu }).submodule('x', t1).build();
    // A second instance of the very same type: share the type, not the object.
    const t2 = t1.clone();
    const root = moduleBuilder('Root', { cu })
      .submodule('x', twin)
      .submodule('y', t2)
      .submodule('z', t1)
      .build();
    const c = root.clone();
    expect(c.getSubmodule('x.x').type).to.equal(c.getSubmodule('z').type);
    expect(c.getSubmodule('x.x')).to.equal(c.getSubmodule('z'));
    expect(c.getSubmodule('y').type).to.not.equal(c.getSubmodule('z').type);
  });

  it('setting attributes on the clone does not touch the original', () => {
    const { m } = tree();
    const c = m.clone();
    c.setAttr('version', 2);
    c.getSubmodule('a').eval();
    c.type.addAttribute('extra', IntType);
    expect(m.getAttr('version')).to.equal(1);
    expect(m.getSubmodule('a').training).to.equal(true);
    expect(m.type.hasAttribute('extra')).to.equal(false);
    c.removeAttr('version');
    expect(m.getAttr('version')).to.equal(1);
    expect(m.type.hasAttribute('version')).to.equal(true);
  });

  it('shares tensors and other values by default, as freeze does', () => {
    const { m } = tree();
    const c = m.clone();
    expect(c.getAttr('weight')).to.equal(m.getAttr('weight'));
    expect(c.getSubmodule('a').getAttr('weight')).to.equal(m.getSubmodule('a').getAttr('weight'));
    expect(c.getAttr('history')).to.equal(m.getAttr('history'));
    (c.getAttr('weight') as Tensor).setFlat(0, 42);
    expect((m.getAttr('weight') as Tensor).getNumber(0)).to.equal(42);
  });

  it('copyTensors copies tensors, lists and objects, keeping views of one storage together', () => {
    const base = floats([1, 2, 3, 4]);
    const view = new Tensor(base.storage, [2], [1], 2);
    const point = classBuilder('Point').attribute('t', base).build();
    const m = moduleBuilder('M')
      .parameter('w', base)
      .buffer('v', view)
      .attribute('xs', [1], new ListType(IntType))
      .attribute('pt', point)
      .build();
    const c = m.clone({ copyTensors: true });
    const w = c.getAttr('w') as Tensor;
    const v = c.getAttr('v') as Tensor;
    expect(w).to.not.equal(base);
    expect(w.storage).to.not.equal(base.storage);
    expect(v.storage).to.equal(w.storage);
    expect(v.offset).to.equal(2);
    expect(v.toArray()).to.deep.equal([3, 4]);
    w.setFlat(3, 40);
    expect(v.getNumber(1)).to.equal(40);
    expect(base.getNumber(3)).to.equal(4);
    expect(c.getAttr('xs')).to.deep.equal([1]);
    expect(c.getAttr('xs')).to.not.equal(m.getAttr('xs'));
    const pt = c.getAttr('pt') as ScriptObject;
    expect(pt).to.not.equal(point);
    expect(pt.type).to.equal(point.type);
    // The object's tensor is the same copy as the parameter's: aliasing is kept across attributes.
    expect(pt.getAttr('t')).to.equal(w);
  });
});
