// Builtins whose arguments are not plain values (PyTorch's emitApplySpecialForm): annotate, unchecked_cast,
// uninitialized, isinstance, hasattr, getattr, range, enumerate, zip, list, dict, tuple and fork.

import {
  BoolType,
  DictType,
  IntType,
  ListType,
  OptionalType,
  TensorTensor,
  TupleType,
  UnionType,
  type Type,
} from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import { isSchemaSubtype } from '../../ops/type-matching.js';
import type { Call, Expr } from '../torchscript/ast.js';
import { exprToType } from '../torchscript/parse-type.js';
import { emitBuiltinCall } from './calls.js';
import { emitFork } from './closures.js';
import { tryConvertToType } from './conversions.js';
import { emitExpr, emitSugaredExpr } from './expressions.js';
import { RefinementSet, type CondValue } from './frames.js';
import type { FunctionEmitter } from './function-emitter.js';
import { INT64_MAX, iterOf, staticLength } from './iterables.js';
import { asTuple, asValue, attr } from './sugared-ops.js';
import { describeSugared, simple, type SpecialForm, type Sugared } from './sugared.js';

function expectArgs(em: FunctionEmitter, call: Call, name: string, n: number): void {
  if (call.args.length !== n)
    throw em.error(call.range, `${name} expected exactly ${n} arguments but found ${call.args.length}`);
  if (call.keywords.length) throw em.error(call.range, `${name} takes no keyword arguments`);
}

function typeArg(em: FunctionEmitter, expr: Expr): Type {
  return em.resolveType(exprToType(expr, em.text));
}

/** Emits a call of a special form. */
export function emitSpecialForm(em: FunctionEmitter, form: SpecialForm, call: Call, hint?: Type): Sugared {
  switch (form) {
    case 'annotate': {
      expectArgs(em, call, 'annotate', 2);
      const type = typeArg(em, call.args[0]);
      let value = tryConvertToType(em, type, emitExpr(em, call.args[1], type), true);
      if (!isSchemaSubtype(value.type, type)) {
        throw em.error(
          call.args[1].range,
          `expected an expression of type ${type.str()} but found ${value.type.str()}`,
        );
      }
      // annotate(Optional[T], None) keeps T: a None constant typed Optional[T].
      if (type instanceof OptionalType && value.type.kind === 'None') value = em.none(type);
      return simple(value);
    }
    case 'unchecked_cast': {
      expectArgs(em, call, 'unchecked_cast', 2);
      const type = typeArg(em, call.args[0]);
      const v = emitExpr(em, call.args[1]);
      // Serialized code already carries the casts: do not stack a second identical one.
      if (v.node.kind === 'prim::unchecked_cast' && v.type.equals(type)) return simple(v);
      return simple(em.insert('prim::unchecked_cast', [v], [type]).output());
    }
    case 'uninitialized': {
      expectArgs(em, call, 'uninitialized', 1);
      return simple(em.insert('prim::Uninitialized', [], [typeArg(em, call.args[0])]).output());
    }
    case 'isinstance':
    case 'hasattr':
      return simple(emitIsInstance(em, call, form).value);
    case 'getattr': {
      expectArgs(em, call, 'getattr', 2);
      const obj = emitSugaredExpr(em, call.args[0], 1);
      const name = call.args[1];
      if (name.kind !== 'String')
        throw em.error(call.range, "getattr's second argument must be a string literal");
      return attr(em, obj, name.value, call.range);
    }
    case 'new': {
      expectArgs(em, call, '__new__', 1);
      const cls = emitSugaredExpr(em, call.args[0], 1);
      if (cls.kind !== 'class' || !(cls.type instanceof ClassType))
        throw em.error(
          call.args[0].range,
          `expected a class as the argument of __new__, got ${describeSugared(cls)}`,
        );
      return simple(em.insert('prim::CreateObject', [], [cls.type]).output());
    }
    case 'range': {
      const inputs = call.args.map((a) => emitExpr(em, a));
      return rangeOf(em, call, inputs);
    }
    case 'enumerate': {
      if (call.args.length < 1 || call.args.length > 2)
        throw em.error(call.range, `enumerate expected 1 or 2 arguments, got ${call.args.length}`);
      const start = call.args.length === 2 ? emitExpr(em, call.args[1]) : undefined;
      const end = em.constant(INT64_MAX, IntType);
      const iterable = iterOf(em, emitSugaredExpr(em, call.args[0], 1), call.range);
      const counter = rangeOf(em, call, start ? [start, end] : [end], staticLength(iterable));
      return { kind: 'tree', children: [counter, iterable] };
    }
    case 'zip': {
      if (call.args.length === 0) throw em.error(call.range, 'zip expected at least 1 arguments, got 0');
      return {
        kind: 'tree',
        children: call.args.map((a) => iterOf(em, emitSugaredExpr(em, a, 1), call.range)),
      };
    }
    case 'list':
      return emitListForm(em, call, hint);
    case 'dict':
      return emitDictForm(em, call, hint);
    case 'tuple': {
      expectArgs(em, call, 'tuple', 1);
      const items = asTuple(em, emitSugaredExpr(em, call.args[0], 1), call.range).map((s) =>
        asValue(em, s, call.range),
      );
      return simple(
        em.insert('prim::TupleConstruct', items, [new TupleType(items.map((i) => i.type))]).output(),
      );
    }
    case 'fork':
      return emitFork(em, call);
  }
}

