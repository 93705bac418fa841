// ClassType: the ordered attribute table with kinds, constants, methods, errors naming class and
// member, and clone() copying method graphs with `self` (and nested-block values) retyped.

import { expect } from 'chai';
import { TsFreezeError } from '../../src/errors.js';
import { Graph } from '../../src/ir/graph.js';
import { verify } from '../../src/ir/verify.js';
import {
  BoolType,
  FloatType,
  IntType,
  ListType,
  NamedClassType,
  NoneType,
  OptionalType,
  TensorTensor,
  TupleType,
} from '../../src/ir/types.js';
import { ClassType } from '../../src/module/class-type.js';
import { CompilationUnit } from '../../src/module/compilation-unit.js';
import { Function } from '../../src/module/function.js';
import { remapClassTypes } from '../../src/module/value-types.js';
import { callSubmoduleGraph, readAttrGraph } from './helpers.js';
import { thrownBy } from '../support/thrown.js';

const codeOf = (fn: () => unknown) => thrownBy(TsFreezeError, fn).code;

describe('module/class-type', () => {
  it('keeps attributes in slot order with their kinds', () => {
    const cu = new CompilationUnit();
    const sub = new ClassType('__torch__.Sub', { cu, isModule: true });
    const t = new ClassType('__torch__.M', { cu, isModule: true });
    expect(t.addAttribute('weight', TensorTensor, 'parameter')).to.equal(0);
    expect(t.addAttribute('running', TensorTensor, 'buffer')).to.equal(1);
    expect(t.addAttribute('training', BoolType)).to.equal(2);
    expect(t.addAttribute('lin', sub)).to.equal(3);
    expect(t.attributes.map((a) => [a.name, a.kind])).to.deep.equal([
      ['weight', 'parameter'],
      ['running', 'buffer'],
      ['training', 'attribute'],
      // an attribute of a module class type is a submodule, as in PyTorch
      ['lin', 'module'],
    ]);
    expect(t.findAttributeSlot('lin')).to.equal(3);
    expect(t.findAttributeSlot('nope')).to.equal(undefined);
    expect(t.getAttribute('running').type).to.equal(TensorTensor);
    expect(t.attributesOfKind('parameter').map((a) => a.name)).to.deep.equal(['weight']);
    expect(t.hasAttribute('training')).to.equal(true);
    expect(t.numAttributes).to.equal(4);
  });

  it('shifts slots down when an attribute is removed', () => {
    const t = new ClassType('__torch__.M', { isModule: true });
    t.addAttribute('a', IntType);
    t.addAttribute('b', IntType);
    t.addAttribute('c', IntType);
    t.removeAttribute('b');
    expect(t.attributeNames()).to.deep.equal(['a', 'c']);
    expect(t.getAttributeSlot('c')).to.equal(1);
    expect(t.hasAttribute('b')).to.equal(false);
  });

  it('rejects duplicate names and wrongly typed parameters or submodules', () => {
    const t = new ClassType('__torch__.M', { isModule: true });
    t.addAttribute('a', IntType);
    t.addConstant('k', 3);
    expect(codeOf(() => t.addAttribute('a', IntType))).to.equal('DUPLICATE_ATTRIBUTE');
    expect(codeOf(() => t.addAttribute('k', IntType))).to.equal('DUPLICATE_ATTRIBUTE');
    expect(codeOf(() => t.addConstant('a', 1))).to.equal('DUPLICATE_ATTRIBUTE');
    expect(codeOf(() => t.addAttribute('p', IntType, 'parameter'))).to.equal('ATTRIBUTE_TYPE');
    expect(codeOf(() => t.addAttribute('m', TensorTensor, 'module'))).to.equal('ATTRIBUTE_TYPE');
    // None and Optional[Tensor] parameters exist (Linear(bias=False) has `bias : NoneType`).
    t.addAttribute('bias', NoneType, 'parameter');
    t.addAttribute('b2', new OptionalType(TensorTensor), 'buffer');
  });

  it('names the class and the attribute when a lookup fails', () => {
    const t = new ClassType('__torch__.M', { isModule: true });
    t.addAttribute('weight', TensorTensor, 'parameter');
    expect(() => t.getAttribute('wieght'))
      .to.throw(TsFreezeError, /__torch__\.M has no attribute 'wieght'.*weight/)
      .with.property('code', 'NO_ATTRIBUTE');
    expect(() => t.removeAttribute('x'))
      .to.throw(TsFreezeError)
      .with.property('code', 'NO_ATTRIBUTE');
  });

  it('stores constants with inferred or given types', () => {
    const t = new ClassType('__torch__.Linear', { isModule: true });
    t.addConstant('out_features', 3);
    t.addConstant('eps', 1, FloatType);
    expect(t.getConstant('out_features')).to.equal(3);
    expect(t.findConstant('out_features')?.type).to.equal(IntType);
    expect(t.findConstant('eps')?.type).to.equal(FloatType);
    expect(t.constants.map((c) => c.name)).to.deep.equal(['out_features', 'eps']);
    t.removeConstant('eps');
    expect(t.hasConstant('eps')).to.equal(false);
    expect(codeOf(() => t.getConstant('eps'))).to.equal('NO_ATTRIBUTE');
  });

  it('adds methods whose first input is self of this class, and refuses others', () => {
    const t = new ClassType('__torch__.M', { isModule: true });
    t.addAttribute('w', TensorTensor, 'parameter');
    const fn = t.defineMethod('forward', readAttrGraph(t, 'w'));
    expect(fn.qualifiedName).to.equal('__torch__.M.forward');
    expect(t.getMethod('forward')).to.equal(fn);
    expect(t.methodNames()).to.deep.equal(['forward']);
    expect(codeOf(() => t.defineMethod('forward', readAttrGraph(t, 'w')))).to.equal('DUPLICATE_METHOD');
    expect(
      codeOf(() => t.defineMethod('other', readAttrGraph(new NamedClassType('__torch__.X'), 'w'))),
    ).to.equal('BAD_METHOD');
    expect(codeOf(() => t.defineMethod('empty', new Graph()))).to.equal('BAD_METHOD');
    const other = new ClassType('__torch__.O', { isModule: true });
    expect(
      codeOf(() => t.addMethod(new Function({ name: 'f', graph: readAttrGraph(other, 'w'), owner: other }))),
    ).to.equal('BAD_METHOD');
    expect(() => t.getMethod('backward'))
      .to.throw(TsFreezeError, /__torch__\.M has no method 'backward'.*forward/)
      .with.property('code', 'NO_METHOD');
    t.removeMethod('forward');
    expect(t.hasMethod('forward')).to.equal(false);
  });

  it('clone() copies the table and rebinds self in copied method graphs', () => {
    const cu = new CompilationUnit();
    const t = new ClassType('__torch__.M', { cu, isModule: true });
    t.addAttribute('w', TensorTensor, 'parameter');
    t.addConstant('k', 2);
    t.defineMethod('forward', readAttrGraph(t, 'w'));
    const c = t.clone();
    expect(c.qualifiedName).to.equal('__torch__.___torch_mangle_0.M');
    expect(c.isModule).to.equal(true);
    expect(c.attributes).to.deep.equal(t.attributes);
    expect(c.getConstant('k')).to.equal(2);
    const fn = c.getMethod('forward');
    expect(fn.owner).to.equal(c);
    expect(fn.qualifiedName).to.equal('__torch__.___torch_mangle_0.M.forward');
    expect(fn.graph).to.not.equal(t.getMethod('forward').graph);
    expect(fn.graph.inputs[0].type).to.equal(c);
    expect(t.getMethod('forward').graph.inputs[0].type).to.equal(t);
    verify(fn.graph);
    // Independent tables.
    c.addAttribute('extra', IntType);
    expect(t.hasAttribute('extra')).to.equal(false);
    expect(t.clone('__torch__.Explicit').qualifiedName).to.equal('__torch__.Explicit');
  });

  it('clone() retypes mapped classes inside nested blocks and composite types', () => {
    const cu = new CompilationUnit();
    const sub = new ClassType('__torch__.Sub', { cu, isModule: true });
    const subCopy = new ClassType('__torch__.SubCopy', { cu, isModule: true });
    const t = new ClassType('__torch__.M', { cu, isModule: true });
    t.addAttribute('sub', sub);
    t.addAttribute('subs', new ListType(sub));
    t.defineMethod('forward', callSubmoduleGraph(t, 'sub', sub));
    const c = t.clone(undefined, { typeMap: new Map([[sub, subCopy]]) });
    expect(c.getAttribute('sub').type).to.equal(subCopy);
    expect((c.getAttribute('subs').type as ListType).elem).to.equal(subCopy);
    const g = c.getMethod('forward').graph;
    const types = [...g.allNodes()].flatMap((n) => n.outputs.map((o) => o.type));
    expect(types).to.include(subCopy);
    expect(types).to.not.include(sub);
    const ifNode = g.nodesOfKind('prim::If')[0];
    expect(ifNode.output().type).to.equal(subCopy);
    expect(g.outputs[0].type).to.equal(TensorTensor);
  });

  it('remapClassTypes rewrites inside Optional/List/Dict/Tuple and leaves other types alone', () => {
    const a = new ClassType('__torch__.A');
    const b = new ClassType('__torch__.B');
    const map = new Map([[a, b]]);
    const tup = new TupleType([new OptionalType(a), IntType]);
    const out = remapClassTypes(tup, map) as TupleType;
    expect((out.elements[0] as OptionalType).elem).to.equal(b);
    expect(out.elements[1]).to.equal(IntType);
    expect(remapClassTypes(IntType, map)).to.equal(IntType);
    const plain = new ListType(IntType);
    expect(remapClassTypes(plain, map)).to.equal(plain);
    // A type that only carries the name maps as the class of that name.
    expect(remapClassTypes(new NamedClassType('__torch__.A'), map)).to.equal(b);
  });
});
