// ConstantPooling: one prim::Constant per distinct value, hoisted to the start of the graph in the order
// PyTorch leaves them (each newly seen constant moves to the front) (passes/constant_pooling.cpp).

import type { Attribute } from '../../../ir/attributes.js';
import type { Block } from '../../../ir/block.js';
import { formatAttribute } from '../../../ir/text/value-text.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import type { Type } from '../../../ir/types.js';
import { isObjectValue, Tuple, type IValue } from '../../../ir/ivalue.js';

/** Deduplicates and hoists every constant of the graph. */
export function constantPooling(graph: Graph): void {
  poolBlock(graph, graph.block, new Map<string, Node>());
}

// Tensor constants are equal only when they are the same tensor, objects (also inside lists, tuples and
// dicts) only when they are the same object, as PyTorch's ivaluesEqual says: both numbered by identity.
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}

// The identities of the objects inside a value, in printing order (their text alone does not tell them apart).
function objectIds(value: IValue, out: number[]): number[] {
  if (value instanceof Tuple) for (const v of value.items) objectIds(v, out);
  else if (Array.isArray(value)) for (const v of value) objectIds(v, out);
  else if (value instanceof Map) for (const [k, v] of value) objectIds(v, objectIds(k, out));
  else if (value !== null && isObjectValue(value)) out.push(identity(value));
  return out;
}

// Each attribute's lossless text, made once per attribute object: copied nodes share their attribute
// objects (attributes are never changed in place, only replaced), and formatting numbers is slow.
const attributeTexts = new WeakMap<Attribute, string>();

function attributeText(attr: Attribute): string {
  let text = attributeTexts.get(attr);
  if (text === undefined) attributeTexts.set(attr, (text = formatAttribute(attr, 'lossless')));
  return text;
}

function attributePart(
  name: string,
  attr: Attribute,
  text: (attr: Attribute) => string = attributeText,
): string {
  if (attr.kind === 't') return `${name}=tensor#${identity(attr.value)}`;
  const objects = attr.kind === 'ival' ? objectIds(attr.value, []) : [];
  return `${name}=${attr.kind}:${text(attr)}#${objects.join(',')}`;
}

const losslessText = (attr: Attribute): string => formatAttribute(attr, 'lossless');

// The key of a constant whose only attribute is `value`, per attribute object and output type: copies of
// a constant (inlining, cloning) share both, and attributes are never changed in place.
const valueKeys = new WeakMap<Attribute, { readonly type: Type; readonly key: string }>();

// Constants are equal when their output type and attributes print the same.
function keyOf(node: Node): string {
  const type = node.output().type;
  const count = node.attributeCount;
  if (count === 0) return type.str();
  const value = count === 1 ? node.attribute('value') : undefined;
  if (value !== undefined) {
    const cached = valueKeys.get(value);
    if (cached !== undefined && cached.type === type) return cached.key;
    // valueKeys holds this attribute's key from now on: its text needs no cache of its own.
    const key = `${type.str()}|${attributePart('value', value, losslessText)}`;
    valueKeys.set(value, { type, key });
    return key;
  }
  const parts = [type.str()];
  for (const name of node.attributeNames()) parts.push(attributePart(name, node.attribute(name)!));
  return parts.join('|');
}

// A step moves or removes at most the node it is at (the next one is read first).
function poolBlock(graph: Graph, block: Block, seen: Map<string, Node>): void {
  const end = block.returnNode;
  for (let node = end.next!, after = node.next!; node !== end; node = after, after = node.next!) {
    const blocks = node.blocks;
    if (blocks.length) {
      for (let i = 0; i < blocks.length; i++) poolBlock(graph, blocks[i], seen);
      continue;
    }
    if (node.kind !== 'prim::Constant') continue;
    const key = keyOf(node);
    const existing = seen.get(key);
    if (existing) {
      node.output().replaceAllUsesWith(existing.output());
      node.destroy();
      continue;
    }
    seen.set(key, node);
    const first = graph.block.firstNode;
    if (first && first !== node) node.moveBefore(first);
  }
}
