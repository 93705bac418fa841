/**
 * peephole-non-tensor: the rewrites of PyTorch's PeepholeOptimizeNonTensor (also the last sweep of `peephole`).
 *   %o = <node>() : NoneType           =>  None constant        (an Optional attribute frozen as None, ...)
 *   aten::__is__(%t, None)             =>  False when %t cannot be None (True for __isnot__)
 *   prim::unchecked_unwrap_optional(%t), aten::_unwrap_optional(%t)  =>  %t when %t cannot be None
 *   prim::unchecked_cast(%v) to a supertype => %v;  aten::Int / aten::ceil of an int => the int
 *   aten::eq(%v, %v) / aten::ne(%v, %v) of an immutable type (int, float, bool, None, lists of them) => True / False
 *   prim::If with True in the then-branch and False in the else-branch for an output => the condition
 *   prim::If output typed Optional whose branches both give non-Optional values => the unified type
 *   int: x * 1, x // 1, x + 0, x - 0 => x;  (x + 1) + 2 => x + 3  (+ and * commute);  int(x / 1) => x
 * Needs no alias analysis: none of these values can be written. Replaced nodes left unused are removed.
 * Mirrors torch/csrc/jit/passes/peephole_non_tensor.cpp, except that an int `aten::div` by 1 goes only
 * where every use turns it back into an int (`int(x / 1)`: PyTorch puts the int in place of the float
 * everywhere) and an Any-typed value may be None.
 */

import {
  createConstant,
  IntType,
  isSubtypeOf,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  TensorTensor,
  TensorType,
  toIValue,
  type Block,
  type Graph,
  type GraphPass,
  type IValue,
  type Node,
  type PassContext,
  type PassResult,
  type Type,
  type Value,
  inject,
  unifyTypes,
} from '../src/index.js';

/** A rewrite of a node's (single) output (an existing value or a new constant), or one already made in place. */
export type Rewrite =
  | { readonly to: Value }
  | { readonly constant: IValue; readonly type: Type }
  | { readonly inPlace: readonly InPlaceStatistic[] };

/** What a rewrite made in place counts under. */
export type InPlaceStatistic = 'identities-removed' | 'arithmetic-merged' | 'types-refined';

/** The statistics of the peephole passes. */
export const PEEPHOLE_STATISTICS = [
  {
    name: 'queries-folded',
    description: 'size/dim/dtype/device/is-None style queries replaced by constants',
  },
  {
    name: 'identities-removed',
    description: 'no-op nodes (x + 0, t(t(x)), unwraps, ...) replaced by their input',
  },
  { name: 'arithmetic-merged', description: 'int add/sub chains with constants merged' },
  {
    name: 'types-refined',
    description: 'Optional-typed If outputs narrowed to what both branches give (then `is None` checks fold)',
  },
];

/** Ops that give the same int for an int as for the equal float (int(x / 1), ceil(x / 1)). */
const TO_INT = new Set(['aten::Int', 'aten::ceil', 'aten::floor']);

/** Types `x == x` is surely True for (other types' eq may throw or compare by identity). */
const IMMUTABLE = new Set(['bool', 'int', 'float', 'None']);

@pass({
  name: 'peephole-non-tensor',
  summary: "PyTorch's PeepholeOptimizeNonTensor: None checks, unwraps, casts, bool Ifs, int identities",
  statistics: PEEPHOLE_STATISTICS,
})
export class PeepholeNonTensor implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    return { changed: sweep(graph.block, nonTensorRule, (n, r) => applyRewrite(n, r, this.ops, context)) };
  }
}

