/**
 * alias-analysis: the AliasDb of a graph as a cached analysis, and `dumpAliasDb(graph)` for people.
 * The cached analysis is PyTorch's ordinary AliasDb (attributes read from `self` may alias anything the
 * module holds), which CSE, constant propagation and DCE need. freeze-attributes builds its own in
 * frozen mode (each prim::GetAttr a location of its own), as PyTorch's recordMutableAttrs does.
 * Mirrors torch/csrc/jit/ir/alias_analysis.cpp; see alias-db.ts for the model.
 */

import {
  analysis,
  defaultOperatorRegistry,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  type Analysis,
  type Graph,
  inject,
} from '../src/index.js';
import { AliasDb } from './alias-db.js';

@analysis({ name: 'alias-analysis', summary: 'May-alias and write facts of a graph' })
export class AliasAnalysis implements Analysis<Graph, AliasDb> {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  compute(graph: Graph): AliasDb {
    return new AliasDb(graph, this.ops, false);
  }
}

/**
 * The graph, then its alias facts (PyTorch's `dump_alias_db`). With `frozen`, each prim::GetAttr is its
 * own location, as freezing sees it: the answer to "why was this attribute not inlined?".
 */
export function dumpAliasDb(
  graph: Graph,
  options: { ops?: OperatorRegistry; frozen?: boolean } = {},
): string {
  const ops = options.ops ?? defaultOperatorRegistry();
  return `${graph.toString()}\n${new AliasDb(graph, ops, options.frozen ?? false).dump()}`;
}

export { AliasDb, MemoryLocation, isMutableType } from './alias-db.js';
