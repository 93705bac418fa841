// Entry point of the emitter: compiles one `def` into its graph (inputs already made from the signature),
// then runs the cleanup torch.jit.load runs, so the result has PyTorch's loaded-graph structure.

import type { Graph } from '../../ir/graph.js';
import { NoneType } from '../../ir/types.js';
import { runCleanupPasses } from './cleanup/index.js';
import { transformExits } from './cleanup/exit-transforms.js';
import { canonicalizeModifiedLoops } from './cleanup/canonicalize-modified-loops.js';
import { FunctionEmitter, type EmitRequest } from './function-emitter.js';
import { emitStatements } from './statements.js';

/** Options of {@link emitFunctionBody}. */
export interface EmitOptions {
  /** Run the load-time cleanup passes (default true); off shows the raw emitted SSA. */
  readonly cleanup?: boolean;
}

/**
 * Emits the body of `request.def` into `request.graph` and returns the graph. Throws IRParseError with
 * code TS_COMPILE (or TS_UNSUPPORTED) at the offending source location.
 */
export function emitFunctionBody(request: EmitRequest, options: EmitOptions = {}): Graph {
  const em = new FunctionEmitter(request);
  const { def, graph } = request;
  if (graph.inputs.length !== def.params.length) {
    throw em.error(
      def.range,
      `${request.qualifiedName}: the graph has ${graph.inputs.length} inputs for ${def.params.length} parameters`,
    );
  }
  def.params.forEach((p, i) => em.frame.store(p.name, graph.inputs[i], graph.inputs[i].type));
  emitStatements(em, def.body);
  const declared = request.signature.returns[0];
  if (!em.exitBlocks.has(graph.block)) {
    // Falling off the end returns None (PyTorch's handleMaybeNoReturn).
    if (declared && declared.kind !== 'None') {
      throw em.error(
        def.range,
        'function was not annotated as having type None, but does not return along all paths',
      );
    }
    em.insert('prim::ReturnStmt', [em.none()], []);
    em.returnType ??= NoneType;
  }
  // A placeholder output until TransformExits routes the returned values to it.
  graph.registerOutput(
    em.insert('prim::Uninitialized', [], [em.returnType ?? declared ?? NoneType]).output(),
  );
  for (const load of em.pendingLoads) {
    load.output().replaceAllUsesWith(load.input(0));
    load.destroy();
  }
  transformExits(graph);
  canonicalizeModifiedLoops(graph);
  if (options.cleanup ?? true)
    runCleanupPasses(graph, request.host.registry, () => request.host.nextWarnId());
  return graph;
}
