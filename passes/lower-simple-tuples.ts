/**
 * lower-simple-tuples: reads the elements of a tuple straight from the prim::TupleConstruct that built it.
 *   %t = prim::TupleConstruct(%a, %b)
 *   %x, %y = prim::TupleUnpack(%t)         =>   (uses of %x, %y use %a, %b)
 *   %z = prim::TupleIndex(%t, %minus_one)  =>   (uses of %z use %b)       constant index, in range
 *   %s = prim::TupleSlice[beg=1, end=2](%t) =>  %s = prim::TupleConstruct(%b)
 * A tuple that does not come from a prim::TupleConstruct (a graph input, a prim::If or prim::Loop output, a
 * call's result) is left alone, as in PyTorch's LowerSimpleTuples: flattening tuples through blocks is its
 * LowerAllTuples, which freezing does not run. The replaced nodes are removed; a TupleConstruct left
 * unused is for dead-code-elimination. Mirrors torch/csrc/jit/passes/lower_tuples.cpp (LowerSimpleTuples).
 */

import {
  pass,
  toIValue,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Value,
} from '../src/index.js';

const READERS = new Set(['prim::TupleUnpack', 'prim::TupleIndex', 'prim::TupleSlice']);

/** The elements a tuple reader gets from its TupleConstruct, or why they cannot be read off. */
export function matchTupleRead(node: Node): { ok: true; elements: Value[] } | { ok: false; reason: string } {
  const construct = node.inputs[0]?.node;
  if (!construct || construct.kind !== 'prim::TupleConstruct') {
    return {
      ok: false,
      reason: `the tuple comes from ${construct?.kind ?? 'nowhere'}, not a prim::TupleConstruct`,
    };
  }
  const items = construct.inputs;
  if (node.kind === 'prim::TupleUnpack') {
    return items.length === node.outputs.length
      ? { ok: true, elements: [...items] }
      : { ok: false, reason: 'arity mismatch' };
  }
  if (node.kind === 'prim::TupleSlice') {
    return { ok: true, elements: items.slice(Number(node.i('beg')), Number(node.i('end'))) };
  }
  const index = toIValue(node.inputs[1]);
  if (typeof index !== 'number' && typeof index !== 'bigint')
    return { ok: false, reason: 'the index is not a constant' };
  const i = Number(index) < 0 ? Number(index) + items.length : Number(index);
  if (i < 0 || i >= items.length) return { ok: false, reason: `index ${index} is out of range` };
  return { ok: true, elements: [items[i]] };
}

@pass({
  name: 'lower-simple-tuples',
  summary: 'Read tuple elements straight from the prim::TupleConstruct (TupleUnpack, TupleIndex, TupleSlice)',
  statistics: [{ name: 'tuple-reads-lowered', description: 'TupleUnpack/Index/Slice nodes replaced' }],
})
export class LowerSimpleTuples implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    let lowered = 0;
    for (const node of graph.allNodes()) {
      if (!READERS.has(node.kind)) continue;
      const match = matchTupleRead(node);
      if (!match.ok) {
        context.remark(node, `not lowered: ${match.reason}`);
        continue;
      }
      if (node.kind === 'prim::TupleSlice') {
        // Transforms a slice of a TupleConstruct into a TupleConstruct of the sliced elements.
        const tuple = graph.withInsertPoint(node, () =>
          graph.insert('prim::TupleConstruct', match.elements, [node.output().type]),
        );
        node.output().replaceAllUsesWith(tuple.output());
      } else {
        // Transforms an unpack or constant index of a TupleConstruct into uses of its inputs.
        node.outputs.forEach((o, i) => o.replaceAllUsesWith(match.elements[i]));
      }
      node.destroy();
      lowered++;
    }
    if (lowered) context.count('tuple-reads-lowered', lowered);
    return { changed: lowered > 0 };
  }
}
