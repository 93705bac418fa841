// "May some node write this value?" for a pass that asks it of a few values of a big graph: the value's
// uses answer most questions exactly (freshValueWriters), and the whole AliasDb
// is built only for the first question they leave open. From then on the AliasDb answers every question,
// as it did when it was built first.
//
// The uses answer for the graph as it is when asked, an AliasDb for the graph as it was when built: a pass
// that changes the graph between questions must only make changes that leave every answer as it was (CSE
// merges only nodes nobody writes; see each caller).

import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import type { AliasDb } from './alias-db.js';
import { isMutableType } from './alias-types.js';
import type { EntryLookup } from './alias-analyzer.js';
import { freshAliases, freshValueWriters } from './fresh-writers.js';

/** hasWriters answered from uses first; the AliasDb (ordinary mode) made by `makeDb` when first needed. */
export class LazyWriters {
  private db: AliasDb | undefined;
  /**
   * Answers given from uses, kept: a constant list shared by hundreds of convs is asked once per merge
   * (its uses grow as equal nodes merge into it). Valid while the caller's edits leave answers unchanged.
   */
  private readonly answers = new Map<Value, boolean>();
  private readonly local = new Map<Value, boolean>();
  /** Questions answered without the AliasDb (for tests and measurements). */
  answeredFromUses = 0;

  constructor(
    private readonly graph: Graph,
    private readonly entryOf: EntryLookup,
    private readonly makeDb: () => AliasDb,
  ) {}

  /** PyTorch's AliasDb::hasWriters(value). */
  hasWriters(v: Value): boolean {
    if (this.db) return this.db.hasWriters(v);
    const known = this.answers.get(v);
    if (known !== undefined) return known;
    // Not wildcardsSurelyUnwritten: a whole-graph walk (transformer: ~37 ms) that is false where it would help.
    const writers = freshValueWriters(v, this.entryOf, false);
    if (!writers) return this.aliasDb().hasWriters(v);
    this.answeredFromUses++;
    this.answers.set(v, writers.length > 0);
    return writers.length > 0;
  }

  /** PyTorch's AliasDb::hasWriters(node): some input or output may be written. */
  nodeHasWriters(n: Node): boolean {
    const { inputs, outputs } = n;
    for (let i = 0; i < inputs.length; i++) if (this.hasWriters(inputs[i])) return true;
    for (let i = 0; i < outputs.length; i++) if (this.hasWriters(outputs[i])) return true;
    return false;
  }

  /**
   * Every mutable value of `values` is a fresh location whose aliases (freshAliases) neither escape, nor
   * are held by a container, nor are a graph output: then the AliasDb's mayContainAlias(values, graph
   * outputs) and escapesScope(values) are false, and merging two such values that nobody writes changes
   * no answer of an AliasDb about writers, escapes or outputs (the merged value stays surelyLocal: answers
   * are kept). False when the uses do not tell.
   */
  surelyLocal(values: readonly Value[]): boolean {
    const outputs = this.graph.outputs;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!isMutableType(v.type)) continue;
      let local = this.local.get(v);
      if (local === undefined) this.local.set(v, (local = this.aliasesInside(v, outputs)));
      if (!local) return false;
    }
    return true;
  }

  private aliasesInside(v: Value, outputs: readonly Value[]): boolean {
    const aliases = freshAliases(v, this.entryOf, false);
    if (!aliases) return false;
    for (let a = 0; a < aliases.length; a++) if (outputs.includes(aliases[a])) return false;
    return true;
  }

  /** Whether the AliasDb has been built (then it answers everything). */
  get built(): boolean {
    return this.db !== undefined;
  }

  /** The AliasDb, built now if no question needed it yet. */
  aliasDb(): AliasDb {
    return (this.db ??= this.makeDb());
  }
}
