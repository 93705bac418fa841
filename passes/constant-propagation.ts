/**
 * constant-propagation: evaluates nodes whose inputs are all constants, through the interpreter's kernels.
 *   %c = aten::add(%two, %three)  (both prim::Constant)  =>  %c = prim::Constant[value=5]()
 *   %l : int[] = prim::ListConstruct(%1, %2)             =>  %l : int[] = prim::Constant[value=[1, 2]]()
 *   %y = prim::If(%true) block0(): ... -> (%a)           =>  block0's nodes; uses of %y use %a
 *   %o = prim::Loop(%zero, ...)                          =>  uses of %o use the initial value
 * Also drops If outputs both branches give alike and loop-carried values the body passes through.
 * Not folded: impure ops (side effects, randomness, calls, attribute reads), vararg schemas, PyTorch's
 * skip list, nodes whose inputs or outputs alias written memory (AliasDb), results that cannot be
 * constants (tensors requiring grad, objects) and nodes that fail to run. No size limit on tensors, as in
 * PyTorch. Folded nodes are removed; their dead inputs are for dead-code-elimination.
 * Mirrors torch/csrc/jit/passes/constant_propagation.cpp (ConstantPropagation with an AliasDb).
 */

import {
  cloneNode,
  constantType,
  createConstant,
  currentLimits,
  Device,
  Graph,
  LimitError,
  ModuleHost,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  OptionalType,
  pass,
  runGraph,
  Tensor,
  tensorTypeOf,
  toIValue,
  Tuple,
  withLimits,
  type Block,
  type GraphPass,
  type IValue,
  type Node,
  type PassContext,
  type PassResult,
  type Type,
  type Value,
  inject,
} from '../src/index.js';
import { AliasAnalysis, isMutableType, writersNow } from './alias-analysis.js';
import { evaluatePrimDirectly } from './const-prop-prim.js';

/** Kinds never evaluated: PyTorch's skip list. */
const SKIP =
  /^(prim::(If|Loop|Closure|Constant|AutogradZero|Uninitialized|Guard|profile|profile_ivalue)|prim::unchecked_unwrap_optional|aten::dequantize)$/;

@pass({
  name: 'constant-propagation',
  summary: 'Evaluate nodes with constant inputs, fold prim::If on constants, drop loops that never run',
  requires: [AliasAnalysis],
  statistics: [
    { name: 'nodes-folded', description: 'nodes evaluated and replaced by constants' },
    { name: 'ifs-folded', description: 'prim::If on a constant replaced by the taken block' },
    { name: 'loops-removed', description: 'prim::Loop that never runs removed' },
    { name: 'outputs-removed', description: 'If/Loop outputs not depending on the block removed' },
  ],
})
export class ConstantPropagation implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    const writers = (): ((v: Value) => boolean) => writersNow(graph, this.ops);
    const p = new Propagator(new ModuleHost(this.ops), this.ops, context, writers);
    p.block(graph.block);
    return { changed: p.changed };
  }
}

/**
 * One run's state: the interpreter host and AliasDb.hasWriters, taken when first needed. As PyTorch's
 * lazily made AliasDb, it answers for the graph as it was then (writersNow keeps a snapshot: an inlined If
 * or a removed loop after it changes no answer).
 */
class Propagator {
  changed = false;
  private hasWriters: ((v: Value) => boolean) | undefined;

  constructor(
    private readonly host: ModuleHost,
    private readonly ops: OperatorRegistry,
    private readonly context: PassContext,
    private readonly writers: () => (v: Value) => boolean,
  ) {}

  private change(statistic: string): void {
    this.context.count(statistic);
    this.changed = true;
  }

  private constantBefore(n: Node, value: IValue, type: Type): Value {
    const g = n.owningGraph;
    const node = g.withInsertPoint(n, () => g.insertNode(createConstant(g, value, type)));
    node.sourceRange = n.sourceRange;
    return node.output();
  }

  // Walked by node links, the next node read first (no iterator object per node: freezing runs this cold).
  // A step destroys at most the current node; what it inserts (constants, an inlined If's nodes) goes
  // before it and is not visited here.
  block(block: Block): void {
    const end = block.returnNode;
    for (let n = end.next!, next = n.next!; n !== end; n = next, next = n.next!) this.node(n);
  }

