// Calls to operators (PyTorch's emitBuiltinCall / tryMatchSchema): pick the overload through the operator
// table's matcher, then materialize every schema argument as an explicit node input, as PyTorch's IR has
// them (defaults become constants, scalars broadcast into int[N] lists, implicit conversions inserted).

import {
  ComplexType,
  DeviceType,
  FloatType,
  IntType,
  ListType,
  NumberType,
  OptionalType,
  SimpleType,
  TensorType,
  TupleType,
  type Type,
} from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { FunctionSchema } from '../../ops/schema.js';
import {
  isMatch,
  matchSchema,
  type ArgSource,
  type Conversion,
  type MatchFailure,
  type SchemaMatch,
} from '../../ops/schema-matching.js';

const NO_NAMES: readonly string[] = [];
import { substituteTypeVariables } from '../../ops/type-matching.js';
import type { SourceRange } from '../torchscript/ast.js';
import type { FunctionEmitter } from './function-emitter.js';
import { recordSchema } from './node-schemas.js';

/** A call argument: positional when `name` is undefined. */
export interface NamedValue {
  readonly name?: string;
  readonly value: Value;
}

/** The output type of each implicit-conversion op. */
const CONVERSION_TYPES: Readonly<Record<string, Type>> = {
  'aten::IntImplicit': IntType,
  'aten::FloatImplicit': FloatType,
  'aten::ComplexImplicit': ComplexType,
  'aten::ScalarImplicit': NumberType,
  'aten::Int': IntType,
  'aten::Float': FloatType,
  'aten::device': DeviceType,
};

/** aten::view.dtype is never chosen by the compiler: ScalarType and int look the same (PyTorch's blocklist). */
function blockListed(schema: FunctionSchema): boolean {
  return schema.name === 'aten::view' && schema.overloadName === 'dtype';
}

const schemaCache = new WeakMap<object, Map<string, FunctionSchema[]>>();

/** Overloads of `op` that a call can choose from (cached per operator table). */
export function candidateSchemas(em: FunctionEmitter, op: string): FunctionSchema[] {
  let byOp = schemaCache.get(em.registry);
  if (!byOp) schemaCache.set(em.registry, (byOp = new Map()));
  let list = byOp.get(op);
  if (!list) {
    list = em.registry
      .overloads(op)
      .map((e) => e.schema)
      .filter((s) => !blockListed(s));
    byOp.set(op, list);
  }
  return list;
}

/** The result of matching a call against a list of schemas: which one and how, or why not. */
export type CallMatch =
  | { readonly schema: FunctionSchema; readonly match: SchemaMatch }
  | { readonly failures: readonly MatchFailure[] };

/** The failures of a call, one line per overload (built only when the call fails). */
export function describeFailures(failures: readonly MatchFailure[]): string {
  return failures.map((f) => `${f.schema}\n    ${f.reason}`).join('\n  ');
}

/**
 * Matches positional `args` (with `self` first when bound) and `kwargs` against `schemas`, in PyTorch's
 * order: every schema without implicit conversions, then every schema with them (one schema: directly
 * with them).
 */
export function matchCall(
  schemas: readonly FunctionSchema[],
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
  self?: Value,
): CallMatch {
  const positional = self ? [{ value: self }, ...args] : args;
  const types = [...positional, ...kwargs].map((a) => a.value.type);
  const failures: MatchFailure[] = [];
  const rounds = schemas.length === 1 ? [true] : [false, true];
  for (const allowConversions of rounds) {
    failures.length = 0;
    for (const schema of schemas) {
      if (self && schema.arguments[0]?.name !== 'self') {
        failures.push({ schema, reason: "it has no 'self' argument to bind the method to" });
        continue;
      }
      const names = kwargs.length ? kwargs.map((k) => kwargName(schema, k.name ?? '')) : NO_NAMES;
      const m = matchSchema(schema, types, names, { allowConversions });
      if (isMatch(m)) return { schema, match: m };
      failures.push(m);
    }
  }
  return { failures };
}

// Matching depends only on the overloads and the argument types, and the same call shapes (`torch.add`
// of (Tensor, int), `x.size(int)`) recur in every method of every mangled copy of a class: successful
// matches are kept per overload list (candidateSchemas' cached arrays), keyed by the identity of the types
// when all are simple or tensor types (immutable; class types gain methods while loading).
const matchMemo = new WeakMap<readonly FunctionSchema[], Map<string, CallMatch>>();
const typeIds = new WeakMap<Type, number>();
let nextTypeId = 0;

