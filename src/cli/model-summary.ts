// Facts about a module for people: node counts, parameters, batch norms, convolutions, attributes.

import type { Graph } from '../ir/graph.js';
import type { ScriptModule } from '../module/script-module.js';
import { getPassManager } from '../pipeline/index.js';
import { createFreezeContainer } from '../../passes/freeze.js';

/** What the freeze summary compares before and after. */
export interface ModelSummary {
  readonly nodes: number;
  readonly parameters: number;
  readonly parameterElements: number;
  readonly attributes: number;
  readonly batchNorms: number;
  readonly convolutions: number;
  readonly getAttrs: number;
  readonly methods: readonly string[];
}

/** Counts nodes of every preserved method's graph, calls and all nested blocks included. */
export function countNodes(graph: Graph, kinds?: (kind: string) => boolean): number {
  let n = 0;
  for (const node of graph.allNodes()) if (!kinds || kinds(node.kind)) n++;
  return n;
}

const isConv = (k: string): boolean => /^aten::(_convolution|conv\d?d|conv_transpose\dd)$/.test(k);

/** Summarises a module (its forward, or every method when there is none). */
export function summarizeModule(module: ScriptModule): ModelSummary {
  const graphs = module.methods.map((m) => m.graph);
  const sum = (f: (g: Graph) => number): number => graphs.reduce((n, g) => n + f(g), 0);
  const params = module.namedParameters();
  return {
    nodes: sum((g) => countNodes(g)),
    parameters: params.length,
    parameterElements: params.reduce((n, [, t]) => n + t.numel, 0),
    attributes: module.namedAttributes().length,
    batchNorms: sum((g) => countNodes(g, (k) => k === 'aten::batch_norm')),
    convolutions: sum((g) => countNodes(g, isConv)),
    getAttrs: sum((g) => countNodes(g, (k) => k === 'prim::GetAttr')),
    methods: module.methodNames(),
  };
}

/**
 * Summarises what a module computes with every method call inlined (PyTorch's `inlined_graph`), so
 * node counts before freezing compare with the frozen graph.
 */
export function summarizeInlined(module: ScriptModule): ModelSummary {
  const copy = module.clone();
  getPassManager(createFreezeContainer()).run(copy, 'inline-submodules', {
    instrumentation: { reproducer: false },
  });
  return {
    ...summarizeModule(copy),
    parameters: module.namedParameters().length,
    attributes: module.namedAttributes().length,
  };
}
