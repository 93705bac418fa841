// Entry point of the emitter: compiles one `def` into its graph (inputs already made from the signature),
// then runs the cleanup torch.jit.load runs, so the result has PyTorch's loaded-graph structure.

import type { Graph } from '../../ir/graph.js';
import { NoneType } from '../../ir/types.js';
import { runCleanupPasses } from './cleanup/index.js';
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
    throw em.error(def.range, `${request.qualifiedName}: the graph has ${graph.inputs.length} inputs for ${def.params.length} parameters`);
  }
  def.params.forEach((p, i) => em.frame.store(p.name, graph.inputs[i], graph.inputs[i].type));
  emitStatements(em, def.body);
  let result = em.returned;
  if (!em.exitBlocks.has(graph.block)) {
    const declared = request.signature.returns[0];
    if (declared && declared.kind !== 'None') {
      throw em.error(def.range, 'function was not annotated as having type None, but does not return along all paths');
    }
    result = em.none();
  }
  // A function that always raises still needs an output of its declared type.
  result ??= em.insert('prim::Uninitialized', [], [request.signature.returns[0] ?? NoneType]).output();
  graph.registerOutput(result);
  for (const load of em.pendingLoads) {
    load.output().replaceAllUsesWith(load.input(0));
    load.destroy();
  }
  if (options.cleanup ?? true) runCleanupPasses(graph, request.host.registry, () => request.host.nextWarnId());
  return graph;
}