  // Indexed loops on this per-node path: freezing runs it cold, where array iterators cost more than the test.
  private blocksOf(n: Node): void {
    const blocks = n.blocks;
    for (let i = 0; i < blocks.length; i++) this.block(blocks[i]);
  }

  private node(n: Node): void {
    const inputs = n.inputs;
    let constantInputs = true;
    for (let i = 0; i < inputs.length && constantInputs; i++)
      constantInputs = inputs[i].node.kind === 'prim::Constant';
    if (n.kind === 'prim::If') {
      if (constantInputs) return this.inlineIf(n);
      this.blocksOf(n);
      this.removeExtraIfOutputs(n);
    } else if (n.kind === 'prim::Loop') {
      const [trip, cond] = [toIValue(n.inputs[0]), toIValue(n.inputs[1])];
      // A trip count <= 0 or a False start condition never runs (unknown ones count as 1 and True).
      if (cond === false || ((typeof trip === 'number' || typeof trip === 'bigint') && trip <= 0)) {
        // Transforms a loop that never runs into its initial values.
        n.outputs.forEach((o, i) => o.replaceAllUsesWith(n.inputs[i + 2]));
        n.destroy();
        return this.change('loops-removed');
      }
      this.blocksOf(n);
      this.removeExtraLoopOutputs(n);
    } else if (constantInputs && !SKIP.test(n.kind) && n.blocks.length === 0 && n.hasUses()) {
      this.fold(n);
    } else {
      this.blocksOf(n);
    }
  }

  // Transforms a node with constant inputs into prim::Constant outputs (the node goes when unused).
  private fold(n: Node): void {
    const why = this.unsupported(n);
    if (why) return this.context.remark(n, `not folded: ${why}`);
    const values = this.evaluate(n);
    if (typeof values === 'string') return this.context.remark(n, `not folded: ${values}`);
    let replaced = 0;
    n.outputs.forEach((out, i) => {
      if (!out.hasUses()) return;
      const type = constantTypeOf(values[i], out.type);
      if (!type)
        return this.context.remark(n, `output %${out.debugName} kept: its value cannot be a constant`);
      out.replaceAllUsesWith(this.constantBefore(n, values[i], type));
      replaced++;
    });
    if (!replaced) return;
    if (!n.hasUses()) n.destroy();
    this.change('nodes-folded');
  }

  // Why `n` may not be evaluated ahead of time (undefined when it may).
  private unsupported(n: Node): string | undefined {
    const facts = this.ops.factsForNode(n);
    if (!facts) return `${n.kind} is not in the operator table`;
    // Reading an attribute of a constant (frozen) object is a pure read, as PyTorch folds it.
    const objectRead = n.kind === 'prim::GetAttr' && n.input(0).node.kind === 'prim::Constant';
    if (!facts.pure && !objectRead) return `${n.kind} ${facts.impureReason ?? 'is not pure'}`;
    if (facts.category === 'operator' && this.ops.schemaForNode(n)?.isVararg)
      return 'vararg schemas are not evaluated (as in PyTorch)';
    const values = [...n.inputs, ...n.outputs];
    if (values.some((v) => isMutableType(v.type))) {
      const hasWriters = (this.hasWriters ??= this.writers());
      if (values.some(hasWriters)) return 'an input or output aliases memory that is written';
    }
    return undefined;
  }

