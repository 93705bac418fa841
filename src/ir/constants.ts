// prim::Constant: turning runtime values into constant nodes and back, with the attribute kinds PyTorch uses.

import { UnsupportedError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { Graph } from './graph.js';
import { Device, FunctionRef, Tuple, isObjectValue, type IValue } from './ivalue.js';
import type { Node } from './node.js';
import {
  BoolType,
  DeviceType,
  FloatType,
  FunctionType,
  IntType,
  ListType,
  NoneType,
  StringType,
  TensorType,
  TupleType,
  type Type,
} from './types.js';
import type { Value } from './value.js';

/** The type PyTorch gives a constant of this value; floats need the hint since JS numbers do not say. */
export function constantType(value: IValue, hint?: Type): Type {
  if (hint) return hint;
  if (value === null) return NoneType;
  if (typeof value === 'boolean') return BoolType;
  if (typeof value === 'bigint') return IntType;
  if (typeof value === 'number') return Number.isInteger(value) ? IntType : FloatType;
  if (typeof value === 'string') return StringType;
  if (value instanceof Tensor) return tensorTypeOf(value);
  if (value instanceof Device) return DeviceType;
  if (value instanceof FunctionRef) return FunctionType;
  if (value instanceof Tuple) return value.type ?? new TupleType(value.items.map((v) => constantType(v)));
  if (Array.isArray(value)) {
    if (value.length === 0) throw new UnsupportedError('the type of an empty list constant needs a hint');
    return new ListType(constantType(value[0]));
  }
  throw new UnsupportedError(
    `cannot make a constant of ${isObjectValue(value) ? value.type.str() : 'a dict'} without a type`,
  );
}

/** The complete tensor type PyTorch prints for a tensor constant: `Float(3, strides=[1], requires_grad=0, device=cpu)`. */
export function tensorTypeOf(t: Tensor): TensorType {
  return new TensorType({
    dtype: t.dtype,
    sizes: [...t.shape],
    strides: [...t.strides],
    requiresGrad: t.requiresGrad,
    device: t.device,
  });
}

/** Sets a prim::Constant node's `value` attribute the way PyTorch does (bools as i, devices as s). */
export function setConstantAttribute(node: Node, value: IValue, type: Type): void {
  if (value === null) return;
  if (typeof value === 'boolean') node.setI('value', value ? 1 : 0);
  else if (typeof value === 'bigint') node.setI('value', value);
  else if (typeof value === 'number') {
    if (type.kind === 'float') node.setF('value', value);
    else node.setI('value', value);
  } else if (typeof value === 'string') node.setS('value', value);
  else if (value instanceof Tensor) node.setT('value', value);
  else if (value instanceof Device) node.setS('value', value.toString());
  else if (value instanceof FunctionRef) node.setS('name', value.qualifiedName);
  else node.setIval('value', value);
}

/** Creates (does not place) a prim::Constant holding `value`. */
export function createConstant(graph: Graph, value: IValue, type?: Type): Node {
  const t = constantType(value, type);
  const node = graph.create('prim::Constant', [], [t]);
  setConstantAttribute(node, value, t);
  return node;
}

/** Inserts a prim::Constant at the graph's insert point and returns its output. */
export function insertConstant(graph: Graph, value: IValue, type?: Type): Value {
  return graph.insertNode(createConstant(graph, value, type)).output();
}

/** The value a prim::Constant node holds, read through its output type. */
export function constantValue(node: Node): IValue {
  const type = node.output().type;
  if (type.kind === 'Function' && node.hasAttribute('name')) return new FunctionRef(node.s('name'));
  const attr = node.attribute('value');
  if (!attr) return null;
  switch (attr.kind) {
    case 'i':
      return type.kind === 'bool' ? attr.value !== 0 && attr.value !== 0n : attr.value;
    case 'f':
      return attr.value;
    case 's':
      return type.kind === 'Device' ? Device.parse(attr.value) : attr.value;
    case 't':
      return attr.value;
    case 'ival':
      return attr.value;
    case 'is':
      return [...attr.value];
    case 'fs':
      return [...attr.value];
    case 'ss':
      return [...attr.value];
    case 'ts':
      return [...attr.value];
    default:
      throw new UnsupportedError(`prim::Constant with a ${attr.kind} attribute`);
  }
}

/** The constant value of `value` if a prim::Constant produces it, else undefined. */
export function toIValue(value: Value): IValue | undefined {
  return value.node.kind === 'prim::Constant' ? constantValue(value.node) : undefined;
}
