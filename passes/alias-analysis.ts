/**
 * alias-analysis: the AliasDb of a graph as a cached analysis, and `dumpAliasDb(graph)` for people.
 * Computed in frozen mode (each prim::GetAttr is a location of its own), as freezing needs it.
 * Mirrors torch/csrc/jit/ir/alias_analysis.cpp; see alias-db.ts for the model.
 */

import { inject } from 'inversify';
import { analysis, OPERATOR_REGISTRY, OperatorRegistry, type Analysis, type Graph } from '../src/index.js';
import { AliasDb } from './alias-db.js';

@analysis({ name: 'alias-analysis', summary: 'May-alias and write facts of a graph (frozen-module mode)' })
export class AliasAnalysis implements Analysis<Graph, AliasDb> {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  compute(graph: Graph): AliasDb {
    return new AliasDb(graph, this.ops, true);
  }
}

/** The graph, then its alias facts: the answer to "why was this attribute not inlined?". */
export function dumpAliasDb(graph: Graph, ops: OperatorRegistry = new OperatorRegistry()): string {
  return `${graph.toString()}\n${new AliasDb(graph, ops, true).dump()}`;
}

export { AliasDb, MemoryLocation, isMutableType } from './alias-db.js';
