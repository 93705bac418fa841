/**
 * alias-analysis: the AliasDb of a graph as a cached analysis, and `dumpAliasDb(graph)` for people.
 * The cached analysis is PyTorch's ordinary AliasDb (attributes read from `self` are wildcards), which
 * CSE, constant propagation, peephole and DCE ask. freeze-attributes builds its own in frozen mode (each
 * prim::GetAttr of a module attribute a location of its own), as PyTorch's recordMutableAttrs does.
 * The AliasDb itself is public API (src/analysis): torch/csrc/jit/ir/alias_analysis.cpp.
 */

import {
  AliasDb,
  analysis,
  defaultOperatorRegistry,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  type Analysis,
  type Graph,
  type Value,
  inject,
  LazyWriters,
  writtenValues,
} from '../src/index.js';

@analysis({ name: 'alias-analysis', summary: 'May-alias and write facts of a graph' })
export class AliasAnalysis implements Analysis<Graph, AliasDb> {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  compute(graph: Graph): AliasDb {
    return currentAliasDb(graph, this.ops);
  }

  /** --verify-analysis-invalidation compares the facts as dumped (values by their current names). */
  fingerprint(db: AliasDb): string {
    return db.dump();
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
  return `${graph.toString()}\n${new AliasDb(graph, ops, { frozen: options.frozen ?? false }).dump()}`;
}

/**
 * An AliasDb of `graph` as it is now. The last one made here is handed out again while that graph's
 * mutation epoch has not moved (an AliasDb is a function of the graph and the registry alone), so passes
 * and steps that each want one share it when nothing changed between them: densenet121's peephole leaves
 * the graph as its last AliasDb saw it and constant-propagation asks next. One slot, not one per graph:
 * it keeps at most one graph's analysis alive.
 */
export function currentAliasDb(graph: Graph, ops: OperatorRegistry): AliasDb {
  const kept = keptAliasDb(graph, ops);
  if (kept) return kept;
  const db = new AliasDb(graph, ops);
  lastAliasDb = { graph, epoch: graph.epoch, ops, opsVersion: ops.version, db };
  return db;
}

// The AliasDb last made by currentAliasDb, if it is one of `graph` as it is now.
function keptAliasDb(graph: Graph, ops: OperatorRegistry): AliasDb | undefined {
  const last = lastAliasDb;
  return last &&
    last.graph === graph &&
    last.epoch === graph.epoch &&
    last.ops === ops &&
    // An operator registered since may change what a node's schema says it writes.
    last.opsVersion === ops.version
    ? last.db
    : undefined;
}

/**
 * AliasDb.hasWriters of `graph` as it is now, kept as a snapshot for a pass that goes on asking while it
 * changes the graph (values made later have no writers, as in an AliasDb built now). The AliasDb of
 * currentAliasDb when it is at hand; else, when no write reaches a wildcard, the written values found from
 * the writes' uses (writtenValues: a walk of the graph, a fraction of building an AliasDb; transformer_12x768
 * at constant-propagation); else a new AliasDb.
 */
export function writersNow(graph: Graph, ops: OperatorRegistry): (v: Value) => boolean {
  const kept = keptAliasDb(graph, ops);
  if (!kept) {
    const written = writtenValues(graph, (n) => ops.entryForNode(n), false);
    if (written) return (v) => written.has(v);
  }
  const db = kept ?? currentAliasDb(graph, ops);
  return (v) => db.hasWriters(v);
}

let lastAliasDb:
  { graph: Graph; epoch: number; ops: OperatorRegistry; opsVersion: number; db: AliasDb } | undefined;

/**
 * hasWriters for a pass that asks it of a few values: answered from the values' uses where they tell, the
 * AliasDb (`makeDb`, by default currentAliasDb) built only for the first question they leave open.
 */
export function lazyWriters(
  graph: Graph,
  ops: OperatorRegistry,
  makeDb: () => AliasDb = () => currentAliasDb(graph, ops),
): LazyWriters {
  return new LazyWriters(graph, (n) => ops.entryForNode(n), makeDb);
}

/** currentAliasDb as a function (for steps that want "an AliasDb of the graph as it is now"). */
export function aliasDbWhileUnchanged(graph: Graph, ops: OperatorRegistry): () => AliasDb {
  return () => currentAliasDb(graph, ops);
}

export { AliasDb, isMutableType, LazyWriters } from '../src/index.js';
