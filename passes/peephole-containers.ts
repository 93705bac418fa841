/**
 * The list and dict idioms of PyTorch's PeepholeOptimize (peephole_list_idioms.cpp and
 * peephole_dict_idioms.cpp, 1.13), on lists and dicts nobody writes (AliasDb.hasWriters):
 *   len(ListConstruct(a, b))               => 2
 *   ListConstruct(a, b)[-1]                => b          (constant index in range)
 *   x, y = ListConstruct(a, b)             => a, b       (prim::ListUnpack of as many values)
 *   ListConstruct(a) + ListConstruct(b)    => ListConstruct(a, b)
 *   ListConstruct(a, b, c)[1:]             => ListConstruct(b, c)   (constant bounds and step)
 *   len(DictConstruct("k", v))             => 1          DictConstruct("k", v)["k"] => v
 * (constant int, float or str keys, no key twice). The list-length refinement through `len(l) == n`
 * checks is off in PeepholeOptimize, as in PyTorch.
 */

import {
  createConstant,
  IntType,
  LazyWriters,
  toIValue,
  type Block,
  type EntryLookup,
  type Graph,
  type Node,
  type Value,
} from '../src/index.js';
import type { AliasDb } from './alias-analysis.js';

/** Counts of the rewrites made, for the pass's statistics. */
export interface ContainerIdiomCounts {
  lists: number;
  dicts: number;
}

/**
 * Rewrites the list idioms, then (on a fresh AliasDb) the dict idioms. Each AliasDb is built when the first
 * rewrite that would happen asks whether its container is written (so before any rewrite: every answer is
 * the one an AliasDb of the unchanged graph gives, as in PyTorch). A graph whose idiom nodes cannot be
 * rewritten anyway (`[x] + chunk(...)`: the other operand is no ListConstruct) builds none. With `entryOf`
 * the containers' uses answer first (LazyWriters), and the AliasDb is built only for a question they
 * leave open or before the first rewrite of a node with a mutable result (see ContainerIdioms.isMutated).
 */
export function optimizeContainerIdioms(
  graph: Graph,
  makeDb: () => AliasDb,
  entryOf?: EntryLookup,
): ContainerIdiomCounts {
  // One walk finds whether either kind of idiom has a candidate at all (most graphs have none); list
  // rewrites can make dict candidates (`[d][0]` becomes `d`), so the dict idioms run after any of them.
  const found = { list: false, dict: false };
  findCandidates(graph.block, found);
  const lists = found.list ? new ListIdioms(graph, makeDb, entryOf).run() : 0;
  const dicts = found.dict || lists > 0 ? new DictIdioms(graph, makeDb, entryOf).run() : 0;
  return { lists, dicts };
}

// Whether some node of an idiom's kind reads a list (dict) construct: what ContainerIdioms.block looks for.
function findCandidates(block: Block, found: { list: boolean; dict: boolean }): void {
  const end = block.returnNode;
  for (let node = end.next!; node !== end; node = node.next!) {
    const blocks = node.blocks;
    for (let i = 0; i < blocks.length; i++) findCandidates(blocks[i], found);
    const made = node.inputs[0]?.node.kind;
    if (made === 'prim::ListConstruct' && LIST_IDIOM_KINDS.has(node.kind)) found.list = true;
    else if (made === 'prim::DictConstruct' && DICT_IDIOM_KINDS.has(node.kind)) found.dict = true;
    if (found.list && found.dict) return;
  }
}

function intConstant(v: Value | undefined): number | undefined {
  const iv = v ? toIValue(v) : undefined;
  return typeof iv === 'number' || typeof iv === 'bigint' ? Number(iv) : undefined;
}

/** Walks a graph's nodes, handing each one whose first input is an unwritten container of `kind` to `visit`. */
abstract class ContainerIdioms {
  private db: AliasDb | undefined;
  private readonly writers: LazyWriters | undefined;
  /** The node `visit` may rewrite next. */
  private candidate: Node | undefined;
  /** Containers known written (or not): PyTorch's collectMutatedLists / collectMutatedDicts, asked lazily. */
  private readonly mutatedCache = new Map<Value, boolean>();
  protected changes = 0;

  constructor(
    private readonly graph: Graph,
    private readonly makeDb: () => AliasDb,
    private readonly kind: 'List' | 'Dict',
    /** The node that builds the containers the idioms read, and the kinds of nodes they rewrite. */
    private readonly construct: string,
    private readonly kinds: ReadonlySet<string>,
    entryOf: EntryLookup | undefined,
  ) {
    this.writers = entryOf && new LazyWriters(graph, entryOf, () => (this.db ??= makeDb()));
  }