function matchCallMemoized(
  schemas: readonly FunctionSchema[],
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
  self?: Value,
): CallMatch {
  let key = self ? `s${typeKey(self.type)}` : 'f';
  for (let i = 0; i < args.length && key !== ''; i++) key = appendTypeKey(key, args[i].value.type);
  for (let i = 0; i < kwargs.length && key !== ''; i++)
    key = appendTypeKey(`${key}|${kwargs[i].name ?? ''}`, kwargs[i].value.type);
  if (key === '' || key === 's') return matchCall(schemas, args, kwargs, self);
  let memo = matchMemo.get(schemas);
  if (!memo) matchMemo.set(schemas, (memo = new Map()));
  const known = memo.get(key);
  if (known) return known;
  const result = matchCall(schemas, args, kwargs, self);
  if ('schema' in result) memo.set(key, result);
  return result;
}

// '' for a type the memo does not key on.
function typeKey(type: Type): string {
  if (!(type instanceof SimpleType || type instanceof TensorType)) return '';
  let id = typeIds.get(type);
  if (id === undefined) typeIds.set(type, (id = nextTypeId++));
  return String(id);
}

function appendTypeKey(key: string, type: Type): string {
  const id = typeKey(type);
  return id === '' ? '' : `${key},${id}`;
}

// TorchScript accepts `input=` for an aten op's `self` (the functional spelling).
function kwargName(schema: FunctionSchema, name: string): string {
  if (
    name === 'input' &&
    schema.namespace === 'aten' &&
    schema.argumentIndex('input') < 0 &&
    schema.argumentIndex('self') >= 0
  ) {
    return 'self';
  }
  return name;
}

/** Creates the inputs of a matched call in schema order (conversions and defaults as nodes/constants). */
export function materializeInputs(
  em: FunctionEmitter,
  schema: FunctionSchema,
  match: SchemaMatch,
  all: readonly Value[],
): Value[] {
  const inputs: Value[] = [];
  match.args.forEach((source: ArgSource, i) => {
    const arg = schema.arguments[i];
    const concrete = substituteTypeVariables(arg.type, new Map(match.bindings));
    switch (source.kind) {
      case 'positional':
      case 'keyword':
        inputs.push(convert(em, all[source.index], source.conversion, concrete, arg.N));
        break;
      case 'varargs-list': {
        const list = unwrapOptional(concrete);
        const elem = list instanceof ListType ? list.elem : concrete;
        inputs.push(
          em
            .insert(
              'prim::ListConstruct',
              source.indices.map((k) => all[k]),
              [new ListType(elem)],
            )
            .output(),
        );
        break;
      }
      case 'default':
        inputs.push(em.constant(source.value, arg.defaultType ?? defaultTypeFor(source.value, concrete)));
        break;
    }
  });
  for (const k of match.varargs) inputs.push(all[k]);
  return inputs;
}

function defaultTypeFor(value: unknown, concrete: Type): Type | undefined {
  if (value === null) return undefined;
  return unwrapOptional(concrete);
}

function unwrapOptional(t: Type): Type {
  return t instanceof OptionalType ? t.elem : t;
}

/** Applies the conversion the matcher asked for (PyTorch's tryConvertToType). */
export function convert(
  em: FunctionEmitter,
  value: Value,
  conversion: Conversion | undefined,
  concrete: Type,
  n: number | null,
): Value {
  if (!conversion) return value;
  switch (conversion) {
    case 'broadcast-list': {
      const copies = new Array<Value>(n ?? 1).fill(value);
      return em.insert('prim::ListConstruct', copies, [new ListType(value.type)]).output();
    }
    case 'tuple-to-list': {
      const list = unwrapOptional(concrete);
      const elem = list instanceof ListType ? list.elem : value.type;
      return em.insert('prim::ListConstruct', tupleUnpack(em, value), [new ListType(elem)]).output();
    }
    default:
      return em.insert(conversion, [value], [CONVERSION_TYPES[conversion]]).output();
  }
}

/** The elements of a tuple value: the inputs of its TupleConstruct when visible, else a prim::TupleUnpack. */
export function tupleUnpack(em: FunctionEmitter, value: Value): Value[] {
  if (value.node.kind === 'prim::TupleConstruct') return [...value.node.inputs];
  const type = value.type;
  if (!(type instanceof TupleType)) return [value];
  return [...em.insert('prim::TupleUnpack', [value], type.elements).outputs];
}

