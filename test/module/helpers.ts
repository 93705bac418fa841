// Graphs built with the Graph API for module tests: small methods that read attributes of `self`.

import { Graph } from '../../src/ir/graph.js';
import { insertConstant } from '../../src/ir/constants.js';
import { BoolType, TensorTensor, type Type } from '../../src/ir/types.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** `graph(%self : cls, %x : Tensor): %w = prim::GetAttr[name=attr](%self); %y = aten::mul(%x, %w); return (%y)` */
export function readAttrGraph(cls: Type, attr: string): Graph {
  const g = new Graph();
  const self = g.addInput(cls, 'self');
  const x = g.addInput(TensorTensor, 'x.1');
  const get = g.insert('prim::GetAttr', [self], [TensorTensor]);
  get.setS('name', attr);
  const mul = g.insert('aten::mul', [x, get.output()], [TensorTensor]);
  g.registerOutput(mul.output());
  return g;
}

/**
 * `graph(%self : cls, %x : Tensor)`: gets submodule `sub` (typed `subType`), calls its forward inside a
 * prim::If whose block output is typed `subType` too, so retyping must reach nested blocks.
 */
export function callSubmoduleGraph(cls: Type, sub: string, subType: Type): Graph {
  const g = new Graph();
  const self = g.addInput(cls, 'self');
  const x = g.addInput(TensorTensor, 'x.1');
  const get = g.insert('prim::GetAttr', [self], [subType]);
  get.setS('name', sub);
  const cond = insertConstant(g, true, BoolType);
  const ifNode = g.insert('prim::If', [cond], [subType]);
  ifNode.output().setDebugName('picked');
  for (let i = 0; i < 2; i++) {
    const b = ifNode.addBlock();
    b.registerOutput(get.output());
  }
  const call = g.insert('prim::CallMethod', [ifNode.output(), x], [TensorTensor]);
  call.setS('name', 'forward');
  g.registerOutput(call.output());
  return g;
}

/** A float32 tensor with the given values and shape. */
export function floats(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return Tensor.fromArray('float32', values, shape);
}
