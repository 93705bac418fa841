// Expressions to IR (PyTorch's emitSugaredExpr / emitSimpleExpr): names, attributes, calls, literals,
// operators, comparisons and conditional expressions. Subscripts and special forms have their own files.

import { normalizeInt } from '../../ir/ivalue.js';
import {
  AnyType,
  BoolType,
  DictType,
  FloatType,
  IntType,
  ListType,
  StringType,
  TensorTensor,
  TupleType,
  type Type,
} from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { isSchemaSubtype, unifyTypes } from '../../ops/type-matching.js';
import type {
  BinaryOperator,
  Call,
  Compare,
  CompareOperator,
  Expr,
  SourceRange,
} from '../torchscript/ast.js';
import { emitBuiltinCall, type NamedValue } from './calls.js';
import { foldNode } from './cleanup/evaluate.js';
import { emitDictComp, emitListComp } from './comprehensions.js';
import { emitShortCircuit, emitTernary } from './control-flow.js';
import { canBeNone, constantOf } from './conversions.js';
import { RefinementSet, type CondValue } from './frames.js';
import type { FunctionEmitter } from './function-emitter.js';
import { emitIsInstance, emitSpecialForm, emitToList } from './special-forms.js';
import { emitSubscript } from './subscripts.js';
import { asValue, attr } from './sugared-ops.js';
import { callSugared } from './sugared-calls.js';
import { simple, type Sugared } from './sugared.js';

const BINARY_OPS: Readonly<Record<BinaryOperator, { op: string; magic?: string }>> = {
  '+': { op: 'aten::add', magic: '__add__' },
  '-': { op: 'aten::sub', magic: '__sub__' },
  '*': { op: 'aten::mul', magic: '__mul__' },
  '/': { op: 'aten::div', magic: '__truediv__' },
  '%': { op: 'aten::remainder', magic: '__mod__' },
  '**': { op: 'aten::pow', magic: '__pow__' },
  '//': { op: 'aten::floordiv' },
  '@': { op: 'aten::matmul' },
  '&': { op: 'aten::__and__', magic: '__and__' },
  '|': { op: 'aten::__or__', magic: '__or__' },
  '^': { op: 'aten::__xor__', magic: '__xor__' },
  '<<': { op: 'aten::__lshift__', magic: '__lshift__' },
  '>>': { op: 'aten::__rshift__', magic: '__rshift__' },
};

const COMPARE_OPS: Readonly<Partial<Record<CompareOperator, { op: string; magic: string }>>> = {
  '==': { op: 'aten::eq', magic: '__eq__' },
  '!=': { op: 'aten::ne', magic: '__ne__' },
  '<': { op: 'aten::lt', magic: '__lt__' },
  '>': { op: 'aten::gt', magic: '__gt__' },
  '<=': { op: 'aten::le', magic: '__le__' },
  '>=': { op: 'aten::ge', magic: '__ge__' },
  in: { op: 'aten::__contains__', magic: '__contains__' },
};

/** An expression as a plain value; `hint` types empty containers and None (PyTorch's emitExpr). */
export function emitExpr(em: FunctionEmitter, expr: Expr, hint?: Type): Value {
  let value = asValue(em, emitSugaredExpr(em, expr, 1, hint), expr.range);
  if (hint === AnyType && value.type !== AnyType)
    value = em.insert('prim::unchecked_cast', [value], [AnyType]).output();
  return value;
}

/** An expression as a sugared value. `nBinders` is how many targets receive it. */
export function emitSugaredExpr(em: FunctionEmitter, expr: Expr, nBinders: number, hint?: Type): Sugared {
  switch (expr.kind) {
    case 'Name':
      return em.readName(expr.id, expr.range);
    case 'Attribute':
      return attr(em, emitSugaredExpr(em, expr.value, 1), expr.attr, expr.range);
    case 'Call':
      return emitCall(em, expr, hint);
    case 'Subscript':
      return emitSubscript(em, expr, hint);
    default:
      return simple(emitSimpleExpr(em, expr, hint));
  }
}

