/**
 * eliminate-no-ops: removes ops of the form `%y = f(%x, ...)` whose result is just %x.
 *   %y : Tensor = aten::detach(%x)     =>   (uses of %y use %x)
 * In PyTorch 1.13 the only built-in no-op is aten::detach (a frozen graph needs no autograd); the `ops`
 * option adds more kinds, as EliminateNoOps' custom_ops does. Nothing is done when the top-level graph
 * compares tensors by identity (`aten::__is__` / `__isnot__` on two tensors): `x.detach() is x` is False,
 * and would turn True. Mirrors torch/csrc/jit/passes/eliminate_no_ops.cpp (run by freezing after inlining).
 */

import {
  pass,
  type Graph,
  type GraphPass,
  type Node,
  type OptionsOf,
  type PassContext,
  type PassResult,
} from '../src/index.js';

const OPTIONS = {
  ops: {
    type: 'string[]',
    default: [],
    description: 'more node kinds whose output is their first input (besides aten::detach)',
  },
} as const;

/** A node whose output can be replaced by its first input, or why not. */
export function matchNoOp(
  node: Node,
  kinds: ReadonlySet<string>,
): { ok: true } | { ok: false; reason: string } {
  if (!kinds.has(node.kind)) return { ok: false, reason: `${node.kind} is not a no-op` };
  if (node.inputs.length === 0 || node.outputs.length !== 1)
    return { ok: false, reason: 'not of the form y = f(x, ...)' };
  return { ok: true };
}

// PyTorch's containsInvalidOp: an identity comparison of two tensors among the top-level nodes.
function identityComparison(graph: Graph): Node | undefined {
  for (const n of graph.nodes()) {
    const isOp = n.kind === 'aten::__is__' || n.kind === 'aten::__isnot__';
    if (isOp && n.inputs.every((v) => v.type.kind === 'Tensor')) return n;
  }
  return undefined;
}

@pass({
  name: 'eliminate-no-ops',
  summary: 'Replace aten::detach (and the kinds in `ops`) by its input',
  options: OPTIONS,
  statistics: [{ name: 'no-ops-removed', description: 'no-op nodes replaced by their input' }],
})
export class EliminateNoOps implements GraphPass<OptionsOf<typeof OPTIONS>> {
  run(graph: Graph, context: PassContext<OptionsOf<typeof OPTIONS>>): PassResult {
    const blocker = identityComparison(graph);
    if (blocker) {
      context.remark(
        blocker,
        'no no-ops removed: the graph compares tensors by identity, which removal could change',
      );
      return { changed: false };
    }
    const kinds = new Set(['aten::detach', ...context.options.ops]);
    let removed = 0;
    for (const node of graph.allNodes()) {
      if (!matchNoOp(node, kinds).ok) continue;
      // Transforms `%y = aten::detach(%x)` into uses of %x.
      node.output().replaceAllUsesWith(node.input(0));
      node.destroy();
      removed++;
    }
    if (removed) context.count('no-ops-removed', removed);
    return { changed: removed > 0 };
  }
}
