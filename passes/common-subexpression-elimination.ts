/**
 * common-subexpression-elimination: a node equal to an earlier one is replaced by it.
 *   %a = aten::add(%x, %y, %1)                 %a = aten::add(%x, %y, %1)
 *   %b = aten::add(%x, %y, %1)          =>     (uses of %b use %a)
 *   %c : int = prim::Constant[value=1]()       (uses of %c use an earlier equal constant)
 * Equal means PyTorch's EqualNode: same kind, the very same input values, equal output types and equal
 * attributes (tensor attributes by dtype, shape, device and contents). Nested blocks see the expressions
 * of the blocks around them (computed before the block's node); sibling blocks do not see each other's.
 * Never merged: nodes with side effects or randomness, ops the table does not know, nodes whose inputs
 * or outputs alias memory that is written (AliasDb: two `zeros` of which one is written in place stay
 * two), two nodes of one block whose outputs both may be or hold a graph output (that would make two
 * outputs one), and a node with its equal in an enclosing block when both escape the graph (inputs,
 * outputs, wildcards: AliasDb.safeToChangeAliasingRelationship). Nodes with blocks are never merged.
 * Mirrors torch/csrc/jit/passes/common_subexpression_elimination.cpp and ir/node_hashing.cpp.
 */

import {
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  Tuple,
  type Attribute,
  type Block,
  type Graph,
  type GraphPass,
  type IValue,
  type Node,
  type PassContext,
  type PassResult,
  type Value,
  inject,
} from '../src/index.js';
import { AliasAnalysis, isMutableType, lazyWriters, type LazyWriters } from './alias-analysis.js';
import { TensorEquality, tensorHash } from './tensor-equality.js';

export { tensorHash } from './tensor-equality.js';

@pass({
  name: 'common-subexpression-elimination',
  summary: 'Replace a node equal to an earlier one (same kind, inputs, attributes) by that one',
  requires: [AliasAnalysis],
  statistics: [{ name: 'nodes-eliminated', description: 'nodes replaced by an equal earlier node' }],
})
export class CommonSubexpressionElimination implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    const writers = lazyWriters(graph, this.ops, () => context.getAnalysis(AliasAnalysis));
    const cse = new Eliminator(graph, this.ops, context, writers);
    cse.block(graph.block, []);
    if (cse.eliminated) context.count('nodes-eliminated', cse.eliminated);
    return { changed: cse.eliminated > 0 };
  }
}

/** Whether `n` may be merged with an equal node at all, or why not. */
export function mergeable(n: Node, ops: OperatorRegistry): { ok: true } | { ok: false; reason: string } {
  if (n.kind === 'prim::profile' || n.blocks.length)
    return { ok: false, reason: 'it owns blocks or profiles' };
  // The facts of the node's call: a dropout with train=False has its deterministic facts.
  const facts = ops.factsForNode(n);
  if (!facts) return { ok: false, reason: `${n.kind} is not in the operator table` };
  if (facts.hasSideEffects) return { ok: false, reason: `${n.kind} has side effects` };
  if (facts.nondeterministic) return { ok: false, reason: `${n.kind} is nondeterministic` };
  return MERGEABLE;
}

const MERGEABLE = { ok: true } as const;

/**
 * One run: tables of expressions per block scope, the AliasDb made when first needed. PyTorch asks
 * hasWriters of every node before looking it up; here it is asked only of a node that found an equal one
 * and of the equal candidates met (a node with writers enters its scope's table but is passed over by
 * lookups, as if absent): the same merges, but most nodes never need the AliasDb, and a run where no node
 * of mutable type has an equal one never builds it (the second CSE of a freeze: 0 such on the 4 bench models).
 *
 * The AliasDb is built for the first question the values' uses leave open (LazyWriters), and answers
 * all later ones. Its answers are those of an AliasDb built when this pass met its first mutable value
 * (as PyTorch's, built at the start, would give): until the build, only nodes nobody writes were merged,
 * which moves no write onto any value (a writer of the merged value would have written one of the two);
 * merges of immutable values change no alias fact (no memory location; equal constants read as equal);
 * and mutable values are merged without the AliasDb only when both are surelyLocal, so no alias of either
 * is, holds or escapes into an output before or after (merging a value that reaches an output into one
 * that does not would make a stale AliasDb and the graph disagree about the second one's aliases).
 */
