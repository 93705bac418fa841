/**
 * freeze-check: refuses what freezing cannot do, before anything changes: a module in training mode
 * (PyTorch's message, with the fix) and preserved names that do not exist (`Unknown name: x`).
 * Changes nothing. Mirrors torch.jit.freeze's checks and AttributePropagator's name resolution.
 */

import {
  FreezeError,
  ScriptModule,
  pass,
  type ModulePass,
  type ModuleTarget,
  type PassContext,
  type PassResult,
} from '../src/index.js';
import { checkEvalMode, resolvePreserved } from './freeze/preserved.js';

@pass({
  name: 'freeze-check',
  summary: 'Refuse modules in training mode and unknown preserved names, before freezing changes anything',
  target: 'module',
  options: {
    preserve: { type: 'string[]', default: [], description: 'attributes and methods to keep (dotted paths allowed)' },
  },
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
    resolvePreserved(target, context.options.preserve);
    for (const out of target.findMethod('forward')?.graph.outputs ?? []) {
      if (out.type.equals(target.type)) throw new FreezeError('RETURNS_SELF', 'attempted to freeze a module that return itself');
    }
    return { changed: false };
  }
}
