// prim::If and prim::Loop with their block outputs, as PyTorch's emitter plus convert_to_ssa leave them:
// an if outputs the variables (sorted by name) assigned in both branches, or in one branch and before the
// if; a loop carries the variables (sorted) assigned in its body and defined before it.

import { BoolType, IntType, type Type } from '../../ir/types.js';
import type { Node } from '../../ir/node.js';
import type { Value } from '../../ir/value.js';
import { unifyTypes } from '../../ops/type-matching.js';
import type { SourceRange, Ternary } from '../torchscript/ast.js';
import { emitCondExpr, emitExpr } from './expressions.js';
import { Frame, type CondValue, type Refinement, type RefinementSet } from './frames.js';
import type { ExitSite, FunctionEmitter, LoopContext } from './function-emitter.js';

/** Inside a branch: rebinds each refined variable to an unchecked cast of it (a store in the branch). */
export function insertRefinements(em: FunctionEmitter, refinements: readonly Refinement[]): void {
  for (const r of refinements) {
    const binding = em.lookupVar(r.name);
    if (!binding) continue;
    const cast = em.insert('prim::unchecked_cast', [em.bindingValue(binding)], [r.type]).output();
    em.setVar(r.name, cast);
  }
}

/**
 * An if statement. A static condition emits only the taken branch, in the current block. Otherwise the
 * branches are emitted into a prim::If whose outputs follow convert_to_ssa's rule.
 */
export function emitIfElse(
  em: FunctionEmitter,
  range: SourceRange,
  cond: CondValue,
  whenTrue: () => void,
  whenFalse: () => void,
): void {
  if (cond.staticIf !== undefined) {
    const refinements: RefinementSet = cond.staticIf ? cond.refinements : cond.refinements.not();
    insertRefinements(em, refinements.whenTrue);
    (cond.staticIf ? whenTrue : whenFalse)();
    return;
  }
  const node = em.insert('prim::If', [cond.value], []);
  const trueBlock = node.addBlock();
  const falseBlock = node.addBlock();
  const tf = em.withFrame(trueBlock, 'if', () => {
    insertRefinements(em, cond.refinements.whenTrue);
    whenTrue();
  });
  const ff = em.withFrame(falseBlock, 'if', () => {
    insertRefinements(em, cond.refinements.whenFalse);
    whenFalse();
  });
  const trueExits = em.exitBlocks.has(trueBlock);
  const falseExits = em.exitBlocks.has(falseBlock);
  if (trueExits && falseExits) {
    em.exitBlocks.add(em.frame.block);
    return;
  }
  addBranchOutputs(em, range, node, tf, ff, false);
}

/**
 * Adds the if's outputs for variables its branches assigned (convert_to_ssa): assigned in both branches,
 * or in one and defined before the if; sorted by name. `expression` ifs (a ternary, `and`/`or`) only
 * assign through refinements, and leave the type the emitter sees unchanged.
 */
function addBranchOutputs(
  em: FunctionEmitter,
  range: SourceRange,
  node: Node,
  tf: Frame,
  ff: Frame,
  expression: boolean,
): void {
  const [trueBlock, falseBlock] = node.blocks;
  const trueExits = em.exitBlocks.has(trueBlock);
  const falseExits = em.exitBlocks.has(falseBlock);
  const outer = em.frame;
  const names = new Set<string>();
  for (const v of tf.stored) {
    if (ff.stored.has(v) || outer.isDefined(v) || falseExits) names.add(v);
    else em.typeErrors.set(v, `${v} is not defined in the false branch`);
  }
  for (const v of ff.stored) {
    if (tf.stored.has(v) || outer.isDefined(v) || trueExits) names.add(v);
    else em.typeErrors.set(v, `${v} is not defined in the true branch`);
  }
  for (const v of [...names].sort()) {
    const t = trueExits ? undefined : tf.lookup(v, (n) => em.nameFor(n));
    const f = falseExits ? undefined : ff.lookup(v, (n) => em.nameFor(n));
    // A branch that raises gets an uninitialized placeholder for values only the other branch defines.
    const tv = t?.value ?? uninitializedIn(em, trueBlock, f!.value.type);
    const fv = f?.value ?? uninitializedIn(em, falseBlock, t!.value.type);
    const unified = unifyTypes(tv.type, fv.type);
    if (!unified) {
      const msg = `type mismatch: ${v} is set to type ${tv.type.str()} in the true branch and type ${fv.type.str()} in the false branch`;
      if (outer.isDefined(v)) throw em.error(range, msg);
      em.typeErrors.set(v, msg);
      continue;
    }
    trueBlock.registerOutput(tv);
    falseBlock.registerOutput(fv);
    const out = node.addOutput(unified, em.nameFor(v));
    const before = outer.peek(v)?.type;
    const envType =
      expression && before ? before : ((t && f ? unifyTypes(t.type, f.type) : (t ?? f)?.type) ?? unified);
    outer.store(v, out, envType);
    em.typeErrors.delete(v);
  }
}

function uninitializedIn(em: FunctionEmitter, block: import('../../ir/block.js').Block, type: Type): Value {
  const node = em.graph.create('prim::Uninitialized', [], [type]);
  node.insertBefore(block.returnNode);
  return node.output();
}

