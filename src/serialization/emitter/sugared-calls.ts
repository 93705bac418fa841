// Calls of sugared values (PyTorch's BuiltinFunction / CastValue / MethodValue / FunctionValue /
// NamedTupleConstructor / ClassValue / ExceptionValue ::call): operators, casts, methods (prim::CallMethod),
// free functions (prim::CallFunction), named tuples, classes and exception messages.

import { FunctionRef } from '../../ir/ivalue.js';
import { BoolType, FunctionType, NamedClassType, TupleType, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import type { Function } from '../../module/function.js';
import { InterfaceDecl } from '../../module/interface-decl.js';
import type { SourceRange } from '../torchscript/ast.js';
import { describeFailures, emitBuiltinCall, matchCall, materializeInputs, type NamedValue } from './calls.js';
import type { FunctionEmitter } from './function-emitter.js';
import { schemaOfSignature } from './signature.js';
import { describeSugared, simple, type Sugared } from './sugared.js';

/** Calls a sugared value (everything but the special forms, which need their argument expressions). */
export function callSugared(
  em: FunctionEmitter,
  sv: Sugared,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Sugared {
  switch (sv.kind) {
    case 'builtin':
      return simple(callBuiltin(em, sv.op, range, args, kwargs, sv.self, sv.magic));
    case 'cast':
      return simple(callCast(em, sv.type, sv.op, sv.magic, range, args, kwargs));
    case 'method':
      return simple(callMethod(em, sv.self, sv.name, range, args, kwargs));
    case 'function':
      return simple(callFunction(em, sv.fn, range, args, kwargs));
    case 'namedtuple':
      return simple(callNamedTuple(em, sv.type, range, args, kwargs));
    case 'class':
      return simple(callClass(em, sv.type, range, args, kwargs));
    case 'exception':
      return exceptionMessage(em, sv.name, range, args);
    case 'print':
      em.insert(
        'prim::Print',
        args.map((a) => a.value),
        [],
      );
      return simple(em.none());
    default:
      throw em.error(range, `${describeSugared(sv)} is not callable`);
  }
}

function callBuiltin(
  em: FunctionEmitter,
  op: string,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
  self: Value | undefined,
  magic: string | undefined,
): Value {
  if (magic?.startsWith('cast:') && self) {
    // x.float() is aten::to(x, dtype, non_blocking=False, copy=False)
    const dtype = em.constant(Number(magic.slice(5)));
    return emitBuiltinCall(
      em,
      range,
      op,
      [{ value: dtype }, { value: em.constant(false) }, { value: em.constant(false) }, ...args],
      kwargs,
      self,
    );
  }
  const first = args[0]?.value;
  if (magic && !self && first && first.type instanceof ClassType && first.type.hasMethod(magic)) {
    return callMethod(em, first, magic, range, args.slice(1), kwargs);
  }
  return emitBuiltinCall(em, range, op, args, kwargs, self);
}

// int(x), float(x), bool(x), str(x) (CastValue wrapped in a magic method).
function callCast(
  em: FunctionEmitter,
  type: Type,
  op: string,
  magic: string,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value {
  const first = args[0]?.value;
  if (args.length === 1 && kwargs.length === 0 && first) {
    if (first.type instanceof ClassType && first.type.hasMethod(magic))
      return callMethod(em, first, magic, range, [], []);
    if (first.type.equals(type)) return first;
    const container = first.type.kind === 'List' || first.type.kind === 'str' || first.type.kind === 'Dict';
    if (type === BoolType && container) {
      const len = emitBuiltinCall(em, range, 'aten::len', [{ value: first }]);
      return emitBuiltinCall(em, range, 'aten::gt', [{ value: len }, { value: em.constant(0) }]);
    }
  }
  return emitBuiltinCall(em, range, op, args, kwargs);
}

/** prim::CallMethod of a class or interface method, arguments matched against its signature. */
export function callMethod(
  em: FunctionEmitter,
  self: Value,
  name: string,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value {
  const type = self.type;
  let schema;
  if (type instanceof ClassType) {
    const fn = type.findMethod(name);
    if (!fn) throw em.error(range, `'${type.str()}' object has no method '${name}'`);
    em.host.ensureSignature?.(fn);
    schema = schemaOfSignature(fn.qualifiedName, type.getMethod(name).signature, true);
  } else if (type instanceof InterfaceDecl) {
    const m = type.getMethod(name);
    schema = schemaOfSignature(
      `${type.qualifiedName}.${name}`,
      { arguments: [{ name: 'self', type }, ...m.arguments], returns: m.returns },
      true,
    );
  } else {
    throw em.error(range, `cannot call method '${name}' on ${type.str()}`);
  }
  const matched = matchCall([schema], args, kwargs, self);
  if (!('schema' in matched))
    throw em.error(range, `invalid call of method '${name}':\n  ${describeFailures(matched.failures)}`);
  const inputs = materializeInputs(em, schema, matched.match, [
    self,
    ...args.map((a) => a.value),
    ...kwargs.map((k) => k.value),
  ]);
  const node = em.insert('prim::CallMethod', inputs, matched.match.returnTypes);
  node.setS('name', name);
  return node.outputs.length === 1 ? node.output() : em.none();
}

/** prim::CallFunction of a free function: a Function constant, then the matched arguments. */
export function callFunction(
  em: FunctionEmitter,
  fn: Function,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value {
  em.host.ensureSignature?.(fn);
  const schema = schemaOfSignature(fn.qualifiedName, fn.signature, false);
  const matched = matchCall([schema], args, kwargs);
  if (!('schema' in matched))
    throw em.error(
      range,
      `invalid call of function '${fn.qualifiedName}':\n  ${describeFailures(matched.failures)}`,
    );
  const inputs = materializeInputs(em, schema, matched.match, [
    ...args.map((a) => a.value),
    ...kwargs.map((k) => k.value),
  ]);
  const callee = em.constant(new FunctionRef(fn.qualifiedName), FunctionType);
  const node = em.insert('prim::CallFunction', [callee, ...inputs], matched.match.returnTypes);
  return node.outputs.length === 1 ? node.output() : em.none();
}

function callNamedTuple(
  em: FunctionEmitter,
  type: TupleType,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value {
  const names = type.names ?? [];
  const signature = {
    arguments: type.elements.map((t, i) => ({ name: names[i] ?? `_${i}`, type: t })),
    returns: [type],
  };
  const schema = schemaOfSignature(type.qualifiedName ?? 'NamedTuple', signature, false);
  const matched = matchCall([schema], args, kwargs);
  if (!('schema' in matched))
    throw em.error(
      range,
      `invalid arguments for ${type.qualifiedName}:\n  ${describeFailures(matched.failures)}`,
    );
  const inputs = materializeInputs(em, schema, matched.match, [
    ...args.map((a) => a.value),
    ...kwargs.map((k) => k.value),
  ]);
  return em.insert('prim::TupleConstruct', inputs, [type]).output();
}

function callClass(
  em: FunctionEmitter,
  type: NamedClassType,
  range: SourceRange,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value {
  if (!(type instanceof ClassType)) throw em.error(range, `cannot instantiate ${type.str()}`);
  const obj = em.insert('prim::CreateObject', [], [type]).output();
  callMethod(em, obj, '__init__', range, args, kwargs);
  return obj;
}

// AssertionError("x") → the message "AssertionError: x" (ExceptionValue::call).
function exceptionMessage(
  em: FunctionEmitter,
  name: string,
  range: SourceRange,
  args: readonly NamedValue[],
): Sugared {
  const short = name.startsWith('builtins.') ? name.slice('builtins.'.length) : name;
  let message = em.constant(`${short}: `);
  for (const a of args) {
    const text =
      a.value.type.kind === 'str' ? a.value : emitBuiltinCall(em, range, 'aten::str', [{ value: a.value }]);
    message = emitBuiltinCall(em, range, 'aten::add', [{ value: message }, { value: text }]);
  }
  return { kind: 'exception-message', message, name };
}
