// Matching a call's argument types against one schema, as TorchScript's compiler does
// (torch/csrc/jit/frontend/schema_matching.cpp, read, not copied): positional then keyword arguments,
// defaults for the rest, broadcast of a scalar to `int[N]`, tuple -> list, type variables, and, only
// when allowed, the implicit conversions (Tensor -> int/float/Scalar, Scalar -> int/float, str -> Device).

import type { IValue } from '../ir/ivalue.js';
import { ListType, OptionalType, TupleType, type Type } from '../ir/types.js';
import type { Argument, FunctionSchema } from './schema.js';
import {
  hasTypeVariables,
  isSchemaSubtype,
  matchTypeVariables,
  substituteTypeVariables,
  tupleConvertsToList,
  type TypeEnv,
} from './type-matching.js';

/**
 * A conversion the caller must insert to pass an argument: a scalar repeated into an `int[N]`, a
 * homogeneous tuple turned into a list, or the op PyTorch inserts for an implicit conversion.
 */
export type Conversion =
  | 'broadcast-list'
  | 'tuple-to-list'
  | 'aten::IntImplicit'
  | 'aten::FloatImplicit'
  | 'aten::ComplexImplicit'
  | 'aten::ScalarImplicit'
  | 'aten::Int'
  | 'aten::Float'
  | 'aten::device';

/** Where the value of one schema argument comes from. `index` is into the caller's argument types. */
export type ArgSource =
  | { readonly kind: 'positional'; readonly index: number; readonly conversion?: Conversion }
  | { readonly kind: 'keyword'; readonly index: number; readonly conversion?: Conversion }
  /** Remaining positional arguments gathered into this list argument (`x.view(2, 3)` for `int[] size`). */
  | { readonly kind: 'varargs-list'; readonly indices: readonly number[] }
  | { readonly kind: 'default'; readonly value: IValue };

/** A successful match of a call against one schema. */
export interface SchemaMatch {
  readonly schema: FunctionSchema;
  /** One entry per schema argument, in schema order. */
  readonly args: readonly ArgSource[];
  /** Extra positional arguments taken by a vararg schema (`aten::format(str self, ...)`). */
  readonly varargs: readonly number[];
  /** Type variables as bound by the arguments. */
  readonly bindings: ReadonlyMap<string, Type>;
  /** Output types with type variables substituted (empty for `-> ...`). */
  readonly returnTypes: readonly Type[];
}

/** Why a schema did not match (for error messages listing every overload tried). */
export interface MatchFailure {
  readonly schema: FunctionSchema;
  readonly reason: string;
}

export interface MatchOptions {
  /** Allow PyTorch's implicit conversions (TorchScript tries every overload without them first). */
  readonly allowConversions?: boolean;
  /**
   * Match an IR node: every schema argument is given positionally (keyword-only ones too), no
   * defaults are filled in and no conversion is inserted.
   */
  readonly node?: boolean;
}

/** True if a match result is a success. */
export function isMatch(result: SchemaMatch | MatchFailure): result is SchemaMatch {
  return 'args' in result;
}

/**
 * Matches argument types against `schema`. The last `kwargNames.length` entries of `argTypes` are
 * keyword arguments with those names; the others are positional.
 */
export function matchSchema(
  schema: FunctionSchema,
  argTypes: readonly Type[],
  kwargNames: readonly string[] = [],
  options: MatchOptions = {},
): SchemaMatch | MatchFailure {
  const fail = (reason: string): MatchFailure => ({ schema, reason });
  const nPositional = argTypes.length - kwargNames.length;
  if (nPositional < 0) return fail('more keyword names than arguments');
  const conversions = (options.allowConversions ?? false) && !options.node;
  const env: TypeEnv = new Map();
  const args: ArgSource[] = [];
  const usedKwargs = new Set<number>();
  let next = 0;
  for (let i = 0; i < schema.arguments.length; i++) {
    const arg = schema.arguments[i];
    const positional = next < nPositional && (options.node || !arg.kwargOnly);
    if (positional) {
      if (conversions && varargsMayFormList(schema, i, argTypes[next])) {
        const indices = range(next, nPositional);
        const why = matchVarargsList(
          arg,
          indices.map((k) => argTypes[k]),
          env,
        );
        if (why) return fail(`argument '${arg.name}': ${why}`);
        args.push({ kind: 'varargs-list', indices });
        next = nPositional;
        continue;
      }
      const m = matchArgument(arg, argTypes[next], env, conversions, options.node ?? false);
      if (!m.ok) return fail(`argument '${arg.name}' (position ${next}): ${m.reason}`);
      const conversion = m.conversion;
      args.push(
        conversion ? { kind: 'positional', index: next, conversion } : { kind: 'positional', index: next },
      );
      next++;
      continue;
    }
    const k = options.node ? -1 : kwargNames.indexOf(arg.name);
    if (k >= 0) {
      const index = nPositional + k;
      const m = matchArgument(arg, argTypes[index], env, conversions, false);
      if (!m.ok) return fail(`argument '${arg.name}': ${m.reason}`);
      const conversion = m.conversion;
      args.push(conversion ? { kind: 'keyword', index, conversion } : { kind: 'keyword', index });
      usedKwargs.add(k);
      continue;
    }
    if (arg.hasDefault && !options.node) {
      args.push({ kind: 'default', value: arg.defaultValue ?? null });
      continue;
    }
    return fail(`argument '${arg.name}' is missing`);
  }
  const varargs = range(next, nPositional);
  if (varargs.length && !schema.isVararg) {
    return fail(`expected at most ${schema.arguments.length} positional arguments, got ${nPositional}`);
  }
  for (let k = 0; k < kwargNames.length; k++) {
    if (usedKwargs.has(k)) continue;
    const known = schema.argumentIndex(kwargNames[k]) >= 0;
    return fail(
      known
        ? `argument '${kwargNames[k]}' given both by position and by name`
        : `unknown keyword argument '${kwargNames[k]}'`,
    );
  }
  const returnTypes = schema.returns.map((r) => substituteTypeVariables(r.type, env));
  const unbound = returnTypes.find(hasTypeVariables);
  if (unbound) return fail(`cannot infer the type variables of return type ${unbound.str()}`);
  return { schema, args, varargs, bindings: env, returnTypes };
}

