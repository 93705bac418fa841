/**
 * eliminate-dead-fork-inputs: drops the inputs of a prim::fork that its block no longer reads.
 *   %fut = prim::fork(%sub, %x)           =>  %fut = prim::fork(%x)
 *     block0(): ...reads only %x...             block0(): ...reads only %x...
 * A fork's inputs are the values its body captured (PyTorch: the lifted subgraph's inputs). Once freezing
 * has folded the attribute reads inside the body, a captured submodule is an input nothing uses; an
 * input keeps what produces it alive and makes alias analysis treat it as escaping into the task.
 * Every fork is judged on the graph as the pass finds it, so a submodule the body still passes to an
 * inner fork stays captured until the inner fork loses it and the pass runs again.
 * Mirrors EliminateDeadForkInputs of torch/csrc/jit/passes/dead_code_elimination.cpp, which PyTorch runs
 * at the start of each dead-code elimination of a graph; freezing runs that once on the method before
 * the forked subgraphs are optimized, and again (through the frozen conv folds) in torch.jit.freeze.
 */

import {
  pass,
  type Block,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Value,
} from '../src/index.js';

function isInside(node: Node, block: Block): boolean {
  for (let b: Block | null = node.owningBlock; b; b = b.owningNode?.owningBlock ?? null)
    if (b === block) return true;
  return false;
}

/** The input positions of `fork` that nothing in its block reads. */
export function deadForkInputs(fork: Node): number[] {
  const body = fork.blocks[0];
  if (!body) return [];
  const readInside = (v: Value): boolean => v.uses().some((u) => u.user !== fork && isInside(u.user, body));
  return fork.inputs.flatMap((v, i) => (readInside(v) ? [] : [i]));
}

@pass({
  name: 'eliminate-dead-fork-inputs',
  summary: 'Drop the captured values of prim::fork that its block no longer reads',
  statistics: [{ name: 'inputs-removed', description: 'fork inputs dropped' }],
})
export class EliminateDeadForkInputs implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    // Decide for every fork first, so an inner fork's change does not decide an outer one this run.
    // One walk and no array of every node: freezing runs this twice, on graphs of 5-15k nodes.
    const plan: { fork: Node; dead: number[] }[] = [];
    for (const n of graph.allNodes()) {
      if (n.kind !== 'prim::fork') continue;
      const dead = deadForkInputs(n);
      if (dead.length > 0) plan.push({ fork: n, dead });
    }
    let removed = 0;
    for (const { fork, dead } of plan) {
      // Transforms `prim::fork(%unused, %x)` into `prim::fork(%x)`, from the last position down.
      for (const i of [...dead].reverse()) fork.removeInput(i);
      removed += dead.length;
    }
    if (removed) context.count('inputs-removed', removed);
    return { changed: removed > 0 };
  }
}
