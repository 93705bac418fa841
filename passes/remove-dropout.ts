/**
 * remove-dropout: drops eval-mode dropout, which is the identity.
 *   %y = aten::dropout(%x, %p, %false)          =>  (uses of %y use %x)
 *   %y = aten::feature_dropout_(%x, %p, %false) =>  (uses of %y use %x)
 * Only aten::dropout, dropout_, feature_dropout and feature_dropout_ whose `train` input is the
 * constant False; alpha_dropout and feature_alpha_dropout stay, as in PyTorch 1.13 (the fixture
 * dropout_linear_eval keeps aten::alpha_dropout). Run after freezing has made `train` a constant.
 * Its `p` and `train` constants go with it when nothing else reads them (what dead-code-elimination would
 * remove next): the numerics fixpoint after it then ends in one round on a model with nothing to fold.
 * Mirrors torch/csrc/jit/passes/remove_dropout.cpp (run by OptimizeFrozenGraph whatever optimize_numerics says).
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

/** The dropout kinds PyTorch removes. */
const REMOVABLE = new Set([
  'aten::dropout',
  'aten::dropout_',
  'aten::feature_dropout',
  'aten::feature_dropout_',
]);

/** Dropout kinds PyTorch 1.13 keeps even in eval mode (worth a remark, since they look removable). */
const KEPT = new Set([
  'aten::alpha_dropout',
  'aten::alpha_dropout_',
  'aten::feature_alpha_dropout',
  'aten::feature_alpha_dropout_',
]);

type Match = { readonly ok: true; readonly input: Value } | { readonly ok: false; readonly reason: string };

/** Whether `node` is a dropout PyTorch removes: one of the four kinds, three inputs, `train` the constant False. */
export function matchEvalDropout(node: Node): Match {
  if (KEPT.has(node.kind)) return { ok: false, reason: `${node.kind} is kept, as PyTorch 1.13 keeps it` };
  if (!REMOVABLE.has(node.kind)) return { ok: false, reason: `${node.kind} is not a dropout` };
  if (node.inputs.length !== 3 || node.outputs.length !== 1)
    return { ok: false, reason: 'not the (input, p, train) form' };
  const train = toIValue(node.inputs[2]);
  if (train === undefined)
    return { ok: false, reason: '`train` is not a constant (freeze the module first)' };
  if (train !== false) return { ok: false, reason: '`train` is True: dropout is random in training mode' };
  return { ok: true, input: node.inputs[0] };
}

@pass({
  name: 'remove-dropout',
  summary: 'Remove aten::dropout and aten::feature_dropout whose train argument is the constant False',
  statistics: [{ name: 'dropouts-removed', description: 'eval-mode dropout nodes replaced by their input' }],
})
export class RemoveDropout implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    let removed = 0;
    for (const node of graph.allNodes()) {
      if (!REMOVABLE.has(node.kind) && !KEPT.has(node.kind)) continue;
      const match = matchEvalDropout(node);
      if (!match.ok) {
        context.remark(node, `not removed: ${match.reason}`);
        continue;
      }
      // Transforms `%y = aten::dropout(%x, %p, False)` into uses of %x.
      const p = node.inputs[1];
      const train = node.inputs[2];
      node.output().replaceAllUsesWith(match.input);
      node.destroy();
      destroyIfUnusedConstant(p);
      if (train !== p) destroyIfUnusedConstant(train);
      removed++;
    }
    if (removed) context.count('dropouts-removed', removed);
    return { changed: removed > 0 };
  }
}

// A prim::Constant nothing reads any more is dead code: it goes now rather than in the next DCE.
function destroyIfUnusedConstant(v: Value): void {
  if (v.node.kind === 'prim::Constant' && !v.hasUses()) v.node.destroy();
}