type ArgumentMatch =
  { readonly ok: true; readonly conversion?: Conversion } | { readonly ok: false; readonly reason: string };

/** Matches one argument: the conversion needed (if any), or the reason it does not match. */
function matchArgument(
  arg: Argument,
  actual: Type,
  env: TypeEnv,
  conversions: boolean,
  node: boolean,
): ArgumentMatch {
  const formal = arg.type;
  let type = actual;
  let conversion: Conversion | undefined;
  if (!node) {
    // `int[2] stride=1`: one int (or float for float[N]) stands for the whole list.
    const list = unwrap(formal);
    if (
      arg.N !== null &&
      list instanceof ListType &&
      (type.kind === 'int' || type.kind === 'float') &&
      list.elem.kind === type.kind
    ) {
      type = new ListType(type);
      conversion = 'broadcast-list';
    }
    // A T passed for T? is converted as to T.
    const target =
      formal instanceof OptionalType && type.kind !== 'None' && !(type instanceof OptionalType)
        ? formal.elem
        : formal;
    if (!conversion && type instanceof TupleType && target instanceof ListType) {
      const asList = tupleConvertsToList(type, target);
      if (asList) {
        type = asList;
        conversion = 'tuple-to-list';
      }
    }
    if (!conversion && conversions) {
      conversion = implicitConversion(type, target);
      if (conversion) type = target;
    }
  }
  const why = matchTypeVariables(formal, type, env);
  if (why) return { ok: false, reason: why };
  const concrete = substituteTypeVariables(formal, env);
  if (!isSchemaSubtype(type, concrete))
    return { ok: false, reason: `expected ${concrete.str()}, got ${actual.str()}` };
  return { ok: true, conversion };
}

// The implicit conversions TorchScript applies in its second matching round.
function implicitConversion(actual: Type, target: Type): Conversion | undefined {
  const to = target.kind;
  switch (actual.kind) {
    case 'Tensor':
      if (to === 'int') return 'aten::IntImplicit';
      if (to === 'float') return 'aten::FloatImplicit';
      if (to === 'complex') return 'aten::ComplexImplicit';
      if (to === 'Number') return 'aten::ScalarImplicit';
      return undefined;
    case 'Number':
      if (to === 'int') return 'aten::Int';
      if (to === 'float') return 'aten::Float';
      return undefined;
    case 'bool':
      if (to === 'float') return 'aten::Float';
      if (to === 'int' || to === 'Number') return 'aten::Int';
      return undefined;
    case 'str':
      return to === 'Device' ? 'aten::device' : undefined;
    default:
      return undefined;
  }
}

// PyTorch gathers trailing positional arguments into the last positional list argument
// (`x.view(2, 3)`), unless that argument is a broadcasting list or a list of a type variable.
function varargsMayFormList(schema: FunctionSchema, i: number, first: Type): boolean {
  const arg = schema.arguments[i];
  const isLast = i + 1 === schema.arguments.length || schema.arguments[i + 1].kwargOnly;
  // PyTorch checks the formal itself: an optional list (`int[]? output_size`) never gathers varargs.
  const list = arg.type;
  if (!isLast || !(list instanceof ListType) || arg.N !== null || hasTypeVariables(list.elem)) return false;
  return !(first instanceof ListType) && !(first instanceof TupleType && tupleConvertsToList(first, list));
}

function matchVarargsList(arg: Argument, types: readonly Type[], env: TypeEnv): string | undefined {
  const elem = (unwrap(arg.type) as ListType).elem;
  for (const t of types) {
    const why = matchTypeVariables(elem, t, env);
    if (why) return why;
    if (!isSchemaSubtype(t, substituteTypeVariables(elem, env)))
      return `expected ${elem.str()} elements, got ${t.str()}`;
  }
  return undefined;
}

function unwrap(t: Type): Type {
  return t instanceof OptionalType ? t.elem : t;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