/** Positional arguments and keywords of a call, evaluated left to right. */
export function emitArguments(em: FunctionEmitter, call: Call): { args: NamedValue[]; kwargs: NamedValue[] } {
  const args = call.args.map((a) => ({ value: emitExpr(em, a) }));
  const kwargs = call.keywords.map((k) => ({ name: k.name, value: emitExpr(em, k.value) }));
  return { args, kwargs };
}

function emitCall(em: FunctionEmitter, call: Call, hint?: Type): Sugared {
  const callee = emitSugaredExpr(em, call.func, 1);
  if (callee.kind === 'special') return emitSpecialForm(em, callee.form, call, hint);
  if (callee.kind === 'tolist') return simple(emitToList(em, callee.self, call, hint));
  const { args, kwargs } = emitArguments(em, call);
  return callSugared(em, callee, call.func.range, args, kwargs);
}

function emitSimpleExpr(em: FunctionEmitter, expr: Expr, hint?: Type): Value {
  switch (expr.kind) {
    case 'Int':
      return em.constant(normalizeInt(expr.value), IntType);
    case 'Float':
      return em.constant(expr.value, FloatType);
    case 'String':
      return em.constant(expr.value, StringType);
    case 'Bool':
      return em.constant(expr.value, BoolType);
    case 'None':
      return em.none();
    case 'List':
      return emitListLiteral(em, expr.elements, expr.range, hint);
    case 'Tuple': {
      const items = expr.elements.map((e) => emitExpr(em, e));
      return em.insert('prim::TupleConstruct', items, [new TupleType(items.map((i) => i.type))]).output();
    }
    case 'Dict':
      return emitDictLiteral(em, expr, hint);
    case 'UnaryOp':
      if (expr.op === 'not') return emitCondExpr(em, expr).value;
      if (expr.op === '+') return emitExpr(em, expr.operand);
      return emitUnary(
        em,
        expr.op === '-' ? 'aten::neg' : 'aten::bitwise_not',
        expr.op === '-' ? '__neg__' : '__invert__',
        expr.operand,
        expr.range,
      );
    case 'BinaryOp':
      return emitBinary(em, expr.op, expr.left, expr.right, expr.range);
    case 'BoolOp':
    case 'Compare':
      return emitCondExpr(em, expr).value;
    case 'Ternary':
      return emitTernary(em, expr, hint);
    case 'Ellipsis':
      throw em.error(expr.range, '`...` is only allowed inside a subscript');
    case 'ListComp':
      return emitListComp(em, expr, hint);
    case 'DictComp':
      return emitDictComp(em, expr, hint);
    default:
      throw em.error(expr.range, `cannot emit expression of kind ${expr.kind}`);
  }
}

function emitListLiteral(
  em: FunctionEmitter,
  elements: readonly Expr[],
  range: SourceRange,
  hint?: Type,
): Value {
  const values = elements.map((e) => emitExpr(em, e));
  let elem: Type = TensorTensor;
  if (hint) {
    if (!(hint instanceof ListType))
      throw em.error(range, `expected a List type hint but instead got ${hint.str()}`);
    elem = hint.elem;
  } else if (values.length) {
    let unified: Type | undefined = values[0].type;
    for (const v of values.slice(1)) unified = unified && unifyTypes(unified, v.type);
    if (!unified) throw em.error(range, 'lists must contain only a single type');
    elem = unified;
  }
  for (const v of values) {
    if (!isSchemaSubtype(v.type, elem)) {
      throw em.error(
        range,
        `lists must contain only a single type, expected: ${elem.str()} but found ${v.type.str()} instead`,
      );
    }
  }
  return em.insert('prim::ListConstruct', values, [new ListType(elem)]).output();
}

