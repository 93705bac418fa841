// ConstantPooling: one prim::Constant per distinct value, hoisted to the start of the graph in the order
// PyTorch leaves them (each newly seen constant moves to the front) (passes/constant_pooling.cpp).

import type { Attribute } from '../../../ir/attributes.js';
import type { Block } from '../../../ir/block.js';
import { formatAttribute } from '../../../ir/text/value-text.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';

/** Deduplicates and hoists every constant of the graph. */
export function constantPooling(graph: Graph): void {
  poolBlock(graph, graph.block, new Map<string, Node>());
}

// Tensor constants are equal only when they are the same tensor (numbered by identity).
const tensorIds = new WeakMap<object, number>();
let nextTensorId = 0;

// Each attribute's lossless text, made once per attribute object: copied nodes share their attribute
// objects (attributes are never changed in place, only replaced), and formatting numbers is slow.
const attributeTexts = new WeakMap<Attribute, string>();

function attributeText(attr: Attribute): string {
  let text = attributeTexts.get(attr);
  if (text === undefined) attributeTexts.set(attr, (text = formatAttribute(attr, 'lossless')));
  return text;
}

// Constants are equal when their output type and attributes print the same.
function keyOf(node: Node): string {
  const parts = [node.output().type.str()];
  for (const name of node.attributeNames()) {
    const attr = node.attribute(name)!;
    if (attr.kind === 't') {
      let id = tensorIds.get(attr.value);
      if (id === undefined) tensorIds.set(attr.value, (id = nextTensorId++));
      parts.push(`${name}=tensor#${id}`);
    } else {
      parts.push(`${name}=${attr.kind}:${attributeText(attr)}`);
    }
  }
  return parts.join('|');
}

function poolBlock(graph: Graph, block: Block, seen: Map<string, Node>): void {
  for (const node of block.nodes()) {
    if (node.blocks.length) {
      for (const b of node.blocks) poolBlock(graph, b, seen);
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