class Eliminator {
  eliminated = 0;
  private readonly keys = new KeyMaker();
  private readonly tensors = new TensorEquality();
  /** hasWriters of the nodes met as candidates (asked again for every later equal node). */
  private readonly writersOf = new Map<Node, boolean>();
  private readonly withoutWriters = (e: Node): boolean => !this.candidateHasWriters(e);

  constructor(
    private readonly graph: Graph,
    private readonly ops: OperatorRegistry,
    private readonly context: PassContext,
    private readonly writers: LazyWriters,
  ) {}

  /** Visits `block` in order; `outer` holds the expressions of the enclosing blocks seen so far. */
  block(block: Block, outer: readonly Scope[]): void {
    const table = new Scope(this.tensors);
    const scopes = [...outer, table];
    // Walked by node links, the next node read first: only the current node is ever destroyed here.
    const end = block.returnNode;
    for (let n = end.next!, next = n.next; n !== end; n = next!, next = n.next) {
      const blocks = n.blocks;
      if (blocks.length) {
        for (let i = 0; i < blocks.length; i++) this.block(blocks[i], scopes);
        continue;
      }
      if (!mergeable(n, this.ops).ok) continue;
      const key = this.keys.of(n);
      const inParent = equalIn(outer, key, n, this.withoutWriters);
      if (inParent) {
        if (this.hasWriters(n)) continue;
        if (!this.safeToMerge(n, inParent)) {
          this.context.remark(
            n,
            'not merged: it and its equal node in an enclosing block both escape the graph',
          );
          continue;
        }
        this.replace(n, inParent);
        continue;
      }
      const earlier = table.equal(key, n, this.withoutWriters);
      if (!earlier) {
        table.add(key, n);
        continue;
      }
      if (this.hasWriters(n)) continue;
      if (this.bothReachOutputs(n, earlier)) {
        this.context.remark(n, 'not merged: it and its equal node may both be graph outputs');
        continue;
      }
      this.replace(n, earlier);
    }
  }

  // Transforms the later equal node into uses of the earlier one.
  private replace(n: Node, earlier: Node): void {
    n.outputs.forEach((o, i) => o.replaceAllUsesWith(earlier.outputs[i]));
    n.destroy();
    this.eliminated++;
  }

  // PyTorch's AliasDb::hasWriters(node): some input or output may point to written memory.
  private hasWriters(n: Node): boolean {
    const { inputs, outputs } = n;
    const writers = this.writers;
    for (let i = 0; i < inputs.length; i++)
      if (isMutableType(inputs[i].type) && writers.hasWriters(inputs[i])) return true;
    for (let i = 0; i < outputs.length; i++)
      if (isMutableType(outputs[i].type) && writers.hasWriters(outputs[i])) return true;
    return false;
  }

  // safeToChangeAliasingRelationship of two nodes nobody writes: they must not both escape, and values
  // without a memory location (all outputs immutable) escape nowhere.
  private safeToMerge(n: Node, inParent: Node): boolean {
    if (allImmutable(n.outputs) || allImmutable(inParent.outputs)) return true;
    if (this.bothSurelyLocal(n, inParent)) return true;
    return this.writers.aliasDb().safeToChangeAliasingRelationship(n.outputs, inParent.outputs);
  }

  // Before the AliasDb exists: both nodes' outputs are surelyLocal (see the class comment).
  private bothSurelyLocal(a: Node, b: Node): boolean {
    const writers = this.writers;
    return !writers.built && writers.surelyLocal(a.outputs) && writers.surelyLocal(b.outputs);
  }

  private candidateHasWriters(e: Node): boolean {
    let writers = this.writersOf.get(e);
    if (writers === undefined) this.writersOf.set(e, (writers = this.hasWriters(e)));
    return writers;
  }

  // Merging would make two values that may be (or hold) graph outputs the same value.
  // Immutable outputs hold no memory location: they contain no alias of anything.
  private bothReachOutputs(a: Node, b: Node): boolean {
    if (allImmutable(a.outputs) || allImmutable(b.outputs) || this.bothSurelyLocal(a, b)) return false;
    const db = this.writers.aliasDb();
    const outs = this.graph.outputs;
    return db.mayContainAlias(a.outputs, outs) && db.mayContainAlias(b.outputs, outs);
  }
}

function allImmutable(values: readonly Value[]): boolean {
  for (let i = 0; i < values.length; i++) if (isMutableType(values[i].type)) return false;
  return true;
}

/**
 * The expressions of one block by key. Keys hash tensor attributes, so unequal nodes may share one (as
 * in PyTorch's hash set, whose buckets compare every entry): the first node of a key is kept in `first`,
 * any further unequal ones in `more` (made on the first collision; in practice never).
 */