/** Applies `rule` to every used single-output node (and prim::If), inner blocks first; true if any rewrite. */
export function sweep(
  block: Block,
  rule: (n: Node) => Rewrite | undefined,
  apply: (n: Node, r: Rewrite) => void,
): boolean {
  let changed = false;
  // Indexed loops, no destructuring and no iterator objects on the per-node paths of the peephole passes:
  // freezing runs this code cold (V8's interpreter and baseline code), where an iterator step per node
  // costs more than the rule. Walked by node links, the next node read first: a rewrite destroys at most
  // the current node (and inserts its constant before it).
  const end = block.returnNode;
  for (let n = end.next!, next = n.next!; n !== end; n = next, next = n.next!) {
    const blocks = n.blocks;
    for (let i = 0; i < blocks.length; i++) changed = sweep(blocks[i], rule, apply) || changed;
    if ((n.outputs.length !== 1 && n.kind !== 'prim::If') || !n.hasUses()) continue;
    const rewrite = rule(n);
    if (!rewrite) continue;
    apply(n, rewrite);
    changed = true;
  }
  return changed;
}

/** Makes a rewrite: replaces the output's uses, counts it, and removes the node once unused and effect-free. */
export function applyRewrite(
  n: Node,
  rewrite: Rewrite,
  ops: OperatorRegistry,
  context: Pick<PassContext, 'count'>,
): void {
  if ('inPlace' in rewrite) return rewrite.inPlace.forEach((s) => context.count(s));
  const g = n.owningGraph;
  if ('to' in rewrite) {
    n.output().replaceAllUsesWith(rewrite.to);
    context.count('identities-removed');
  } else {
    const c = g.withInsertPoint(n, () => g.insertNode(createConstant(g, rewrite.constant, rewrite.type)));
    n.output().replaceAllUsesWith(c.output());
    context.count('queries-folded');
  }
  if (!n.hasUses() && !ops.hasSideEffectsNode(n)) n.destroy();
}

/** The non-tensor rules: None, optional unwraps, casts, If on bools and int arithmetic. */
export function nonTensorRule(n: Node): Rewrite | undefined {
  const a = n.inputs[0];
  const b = n.inputs[1];
  if (n.kind === 'prim::If') {
    // `c and True` / `c or False`: an output that is True in the then-branch and False in the else-branch is
    // c. (Indexed loops, nothing allocated for an If with no such output: a freeze meets thousands cold.)
    const then = n.blocks[0].outputs;
    const other = n.blocks[1].outputs;
    const outputs = n.outputs;
    let same = 0;
    for (let k = 0; k < outputs.length; k++) {
      const o = outputs[k];
      if (o.type.kind !== 'bool' || !o.hasUses()) continue;
      if (toIValue(then[k]) !== true || toIValue(other[k]) !== false) continue;
      o.replaceAllUsesWith(a);
      same++;
    }
    const refined = refineIfOutputs(n);
    if (!same && !refined) return undefined;
    const done: InPlaceStatistic[] = same ? ['identities-removed'] : [];
    if (refined) done.push('types-refined');
    return { inPlace: done };
  }
  if (n.kind !== 'prim::Constant' && n.output().type.kind === 'None')
    return { constant: null, type: n.output().type };
  switch (n.kind) {
    case 'aten::__is__':
    case 'aten::__isnot__': {
      const decided = (mustBeNone(a) && mustNotBeNone(b)) || (mustBeNone(b) && mustNotBeNone(a));
      return decided ? { constant: n.kind === 'aten::__isnot__', type: n.output().type } : undefined;
    }
    case 'prim::unchecked_unwrap_optional':
    case 'aten::_unwrap_optional':
      return mustNotBeNone(a) ? { to: a } : undefined;
    case 'prim::unchecked_cast':
      return isSubtypeOf(unshaped(a.type), unshaped(n.output().type)) ? { to: a } : undefined;
    case 'aten::Int':
    case 'aten::ceil':
      return n.inputs.length === 1 && a.type.kind === 'int' ? { to: a } : undefined;
    case 'aten::eq':
    case 'aten::ne': {
      const t = a?.type;
      const elems = t?.kind === 'List' || t?.kind === 'Dict' ? t.containedTypes() : t ? [t] : [];
      return a === b && elems.length && elems.every((e) => IMMUTABLE.has(e.kind))
        ? { constant: n.kind === 'aten::eq', type: n.output().type }
        : undefined;
    }
    default:
      return intArithmetic(n);
  }
}

