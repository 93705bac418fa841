// Assignments (PyTorch's emitAssignment / emitAugAssignment): to names (with the type checks against an
// outer definition), tuple targets, attributes (prim::SetAttr) and subscripts; `x op= y` in place for
// tensors and lists, through __iadd__-style methods for classes.

import type { Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import { isSchemaSubtype } from '../../ops/type-matching.js';
import type { Assign, AugAssign, BinaryOperator, Expr, SourceRange } from '../torchscript/ast.js';
import { emitBuiltinCall } from './calls.js';
import { tryConvertToType } from './conversions.js';
import { emitExpr, emitSugaredExpr } from './expressions.js';
import type { FunctionEmitter } from './function-emitter.js';
import { emitSubscriptAssign, subscriptAugTarget } from './subscripts.js';
import { asTuple, asValue, attr, setValueAttr } from './sugared-ops.js';
import { callMethod } from './sugared-calls.js';
import type { Sugared } from './sugared.js';

export function emitAssign(em: FunctionEmitter, stmt: Assign): void {
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
export function assignName(
  em: FunctionEmitter,
  name: string,
  sv: Sugared,
  range: SourceRange,
  annotated?: Type,
): void {
  if (sv.kind !== 'value') {
    em.frame.sugared.set(name, sv);
    return;
  }
  let value = sv.value;
  const parent = em.frame.parent?.peek(name);
  if (parent) {
    if (annotated)
      throw em.error(
        range,
        `attempting to declare and annotate the type of variable '${name}' but it is already defined in an outer block`,
      );
    value = tryConvertToType(em, parent.type, value, true);
    if (!isSchemaSubtype(value.type, parent.type)) {
      throw em.error(
        range,
        `variable '${name}' previously has type ${parent.type.str()} but is now being assigned to a value of type ${value.type.str()}`,
      );
    }
  }
  if (annotated && !isSchemaSubtype(value.type, annotated)) {
    throw em.error(
      range,
      `variable '${name}' is annotated with type ${annotated.str()} but is being assigned to a value of type ${value.type.str()}`,
    );
  }
  em.setVar(name, value, annotated);
}

/** `a, b = rhs`: unpacks into each target, recursively for nested tuples. */
export function assignTargets(
  em: FunctionEmitter,
  targets: readonly Expr[],
  rhs: Sugared,
  range: SourceRange,
): void {
  const outputs = asTuple(em, rhs, range, targets.length);
  if (outputs.length !== targets.length) {
    const why =
      outputs.length < targets.length
        ? `need ${targets.length} values to unpack but found only ${outputs.length}`
        : `too many values to unpack: need ${targets.length} but found ${outputs.length}`;
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
    if (!method)
      throw em.error(
        stmt.range,
        `cannot emit inplace op on ${lhs.type.str()} since it does not define the matching method`,
      );
    return callMethod(em, lhs, method, stmt.range, [{ value: emitExpr(em, stmt.value) }], []);
  }
  const rhs = emitExpr(em, stmt.value);
  return emitBuiltinCall(em, stmt.range, augOp(em, stmt.op, lhs.type, stmt.range), [
    { value: lhs },
    { value: rhs },
  ]);
}

export function emitAugAssign(em: FunctionEmitter, stmt: AugAssign): void {
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
      emitBuiltinCall(
        em,
        stmt.range,
        augOp(em, stmt.op, base.type, stmt.range),
        [{ value: rhs }],
        [],
        sliced,
      );
      return;
    }
    const item = emitBuiltinCall(em, stmt.range, 'aten::__getitem__', [{ value: base }, { value: idx! }]);
    const rhs = emitExpr(em, stmt.value);
    const updated = emitBuiltinCall(em, stmt.range, augOp(em, stmt.op, item.type, stmt.range), [
      { value: item },
      { value: rhs },
    ]);
    emitBuiltinCall(em, stmt.range, 'aten::_set_item', [
      { value: base },
      { value: idx! },
      { value: updated },
    ]);
  } else {
    throw em.error(target.range, 'unexpected expression on left-hand side of augmented assignment');
  }
}
