/**
 * transpose-frozen-linear: rewrites an aten::linear whose weight (and bias) are constants into a matmul
 * against the weight transposed once, ahead of time. OPT-IN: not part of freeze; PyTorch runs it only
 * when asked (torch._C._jit_pass_transpose_frozen_linear).
 *   %y = aten::linear(%x, %W, %b)      =>   %Wt = prim::Constant[value=<W.t(), contiguous>]()
 *                                           %one : int = prim::Constant[value=1]()
 *                                           %m = aten::matmul(%x, %Wt)
 *                                           %y' = aten::add(%m, %b, %one)      (no add when %b is None)
 * Preconditions, those of PyTorch's frozen_linear_transpose.cpp: every input but the data input comes
 * from a prim::Constant (so linear.out, whose `out` is not a constant, never matches). Added here: the
 * weight is a 2-D tensor (PyTorch's transpose(1, 0) would fail on a 1-D weight, which aten::linear accepts).
 * The old weight constant is left to dead-code-elimination, as PyTorch leaves it.
 * Mirrors torch/csrc/jit/passes/frozen_linear_transpose.cpp (FrozenLinearTranspose).
 */

import {
  IntType,
  TensorTensor,
  insertConstant,
  pass,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Tensor,
  type Value,
} from '../src/index.js';
import {
  constantTensor,
  isNone,
  matched,
  nonConstantReason,
  notMatched,
  type Match,
} from './frozen-folding.js';

// aten::linear(Tensor input, Tensor weight, Tensor? bias=None)
const LINEAR = { input: 0, weight: 1, bias: 2, arity: 3 } as const;

/** A linear the pass rewrites: the node, its constant weight and its bias (None or a constant). */
export interface FrozenLinear {
  readonly linear: Node;
  readonly weight: Tensor;
  readonly bias: Value | null;
}

/** Whether `node` is an aten::linear with constant parameters and a 2-D constant weight. */
export function matchFrozenLinear(node: Node): Match<FrozenLinear> {
  if (node.kind !== 'aten::linear') return notMatched(`${node.kind} is not aten::linear`);
  if (node.inputs.length !== LINEAR.arity || node.outputs.length !== 1)
    return notMatched('not the aten::linear(input, weight, bias) overload');
  const nonConstant = nonConstantReason(node, 'linear');
  if (nonConstant) return notMatched(nonConstant);
  const weight = constantTensor(node.inputs[LINEAR.weight]);
  if (!weight) return notMatched('linear weight is not a tensor');
  if (weight.dim !== 2) return notMatched(`linear weight has ${weight.dim} dims, not 2`);
  const bias = node.inputs[LINEAR.bias];
  return matched({ linear: node, weight, bias: isNone(bias) ? null : bias });
}

@pass({
  name: 'transpose-frozen-linear',
  summary:
    'Replace aten::linear with constant weights by aten::matmul against the pre-transposed weight (+ aten::add of the bias); opt-in',
  statistics: [{ name: 'transposed', description: 'aten::linear nodes rewritten into aten::matmul' }],
})
export class TransposeFrozenLinear implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    let transposed = 0;
    // Materialised first: the rewrite destroys the node being visited.
    for (const node of [...graph.allNodes()]) {
      if (node.kind !== 'aten::linear') continue;
      const match = matchFrozenLinear(node);
      if (!match.ok) {
        context.remark(node, `not transposed: ${match.reason}`);
        continue;
      }
      rewrite(match.value);
      transposed++;
    }
    if (transposed) context.count('transposed', transposed);
    return { changed: transposed > 0 };
  }
}

// Transforms `linear(x, W, b)` into `add(matmul(x, W^T), b, 1)` (or `matmul(x, W^T)` without a bias).
function rewrite(m: FrozenLinear): void {
  const { linear } = m;
  const graph = linear.owningGraph;
  const result = graph.withInsertPoint(linear, () => {
    // Constants first, then matmul and add: the order PyTorch's insertion leaves.
    const weightT = insertConstant(graph, m.weight.transpose(1, 0).clone());
    const alpha = m.bias ? insertConstant(graph, 1, IntType) : undefined;
    const matmul = graph.insert('aten::matmul', [linear.inputs[LINEAR.input], weightT], [TensorTensor]);
    if (!m.bias || !alpha) return matmul.output();
    return graph.insert('aten::add', [matmul.output(), m.bias, alpha], [TensorTensor]).output();
  });
  linear.output().replaceAllUsesWith(result);
  linear.destroy();
}