  /**
   * Some node may write `v` (a value of this kind). The AliasDb is built at the first question, which comes
   * before any rewrite, so every answer is about the graph as it was (as PyTorch's set, collected up front;
   * values made later have no writers unless marked). Only candidates are asked: collecting the set
   * visited every value of the graph.
   */
  protected isMutated(v: Value): boolean {
    let mutated = this.mutatedCache.get(v);
    if (mutated === undefined) {
      mutated = v.type.kind === this.kind && this.hasWriters(v);
      this.mutatedCache.set(v, mutated);
    }
    return mutated;
  }

  // The uses answer for the graph as it is, the AliasDb for the graph as it was: they agree while the only
  // rewrites made are of `len` (a plain read replaced by an int constant: no alias fact changes). So any
  // other candidate builds the AliasDb before it may be rewritten, and from then on the AliasDb answers
  // (values a rewrite makes, containers included, are then unwritten as before: made after it).
  private hasWriters(v: Value): boolean {
    const writers = this.writers;
    if (!writers) return (this.db ??= this.makeDb()).hasWriters(v);
    if (this.candidate?.kind !== 'aten::len') return writers.aliasDb().hasWriters(v);
    return writers.hasWriters(v);
  }

  // A value made by a rewrite stands for a written one: it counts as written too.
  protected inheritMutated(from: Value, to: Value): void {
    if (this.isMutated(from)) this.mutatedCache.set(to, true);
  }

  run(): number {
    this.block(this.graph.block);
    return this.changes;
  }

  private block(block: Block): void {
    for (const node of block.nodes()) {
      const blocks = node.blocks;
      for (let i = 0; i < blocks.length; i++) this.block(blocks[i]);
      if (!this.kinds.has(node.kind)) continue;
      const container = node.inputs[0];
      if (!container || container.node.kind !== this.construct) continue;
      if (container.type.kind !== this.kind) continue;
      this.candidate = node;
      this.visit(node, container);
    }
  }

  /** Rewrites `node` if it can; asks `isMutated` (which may build the AliasDb) just before changing anything. */
  protected abstract visit(node: Node, container: Value): void;
}

const LIST_IDIOM_KINDS = new Set([
  'aten::len',
  'aten::__getitem__',
  'prim::ListUnpack',
  'aten::add',
  'aten::slice',
]);
const DICT_IDIOM_KINDS = new Set(['aten::len', 'aten::__getitem__']);

class ListIdioms extends ContainerIdioms {
  constructor(graph: Graph, makeDb: () => AliasDb, entryOf: EntryLookup | undefined) {
    super(graph, makeDb, 'List', 'prim::ListConstruct', LIST_IDIOM_KINDS, entryOf);
  }

  protected visit(node: Node, list: Value): void {
    if (list.node.kind === 'prim::ListConstruct') this.rewrite(node, list);
  }

  private rewrite(node: Node, list: Value): void {
    const items = list.node.inputs;
    switch (node.kind) {
      case 'aten::len':
        if (!this.isMutated(list)) this.replace(node, [this.constant(node, items.length)]);
        return;
      case 'aten::__getitem__': {
        const i = intConstant(node.inputs[1]);
        const at = i === undefined ? -1 : i < 0 ? i + items.length : i;
        if (at >= 0 && at < items.length && !this.isMutated(list)) this.replace(node, [items[at]]);
        return;
      }
      case 'prim::ListUnpack':
        // Sizes that differ are a run-time error: left alone.
        if (node.outputs.length === items.length && !this.isMutated(list)) this.replace(node, [...items]);
        return;
      case 'aten::add': {
        const other = node.inputs[1];
        if (node.inputs.length !== 2 || other.node.kind !== 'prim::ListConstruct') return;
        if (this.isMutated(list) || this.isMutated(other)) return;
        return this.newList(node, [...items, ...other.node.inputs]);
      }
      case 'aten::slice': {
        const picked = sliceIndices(items.length, node.inputs.slice(1, 4));
        if (picked && !this.isMutated(list))
          this.newList(
            node,
            picked.map((k) => items[k]),
          );
        return;
      }
      default:
        return;
    }
  }

