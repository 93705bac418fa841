// LowerSimpleTuples: a prim::TupleUnpack or constant-index prim::TupleIndex of a visible prim::TupleConstruct
// reads the constructed element directly (torch/csrc/jit/passes/lower_tuples.cpp, simple variant).

import { constantValue } from '../../../ir/constants.js';
import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';

/** Rewrites unpacks and constant indexes of visible tuple constructions; returns true if anything changed. */
export function lowerSimpleTuples(graph: Graph): boolean {
  return lowerBlock(graph.block);
}

function lowerBlock(block: Block): boolean {
  let changed = false;
  // Only uses change here, never the node links.
  const end = block.returnNode;
  for (let node = end.next!; node !== end; node = node.next!) {
    const blocks = node.blocks;
    for (let i = 0; i < blocks.length; i++) changed = lowerBlock(blocks[i]) || changed;
    const source = node.inputs[0]?.node;
    if (!source || source.kind !== 'prim::TupleConstruct') continue;
    if (node.kind === 'prim::TupleUnpack') {
      node.outputs.forEach((out, i) => out.replaceAllUsesWith(source.input(i)));
      changed = true;
    } else if (node.kind === 'prim::TupleIndex' && node.input(1).node.kind === 'prim::Constant') {
      const raw = constantValue(node.input(1).node);
      const n = source.inputs.length;
      const i = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
      const element = source.inputs[i < 0 ? n + i : i];
      if (element) {
        node.output().replaceAllUsesWith(element);
        changed = true;
      }
    }
  }
  return changed;
}
