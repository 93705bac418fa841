/**
 * peephole: small local rewrites of PyTorch's PeepholeOptimize, in its sweeps.
 *   aten::size(%x : Float(2, 3))  => int[] constant [2, 3]   (also size(x, d), dim, len(size(x)), prim::dtype,
 *                                                           prim::device, prim::is_cuda, is_floating_point)
 *   aten::t(aten::t(%x)) => %x     aten::expand(%x, its own sizes) => %x     %x.type_as(%same_type) => %x
 *   aten::dim(aten::conv2d(...)) => 4          %x + 0, %x - 0, %x * 1, %x / 1 => %x   (alias-safe, see below)
 *   then every rewrite of peephole-non-tensor (None checks, unwraps, casts, bool Ifs, int identities).
 * Shape facts come only from refined tensor types (`Float(2, 3, ...)`). As in PyTorch, x + 0 and x * 1 go
 * only when the dtype is known floating or the scalars are ints (else type promotion could change the
 * result), when the AliasDb says no one writes the input or result and they do not both escape the graph,
 * and not on a value already replaced in this run (stale aliasing; a fixpoint takes the next one).
 * Replaced nodes left unused are removed; other dead leftovers are for dead-code-elimination.
 *   aten::cat(ListConstruct(a, aten::cat(ListConstruct(b, c), d), e), d) => aten::cat(ListConstruct(a, b, c, e), d)
 *   len(ListConstruct(a, b)) => 2, ListConstruct(a, b)[1] => b, ... (peephole-containers.ts: the list and
 *   dict idioms on containers nobody writes)
 * Mirrors torch/csrc/jit/passes/peephole.cpp, peephole_list_idioms.cpp, peephole_dict_idioms.cpp,
 * peephole_alias_sensitive.cpp and concat_opt.cpp's CombineConcats (PyTorch 1.13), in PyTorch's order.
 */

import {
  Device,
  DTYPES,
  IntType,
  ListType,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  TensorType,
  toIValue,
  type Graph,
  type GraphPass,
  type Node,
  type PassContext,
  type PassResult,
  type Type,
  type Value,
  inject,
} from '../src/index.js';
import {
  AliasAnalysis,
  aliasDbWhileUnchanged,
  currentAliasDb,
  lazyWriters,
  type LazyWriters,
  isMutableType,
  type AliasDb,
} from './alias-analysis.js';
import { combineConcats } from './peephole-concat.js';
import { optimizeContainerIdioms } from './peephole-containers.js';
import {
  applyRewrite,
  nonTensorRule,
  numberOf,
  PEEPHOLE_STATISTICS,
  sweep,
  type Rewrite,
} from './peephole-non-tensor.js';

const CASTS_OF_NUM_TO_TENSOR = new Set([
  'aten::Float',
  'aten::Int',
  'aten::FloatImplicit',
  'aten::IntImplicit',
  'aten::ScalarImplicit',
]);
const CONV_RANK: Readonly<Record<string, number>> = {
  'aten::conv1d': 3,
  'aten::conv2d': 4,
  'aten::conv3d': 5,
};