function emitDictLiteral(em: FunctionEmitter, expr: Extract<Expr, { kind: 'Dict' }>, hint?: Type): Value {
  const inputs: Value[] = [];
  for (const entry of expr.entries) {
    inputs.push(emitExpr(em, entry.key), emitExpr(em, entry.value));
  }
  let type: DictType;
  if (hint instanceof DictType) type = hint;
  else if (inputs.length === 0) type = new DictType(StringType, TensorTensor);
  else type = new DictType(inputs[0].type, inputs[1].type);
  for (let i = 0; i < inputs.length; i += 2) {
    if (!isSchemaSubtype(inputs[i].type, type.key) || !isSchemaSubtype(inputs[i + 1].type, type.value)) {
      throw em.error(expr.range, `dict entries must all have type ${type.str()}`);
    }
  }
  return em.insert('prim::DictConstruct', inputs, [type]).output();
}

// -x and ~x: the operator (or __neg__ of a class), folded right away when the operand is a constant.
function emitUnary(em: FunctionEmitter, op: string, magic: string, operand: Expr, range: SourceRange): Value {
  const value = emitExpr(em, operand);
  const result = asValue(em, callSugared(em, { kind: 'builtin', op, magic }, range, [{ value }], []), range);
  if (result.node.kind !== op) return result;
  const folded = foldNode(result.node);
  return folded ? em.constant(folded[0], result.type) : result;
}

/** `a op b` through the magic method of a class operand, else the operator. */
export function emitBinary(
  em: FunctionEmitter,
  op: BinaryOperator,
  left: Expr,
  right: Expr,
  range: SourceRange,
): Value {
  const lhs = emitExpr(em, left);
  if (op === '%' && lhs.type.kind === 'str') {
    const rhs = emitExpr(em, right);
    return em.insert('aten::percentFormat', [lhs, rhs], [StringType]).output();
  }
  const rhs = emitExpr(em, right);
  const { op: kind, magic } = BINARY_OPS[op];
  if (!magic) return emitBuiltinCall(em, range, kind, [{ value: lhs }, { value: rhs }]);
  return asValue(
    em,
    callSugared(em, { kind: 'builtin', op: kind, magic }, range, [{ value: lhs }, { value: rhs }], []),
    range,
  );
}

// One `left op right` link of a comparison, as a condition.
function emitComparison(
  em: FunctionEmitter,
  left: Expr,
  lhs: Value | undefined,
  op: CompareOperator,
  right: Expr,
  range: SourceRange,
): CondValue {
  if (op === 'is' || op === 'is not') return emitIsCond(em, left, lhs, op, right, range);
  if (op === 'not in') {
    const inner = emitComparison(em, left, lhs, 'in', right, range);
    const value = emitBuiltinCall(em, range, 'aten::__not__', [{ value: inner.value }]);
    return { value, refinements: inner.refinements.not() };
  }
  const a = lhs ?? emitExpr(em, left);
  const b = emitExpr(em, right);
  const spec = COMPARE_OPS[op];
  if (!spec) throw em.error(range, `unknown comparison ${op}`);
  // `x in xs` is xs.__contains__(x): the container comes first.
  const args = op === 'in' ? [{ value: b }, { value: a }] : [{ value: a }, { value: b }];
  const value = asValue(
    em,
    callSugared(em, { kind: 'builtin', op: spec.op, magic: spec.magic }, range, args, []),
    range,
  );
  return { value, refinements: RefinementSet.EMPTY };
}

// `x is None` / `x is not None`: static when one side is known to be None and the other never is;
// refines a variable compared against None inside the branches.
function emitIsCond(
  em: FunctionEmitter,
  left: Expr,
  lhsValue: Value | undefined,
  op: 'is' | 'is not',
  right: Expr,
  range: SourceRange,
): CondValue {
  const lhs = lhsValue ?? emitExpr(em, left);
  const rhs = emitExpr(em, right);
  const a = canBeNone(lhs);
  const b = canBeNone(rhs);
  const isIs = op === 'is';
  if (a === 'always' && b === 'always')
    return { value: em.constant(isIs, BoolType), refinements: RefinementSet.EMPTY, staticIf: isIs };
  if ((a === 'always' && b === 'never') || (a === 'never' && b === 'always')) {
    return { value: em.constant(!isIs, BoolType), refinements: RefinementSet.EMPTY, staticIf: !isIs };
  }
  const value = emitBuiltinCall(em, range, isIs ? 'aten::__is__' : 'aten::__isnot__', [
    { value: lhs },
    { value: rhs },
  ]);
  return { value, refinements: noneRefinements(left, lhs, right, rhs, isIs) };
}

