// Statements to IR (PyTorch's emitStatements and friends): if, for, while, return, raise, assert, break,
// continue, del and expression statements; assignments are in assignments.ts, with in with-statement.ts.

import { AnyType, BoolType, StringType } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import { isSchemaSubtype, unifyTypes } from '../../ops/type-matching.js';
import type { Expr, For, SourceRange, Stmt } from '../torchscript/ast.js';
import { emitBuiltinCall } from './calls.js';
import { emitIfElse, emitLoop } from './control-flow.js';
import { tryConvertToType } from './conversions.js';
import { emitCondExpr, emitExpr, emitSugaredExpr, emitToBool } from './expressions.js';
import { assignName, assignTargets, emitAssign, emitAugAssign } from './assignments.js';
import { bindClosure } from './closures.js';
import type { FunctionEmitter } from './function-emitter.js';
import type { Binding, Frame } from './frames.js';
import { INT64_MAX, itemAt, iterOf, lengthOf, shouldUnroll, staticLength } from './iterables.js';
import { callMethod } from './sugared-calls.js';
import type { Sugared } from './sugared.js';
import { emitWith } from './with-statement.js';

/** Emits statements until one exits the current block (a raise or return). */
export function emitStatements(em: FunctionEmitter, stmts: readonly Stmt[]): void {
  for (const stmt of stmts) {
    const outer = em.statementRange;
    em.statementRange = stmt.range;
    try {
      emitStatement(em, stmt);
    } finally {
      em.statementRange = outer;
    }
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
      return emitIfElse(
        em,
        stmt.range,
        cond,
        () => emitStatements(em, stmt.body),
        () => emitStatements(em, stmt.orelse),
      );
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
      return emitWith(em, stmt, () => emitStatements(em, stmt.body));
    case 'FunctionDef':
      return bindClosure(em, stmt);
  }
}

function emitFor(em: FunctionEmitter, stmt: For): void {
  emitForLoop(em, stmt.target, stmt.iter, stmt.range, () => emitStatements(em, stmt.body));
}

/** `for target in iter: body()`: a prim::Loop, or the body once per element for a tuple. */
export function emitForLoop(
  em: FunctionEmitter,
  target: Expr,
  iter: Expr,
  range: SourceRange,
  body: () => void,
): void {
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
    if (!(declared.kind === 'Tensor' && value.type.kind === 'None'))
      value = tryConvertToType(em, declared, value, true);
    if (!isSchemaSubtype(value.type, declared)) {
      throw em.error(
        range,
        `return value was annotated as having type ${declared.str()} but is actually of type ${value.type.str()}`,
      );
    }
    em.returnType = declared;
  } else {
    const merged = em.returnType ? unifyTypes(em.returnType, value.type) : value.type;
    if (!merged)
      throw em.error(
        range,
        `previous return statement returned a value of type ${em.returnType!.str()} but this return statement returns a value of type ${value.type.str()}`,
      );
    em.returnType = merged;
  }
  if (em.returnType === AnyType && value.type !== AnyType)
    value = em.insert('prim::unchecked_cast', [value], [AnyType]).output();
  em.insert('prim::ReturnStmt', [value], []);
  em.exitBlocks.add(em.frame.block);
}

// `break` / `continue`: a prim::LoopContinuation whose loop-carried inputs are added when the loop ends.
// As in PyTorch, the statements after it are still emitted (TransformExits drops them).
function emitLoopExit(em: FunctionEmitter, isBreak: boolean, range: SourceRange): void {
  const loop = em.loops[em.loops.length - 1];
  if (!loop) throw em.error(range, `SyntaxError: '${isBreak ? 'break' : 'continue'}' outside loop`);
  if (loop.unrolled) {
    throw em.error(
      range,
      'because we emit iteration over modulelists or tuples as unrolled loops, we do not support break or continue inside the body of these loops',
    );
  }
  const cond = isBreak
    ? em.constant(false, BoolType)
    : loop.condFn
      ? loop.condFn()
      : em.constant(true, BoolType);
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
  emitIfElse(
    em,
    range,
    cond,
    () => undefined,
    () => {
      const msg = message ? emitExpr(em, message) : em.constant('', StringType);
      const text = msg.type.kind === 'str' ? msg : emitBuiltinCall(em, range, 'aten::str', [{ value: msg }]);
      const full = emitBuiltinCall(em, range, 'aten::add', [
        { value: em.constant('AssertionError: ', StringType) },
        { value: text },
      ]);
      emitBuiltinCall(em, range, 'prim::RaiseException', [{ value: full }]);
      em.exitBlocks.add(em.frame.block);
    },
  );
}

function emitDelete(em: FunctionEmitter, targets: readonly Expr[], range: SourceRange): void {
  for (const t of targets) {
    if (t.kind === 'Subscript') {
      const index = t.indices[0];
      if (t.indices.length !== 1 || index.kind === 'Slice')
        throw em.error(range, 'del statements only support deletion at a single index');
      const base = emitExpr(em, t.value);
      const idx = emitExpr(em, index);
      if (base.type instanceof ClassType) callMethod(em, base, '__delitem__', range, [{ value: idx }], []);
      else emitBuiltinCall(em, range, 'aten::Delete', [{ value: base }, { value: idx }]);
    } else if (t.kind === 'Name') {
      if (!em.frame.vars.delete(t.id) && !em.frame.sugared.delete(t.id))
        throw em.error(t.range, `undefined value ${t.id}`);
      em.frame.stored.delete(t.id);
    } else {
      throw em.error(
        t.range,
        'del statements are only supported for deleting list and dict items and variables',
      );
    }
  }
}
