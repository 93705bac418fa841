// The module builder: attribute layout, defaults, duplicate checks, shared submodules, methods as IR
// text with class names resolved to the types being built, interfaces, and failed builds leaving no trace.

import { expect } from 'chai';
import { IRParseError, TsFreezeError } from '../../src/errors.js';
import { Graph } from '../../src/ir/graph.js';
import { FloatType, IntType, NamedClassType, StringType, TensorTensor } from '../../src/ir/types.js';
import { verify } from '../../src/ir/verify.js';
import '../../src/ir/text/index.js';
import { classBuilder, moduleBuilder } from '../../src/module/builder.js';
import { CompilationUnit } from '../../src/module/compilation-unit.js';
import { InterfaceDecl } from '../../src/module/interface-decl.js';
import { ScriptModule } from '../../src/module/script-module.js';
import { floats, readAttrGraph } from './helpers.js';

const LINEAR_FORWARD = `graph(%self : __torch__.torch.nn.modules.linear.Linear,
      %input.1 : Tensor):
  %weight : Tensor = prim::GetAttr[name="weight"](%self)
  %bias : Tensor = prim::GetAttr[name="bias"](%self)
  %5 : Tensor = aten::linear(%input.1, %weight, %bias) # torch/nn/modules/linear.py:114:15
  return (%5)
`;

