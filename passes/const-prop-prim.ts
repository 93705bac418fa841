/**
 * The prim ops constant-propagation folds most, evaluated as the interpreter would, without the one-node
 * graph and interpreter plan each other prim:: fold is built into (freezing transformer_12x768 folds 165
 * prim::requires_grad, 48 prim::ListConstruct and 24 prim::ListUnpack). Only cases whose outcome is
 * sure: anything else (an input that is not a tensor, a list of another length, other kinds) returns
 * undefined and runs as a graph, so errors and their messages stay the interpreter's.
 */

import { Tensor, toIValue, type IValue, type Node, type Value } from '../src/index.js';

/** The outputs of `n` (all inputs prim::Constant), or undefined: evaluate it through the interpreter. */
export function evaluatePrimDirectly(n: Node): IValue[] | undefined {
  const inputs = n.inputs;
  switch (n.kind) {
    case 'prim::requires_grad': {
      const t = toIValue(inputs[0]);
      return t instanceof Tensor ? [t.requiresGrad] : undefined;
    }
    case 'prim::ListConstruct': {
      const items = new Array<IValue>(inputs.length);
      for (let i = 0; i < inputs.length; i++) items[i] = constantOf(inputs[i]);
      return [items];
    }
    case 'prim::ListUnpack': {
      const list = toIValue(inputs[0]);
      return Array.isArray(list) && list.length === n.outputs.length ? (list as IValue[]).slice() : undefined;
    }
    default:
      return undefined;
  }
}

// The interpreter reads a constant's value as constantValue does, None as null.
function constantOf(v: Value): IValue {
  return toIValue(v) ?? null;
}