// An If output typed Optional whose branches both give non-Optional values (a Tensor, or None) gets their
// unified type, so `is None` checks on it fold later in the same sweep (PyTorch refines in the same walk).
function refineIfOutputs(n: Node): boolean {
  const then = n.blocks[0].outputs;
  const other = n.blocks[1].outputs;
  const outputs = n.outputs;
  let refined = false;
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    if (o.type.kind !== 'Optional') continue;
    const a = then[k].type;
    const b = other[k].type;
    if (a.kind === 'Optional' || b.kind === 'Optional') continue;
    const unified = unifyTypes(a, b);
    if (!unified || unified.equals(o.type)) continue;
    o.setType(unified);
    refined = true;
  }
  return refined;
}

const INT_ARITHMETIC = new Set(['aten::mul', 'aten::floordiv', 'aten::div', 'aten::add', 'aten::sub']);

// x * 1, x // 1 => x; x + 0, x - 0 => x; (x ± c1) ± c2 => x ± (c1 ± c2). Ints only (PyTorch's checkArithNode).
function intArithmetic(n: Node): Rewrite | undefined {
  if (!INT_ARITHMETIC.has(n.kind)) return undefined;
  const op = intOperands(n);
  if (!op) return undefined;
  if (n.kind === 'aten::mul' || n.kind === 'aten::floordiv') return op.c === 1 ? { to: op.x } : undefined;
  // int(x / 1) => x: the float quotient goes where every use turns it back into an int.
  if (n.kind === 'aten::div')
    return op.c === 1 &&
      op.x === n.inputs[0] &&
      n
        .output()
        .uses()
        .every((u) => TO_INT.has(u.user.kind))
      ? { to: op.x }
      : undefined;
  if (n.kind !== 'aten::add' && n.kind !== 'aten::sub') return undefined;
  if (op.c === 0) return { to: op.x };
  const dep = op.x.node;
  const inner = dep.kind === 'aten::add' || dep.kind === 'aten::sub' ? intOperands(dep) : undefined;
  if (!inner) return undefined;
  const merged = dep.kind === n.kind ? op.c + inner.c : op.c - inner.c;
  if (merged === 0) return { to: inner.x };
  // Transforms `(x ± c1) ± c2` into `x ± merged` (the operand order PyTorch's permutation leaves).
  const g = n.owningGraph;
  const constant = g.withInsertPoint(n, () => g.insertNode(createConstant(g, merged, IntType)).output());
  n.replaceInput(0, inner.x);
  n.replaceInput(1, constant);
  return { inPlace: ['arithmetic-merged'] };
}

// The variable and the constant operand of a binary int op (+ and * commute), if one is constant.
function intOperands(n: Node): { x: Value; c: number } | undefined {
  const inputs = n.inputs;
  if (inputs.length !== 2) return undefined;
  const a = inputs[0];
  const b = inputs[1];
  if (a.type.kind !== 'int' || b.type.kind !== 'int') return undefined;
  const cb = numberOf(toIValue(b));
  if (cb !== undefined) return { x: a, c: cb };
  const ca = numberOf(toIValue(a));
  return ca !== undefined && (n.kind === 'aten::mul' || n.kind === 'aten::add') ? { x: b, c: ca } : undefined;
}

/** A number from an int, float or bool constant value. */
export function numberOf(v: IValue | undefined): number | undefined {
  return typeof v === 'number' || typeof v === 'bigint'
    ? Number(v)
    : typeof v === 'boolean'
      ? Number(v)
      : undefined;
}

function unshaped(t: Type): Type {
  return t instanceof TensorType ? TensorTensor : t;
}

// PyTorch's Value::mustBeNone / mustNotBeNone.
function mustBeNone(v: Value | undefined): boolean {
  return (
    !!v &&
    (v.type.kind === 'None' ||
      (v.node.kind === 'prim::Constant' && !v.node.hasAttribute('value') && v.type.kind === 'Optional'))
  );
}

function mustNotBeNone(v: Value | undefined): boolean {
  return !!v && !['None', 'Optional', 'Union', 'Any'].includes(v.type.kind);
}