/** A conditional expression `a if c else b` (or a short-circuit): a prim::If with one output. */
export function emitIfExpr(
  em: FunctionEmitter,
  range: SourceRange,
  cond: CondValue,
  whenTrue: () => Value,
  whenFalse: () => Value,
): Value {
  const node = em.insert('prim::If', [cond.value], []);
  const emitBranch = (refinements: readonly Refinement[], fn: () => Value): { out: Value; frame: Frame } => {
    const block = node.addBlock();
    let out: Value | undefined;
    const frame = em.withFrame(block, 'if', () => {
      insertRefinements(em, refinements);
      out = fn();
      block.registerOutput(out);
    });
    return { out: out!, frame };
  };
  const t = emitBranch(cond.refinements.whenTrue, whenTrue);
  const f = emitBranch(cond.refinements.whenFalse, whenFalse);
  const unified = unifyTypes(t.out.type, f.out.type);
  if (!unified)
    throw em.error(
      range,
      `if-expression's true branch has type ${t.out.type.str()} but false branch has type ${f.out.type.str()}`,
    );
  const value = node.addOutput(unified);
  addBranchOutputs(em, range, node, t.frame, f.frame, true);
  return value;
}

/** `a and b` / `a or b`: the second operand is evaluated only when needed. */
export function emitShortCircuit(
  em: FunctionEmitter,
  range: SourceRange,
  lhs: CondValue,
  rhsFn: () => CondValue,
  isOr: boolean,
): CondValue {
  let rhs: CondValue | undefined;
  const constant = (): Value => em.constant(isOr, BoolType);
  const second = (): Value => {
    rhs = rhsFn();
    return rhs.value;
  };
  const value = isOr
    ? emitIfExpr(em, range, lhs, constant, second)
    : emitIfExpr(em, range, lhs, second, constant);
  const r = rhs!;
  const refinements = isOr ? lhs.refinements.or(r.refinements) : lhs.refinements.and(r.refinements);
  let staticIf: boolean | undefined;
  if (isOr) {
    if (lhs.staticIf === true || r.staticIf === true) staticIf = true;
    else if (lhs.staticIf !== undefined && r.staticIf !== undefined) staticIf = lhs.staticIf || r.staticIf;
  } else if (lhs.staticIf === false || r.staticIf === false) staticIf = false;
  else if (lhs.staticIf !== undefined && r.staticIf !== undefined) staticIf = lhs.staticIf && r.staticIf;
  return { value, refinements, staticIf };
}

/** `a if c else b`; a static condition emits only the chosen side. */
export function emitTernary(em: FunctionEmitter, expr: Ternary, hint?: Type): Value {
  const cond = emitCondExpr(em, expr.condition);
  if (cond.staticIf !== undefined) return emitExpr(em, cond.staticIf ? expr.whenTrue : expr.whenFalse, hint);
  return emitIfExpr(
    em,
    expr.range,
    cond,
    () => emitExpr(em, expr.whenTrue, hint),
    () => emitExpr(em, expr.whenFalse, hint),
  );
}

/**
 * A prim::Loop. `condFn` (while loops) is emitted before the loop for the first test and again at the end
 * of the body; for loops run while true. `body` receives the iteration counter.
 */
export function emitLoop(
  em: FunctionEmitter,
  tripCount: Value,
  condFn: (() => Value) | undefined,
  body: (counter: Value) => void,
): void {
  const initial = condFn ? condFn() : em.constant(true, BoolType);
  const node = em.insert('prim::Loop', [tripCount, initial], []);
  const block = node.addBlock();
  const counter = block.addInput(IntType);
  const outer = em.frame;
  let next: Value = initial;
  let context: LoopContext | undefined;
  const frame = em.withFrame(block, 'loop', () => {
    context = { frame: em.frame, condFn, sites: [] };
    em.loops.push(context);
    try {
      body(counter);
    } finally {
      em.loops.pop();
    }
    if (condFn) next = condFn();
  });
  finishLoop(em, node, frame, outer, next, context!.sites);
}

// Adds the loop-carried values and settles the provisional inputs the body's reads created; each break
// and continue gets the carried variables' values at its own position.
function finishLoop(
  em: FunctionEmitter,
  node: Node,
  frame: Frame,
  outer: Frame,
  next: Value,
  sites: readonly ExitSite[],
): void {
  const block = node.blocks[0];
  block.registerOutput(next);
  const nameFn = (n: string): string | undefined => em.nameFor(n);
  const carried = [...frame.stored].filter((v) => outer.isDefined(v)).sort();
  const provisionalInputs = [...frame.provisional.values()];
  const results: Array<{ name: string; out: Value; type: Type }> = [];
  for (const v of carried) {
    const init = outer.lookup(v, nameFn)!;
    const bodyBinding = frame.vars.get(v)!;
    const unified = unifyTypes(init.value.type, bodyBinding.value.type) ?? init.value.type;
    block.addInput(unified, em.nameFor(v));
    // May be another variable's provisional input (`a, b = b, a`): replaced below with the others.
    block.registerOutput(bodyBinding.value);
    node.addInput(init.value);
    results.push({ name: v, out: node.addOutput(unified, em.nameFor(v)), type: init.type });
  }
  const finalInputs = new Map(
    carried.map((v, i) => [v, block.inputs[block.inputs.length - carried.length + i]]),
  );
  const renamed = new Map<Value, Value>();
  for (const v of carried) {
    const p = provisionalInputs.find((x) => x === frame.provisional.get(v));
    if (!p) continue;
    p.replaceAllUsesWith(finalInputs.get(v)!);
    renamed.set(p, finalInputs.get(v)!);
  }
  for (const site of sites) {
    for (const v of carried) {
      const seen = site.snapshot.find((vars) => vars.has(v))?.get(v)?.value;
      site.node.addInput(seen ? (renamed.get(seen) ?? seen) : finalInputs.get(v)!);
    }
  }
  for (const [v, provisional] of frame.provisional) {
    if (carried.includes(v)) continue;
    provisional.replaceAllUsesWith(outer.lookup(v, nameFn)!.value);
  }
  for (const provisional of provisionalInputs) block.eraseInput(block.inputs.indexOf(provisional));
  frame.provisional.clear();
  for (const r of results) outer.store(r.name, r.out, r.type);
}