/** range(end) / range(start, end[, step]): all ints (RangeValue). */
function rangeOf(em: FunctionEmitter, call: Call, inputs: Value[], staticLen?: number): Sugared {
  inputs.forEach((v, i) => {
    if (v.type.kind !== 'int')
      throw em.error(call.range, `all inputs of range must be ints, found ${v.type.str()} in argument ${i}`);
  });
  if (inputs.length === 0) throw em.error(call.range, 'range expected at least 1 arguments, got 0');
  if (inputs.length > 3)
    throw em.error(call.range, `range expected at most 3 arguments, got ${inputs.length}`);
  if (inputs.length === 1) {
    const start = em.constant(0, IntType);
    const step = em.constant(1, IntType);
    return { kind: 'range', start, end: inputs[0], step, onlyEnd: true, staticLen };
  }
  const step = inputs.length === 3 ? inputs[2] : em.constant(1, IntType);
  return { kind: 'range', start: inputs[0], end: inputs[1], step, onlyEnd: false, staticLen };
}

// list(), list(xs) for lists and strings (aten::list); other iterables would need a comprehension.
function emitListForm(em: FunctionEmitter, call: Call, hint?: Type): Sugared {
  if (call.args.length === 0) {
    const type = hint ?? new ListType(TensorTensor);
    if (!(type instanceof ListType))
      throw em.error(call.range, `expected a List type annotation for list(), found ${type.str()}`);
    return simple(em.insert('prim::ListConstruct', [], [type]).output());
  }
  expectArgs(em, call, 'list', 1);
  const input = emitSugaredExpr(em, call.args[0], 1);
  if (input.kind === 'value' && (input.value.type instanceof ListType || input.value.type.kind === 'str')) {
    return simple(emitBuiltinCall(em, call.range, 'aten::list', [{ value: input.value }]));
  }
  throw em.unsupported(call.range, 'list() over this kind of iterable');
}

function emitDictForm(em: FunctionEmitter, call: Call, hint?: Type): Sugared {
  if (call.args.length === 0 && call.keywords.length === 0) {
    const type = hint instanceof DictType ? hint : undefined;
    if (!type) throw em.unsupported(call.range, 'dict() without a Dict type annotation');
    return simple(em.insert('prim::DictConstruct', [], [type]).output());
  }
  if (call.args.length === 1 && call.keywords.length === 0) {
    const input = emitSugaredExpr(em, call.args[0], 1);
    if (input.kind === 'value' && input.value.type instanceof DictType) {
      return simple(emitBuiltinCall(em, call.range, 'aten::dict', [{ value: input.value }]));
    }
  }
  throw em.unsupported(call.range, 'dict() over this kind of argument');
}

