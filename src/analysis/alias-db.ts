// AliasDb: which values may share memory, what containers may hold, and which nodes write where, for
// one graph — PyTorch 1.13's AliasDb (torch/csrc/jit/ir/alias_analysis.h) with the same queries. Passes
// ask it before they fold, merge, move or remove anything that could be written in place.

import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import type { OperatorRegistry } from '../ops/registry.js';
import { AliasAnalyzer, mustBeNone, type AliasFacts, type EntryLookup } from './alias-analyzer.js';
import { aliasTypeKey, aliasTypeSet, singleAliasType } from './alias-types.js';
import { intersects, meets, type Locations } from './memory-dag.js';

/** How to build an AliasDb. */
export interface AliasDbOptions {
  /**
   * Freezing's view (PyTorch's `AliasDb(graph, isFrozen=true)`): each prim::GetAttr of a module attribute
   * is a memory location of its own, and batch norms never update their running stats.
   */
  readonly frozen?: boolean;
  /** Finds a node's operator; the registry's overload resolution by default. */
  readonly entryOf?: EntryLookup;
  /**
   * How loops are analysed. 'pytorch' (default): PyTorch 1.13's analyzeLoop exactly (body inputs point at
   * the initial values only, results at the body's results only), so freezing decides as PyTorch does
   * (docs/freeze.md, loops in alias analysis). That view misses writes through a carried value made in the
   * body and through a loop that ran no iteration. 'fixpoint' (sound): carried values are followed over all
   * iterations and a loop's results may be its initial values.
   */
  readonly loops?: 'fixpoint' | 'pytorch';
}

/** The alias facts of one graph, computed once; queries never change them. */
export class AliasDb {
  private readonly facts: AliasFacts;
  /** Memory locations each node writes (its own writes; blocks' nodes are added by getWrites): made when first asked. */
  private writeIndexCache: Map<Node, Set<number>> | undefined;
  /** Per element: 1 when some node may write that memory location. */
  private readonly written: Uint8Array;
  private readonly wildcardElements: ReadonlySet<number>;
  private scopeCache: { inputs: Set<number>; outputs: Set<number> } | undefined;

  constructor(
    readonly graph: Graph,
    registry: OperatorRegistry,
    options: AliasDbOptions = {},
  ) {
    const entryOf = options.entryOf ?? ((n: Node) => registry.entryForNode(n));
    this.facts = new AliasAnalyzer(entryOf, options.frozen ?? false, options.loops !== 'fixpoint', graph).run(
      graph,
    );
    this.wildcardElements = new Set(this.facts.wildcardOf.values());
    const dag = this.facts.dag;
    const written = (this.written = new Uint8Array(dag.size));
    for (const w of this.facts.writes.values()) {
      for (const v of w.values) dag.markLocations(this.facts.elements.of(v), written);
      if (w.contents.length) {
        const locs = new Set<number>();
        for (const v of w.contents) dag.collectContained(this.facts.elements.of(v), locs);
        for (const l of locs) written[l] = 1;
      }
      if (w.allWildcards) for (const l of this.wildcardElements) written[l] = 1;
    }
  }

  private get writeIndex(): Map<Node, Set<number>> {
    if (this.writeIndexCache) return this.writeIndexCache;
    const index = new Map<Node, Set<number>>();
    const { dag, elements } = this.facts;
    for (const [node, w] of this.facts.writes) {
      const locs = new Set<number>();
      for (const v of w.values) for (const l of dag.locations(elements.of(v))) locs.add(l);
      for (const v of w.contents) dag.collectContained(elements.of(v), locs);
      if (w.allWildcards) for (const l of this.wildcardElements) locs.add(l);
      index.set(node, locs);
    }
    return (this.writeIndexCache = index);
  }

  /** PyTorch's AliasDb::isMutableType: tensors, lists, dicts, objects and what may hold them. */
  static isMutableType(v: Value): boolean {
    return aliasTypeSet(v.type) !== undefined;
  }

  // ---- writers --------------------------------------------------------------------------------

  /** Some node may write memory `v` points to. None and values made after the analysis have none. */
  hasWriters(v: Value): boolean {
    if (mustBeNone(v)) return false;
    const e = this.facts.elements.of(v);
    return e >= 0 && this.facts.dag.someLocationMarked(e, this.written);
  }

  /** Some input or output of `node` may be written (PyTorch's hasWriters(Node*)). */
  nodeHasWriters(node: Node): boolean {
    return this.hasInputWriters(node) || this.hasOutputWriters(node);
  }

  hasInputWriters(node: Node): boolean {
    return node.inputs.some((v) => this.hasWriters(v));
  }

  hasOutputWriters(node: Node): boolean {
    return node.outputs.some((v) => this.hasWriters(v));
  }

  /** The nodes that may write memory `v` points to, in no particular order (for explanations). */
  writersOf(v: Value): Node[] {
    // Most values are never written: the union of all writes answers without scanning every writer.
    if (!this.hasWriters(v)) return [];
    const locs = this.locationsOf(v)!;
    const out: Node[] = [];
    for (const [node, writes] of this.writeIndex) if (meets(locs, writes)) out.push(node);
    return out;
  }

  /** Memory locations `node` (or a node in its blocks) writes. */
  getWrites(node: Node): Set<number> {
    const out = new Set<number>();
    const visit = (n: Node): void => {
      for (const l of this.writeIndex.get(n) ?? []) out.add(l);
      for (const b of n.blocks) for (const inner of b.nodes()) visit(inner);
    };
    visit(node);
    return out;
  }