function noneRefinements(left: Expr, lhs: Value, right: Expr, rhs: Value, isIs: boolean): RefinementSet {
  if (right.kind !== 'None' && left.kind === 'None') return noneRefinements(right, rhs, left, lhs, isIs);
  if (right.kind !== 'None' || left.kind !== 'Name') return RefinementSet.EMPTY;
  const type = lhs.type;
  if (type.kind !== 'Optional') return RefinementSet.EMPTY;
  const present = { name: left.id, type: (type as import('../../ir/types.js').OptionalType).elem };
  return isIs ? new RefinementSet([], [present]) : new RefinementSet([present], []);
}

/** An expression used as a condition: its bool value, refinements, and whether it is static. */
export function emitCondExpr(em: FunctionEmitter, expr: Expr): CondValue {
  switch (expr.kind) {
    case 'BoolOp': {
      const lhs = emitCondExpr(em, expr.left);
      return emitShortCircuit(em, expr.range, lhs, () => emitCondExpr(em, expr.right), expr.op === 'or');
    }
    case 'UnaryOp':
      if (expr.op === 'not') {
        const v = emitCondExpr(em, expr.operand);
        const value = emitBuiltinCall(em, expr.range, 'aten::__not__', [{ value: v.value }]);
        return {
          value,
          refinements: v.refinements.not(),
          staticIf: v.staticIf === undefined ? undefined : !v.staticIf,
        };
      }
      break;
    case 'Compare':
      return emitCompareCond(em, expr);
    case 'Call':
      if (expr.func.kind === 'Name' && (expr.func.id === 'isinstance' || expr.func.id === 'hasattr')) {
        return emitIsInstance(em, expr, expr.func.id);
      }
      break;
    default:
      break;
  }
  const value = emitToBool(em, expr.range, emitExpr(em, expr));
  let staticIf: boolean | undefined;
  if (value.node.kind === 'aten::is_scripting') staticIf = true;
  else if (value.node.kind === 'aten::has_torch_function') staticIf = false;
  const c = constantOf(value);
  if (c && typeof c.value === 'boolean') staticIf = c.value;
  return { value, refinements: RefinementSet.EMPTY, staticIf };
}

// A comparison chain `a < b < c` is `a < b and b < c`, with b evaluated once.
function emitCompareCond(em: FunctionEmitter, expr: Compare): CondValue {
  const [first, ...rest] = expr.comparisons;
  let cond = emitComparison(em, expr.left, undefined, first.op, first.right, expr.range);
  let prev = first.right;
  let prevValue: Value | undefined;
  for (const link of rest) {
    const left = prev;
    const leftValue = prevValue;
    cond = emitShortCircuit(
      em,
      expr.range,
      cond,
      () => {
        const c = emitComparison(em, left, leftValue, link.op, link.right, expr.range);
        return c;
      },
      false,
    );
    prev = link.right;
    prevValue = undefined;
  }
  return cond;
}

/** bool(v): the value itself when it is a bool. */
export function emitToBool(em: FunctionEmitter, range: SourceRange, v: Value): Value {
  const out = asValue(
    em,
    callSugared(
      em,
      { kind: 'cast', type: BoolType, op: 'aten::Bool', magic: '__bool__' },
      range,
      [{ value: v }],
      [],
    ),
    range,
  );
  if (out.type.kind !== 'bool')
    throw em.error(range, `expected a bool expression for condition but found ${out.type.str()}`);
  return out;
}
