// A deliberately wrong third-party pass, for the numerics check: it "folds" `x * 2` into `x`.
// The IR stays valid (the verifier accepts it); only the numbers change.

import { pass, toIValue, type Graph, type GraphPass, type PassResult } from '../../src/index.js';

/** Transforms `aten::mul(%x, 2)` into `%x` (wrong on purpose). */
@pass({ name: 'fold-mul-two', summary: 'Replace x * 2 by x (a wrong fold, for --check-numerics tests)' })
export class FoldMulTwo implements GraphPass {
  run(graph: Graph): PassResult {
    let changed = false;
    for (const node of graph.nodesOfKind('aten::mul')) {
      if (toIValue(node.inputs[1]) !== 2) continue;
      node.output().replaceAllUsesWith(node.inputs[0]);
      node.destroy();
      changed = true;
    }
    return { changed };
  }
}

export const passes = [FoldMulTwo];
