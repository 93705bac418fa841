// Statements to IR (PyTorch's emitStatements and friends): assignments, augmented assignments, if, for,
// while, return, raise, assert, del and expression statements.

import { AnyType, BoolType, StringType, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import { isSchemaSubtype, unifyTypes } from '../../ops/type-matching.js';
import type { Assign, AugAssign, BinaryOperator, Expr, For, SourceRange, Stmt } from '../torchscript/ast.js';
import { emitBuiltinCall } from './calls.js';
import { emitIfElse, emitLoop } from './control-flow.js';
import { tryConvertToType } from './conversions.js';
import { emitCondExpr, emitExpr, emitSugaredExpr, emitToBool } from './expressions.js';
import type { FunctionEmitter } from './function-emitter.js';
import type { Binding, Frame } from './frames.js';
import { INT64_MAX, itemAt, iterOf, lengthOf, shouldUnroll, staticLength } from './iterables.js';
import { emitSubscriptAssign, subscriptAugTarget } from './subscripts.js';
import { asTuple, asValue, attr, callMethod, setValueAttr } from './sugared-ops.js';
import type { Sugared } from './sugared.js';

/** Emits statements until one exits the current block (a raise or return). */
export function emitStatements(em: FunctionEmitter, stmts: readonly Stmt[]): void {
  for (const stmt of stmts) {
    emitStatement(em, stmt);
    if (em.exitBlocks.has(em.frame.block)) return;
  }
}

function emitStatement(em: FunctionEmitter, stmt: Stmt): void {
  switch (stmt.kind) {
    case 'Assign':
      return emitAssign(em, stmt);
    case 'AugAssign':
      return emitAugAssign(em, stmt);
    case 'If': {
      const cond = emitCondExpr(em, stmt.test);
      return emitIfElse(em, stmt.range, cond, () => emitStatements(em, stmt.body), () => emitStatements(em, stmt.orelse));
    }
    case 'For':
      return emitFor(em, stmt);
    case 'While': {
      const test = stmt.test;
      const cond = (): Value => emitToBool(em, test.range, emitExpr(em, test));
      return emitLoop(em, em.constant(INT64_MAX), cond, () => emitStatements(em, stmt.body));
    }
    case 'Return':
      return emitReturn(em, stmt.value, stmt.range);
    case 'Raise':
      return emitRaise(em, stmt.exception, stmt.range);
    case 'Assert':
      return emitAssert(em, stmt.test, stmt.message, stmt.range);
    case 'ExprStmt':
      emitSugaredExpr(em, stmt.value, 0);
      return;
    case 'Pass':
      return;
    case 'Delete':
      return emitDelete(em, stmt.targets, stmt.range);
    case 'Break':
    case 'Continue':
      return emitLoopExit(em, stmt.kind === 'Break', stmt.range);
    case 'With':
      throw em.unsupported(stmt.range, "a 'with' statement");
    case 'FunctionDef':
      throw em.unsupported(stmt.range, 'a nested function (closure)');
  }
}

function emitAssign(em: FunctionEmitter, stmt: Assign): void {
  const target = stmt.target;
  switch (target.kind) {
    case 'Name': {
      const type = stmt.annotation ? em.resolveType(stmt.annotation) : undefined;
      assignName(em, target.id, emitSugaredExpr(em, stmt.value, 1, type), stmt.range, type);
      return;
    }
    case 'Tuple':
    case 'List': {
      const rhs = emitSugaredExpr(em, stmt.value, target.elements.length);
      assignTargets(em, target.elements, rhs, stmt.value.range);
      return;
    }
    case 'Attribute': {
      const hint = stmt.annotation ? em.resolveType(stmt.annotation) : undefined;
      const obj = asValue(em, emitSugaredExpr(em, target.value, 1), target.value.range);
      setValueAttr(em, obj, target.attr, emitExpr(em, stmt.value, hint), stmt.range);
      return;
    }
    case 'Subscript':
      emitSubscriptAssign(em, target, emitExpr(em, stmt.value), stmt.range);
      return;
    default:
      throw em.error(target.range, 'unexpected expression on left-hand side of assignment');
  }
}

/** Binds `name` to a sugared value (PyTorch's setSugaredVar): first-class values are type checked against an outer definition. */
export function assignName(em: FunctionEmitter, name: string, sv: Sugared, range: SourceRange, annotated?: Type): void {
  if (sv.kind !== 'value') {
    em.frame.sugared.set(name, sv);
    return;
  }
  let value = sv.value;
  const parent = em.frame.parent?.peek(name);
  if (parent) {
    if (annotated) throw em.error(range, `attempting to declare and annotate the type of variable '${name}' but it is already defined in an outer block`);
    value = tryConvertToType(em, parent.type, value, true);
    if (!isSchemaSubtype(value.type, parent.type)) {
      throw em.error(range, `variable '${name}' previously has type ${parent.type.str()} but is now being assigned to a value of type ${value.type.str()}`);
    }
  }
  if (annotated && !isSchemaSubtype(value.type, annotated)) {
    throw em.error(range, `variable '${name}' is annotated with type ${annotated.str()} but is being assigned to a value of type ${value.type.str()}`);
  }
  em.setVar(name, value, annotated);
}

/** `a, b = rhs`: unpacks into each target, recursively for nested tuples. */
export function assignTargets(em: FunctionEmitter, targets: readonly Expr[], rhs: Sugared, range: SourceRange): void {
  const outputs = asTuple(em, rhs, range, targets.length);
  if (outputs.length !== targets.length) {
    const why = outputs.length < targets.length ? `need ${targets.length} values to unpack but found only ${outputs.length}` : `too many values to unpack: need ${targets.length} but found ${outputs.length}`;
    throw em.error(range, why);
  }
  targets.forEach((t, i) => assignTarget(em, t, outputs[i], range));
}

function assignTarget(em: FunctionEmitter, target: Expr, value: Sugared, range: SourceRange): void {
  switch (target.kind) {
    case 'Name':
      return assignName(em, target.id, value, target.range);
    case 'Tuple':
    case 'List':
      return assignTargets(em, target.elements, value, range);
    case 'Subscript':
      return emitSubscriptAssign(em, target, asValue(em, value, range), range);
    default:
      throw em.error(target.range, 'unexpected expression on the left-hand side');
  }
}

// The operator of `x op= y`: in-place for tensors and lists (getAugOp).
function augOp(em: FunctionEmitter, op: BinaryOperator, type: Type, range: SourceRange): string {
  const inplace = type.kind === 'Tensor' || type.kind === 'List';
  const table: Partial<Record<BinaryOperator, [string, string]>> = {
    '+': ['aten::add_', 'aten::add'],
    '-': ['aten::sub_', 'aten::sub'],
    '/': ['aten::div_', 'aten::div'],
    '*': ['aten::mul_', 'aten::mul'],
    '%': ['aten::fmod_', 'aten::fmod'],
    '|': ['aten::bitwise_or', 'aten::__or__'],
    '&': ['aten::bitwise_and', 'aten::__and__'],
    '^': ['aten::bitwise_xor', 'aten::__xor__'],
    '<<': ['aten::__lshift__', 'aten::__lshift__'],
    '>>': ['aten::__irshift__', 'aten::__rshift__'],
    '**': ['aten::pow', 'aten::pow'],
  };
  const entry = table[op];
  if (!entry) throw em.error(range, `unknown augmented assignment: ${op}=`);
  return entry[inplace ? 0 : 1];
}

const AUG_MAGIC: Partial<Record<BinaryOperator, [string, string]>> = {
  '+': ['__iadd__', '__add__'],
  '-': ['__isub__', '__sub__'],
  '/': ['__itruediv__', '__truediv__'],
  '*': ['__imul__', '__mul__'],
  '%': ['__imod__', '__mod__'],
};

function augValue(em: FunctionEmitter, stmt: AugAssign, lhs: Value): Value {
  if (lhs.type instanceof ClassType) {
    const names = AUG_MAGIC[stmt.op];
    const method = names?.find((m) => (lhs.type as ClassType).hasMethod(m));
    if (!method) throw em.error(stmt.range, `cannot emit inplace op on ${lhs.type.str()} since it does not define the matching method`);
    return callMethod(em, lhs, method, stmt.range, [{ value: emitExpr(em, stmt.value) }], []);
  }
  const rhs = emitExpr(em, stmt.value);
  return emitBuiltinCall(em, stmt.range, augOp(em, stmt.op, lhs.type, stmt.range), [{ value: lhs }, { value: rhs }]);
}

function emitAugAssign(em: FunctionEmitter, stmt: AugAssign): void {
  const target = stmt.target;
  if (target.kind === 'Name') {
    em.setVar(target.id, augValue(em, stmt, emitExpr(em, target)));
  } else if (target.kind === 'Attribute') {
    const obj = emitSugaredExpr(em, target.value, 1);
    const lhs = asValue(em, attr(em, obj, target.attr, target.range), target.range);
    const result = augValue(em, stmt, lhs);
    setValueAttr(em, asValue(em, obj, target.range), target.attr, result, stmt.range);
  } else if (target.kind === 'Subscript') {
    const { base, sliced, idx } = subscriptAugTarget(em, target, stmt.range);
    if (sliced) {
      const rhs = emitExpr(em, stmt.value);
      emitBuiltinCall(em, stmt.range, augOp(em, stmt.op, base.type, stmt.range), [{ value: rhs }], [], sliced);
      return;
    }
    const item = emitBuiltinCall(em, stmt.range, 'aten::__getitem__', [{ value: base }, { value: idx! }]);
    const rhs = emitExpr(em, stmt.value);
    const updated = emitBuiltinCall(em, stmt.range, augOp(em, stmt.op, item.type, stmt.range), [{ value: item }, { value: rhs }]);
    emitBuiltinCall(em, stmt.range, 'aten::_set_item', [{ value: base }, { value: idx! }, { value: updated }]);
  } else {
    throw em.error(target.range, 'unexpected expression on left-hand side of augmented assignment');
  }
}

function emitFor(em: FunctionEmitter, stmt: For): void {
  emitForLoop(em, stmt.target, stmt.iter, stmt.range, () => emitStatements(em, stmt.body));
}

/** `for target in iter: body()`: a prim::Loop, or the body once per element for a tuple. */
export function emitForLoop(em: FunctionEmitter, target: Expr, iter: Expr, range: SourceRange, body: () => void): void {
  const iterable = iterOf(em, emitSugaredExpr(em, iter, 1), iter.range);
  const assign = (item: Sugared): void => {
    if (target.kind === 'Tuple' || target.kind === 'List') assignTargets(em, target.elements, item, range);
    else if (target.kind === 'Name') assignName(em, target.id, item, target.range);
    else throw em.error(target.range, 'loop targets must be names or tuples of names');
  };
  if (shouldUnroll(iterable)) {
    // Heterogeneous tuples: one copy of the body per element, in the current block.
    const n = staticLength(iterable) ?? 0;
    em.loops.push({ frame: em.frame, sites: [], unrolled: true });
    try {
      for (let i = 0; i < n; i++) {
        assign(itemAt(em, iterable, em.constant(i), range));
        body();
      }
    } finally {
      em.loops.pop();
    }
    return;
  }
  const trip = lengthOf(em, iterable, iter.range);
  emitLoop(em, trip, undefined, (counter) => {
    assign(itemAt(em, iterable, counter, range));
    body();
  });
}

// A prim::ReturnStmt marker; TransformExits turns the function's returns into its output.
function emitReturn(em: FunctionEmitter, expr: Expr | null, range: SourceRange): void {
  const declared = em.request.signature.returns[0];
  let value = expr ? emitExpr(em, expr, declared) : em.none();
  if (declared) {
    if (!(declared.kind === 'Tensor' && value.type.kind === 'None')) value = tryConvertToType(em, declared, value, true);
    if (!isSchemaSubtype(value.type, declared)) {
      throw em.error(range, `return value was annotated as having type ${declared.str()} but is actually of type ${value.type.str()}`);
    }
    em.returnType = declared;
  } else {
    const merged = em.returnType ? unifyTypes(em.returnType, value.type) : value.type;
    if (!merged) throw em.error(range, `previous return statement returned a value of type ${em.returnType!.str()} but this return statement returns a value of type ${value.type.str()}`);
    em.returnType = merged;
  }
  if (em.returnType === AnyType && value.type !== AnyType) value = em.insert('prim::unchecked_cast', [value], [AnyType]).output();
  em.insert('prim::ReturnStmt', [value], []);
  em.exitBlocks.add(em.frame.block);
}

// `break` / `continue`: a prim::LoopContinuation whose loop-carried inputs are added when the loop ends.
// As in PyTorch, the statements after it are still emitted (TransformExits drops them).
function emitLoopExit(em: FunctionEmitter, isBreak: boolean, range: SourceRange): void {
  const loop = em.loops[em.loops.length - 1];
  if (!loop) throw em.error(range, `SyntaxError: '${isBreak ? 'break' : 'continue'}' outside loop`);
  if (loop.unrolled) {
    throw em.error(range, 'because we emit iteration over modulelists or tuples as unrolled loops, we do not support break or continue inside the body of these loops');
  }
  const cond = isBreak ? em.constant(false, BoolType) : loop.condFn ? loop.condFn() : em.constant(true, BoolType);
  const node = em.insert('prim::LoopContinuation', [cond], []);
  const snapshot: Map<string, Binding>[] = [];
  for (let f: Frame | null = em.frame; f; f = f.parent) {
    snapshot.push(new Map(f.vars));
    if (f === loop.frame) break;
  }
  loop.sites.push({ node, snapshot });
}

function emitRaise(em: FunctionEmitter, expr: Expr | null, range: SourceRange): void {
  if (!expr) throw em.unsupported(range, 'a bare raise');
  const sv = emitSugaredExpr(em, expr, 1);
  let message: Value;
  let name: string;
  if (sv.kind === 'exception-message') {
    message = sv.message;
    name = sv.name;
  } else if (sv.kind === 'exception') {
    message = em.constant('', StringType);
    name = sv.name;
  } else {
    throw em.error(range, 'exceptions must derive from BaseException');
  }
  if (message.type.kind !== 'str') message = emitBuiltinCall(em, range, 'aten::str', [{ value: message }]);
  // As PyTorch's emitRaise: the message only (the class stays the default None).
  void name;
  emitBuiltinCall(em, range, 'prim::RaiseException', [{ value: message }]);
  em.exitBlocks.add(em.frame.block);
}

// assert c, msg  →  if c: pass  else: raise AssertionError(msg)
function emitAssert(em: FunctionEmitter, test: Expr, message: Expr | null, range: SourceRange): void {
  const cond = emitCondExpr(em, test);
  emitIfElse(em, range, cond, () => undefined, () => {
    const msg = message ? emitExpr(em, message) : em.constant('', StringType);
    const text = msg.type.kind === 'str' ? msg : emitBuiltinCall(em, range, 'aten::str', [{ value: msg }]);
    const full = emitBuiltinCall(em, range, 'aten::add', [{ value: em.constant('AssertionError: ', StringType) }, { value: text }]);
    emitBuiltinCall(em, range, 'prim::RaiseException', [{ value: full }]);
    em.exitBlocks.add(em.frame.block);
  });
}

function emitDelete(em: FunctionEmitter, targets: readonly Expr[], range: SourceRange): void {
  for (const t of targets) {
    if (t.kind === 'Subscript') {
      const index = t.indices[0];
      if (t.indices.length !== 1 || index.kind === 'Slice') throw em.error(range, 'del statements only support deletion at a single index');
      const base = emitExpr(em, t.value);
      const idx = emitExpr(em, index);
      if (base.type instanceof ClassType) callMethod(em, base, '__delitem__', range, [{ value: idx }], []);
      else emitBuiltinCall(em, range, 'aten::Delete', [{ value: base }, { value: idx }]);
    } else if (t.kind === 'Name') {
      if (!em.frame.vars.delete(t.id) && !em.frame.sugared.delete(t.id)) throw em.error(t.range, `undefined value ${t.id}`);
      em.frame.stored.delete(t.id);
    } else {
      throw em.error(t.range, 'del statements are only supported for deleting list and dict items and variables');
    }
  }
}