@pass({
  name: 'peephole',
  summary:
    "Local rewrites of PyTorch's PeepholeOptimize: shape queries on typed tensors, identities, None checks",
  requires: [AliasAnalysis],
  statistics: [
    ...PEEPHOLE_STATISTICS,
    {
      name: 'list-idioms',
      description: 'len, [i], unpack, + and slices of unwritten list constructs resolved',
    },
    { name: 'dict-idioms', description: 'len and [key] of unwritten dict constructs resolved' },
    { name: 'concats-combined', description: 'cats spliced into the cat that consumes them' },
  ],
})
export class Peephole implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    const apply = (n: Node, r: Rewrite): void => applyRewrite(n, r, this.ops, context);
    let changed = sweep(graph.block, shapeRule, apply);
    // PyTorch's list and dict idioms, each on an AliasDb of the graph as it is then.
    const aliasDb = aliasDbWhileUnchanged(graph, this.ops);
    const entryOf = (n: Node) => this.ops.entryForNode(n);
    const idioms = optimizeContainerIdioms(graph, aliasDb, entryOf);
    if (idioms.lists) context.count('list-idioms', idioms.lists);
    if (idioms.dicts) context.count('dict-idioms', idioms.dicts);
    const rebuilt = idioms.lists + idioms.dicts > 0;
    const p = new AliasSensitive(
      graph,
      context,
      lazyWriters(graph, this.ops, () =>
        rebuilt ? currentAliasDb(graph, this.ops) : context.getAnalysis(AliasAnalysis),
      ),
    );
    changed = rebuilt || changed;
    changed = sweep(graph.block, (n) => p.rule(n), apply) || changed;
    changed = sweep(graph.block, nonTensorRule, apply) || changed;
    // PyTorch's CombineConcats runs last, on an AliasDb of the graph as the sweeps left it.
    const combined = combineConcats(graph, aliasDb);
    if (combined) context.count('concats-combined', combined);
    return { changed: combined > 0 || changed };
  }
}

/**
 * The alias-sensitive rules, with the AliasDb (made when first needed) and the values made stale this run.
 * dim(conv) asks the conv's uses first (LazyWriters): its rewrite replaces an int by an int constant, which
 * changes no alias fact, so those answers equal an AliasDb's built before it. The identities alias two
 * tensors: they build the AliasDb before the first one and ask it alone, as before.
 */
class AliasSensitive {
  private readonly stale = new Set<Value>();

  constructor(
    private readonly graph: Graph,
    private readonly context: PassContext,
    private readonly writers: LazyWriters,
  ) {}

  /** dim(conv(x)), and x + 0 / x - 0 / x * 1 / x / 1 where the aliasing allows. */
  rule(n: Node): Rewrite | undefined {
    const inputs = n.inputs;
    const x = inputs[0];
    if (n.kind === 'aten::dim') {
      const conv = CONV_RANK[x?.node.kind ?? ''];
      if (conv && !this.writers.hasWriters(n.input())) return { constant: conv, type: IntType };
    }
    // Most nodes stop here: no closures or destructuring before (this runs cold on every node).
    if (n.outputs.length !== 1 || !x || x.type.kind !== 'Tensor') return undefined;
    const other = inputs[1];
    const alpha = inputs[2];
    const scalar = (v: Value | undefined): number | undefined =>
      v && v.type.kind !== 'Tensor' ? numberOf(toIValue(v)) : undefined;
    if (scalar(other) === undefined) return undefined;
    const floating = isFloating(x.type);
    const ints = (...vs: Value[]): boolean => vs.every((v) => v.type.kind === 'int');
    let identity = false;
    if ((n.kind === 'aten::add' || n.kind === 'aten::sub') && alpha && scalar(alpha) !== undefined) {
      identity = scalar(alpha) === 1 && scalar(other) === 0 && (floating || ints(other, alpha));
    } else if ((n.kind === 'aten::mul' || n.kind === 'aten::div') && n.inputs.length === 2) {
      identity = scalar(other) === 1 && (floating || (n.kind === 'aten::mul' && ints(other)));
    }
    if (!identity) return undefined;
    const why = this.unsafeToAlias(x, n.output());
    if (why) {
      this.context.remark(n, `not removed: ${why}`);
      return undefined;
    }
    this.stale.add(x).add(n.output());
    return { to: x };
  }

  // PyTorch's safeToChangeAliasingRelationship plus its stale-value guard.
  private unsafeToAlias(a: Value, b: Value): string | undefined {
    const db = this.alias();
    if (db.hasWriters(a) || db.hasWriters(b)) return 'the input or the result is written in place';
    if (this.escapes(a) && this.escapes(b)) return 'both the input and the result escape the graph';
    for (const s of this.stale)
      if ([a, b].some((v) => v === s || db.mayAlias(v, s)))
        return 'it aliases a value already rewritten in this run';
    return undefined;
  }

