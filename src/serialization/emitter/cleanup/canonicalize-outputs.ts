// CanonicalizeOutputs: orders the outputs of every prim::If and prim::Loop by the position of their first
// use, as PyTorch does after compiling so that reloading a saved graph gives the same order
// (torch/csrc/jit/passes/canonicalize.cpp).

import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { Node } from '../../../ir/node.js';
import type { Use, Value } from '../../../ir/value.js';

/** Permutes control-flow outputs (and the matching block inputs/outputs) into first-use order. */
export function canonicalizeOutputs(graph: Graph): void {
  canonicalizeBlock(graph.block);
}

function canonicalizeBlock(block: Block): void {
  for (const node of block.nodesReversed()) {
    if (node.outputs.length > 1) {
      if (node.kind === 'prim::Loop') permuteLoop(node, order(node.outputs));
      else if (node.kind === 'prim::If') permuteIf(node, order(node.outputs));
    }
    for (const b of node.blocks) canonicalizeBlock(b);
  }
}

function depth(n: Node): number {
  let d = 0;
  for (let b = n.owningBlock; b?.owningNode; b = b.owningNode.owningBlock) d++;
  return d;
}

// PyTorch's canonical node order: program order, a node before what it contains, true block before false.
function isBefore(a: Node, b: Node): boolean {
  let n1 = a;
  let n2 = b;
  let d1 = depth(n1);
  let d2 = depth(n2);
  for (; d1 > d2; d1--) {
    n1 = n1.owningBlock!.owningNode!;
    if (n1 === n2) return false;
  }
  for (; d2 > d1; d2--) {
    n2 = n2.owningBlock!.owningNode!;
    if (n2 === n1) return true;
  }
  for (;;) {
    if (n1.owningBlock === n2.owningBlock) return n1.position < n2.position;
    const p1 = n1.owningBlock!.owningNode!;
    const p2 = n2.owningBlock!.owningNode!;
    if (p1 === p2) return p1.blocks.indexOf(n1.owningBlock!) < p1.blocks.indexOf(n2.owningBlock!);
    n1 = p1;
    n2 = p2;
  }
}

function useBefore(a: Use, b: Use): boolean {
  return a.user === b.user ? a.offset < b.offset : isBefore(a.user, b.user);
}

function firstUse(v: Value): Use | undefined {
  let first: Use | undefined;
  for (const u of v.uses()) if (!first || useBefore(u, first)) first = u;
  return first;
}

function order(values: readonly Value[]): number[] {
  const firsts = values.map(firstUse);
  return values
    .map((_, i) => i)
    .sort((i, j) => {
      const a = firsts[i];
      const b = firsts[j];
      if (!a && !b) return i - j;
      if (!a) return 1;
      if (!b) return -1;
      return useBefore(a, b) ? -1 : 1;
    });
}

function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

// Reorders outputs by rebuilding them: new outputs in the new order take over the old ones' uses.
function permuteOutputs(node: Node, perm: readonly number[]): void {
  const old = [...node.outputs];
  const fresh = perm.map((p) => node.addOutput(old[p].type));
  perm.forEach((p, i) => {
    const name = old[p].debugName;
    old[p].replaceAllUsesWith(fresh[i]);
    if (old[p].hasDebugName) fresh[i].setDebugName(name);
  });
  for (let i = old.length - 1; i >= 0; i--) node.eraseOutput(i);
}

function permuteBlockOutputs(block: Block, perm: readonly number[], offset: number): void {
  const outs = [...block.outputs];
  for (let i = outs.length - 1; i >= offset; i--) block.eraseOutput(i);
  for (const p of perm) block.registerOutput(outs[offset + p]);
}

function permuteIf(node: Node, perm: number[]): void {
  if (isIdentity(perm)) return;
  for (const b of node.blocks) permuteBlockOutputs(b, perm, 0);
  permuteOutputs(node, perm);
}

function permuteLoop(node: Node, perm: number[]): void {
  if (isIdentity(perm)) return;
  const body = node.blocks[0];
  const inputs = [...node.inputs];
  for (let i = inputs.length - 1; i >= 2; i--) node.removeInput(i);
  for (const p of perm) node.addInput(inputs[2 + p]);
  permuteBlockOutputs(body, perm, 1);
  const oldParams = [...body.inputs];
  const freshParams = perm.map((p) => body.addInput(oldParams[1 + p].type));
  perm.forEach((p, i) => {
    const old = oldParams[1 + p];
    const name = old.debugName;
    old.replaceAllUsesWith(freshParams[i]);
    if (old.hasDebugName) freshParams[i].setDebugName(name);
  });
  for (let i = oldParams.length - 1; i >= 1; i--) body.eraseInput(i);
  permuteOutputs(node, perm);
}