  // Transforms `%r = op(...)` into a prim::ListConstruct of `inputs` before it (a written result stays written).
  private newList(node: Node, inputs: Value[]): void {
    const g = node.owningGraph;
    const out = node.output();
    const list = g.withInsertPoint(node, () => g.insert('prim::ListConstruct', inputs, [out.type]));
    this.inheritMutated(out, list.output());
    this.replace(node, [list.output()]);
  }

  private constant(node: Node, n: number): Value {
    const g = node.owningGraph;
    return g.withInsertPoint(node, () => g.insertNode(createConstant(g, n, IntType)).output());
  }

  private replace(node: Node, values: Value[]): void {
    node.outputs.forEach((o, k) => o.replaceAllUsesWith(values[k]));
    this.changes++;
    removeIfUnused(node);
  }
}

// PyTorch's PeepholeOptimize ends with dead-code elimination; here the rewritten node goes, and the list or
// dict construct it read when nothing else reads it (both are pure). Nodes are destroyed after the walk
// moved past them: the block iterator tolerates removing the current node.
function removeIfUnused(node: Node): void {
  if (node.hasUses() || node.destroyed) return;
  const made = node.inputs[0]?.node;
  node.destroy();
  if (made && (made.kind === 'prim::ListConstruct' || made.kind === 'prim::DictConstruct') && !made.hasUses())
    made.destroy();
}

/**
 * The elements a constant slice picks (PyTorch's slice_indices_adjust), or undefined when a bound or the
 * step is not a constant (None bounds are the ends).
 */
function sliceIndices(length: number, args: Value[]): number[] | undefined {
  const bound = (v: Value | undefined): number | null | undefined => {
    if (!v) return null;
    const iv = toIValue(v);
    if (iv === null) return null;
    return typeof iv === 'number' || typeof iv === 'bigint' ? Number(iv) : undefined;
  };
  const [start, end, stepArg] = args.map(bound);
  const step = stepArg ?? 1;
  if (start === undefined || end === undefined || stepArg === undefined || step === 0) return undefined;
  const clamp = (x: number | null, whenNone: number): number => {
    if (x === null) return whenNone;
    const y = x < 0 ? x + length : x;
    if (y < 0) return step < 0 ? -1 : 0;
    if (y >= length) return step < 0 ? length - 1 : length;
    return y;
  };
  const from = clamp(start, step < 0 ? length - 1 : 0);
  const to = clamp(end, step < 0 ? -1 : length);
  const out: number[] = [];
  for (let k = from; step > 0 ? k < to : k > to; k += step) out.push(k);
  return out;
}

const DICT_KEY_KINDS = new Set(['int', 'float', 'str']);

class DictIdioms extends ContainerIdioms {
  constructor(graph: Graph, makeDb: () => AliasDb, entryOf: EntryLookup | undefined) {
    super(graph, makeDb, 'Dict', 'prim::DictConstruct', DICT_IDIOM_KINDS, entryOf);
  }

  protected visit(node: Node, dict: Value): void {
    if (dict.node.kind !== 'prim::DictConstruct') return;
    const entries = constantEntries(dict.node);
    if (!entries) return;
    if (node.kind === 'aten::len') {
      if (this.isMutated(dict)) return;
      const g = node.owningGraph;
      const c = g.withInsertPoint(node, () =>
        g.insertNode(createConstant(g, entries.size, IntType)).output(),
      );
      node.output().replaceAllUsesWith(c);
      this.changes++;
      removeIfUnused(node);
    } else if (node.kind === 'aten::__getitem__') {
      const key = node.inputs[1] ? toIValue(node.inputs[1]) : undefined;
      const value = key === undefined ? undefined : entries.get(keyOf(key));
      if (value && !this.isMutated(dict)) {
        node.output().replaceAllUsesWith(value);
        this.changes++;
        removeIfUnused(node);
      }
    }
  }
}

function keyOf(key: unknown): string {
  return typeof key === 'bigint' ? `n${key}` : `${typeof key === 'number' ? 'n' : 's'}${String(key)}`;
}

// The dict's constant keys and values; undefined when a key is not constant, repeats, or has another type.
function constantEntries(made: Node): Map<string, Value> | undefined {
  const keyType = made.output().type.containedTypes()[0];
  if (!keyType || !DICT_KEY_KINDS.has(keyType.kind)) return undefined;
  const entries = new Map<string, Value>();
  for (let i = 0; i + 1 < made.inputs.length; i += 2) {
    const key = toIValue(made.inputs[i]);
    if (key === undefined) return undefined;
    const k = keyOf(key);
    if (entries.has(k)) return undefined;
    entries.set(k, made.inputs[i + 1]);
  }
  return entries;
}
