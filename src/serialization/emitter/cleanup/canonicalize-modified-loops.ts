// CanonicalizeModifiedLoops: a for loop whose body can stop it early (a break turned its condition into a
// value) becomes a while-style loop: trip count INT64_MAX, an explicit counter carried last, and the
// condition `counter < n and cond` (torch/csrc/jit/frontend/canonicalize_modified_loop.cpp).

import { constantValue, insertConstant } from '../../../ir/constants.js';
import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import { BoolType, IntType } from '../../../ir/types.js';
import type { Value } from '../../../ir/value.js';

const INT64_MAX = 9223372036854775807n;

function constantOf(v: Value): unknown {
  return v.node.kind === 'prim::Constant' ? constantValue(v.node) : undefined;
}

// LoopView::loopType() == ModifiedLoop: a trip count is given and the condition is not always true.
function isModifiedLoop(n: Node): boolean {
  const body = n.blocks[0];
  const trip = constantOf(n.input(0));
  const alwaysTrue = constantOf(n.input(1)) === true && constantOf(body.outputs[0]) === true;
  const tripSpecified =
    trip === undefined || (trip !== INT64_MAX && trip !== Number(INT64_MAX)) || body.inputs[0].hasUses();
  return !alwaysTrue && tripSpecified;
}

function canonicalize(graph: Graph, n: Node): void {
  if (!isModifiedLoop(n)) return;
  const body = n.blocks[0];
  const maxTrip = n.input(0);
  const { zero, one } = graph.withInsertPoint(n, () => {
    const z = insertConstant(graph, 0);
    const o = insertConstant(graph, 1);
    let condition = graph.insert('aten::gt', [maxTrip, z], [BoolType]).output();
    n.replaceInput(0, insertConstant(graph, INT64_MAX));
    const input = n.input(1);
    if (constantOf(input) !== true)
      condition = graph.insert('aten::__and__', [condition, input], [BoolType]).output();
    n.replaceInput(1, condition);
    return { zero: z, one: o };
  });
  n.addOutput(IntType);
  n.addInput(zero);
  const counter = body.addInput(IntType);
  body.inputs[0].replaceAllUsesWith(counter);
  graph.withInsertPoint(body, () => {
    const next = graph.insert('aten::add', [counter, one], [IntType]).output();
    body.registerOutput(next);
    const below = graph.insert('aten::lt', [next, maxTrip], [BoolType]).output();
    const cond = graph.insert('aten::__and__', [below, body.outputs[0]], [BoolType]).output();
    body.eraseOutput(0);
    body.insertOutput(0, cond);
  });
}

function walk(graph: Graph, block: Block): void {
  for (const n of block.nodes()) {
    for (const b of n.blocks) walk(graph, b);
    if (n.kind === 'prim::Loop') canonicalize(graph, n);
  }
}

/** Rewrites every modified for loop of the graph into PyTorch's while form. */
export function canonicalizeModifiedLoops(graph: Graph): void {
  walk(graph, graph.block);
}