class Scope {
  private readonly first = new Map<string, Node>();
  private more: Map<string, Node[]> | undefined;

  constructor(private readonly tensors: TensorEquality) {}

  /** The first node of this scope with `n`'s key whose tensor attributes equal `n`'s and that is `ok`. */
  equal(key: string, n: Node, ok: (e: Node) => boolean): Node | undefined {
    const e = this.first.get(key);
    if (e === undefined) return undefined;
    if (ok(e) && sameTensorAttributes(n, e, this.tensors)) return e;
    const others = this.more?.get(key);
    if (others)
      for (let i = 0; i < others.length; i++) {
        const o = others[i];
        if (ok(o) && sameTensorAttributes(n, o, this.tensors)) return o;
      }
    return undefined;
  }

  /** Adds `n` as an expression of its key (after `equal` found none that is ok). */
  add(key: string, n: Node): void {
    if (!this.first.has(key)) this.first.set(key, n);
    else {
      const more = (this.more ??= new Map());
      const others = more.get(key);
      if (others) others.push(n);
      else more.set(key, [n]);
    }
  }
}

// The first node of the enclosing scopes with `n`'s key whose tensor attributes equal `n`'s and that is `ok`.
function equalIn(scopes: readonly Scope[], key: string, n: Node, ok: (e: Node) => boolean): Node | undefined {
  for (let i = 0; i < scopes.length; i++) {
    const e = scopes[i].equal(key, n, ok);
    if (e !== undefined) return e;
  }
  return undefined;
}

/** Keys equal for equal nodes: kind, input identities, output types, attributes (tensors by a content hash). */
class KeyMaker {
  private readonly ids = new Map<object, number>();

  // `kind(%in,...)->(type,...)[name=attr;...]`, concatenated in loops (every node is keyed).
  of(n: Node): string {
    let key = `${n.kind}(`;
    const { inputs, outputs } = n;
    for (let i = 0; i < inputs.length; i++) key += `${i ? ',' : ''}%${inputs[i].debugName}`;
    key += ')->(';
    for (let i = 0; i < outputs.length; i++) key += `${i ? ',' : ''}${outputs[i].type.str()}`;
    key += ')[';
    const names = n.attributeNames();
    if (names.length > 1) names.sort();
    for (let i = 0; i < names.length; i++)
      key += `${i ? ';' : ''}${names[i]}=${this.attribute(n.attribute(names[i]))}`;
    return `${key}]`;
  }

  private attribute(a: Attribute | undefined): string {
    if (!a) return '';
    switch (a.kind) {
      case 't':
        return `t:${tensorHash(a.value)}`;
      case 'ts':
        return `ts:${a.value.map((t) => this.id(t)).join('|')}`;
      case 'f':
        return `f:${Number.isNaN(a.value) ? `NaN#${this.id({})}` : a.value === 0 ? 0 : a.value}`;
      case 'ival':
        return `ival:${this.ivalue(a.value)}`;
      case 'ty':
        return `ty:${a.value.str()}`;
      case 'tys':
        return `tys:${a.value.map((t) => t.str()).join(',')}`;
      // The commonest kinds, as the default's JSON text gives them without its replacer's calls.
      case 'i':
        return typeof a.value === 'bigint'
          ? `i:"${a.value}n"`
          : `i:${Number.isFinite(a.value) ? a.value : 'null'}`;
      case 's':
        return `s:${JSON.stringify(a.value)}`;
      default:
        return `${a.kind}:${JSON.stringify(a.value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
    }
  }

  // Lists and tuples by content; tensors, dicts and objects by identity (never equal to a copy).
  private ivalue(v: IValue): string {
    if (v instanceof Tuple) return `(${v.items.map((x) => this.ivalue(x)).join(',')})`;
    if (Array.isArray(v)) return `[${v.map((x) => this.ivalue(x)).join(',')}]`;
    if (typeof v === 'object' && v !== null) return `#${this.id(v)}`;
    return typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
  }

  private id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.ids.size));
    return id;
  }
}

// The tensor attributes of two equally keyed nodes hold equal elements (PyTorch's tensorEqual).
function sameTensorAttributes(a: Node, b: Node, tensors: TensorEquality): boolean {
  return a.attributeNames().every((name) => {
    const x = a.attribute(name);
    const y = b.attribute(name);
    return x?.kind !== 't' || y?.kind !== 't' || tensors.same(x.value, y.value);
  });
}