/** Several outputs are returned as one tuple (PyTorch's packOutputs); one output as itself. */
export function packOutputs(em: FunctionEmitter, outputs: readonly Value[], type?: TupleType): Value {
  if (outputs.length === 1) return outputs[0];
  return em
    .insert('prim::TupleConstruct', outputs, [type ?? new TupleType(outputs.map((o) => o.type))])
    .output();
}

/**
 * Emits a call of operator `op` (`aten::add`), resolving the overload; `self` is bound first for method
 * syntax (`x.add(y)`). Throws a compile error listing the overloads when none matches.
 */
export function emitBuiltinCall(
  em: FunctionEmitter,
  range: SourceRange,
  op: string,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[] = [],
  self?: Value,
): Value {
  const schemas = candidateSchemas(em, op);
  const positional = self ? [{ value: self }, ...args] : args;
  if (schemas.length === 0) {
    const builtin = builtinFunction(em, range, op, positional, kwargs);
    if (builtin) return builtin;
    throw em.error(range, `unknown builtin op: ${op}`);
  }
  const result = matchCallMemoized(schemas, args, kwargs, self);
  if ('schema' in result) {
    const all = [...(self ? [self] : []), ...args.map((a) => a.value), ...kwargs.map((k) => k.value)];
    const inputs = materializeInputs(em, result.schema, result.match, all);
    const node = em.insert(op, inputs, result.match.returnTypes);
    recordSchema(node, result.schema);
    return packOutputs(em, node.outputs);
  }
  const fallback = builtinFunction(em, range, op, positional, kwargs);
  if (fallback) return fallback;
  const shown = [...(self ? [self] : []), ...args.map((a) => a.value)].map((v) => v.type.str());
  const named = kwargs.map((k) => `${k.name}=${k.value.type.str()}`);
  throw em.error(
    range,
    `arguments for call are not valid: no overload of ${op} accepts (${[...shown, ...named].join(', ')}). The following variants are available:\n  ${describeFailures(result.failures)}`,
  );
}

// PyTorch's builtin functions written in TorchScript (builtin_functions.cpp), inlined: tried after every
// operator overload fails (or when the name has none): `scalar op tensor`, tensor properties that are
// not operators, and `substring in string`.
function builtinFunction(
  em: FunctionEmitter,
  range: SourceRange,
  op: string,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value | undefined {
  const call = (name: string, xs: Value[]): Value =>
    emitBuiltinCall(
      em,
      range,
      name,
      xs.map((value) => ({ value })),
    );
  const [a, b] = args.map((x) => x.value);
  if (kwargs.length === 0 && args.length === 1 && a.type.kind === 'Tensor') {
    if (op === 'prim::shape') return call('aten::size', [a]);
    if (op === 'prim::ndim') return call('aten::dim', [a]);
    if (op === 'prim::T') return call('aten::numpy_T', [a]);
  }
  if (
    op === 'aten::__contains__' &&
    kwargs.length === 0 &&
    args.length === 2 &&
    a.type.kind === 'str' &&
    b.type.kind === 'str'
  ) {
    const found = call('aten::find', [a, b, em.constant(0), call('aten::len', [a])]);
    return call('aten::ne', [found, em.constant(-1)]);
  }
  return scalarTensorFallback(em, range, op, args, kwargs);
}

function scalarTensorFallback(
  em: FunctionEmitter,
  range: SourceRange,
  op: string,
  args: readonly NamedValue[],
  kwargs: readonly NamedValue[],
): Value | undefined {
  if (args.length !== 2 || kwargs.length) return undefined;
  const [a, b] = args.map((x) => x.value);
  const scalar = a.type.kind === 'int' || a.type.kind === 'float' || a.type.kind === 'complex';
  if (!scalar || b.type.kind !== 'Tensor') return undefined;
  const call = (name: string, xs: Value[]): Value =>
    emitBuiltinCall(
      em,
      range,
      name,
      xs.map((value) => ({ value })),
    );
  switch (op) {
    case 'aten::mul':
    case 'aten::add':
    case 'aten::ne':
    case 'aten::eq':
      return call(op, [b, a]);
    case 'aten::sub':
      return call('aten::add', [call('aten::neg', [b]), a]);
    case 'aten::div':
      return call('aten::mul', [call('aten::reciprocal', [b]), a]);
    default:
      return undefined;
  }
}