  /** Memory locations `node` (or a node in its blocks) reads: its inputs and all they hold (getReads). */
  getReads(node: Node): Set<number> {
    const out = new Set<number>();
    const visit = (n: Node): void => {
      for (const v of n.inputs) {
        const e = this.facts.elements.of(v);
        if (e >= 0) this.facts.dag.collectContained(e, out);
      }
      for (const b of n.blocks) for (const inner of b.nodes()) visit(inner);
    };
    visit(node);
    return out;
  }

  /** `node` writes somewhere something in `values` may point to. */
  writesToAlias(node: Node, values: Iterable<Value>): boolean {
    const writes = this.getWrites(node);
    if (writes.size === 0) return false;
    for (const v of values) {
      const locs = this.locationsOf(v);
      if (locs && meets(locs, writes)) return true;
    }
    return false;
  }

  /** `node` writes memory that escaped: side effects the analysis cannot follow (DCE keeps such nodes). */
  writesToWildcard(node: Node): boolean {
    const writes = this.writeIndex.get(node);
    if (!writes) return false;
    for (const w of this.wildcardElements) if (writes.has(w)) return true;
    return false;
  }

  // ---- aliasing --------------------------------------------------------------------------------

  /** `a` and `b` may point to the same memory. */
  mayAlias(a: Value, b: Value): boolean {
    const [la, lb] = [this.locationsOf(a), this.locationsOf(b)];
    return la !== undefined && lb !== undefined && intersects(la, lb);
  }

  /** Some value of `a` and some value of `b` may point to the same memory. */
  mayAliasAny(a: readonly Value[], b: readonly Value[]): boolean {
    return a.some((x) => b.some((y) => this.mayAlias(x, y)));
  }

  /** `a` or anything it holds may share memory with `b` or anything it holds. */
  mayContainAlias(a: Value | readonly Value[], b: Value | readonly Value[]): boolean {
    const sa = this.containedLocations(Array.isArray(a) ? a : [a as Value]);
    if (sa.size === 0) return false;
    const sb = this.containedLocations(Array.isArray(b) ? b : [b as Value]);
    for (const x of sb) if (sa.has(x)) return true;
    return false;
  }

  /** `v` may be memory that escaped (an input, an attribute, a container's element, unknown code's). */
  mayAliasWildcard(v: Value): boolean {
    const types = aliasTypeSet(v.type);
    const w = types ? this.facts.wildcardOf.get(aliasTypeKey(singleAliasType(types))) : undefined;
    const locs = this.locationsOf(v);
    return w !== undefined && locs !== undefined && locs.includes(w);
  }

  /** Some value may be seen outside the graph: through its inputs, outputs or a wildcard. */
  escapesScope(values: readonly Value[]): boolean {
    const scope = (this.scopeCache ??= {
      inputs: this.containedLocations(this.graph.inputs),
      outputs: this.containedLocations(this.graph.outputs),
    });
    const mine = this.containedLocations(values);
    for (const x of mine) if (scope.inputs.has(x) || scope.outputs.has(x)) return true;
    return values.some((v) => this.mayAliasWildcard(v));
  }

  /**
   * Replacing one of `a` by one of `b` (or merging them) cannot change what the program computes: neither
   * is written, and they do not both escape (PyTorch's safeToChangeAliasingRelationship).
   */
  safeToChangeAliasingRelationship(a: readonly Value[], b: readonly Value[]): boolean {
    if (a.some((v) => this.hasWriters(v)) || b.some((v) => this.hasWriters(v))) return false;
    return !(this.escapesScope(a) && this.escapesScope(b));
  }

  /** The memory locations `v` may be (element indices; empty for immutable or unknown values). */
  memoryLocations(v: Value): readonly number[] {
    return this.locationsOf(v) ?? [];
  }

  // ---- internals and dumps ----------------------------------------------------------------------

  private locationsOf(v: Value): Locations | undefined {
    const e = this.facts.elements.of(v);
    return e < 0 ? undefined : this.facts.dag.locations(e);
  }

  private containedLocations(values: readonly Value[]): Set<number> {
    const out = new Set<number>();
    for (const v of values) {
      const e = this.facts.elements.of(v);
      if (e >= 0) this.facts.dag.collectContained(e, out);
    }
    return out;
  }

  /**
   * For people (PyTorch's dump_alias_db): each mutable value's memory locations and the nodes writing
   * them, what each element contains, and what each writing node writes.
   */
  dump(): string {
    const { dag } = this.facts;
    const name = (e: number): string => dag.label(e);
    // Each value's element, in the order they were made.
    const elementOf = new Map<Value, number>();
    for (let e = 0; e < dag.size; e++) {
      const label = dag.labelOf(e);
      if (typeof label !== 'string') elementOf.set(label as Value, e);
    }
    const describe = (n: Node): string =>
      `${n.kind}${n.outputs.length ? ` -> %${n.outputs.map((o) => o.debugName).join(', %')}` : ''}`;
    const lines = ['===== alias db ====='];
    for (const [v, e] of elementOf) {
      const writers = this.writersOf(v).map(describe);
      const by = writers.length ? ` written by ${writers.join('; ')}` : '';
      lines.push(`%${v.debugName} : ${v.type.str()} -> {${dag.locations(e).map(name).join(', ')}}${by}`);
    }
    const containers = [...new Set([...elementOf.values(), ...this.facts.wildcardOf.values()])].filter(
      (e) => dag.containedIn(e).length,
    );
    if (containers.length) lines.push('contains:');
    for (const e of containers) lines.push(`  ${name(e)} holds ${dag.containedIn(e).map(name).join(', ')}`);
    lines.push('writes:');
    for (const [node, locs] of this.writeIndex)
      lines.push(`  ${describe(node)}: ${[...locs].map(name).join(', ')}`);
    return lines.join('\n') + '\n';
  }
}
