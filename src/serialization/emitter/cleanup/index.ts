// The cleanup PyTorch runs on every function it compiles while loading (ir_emitter.cpp's
// runCleanupPasses): normalize op aliases, lower simple tuples, dead code elimination, immutable-type
// constant propagation, constant pooling, output canonicalization, and warn ids.

import type { Block } from '../../../ir/block.js';
import type { Graph } from '../../../ir/graph.js';
import type { OperatorRegistry } from '../../../ops/registry.js';
import { canonicalizeOutputs } from './canonicalize-outputs.js';
import { constantPooling } from './constant-pooling.js';
import { constantPropagationImmutableTypes } from './constant-propagation.js';
import { eliminateDeadCode } from './dead-code.js';
import { lowerSimpleTuples } from './lower-tuples.js';
import { normalizeOps } from './normalize-ops.js';

export { canonicalizeOutputs } from './canonicalize-outputs.js';
export { constantPooling } from './constant-pooling.js';
export { constantPropagationImmutableTypes } from './constant-propagation.js';
export { eliminateDeadCode } from './dead-code.js';
export { lowerSimpleTuples } from './lower-tuples.js';
export { canonicalKindOf, normalizeOps } from './normalize-ops.js';
export { foldNode, isMutableType } from './evaluate.js';

/** Runs the load-time cleanup on a freshly emitted graph. `nextWarnId` numbers aten::warn nodes. */
export function runCleanupPasses(graph: Graph, registry: OperatorRegistry, nextWarnId: () => number): void {
  normalizeOps(graph);
  lowerSimpleTuples(graph);
  eliminateDeadCode(graph, registry);
  if (constantPropagationImmutableTypes(graph, registry)) eliminateDeadCode(graph, registry);
  constantPooling(graph);
  canonicalizeOutputs(graph);
  annotateWarns(graph.block, nextWarnId);
}

// Each aten::warn gets a process-wide id so a warning is shown once (passes/annotate_warns.cpp).
// (The cleanup walks follow the node links directly: cheaper than the iterators in cold code.)
function annotateWarns(block: Block, nextWarnId: () => number): void {
  const end = block.returnNode;
  for (let node = end.next!; node !== end; node = node.next!) {
    const blocks = node.blocks;
    for (let i = 0; i < blocks.length; i++) annotateWarns(blocks[i], nextWarnId);
    if (node.kind === 'aten::warn' && !node.hasAttribute('warn_id')) node.setI('warn_id', nextWarnId());
  }
}