  // Runs `n` as the interpreter would: aten ops through its op compiler, prim ops directly (the common
  // ones, const-prop-prim.ts) or as a one-node graph.
  // Allocations are capped at maxFoldedConstantBytes while evaluating: PyTorch folds whatever the size
  // (constant_propagation.cpp leaves that as a TODO), but aten::arange(1e9) would take 8 GB here.
  private evaluate(n: Node): IValue[] | string {
    const { maxTensorBytes, maxFoldedConstantBytes } = currentLimits();
    try {
      return withLimits({ maxTensorBytes: Math.min(maxTensorBytes, maxFoldedConstantBytes) }, () =>
        this.run(n),
      );
    } catch (e) {
      if (e instanceof LimitError && e.limit === 'maxTensorBytes')
        return `its result would exceed the maxFoldedConstantBytes limit (${maxFoldedConstantBytes} bytes)`;
      return `evaluating it failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private run(n: Node): IValue[] {
    let values: IValue[];
    if (n.kind.startsWith('prim::')) {
      const direct = evaluatePrimDirectly(n);
      if (direct) return direct;
      const g = new Graph();
      const map = new Map<Value, Value>();
      for (const v of n.inputs) map.set(v, g.insertNode(cloneNode(g, v.node, new Map())).output());
      for (const o of g.insertNode(cloneNode(g, n, map)).outputs) g.registerOutput(o);
      values = runGraph(g, [], this.host);
    } else {
      const result = this.host.compileOp(n)(n.inputs.map((v) => toIValue(v) ?? null));
      values = n.outputs.length === 1 ? [result as IValue] : (result as IValue[]);
    }
    return values;
  }

  // Transforms `prim::If(constant)` into the taken block's nodes, placed before it.
  private inlineIf(n: Node): void {
    const taken = n.blocks[toIValue(n.input()) === true ? 0 : 1];
    this.block(taken);
    for (const inner of taken.nodes()) inner.moveBefore(n);
    n.outputs.forEach((o, i) => o.replaceAllUsesWith(taken.outputs[i]));
    n.destroy();
    this.change('ifs-folded');
  }

  // Transforms outputs both branches agree on into the shared value (or an equal constant).
  private removeExtraIfOutputs(n: Node): void {
    const [then, other] = n.blocks;
    for (let i = n.outputs.length - 1; i >= 0; i--) {
      const [t, f] = [then.outputs[i], other.outputs[i]];
      const same =
        t === f ? t : sameConstant(t, f) ? this.constantBefore(n, toIValue(t) ?? null, t.type) : undefined;
      if (!same) continue;
      n.outputs[i].replaceAllUsesWith(same);
      n.eraseOutput(i);
      then.eraseOutput(i);
      other.eraseOutput(i);
      this.change('outputs-removed');
    }
  }

  // Transforms loop-carried values the body passes through unchanged into the initial value.
  private removeExtraLoopOutputs(n: Node): void {
    const body = n.blocks[0];
    for (let i = n.outputs.length - 1; i >= 0; i--) {
      if (body.inputs[i + 1] !== body.outputs[i + 1]) continue;
      const initial = n.inputs[i + 2];
      n.outputs[i].replaceAllUsesWith(initial);
      body.inputs[i + 1].replaceAllUsesWith(initial);
      n.eraseOutput(i);
      n.removeInput(i + 2);
      body.eraseInput(i + 1);
      body.eraseOutput(i + 1);
      this.change('outputs-removed');
    }
  }
}

// Two prim::Constant values of one scalar type (int, float, bool, str, None, Device) holding the same value.
function sameConstant(a: Value, b: Value): boolean {
  const constants = a.node.kind === 'prim::Constant' && b.node.kind === 'prim::Constant';
  if (!constants || !a.type.equals(b.type) || !/^(int|float|bool|str|None|Device)$/.test(a.type.kind))
    return false;
  const x = toIValue(a);
  return x instanceof Device ? x.toString() === String(toIValue(b)) : x === toIValue(b);
}

/**
 * The type of a constant holding `v` where the static type was `t` (tensors get their complete type,
 * None keeps `t`), or undefined when PyTorch could not make it a constant: objects, tensors requiring
 * grad, and (here) whole numbers of type Scalar, which could be int or float.
 */
function constantTypeOf(v: IValue, t: Type): Type | undefined {
  if (v === null) return t;
  if (!insertable(v)) return undefined;
  if (v instanceof Tensor) return tensorTypeOf(v);
  const s = t instanceof OptionalType ? t.elem : t;
  if (s.kind !== 'Number' && s.kind !== 'Any' && s.kind !== 'Union') return s;
  return typeof v === 'number' && Number.isInteger(v) ? undefined : constantType(v);
}

// PyTorch's insertableIValue: scalars, strings, devices, tensors not requiring grad, and containers of them.
function insertable(v: IValue): boolean {
  if (v instanceof Tensor) return !v.requiresGrad;
  if (v instanceof Tuple || Array.isArray(v)) return (v instanceof Tuple ? v.items : v).every(insertable);
  if (v instanceof Map) return [...v].every(([k, x]) => insertable(k) && insertable(x));
  return v === null || v instanceof Device || ['boolean', 'number', 'bigint', 'string'].includes(typeof v);
}