/** isinstance(x, T) / hasattr(obj, "name") as a condition: static when the types decide it. */
export function emitIsInstance(em: FunctionEmitter, call: Call, form: 'isinstance' | 'hasattr'): CondValue {
  expectArgs(em, call, form, 2);
  if (form === 'hasattr') {
    const obj = emitSugaredExpr(em, call.args[0], 1);
    const name = call.args[1];
    if (name.kind !== 'String')
      throw em.error(call.range, "hasattr's second argument must be a string literal");
    const t = obj.kind === 'value' ? obj.value.type : undefined;
    const has =
      t instanceof ClassType &&
      (t.hasAttribute(name.value) || t.hasMethod(name.value) || t.hasConstant(name.value));
    return { value: em.constant(has, BoolType), refinements: RefinementSet.EMPTY, staticIf: has };
  }
  const types: Type[] = [];
  const gather = (e: Expr): void => {
    if (e.kind === 'Tuple') e.elements.forEach(gather);
    else types.push(typeArg(em, e));
  };
  gather(call.args[1]);
  const obj = call.args[0];
  const val = emitExpr(em, obj);
  let refinements = RefinementSet.EMPTY;
  if (types.length === 1 && isSchemaSubtype(types[0], val.type) && obj.kind === 'Name') {
    refinements = new RefinementSet([{ name: obj.id, type: types[0] }], []);
  }
  if (types.some((t) => isSchemaSubtype(val.type, t)))
    return { value: em.constant(true, BoolType), refinements, staticIf: true };
  const maybeOfKind = (kind: string): boolean =>
    val.type.kind === 'Any' || (val.type instanceof OptionalType && val.type.elem.kind === kind);
  // A member of a Union may be the type (Union[Tensor, List[Tensor]] against `list`).
  const unionMayBe = (t: Type): boolean =>
    val.type instanceof UnionType &&
    val.type.members.some((m) => isSchemaSubtype(m, t) || isSchemaSubtype(t, m));
  const staticallyFalse = types.every(
    (t) =>
      !isSchemaSubtype(t, val.type) &&
      !unionMayBe(t) &&
      !(t.kind === 'List' && maybeOfKind('List')) &&
      !(t.kind === 'Tuple' && maybeOfKind('Tuple')),
  );
  if (staticallyFalse) return { value: em.constant(false, BoolType), refinements, staticIf: false };
  const node = em.insert('prim::isinstance', [val], [BoolType]);
  node.setAttribute('types', { kind: 'tys', value: types });
  return { value: node.output(), refinements };
}

// Element kinds of prim::tolist's third input, as PyTorch's tolist encodes them.
const TOLIST_ELEMENTS: Readonly<Record<string, number>> = { int: 0, float: 1, bool: 2 };

/**
 * `annotate(List[List[float]], x.tolist())` is prim::tolist(x, dims, element kind) with the annotated
 * type as its output (PyTorch's emitApplySpecialForm for prim::tolist); without the annotation the result
 * type is unknown, as in PyTorch.
 */
export function emitToList(em: FunctionEmitter, self: Value, call: Call, hint?: Type): Value {
  if (call.args.length || call.keywords.length) throw em.error(call.range, 'tolist() takes no arguments');
  if (!hint) throw em.error(call.range, 'tolist() needs a type annotation: annotate(List[...], x.tolist())');
  let dims = 0;
  let elem: Type = hint;
  while (elem instanceof ListType) {
    dims++;
    elem = elem.elem;
  }
  const kind = TOLIST_ELEMENTS[elem.kind];
  if (dims === 0 || kind === undefined)
    throw em.error(call.range, `tolist() gives lists of int, float or bool, not ${hint.str()}`);
  return em.insert('prim::tolist', [self, em.constant(dims), em.constant(kind)], [hint]).output();
}
