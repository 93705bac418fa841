/**
 * freeze-check: refuses what freezing cannot do, before anything changes: a module in training mode
 * (PyTorch's message, with the fix), preserved names that do not exist (`Unknown name: x`), a forward
 * returning self, and a ModuleList/ModuleDict indexed at run time (prim::ModuleContainerIndex, whose
 * result is only known as an interface) in a preserved method or anything it calls.
 * Changes nothing. Mirrors torch.jit.freeze's checks, AttributePropagator's name resolution and the
 * check in its recordMutableAttrs (freeze_module.cpp), which runs on the inlined preserved methods.
 */

import {
  FreezeError,
  ScriptModule,
  pass,
  type Graph,
  type ModulePass,
  type ModuleTarget,
  type PassContext,
  type PassResult,
} from '../src/index.js';
import { checkEvalMode, PRESERVE_OPTIONS, resolvePreserved, type PreservedSet } from './freeze/preserved.js';
import { matchFunctionCall, matchMethodCall } from './inline-submodules.js';

/** PyTorch's words for a module indexing a ModuleList/ModuleDict with a run-time key. */
export const MODULE_CONTAINER_INDEX_MESSAGE =
  'Freezing modules containing prim::ModuleContainerIndex is not supported';

/**
 * Refuses a prim::ModuleContainerIndex in a preserved method's graph or in a method or function it calls
 * (freezing inlines those before PyTorch checks).
 */
export function checkNoModuleContainerIndex(root: ScriptModule, preserved: PreservedSet): void {
  const pending: Graph[] = [...preserved.methods.keys()].map((fn) => fn.graph);
  const seen = new Set<Graph>();
  const units = [root.type.cu];
  for (let graph = pending.pop(); graph; graph = pending.pop()) {
    if (seen.has(graph)) continue;
    seen.add(graph);
    for (const node of graph.allNodes()) {
      if (node.kind === 'prim::ModuleContainerIndex')
        throw new FreezeError('MODULE_CONTAINER_INDEX', MODULE_CONTAINER_INDEX_MESSAGE);
      const call =
        node.kind === 'prim::CallMethod'
          ? matchMethodCall(node)
          : node.kind === 'prim::CallFunction'
            ? matchFunctionCall(node, units)
            : undefined;
      if (call?.ok) pending.push(call.callee.graph);
    }
  }
}

@pass({
  name: 'freeze-check',
  summary: 'Refuse modules in training mode and unknown preserved names, before freezing changes anything',
  target: 'module',
  options: PRESERVE_OPTIONS,
  required: true,
})
export class FreezeCheck implements ModulePass {
  run(target: ModuleTarget, context: PassContext<{ preserve: readonly string[] }>): PassResult {
    if (!(target instanceof ScriptModule)) {
      throw new FreezeError(
        'NOT_A_SCRIPT_MODULE',
        "Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to script your 'nn.Module'.",
      );
    }
    checkEvalMode(target);
    const preserved = resolvePreserved(target, context.options.preserve);
    for (const out of target.findMethod('forward')?.graph.outputs ?? []) {
      if (out.type.equals(target.type))
        throw new FreezeError('RETURNS_SELF', 'attempted to freeze a module that return itself');
    }
    checkNoModuleContainerIndex(target, preserved);
    return { changed: false };
  }
}