  private escapes(v: Value): boolean {
    const db = this.alias();
    return (
      db.mayAliasWildcard(v) ||
      this.graph.outputs.some((o) => o === v || (isMutableType(o.type) && db.mayAlias(v, o)))
    );
  }

  private alias(): AliasDb {
    return this.writers.aliasDb();
  }
}

/** The kinds shapeRule's switch names (every other kind goes to its default). */
const SHAPE_KINDS = new Set([
  'aten::size',
  'aten::len',
  'aten::dim',
  'prim::dtype',
  'aten::is_floating_point',
  'aten::is_complex',
  'prim::device',
  'prim::is_cuda',
  'aten::expand',
  'aten::t',
  'aten::type_as',
]);

/** The shape-query sweep: facts read from refined tensor types, and type-level identities. */
function shapeRule(n: Node): Rewrite | undefined {
  const x = n.inputs[0];
  // Most nodes are none of these: no type facts (nor a closure over the sizes) made for them.
  if (!SHAPE_KINDS.has(n.kind)) return numToTensorCast(n, x);
  const info = x?.type instanceof TensorType ? x.type.info : undefined;
  const sizes = info?.sizes;
  const complete = sizes?.every((s): s is number => s !== null) ? (sizes as number[]) : undefined;
  switch (n.kind) {
    case 'aten::size': {
      if (n.inputs.length === 1)
        return complete ? { constant: [...complete], type: new ListType(IntType) } : undefined;
      const d = numberOf(toIValue(n.inputs[1]));
      const k = sizes && d !== undefined ? (d < 0 ? d + sizes.length : d) : -1;
      return sizes && k >= 0 && k < sizes.length && sizes[k] !== null
        ? { constant: sizes[k], type: IntType }
        : undefined;
    }
    case 'aten::len': {
      const s = x.node.kind === 'aten::size' && x.node.inputs.length === 1 ? x.node.input().type : undefined;
      const rank = s instanceof TensorType ? s.info.sizes?.length : undefined;
      return rank !== undefined && x.uses().length === 1 ? { constant: rank, type: IntType } : undefined;
    }
    case 'aten::dim':
      return sizes ? { constant: sizes.length, type: IntType } : undefined;
    case 'prim::dtype':
      return info?.dtype ? { constant: DTYPES[info.dtype].scalarType, type: IntType } : undefined;
    case 'aten::is_floating_point':
    case 'aten::is_complex':
      return info?.dtype
        ? {
            constant: DTYPES[info.dtype][n.kind === 'aten::is_complex' ? 'isComplex' : 'isFloatingPoint'],
            type: n.output().type,
          }
        : undefined;
    case 'prim::device':
    case 'prim::is_cuda':
      if (!info?.device) return undefined;
      return n.kind === 'prim::device'
        ? { constant: Device.parse(info.device), type: n.output().type }
        : { constant: info.device.startsWith('cuda'), type: n.output().type };
    case 'aten::expand': {
      const want = toIValue(n.inputs[1]);
      return complete && Array.isArray(want) && want.map(Number).join() === complete.join()
        ? { to: x }
        : undefined;
    }
    case 'aten::t':
      return x.node.kind === 'aten::t' ? { to: x.node.input() } : undefined;
    case 'aten::type_as': {
      const other = n.inputs[1]?.type;
      const same =
        other instanceof TensorType &&
        info?.dtype &&
        info.device &&
        info.dtype === other.info.dtype &&
        info.device === other.info.device;
      return same ? { to: x } : undefined;
    }
    default:
      return numToTensorCast(n, x);
  }
}

// Float(NumToTensor(%n)) and the other casts of a number made a tensor => %n.
function numToTensorCast(n: Node, x: Value | undefined): Rewrite | undefined {
  return CASTS_OF_NUM_TO_TENSOR.has(n.kind) && x?.node.kind === 'prim::NumToTensor'
    ? { to: x.node.input() }
    : undefined;
}

function isFloating(t: Type): boolean {
  return t instanceof TensorType && t.info.dtype !== undefined && DTYPES[t.info.dtype].isFloatingPoint;
}