describe('module/builder', () => {
  it('builds the brief example in a few lines', () => {
    const linear = moduleBuilder('__torch__.torch.nn.modules.linear.Linear')
      .parameter('weight', floats([1, 2, 3, 4, 5, 6], [3, 2]))
      .parameter('bias', floats([1, 2, 3]))
      .method('forward', LINEAR_FORWARD)
      .build();
    const m = moduleBuilder('MyModule')
      .parameter('weight', floats([1, 2, 3, 4, 5, 6], [2, 3]))
      .submodule('linear', linear)
      .attribute('version', 1, IntType)
      .method(
        'forward',
        `graph(%self : __torch__.MyModule, %x : Tensor):
  %w : Tensor = prim::GetAttr[name="weight"](%self)
  %y : Tensor = aten::mm(%w, %x)
  %lin : __torch__.torch.nn.modules.linear.Linear = prim::GetAttr[name="linear"](%self)
  %z : Tensor = prim::CallMethod[name="forward"](%lin, %y)
  return (%z)`,
      )
      .build();
    expect(m).to.be.instanceOf(ScriptModule);
    expect(m.type.qualifiedName).to.equal('__torch__.MyModule');
    expect(m.getAttr('version')).to.equal(1);
    expect(m.graph.inputs[0].type).to.equal(m.type);
    // The submodule's class in the text is the submodule's real type, not a name-only placeholder.
    const getLin = m.graph.nodesOfKind('prim::GetAttr')[1];
    expect(getLin.output().type).to.equal(linear.type);
    expect(linear.graph.inputs[0].type).to.equal(linear.type);
    verify(m.graph);
    expect(m.graph.toString()).to.include('prim::CallMethod[name="forward"](%lin, %y)');
  });

  it('reports IR text errors with the method file name and position', () => {
    const b = moduleBuilder('M').method(
      'forward',
      'graph(%self : __torch__.M):\n  %y : Tensor = aten::relu(%nope)\n  return (%y)\n',
      {
        file: 'forward.ir',
      },
    );
    expect(() => b.build()).to.throw(IRParseError, /^forward\.ir:2:/);
  });

  it('refuses a method whose self is another class', () => {
    const b = moduleBuilder('M').method(
      'forward',
      'graph(%self : __torch__.Other, %x : Tensor):\n  return (%x)\n',
    );
    expect(() => b.build())
      .to.throw(TsFreezeError, /first graph input %self has type __torch__\.Other, expected __torch__\.M/)
      .with.property('code', 'BAD_METHOD');
  });

  it('rebinds a prebuilt graph that names the class before it exists', () => {
    const g = readAttrGraph(new NamedClassType('__torch__.M'), 'w');
    const m = moduleBuilder('M')
      .parameter('w', floats([1]))
      .method('forward', g)
      .build();
    expect(m.graph).to.equal(g);
    expect(g.inputs[0].type).to.equal(m.type);
    // A self that is not a class at all is refused.
    const bad = moduleBuilder('N')
      .parameter('w', floats([1]))
      .method('forward', readAttrGraph(TensorTensor, 'w'));
    expect(() => bad.build())
      .to.throw(TsFreezeError)
      .with.property('code', 'BAD_METHOD');
  });

  it('keeps PyTorch layout by default and call order on request', () => {
    const sub = moduleBuilder('S').build();
    const declared = (order?: 'pytorch' | 'declaration'): string[] =>
      moduleBuilder('M', { order })
        .submodule('s', sub)
        .attribute('a', 1)
        .buffer('b', floats([1]))
        .parameter('p', floats([1]))
        .build()
        .type.attributeNames();
    expect(declared()).to.deep.equal(['p', 'b', 'training', 'a', 's']);
    expect(declared('declaration')).to.deep.equal(['training', 's', 'a', 'b', 'p']);
    expect(
      moduleBuilder('M', { order: 'declaration' })
        .attribute('a', 1)
        .training(false)
        .build()
        .type.attributeNames(),
    ).to.deep.equal(['a', 'training']);
  });

  it('records constants, inferred attribute types and parameter kinds', () => {
    const m = moduleBuilder('M')
      .constant('in_features', 2)
      .constant('eps', 1, FloatType)
      .attribute('name', 'x')
      .attribute('scale', 0.5)
      .parameter('bias', null)
      .build();
    expect(m.type.findConstant('eps')?.type).to.equal(FloatType);
    expect(m.type.getAttribute('name').type).to.equal(StringType);
    expect(m.type.getAttribute('scale').type).to.equal(FloatType);
    expect(m.type.getAttribute('bias').kind).to.equal('parameter');
    expect(m.getAttr('in_features')).to.equal(2);
  });

  it('refuses duplicates at declaration time', () => {
    expect(() =>
      moduleBuilder('M')
        .attribute('a', 1)
        .parameter('a', floats([1])),
    )
      .to.throw(TsFreezeError, /__torch__\.M already has an attribute named 'a'/)
      .with.property('code', 'DUPLICATE_ATTRIBUTE');
    expect(() => moduleBuilder('M').constant('k', 1).attribute('k', 2))
      .to.throw(TsFreezeError)
      .with.property('code', 'DUPLICATE_ATTRIBUTE');
    expect(() => moduleBuilder('M').method('f', new Graph()).method('f', new Graph()))
      .to.throw(TsFreezeError)
      .with.property('code', 'DUPLICATE_METHOD');
  });

  it('checks attribute values against given types, and leaves no class behind when a build fails', () => {
    const cu = new CompilationUnit();
    expect(() => moduleBuilder('M', { cu }).attribute('v', 'one', IntType).build())
      .to.throw(TsFreezeError)
      .with.property('code', 'ATTRIBUTE_TYPE');
    expect(cu.isTaken('__torch__.M')).to.equal(false);
    expect(moduleBuilder('M', { cu }).build().type.qualifiedName).to.equal('__torch__.M');
  });

  it('mangles a class name already used in the same unit, as PyTorch does for re-specialised modules', () => {
    const cu = new CompilationUnit();
    const identity = 'graph(%self : __torch__.torch.nn.modules.linear.Linear, %x : Tensor):\n  return (%x)\n';
    const a = moduleBuilder('__torch__.torch.nn.modules.linear.Linear', { cu })
      .method('forward', identity)
      .build();
    const b = moduleBuilder('__torch__.torch.nn.modules.linear.Linear', { cu })
      .method('forward', identity)
      .build();
    expect(a.type.qualifiedName).to.equal('__torch__.torch.nn.modules.linear.Linear');
    expect(b.type.qualifiedName).to.equal('__torch__.torch.nn.modules.linear.___torch_mangle_0.Linear');
    // The text names the unmangled class; it still means the class being built.
    expect(b.graph.inputs[0].type).to.equal(b.type);
  });

  it('shares one submodule instance at two paths', () => {
    const shared = moduleBuilder('Leaf')
      .parameter('w', floats([1]))
      .build();
    const m = moduleBuilder('M')
      .submodule('a', shared)
      .submodule('b', moduleBuilder('Box').submodule('inner', shared).build())
      .build();
    expect(m.getSubmodule('b.inner')).to.equal(m.getSubmodule('a'));
    expect(m.namedModules().map(([n]) => n)).to.deep.equal(['', 'a', 'b']);
    expect(m.namedParameters().map(([n]) => n)).to.deep.equal(['a.w']);
  });

  it('stores a submodule behind a module interface, and resolves InterfaceType<Name> in method text', () => {
    const cu = new CompilationUnit();
    const iface = new InterfaceDecl('__torch__.OneArg', { cu, isModule: true }).addMethod('forward', {
      arguments: [{ name: 'x', type: TensorTensor }],
      returns: [TensorTensor],
    });
    const impl = moduleBuilder('Impl', { cu })
      .method('forward', 'graph(%self : __torch__.Impl, %x : Tensor):\n  return (%x)\n')
      .build();
    const wrong = moduleBuilder('Wrong', { cu }).build();
    const m = moduleBuilder('M', { cu })
      .submodule('sub', impl, iface)
      .method(
        'forward',
        `graph(%self : __torch__.M, %x : Tensor):
  %s : InterfaceType<OneArg> = prim::GetAttr[name="sub"](%self)
  %y : Tensor = prim::CallMethod[name="forward"](%s, %x)
  return (%y)`,
      )
      .build();
    expect(m.type.getAttribute('sub')).to.deep.include({ kind: 'module', type: iface });
    expect(m.graph.nodesOfKind('prim::GetAttr')[0].output().type).to.equal(iface);
    expect(m.namedChildren().map(([n]) => n)).to.deep.equal(['sub']);
    expect(iface.accepts(impl.type)).to.equal(true);
    expect(iface.mismatch(wrong.type)).to.match(/has no method 'forward'/);
    expect(() => m.setAttr('sub', wrong))
      .to.throw(TsFreezeError)
      .with.property('code', 'ATTRIBUTE_TYPE');
    // A clone keeps the interface type and holds the cloned implementation.
    const c = m.clone();
    expect(c.type.getAttribute('sub').type).to.equal(iface);
    expect(c.getSubmodule('sub').type.qualifiedName).to.match(/___torch_mangle_\d+\.Impl$/);
  });

  it('classBuilder makes plain objects and refuses module-only members', () => {
    const p = classBuilder('Point').attribute('x', 1).build();
    expect(p.type.isModule).to.equal(false);
    expect(p.type.attributeNames()).to.deep.equal(['x']);
    expect(() => classBuilder('P').parameter('w', floats([1])))
      .to.throw(TsFreezeError)
      .with.property('code', 'UNSUPPORTED');
    expect(() => classBuilder('P').training(false))
      .to.throw(TsFreezeError)
      .with.property('code', 'UNSUPPORTED');
  });
});
