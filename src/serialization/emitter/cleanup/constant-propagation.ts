// ConstantPropagationImmutableTypes, as torch.jit.load runs it on every compiled function: folds ops on
// constant ints/floats/bools/strings (never tensors, lists or objects), inlines prim::If on a constant
// condition, drops loops that cannot run, and removes if/loop outputs that do not change
// (torch/csrc/jit/passes/constant_propagation.cpp, NoAliasDb variant).

import { constantValue, insertConstant } from '../../../ir/constants.js';
import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import type { Value } from '../../../ir/value.js';
import type { OperatorRegistry } from '../../../ops/registry.js';
import { foldedType, foldNode, isMutableType } from './evaluate.js';

const SKIP = new Set([
  'prim::If',
  'prim::Loop',
  'prim::Closure',
  'prim::Constant',
  'prim::AutogradZero',
  'prim::Uninitialized',
  'prim::unchecked_unwrap_optional',
  'aten::dequantize',
]);

/** Runs the pass; returns true when the graph changed (the caller then runs dead code elimination). */
export function constantPropagationImmutableTypes(graph: Graph, registry: OperatorRegistry): boolean {
  const state = { changed: false };
  propagateBlock(graph, graph.block, registry, state);
  return state.changed;
}

interface State {
  changed: boolean;
}

function isConstant(node: Node): boolean {
  const inputs = node.inputs;
  for (let i = 0; i < inputs.length; i++) if (inputs[i].node.kind !== 'prim::Constant') return false;
  return true;
}

// A step inserts before the node it is at, or moves nodes there, or removes that node: the next one is
// read first (a direct walk of the links, cheaper than the iterator in cold code).
function propagateBlock(graph: Graph, block: Block, registry: OperatorRegistry, state: State): void {
  const end = block.returnNode;
  for (let node = end.next!, after = node.next!; node !== end; node = after, after = node.next!)
    propagateNode(graph, node, registry, state);
}

function propagateBlocks(graph: Graph, node: Node, registry: OperatorRegistry, state: State): void {
  const blocks = node.blocks;
  for (let i = 0; i < blocks.length; i++) propagateBlock(graph, blocks[i], registry, state);
}

function propagateNode(graph: Graph, node: Node, registry: OperatorRegistry, state: State): void {
  if (node.kind === 'prim::If') {
    if (isConstant(node)) inlineIf(graph, node, registry, state);
    else {
      propagateBlocks(graph, node, registry, state);
      removeExtraIfOutputs(graph, node, state);
    }
    return;
  }
  if (node.kind === 'prim::Loop') {
    if (loopWillNotRun(node)) {
      node.outputs.forEach((out, i) => out.replaceAllUsesWith(node.input(i + 2)));
      node.destroy();
      state.changed = true;
    } else {
      propagateBlocks(graph, node, registry, state);
      removeExtraLoopOutputs(node, state);
    }
    return;
  }
  if (isConstant(node) && supported(node, registry)) {
    const values = foldNode(node);
    if (!values) return;
    graph.withInsertPoint(node, () => {
      values.forEach((value, i) => {
        const out = node.outputs[i];
        const c = insertConstant(graph, value, value === null ? out.type : foldedType(node, i));
        out.replaceAllUsesWith(c);
      });
    });
    state.changed = true;
    return;
  }
  if (node.blocks.length) propagateBlocks(graph, node, registry, state);
}

function supported(node: Node, registry: OperatorRegistry): boolean {
  if (SKIP.has(node.kind) || node.blocks.length) return false;
  if (anyMutable(node.inputs) || anyMutable(node.outputs)) return false;
  return !registry.hasSideEffectsNode(node) && !registry.isNondeterministicNode(node);
}

function anyMutable(values: readonly Value[]): boolean {
  for (let i = 0; i < values.length; i++) if (isMutableType(values[i].type)) return true;
  return false;
}

function inlineIf(graph: Graph, node: Node, registry: OperatorRegistry, state: State): void {
  const cond = constantValue(node.input(0).node);
  const body = node.blocks[cond === true ? 0 : 1];
  propagateBlock(graph, body, registry, state);
  for (const n of [...body.nodes()]) n.moveBefore(node);
  node.outputs.forEach((out, i) => out.replaceAllUsesWith(body.outputs[i]));
  node.destroy();
  state.changed = true;
}

function loopWillNotRun(node: Node): boolean {
  const trip = node.input(0).node.kind === 'prim::Constant' ? constantValue(node.input(0).node) : 1;
  const cond = node.input(1).node.kind === 'prim::Constant' ? constantValue(node.input(1).node) : true;
  const n = typeof trip === 'bigint' ? Number(trip) : typeof trip === 'number' ? trip : 1;
  return !(cond !== false && n > 0);
}

function sameConstant(a: Node, b: Node): boolean {
  if (a.kind !== 'prim::Constant' || b.kind !== 'prim::Constant') return false;
  if (!a.output().type.equals(b.output().type)) return false;
  const x = constantValue(a);
  const y = constantValue(b);
  return x === y || (typeof x === 'number' && typeof y === 'number' && Object.is(x, y));
}

function removeExtraIfOutputs(graph: Graph, node: Node, state: State): void {
  const [t, f] = node.blocks;
  for (let i = 0; i < t.outputs.length;) {
    const tv = t.outputs[i];
    const fv = f.outputs[i];
    let replacement;
    if (tv === fv) replacement = tv;
    else if (sameConstant(tv.node, fv.node)) {
      replacement = graph.withInsertPoint(node, () => insertConstant(graph, constantValue(tv.node), tv.type));
    }
    if (!replacement) {
      i++;
      continue;
    }
    node.outputs[i].replaceAllUsesWith(replacement);
    node.eraseOutput(i);
    t.eraseOutput(i);
    f.eraseOutput(i);
    state.changed = true;
  }
}

function removeExtraLoopOutputs(node: Node, state: State): void {
  const body = node.blocks[0];
  for (let i = node.outputs.length - 1; i >= 0; i--) {
    if (body.inputs[i + 1] !== body.outputs[i + 1]) continue;
    const init = node.input(i + 2);
    node.outputs[i].replaceAllUsesWith(init);
    body.inputs[i + 1].replaceAllUsesWith(init);
    node.eraseOutput(i);
    node.removeInput(i + 2);
    body.eraseOutput(i + 1);
    body.eraseInput(i + 1);
    state.changed = true;
  }
}
