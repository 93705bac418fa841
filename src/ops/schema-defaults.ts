// Default values of schema arguments: `=1`, `=1.0000000000000001e-05`, `=None`, `="valid"`, `=[0, 0]`,
// `int[2] stride=1` (broadcast to [1, 1]), `=contiguous_format`, `=Mean`. Read against the argument's type.

import { normalizeInt, type IValue } from '../ir/ivalue.js';
import {
  BoolType,
  ComplexType,
  FloatType,
  IntType,
  ListType,
  NoneType,
  OptionalType,
  StringType,
  type Type,
} from '../ir/types.js';
import type { Token } from './schema-lexer.js';

/** Names native_functions.yaml uses for int-valued defaults (ScalarType, Layout, MemoryFormat, Reduction). */
const INT_NAMES: ReadonlyMap<string, number> = new Map([
  // c10::ScalarType values.
  ['byte', 0],
  ['char', 1],
  ['short', 2],
  ['int', 3],
  ['long', 4],
  ['half', 5],
  ['float', 6],
  ['double', 7],
  ['complex', 9],
  ['bool', 11],
  // c10::Layout.
  ['strided', 0],
  ['sparse_coo', 1],
  // c10::MemoryFormat.
  ['contiguous_format', 0],
  ['preserve_format', 1],
  ['channels_last', 2],
  ['channels_last_3d', 3],
  // at::Reduction.
  ['Mean', 1],
  ['Sum', 2],
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type DefaultResult =
  | { readonly ok: true; readonly value: IValue; readonly type: Type; readonly next: number }
  | { readonly ok: false; readonly at: number; readonly reason: string };

type Scalar = { value: IValue; type: Type } | string;

/**
 * Reads the default starting at token `index` for an argument of (matching) type `type` with fixed
 * list size `N`. Returns the value, the type of the literal, and the index of the next token.
 */
export function parseDefault(
  tokens: readonly Token[],
  index: number,
  type: Type,
  N: number | null,
): DefaultResult {
  const tok = tokens[index];
  if (tok.kind === 'ident' && tok.text === 'None') {
    if (!acceptsNone(type))
      return { ok: false, at: index, reason: `None is not a valid default for type ${type.str()}` };
    return { ok: true, value: null, type: NoneType, next: index + 1 };
  }
  const base = type instanceof OptionalType ? type.elem : type;
  if (!(base instanceof ListType)) {
    const scalar = parseScalar(tok, base);
    if (typeof scalar === 'string') return { ok: false, at: index, reason: scalar };
    return { ok: true, value: scalar.value, type: scalar.type, next: index + 1 };
  }
  if (tok.kind === 'punct' && tok.text === '[') return parseList(tokens, index, base);
  // `int[2] stride=1` means [1, 1].
  if (N === null) return { ok: false, at: index, reason: `expected a list default for type ${type.str()}` };
  const scalar = parseScalar(tok, base.elem);
  if (typeof scalar === 'string') return { ok: false, at: index, reason: scalar };
  return {
    ok: true,
    value: new Array<IValue>(N).fill(scalar.value),
    type: new ListType(scalar.type),
    next: index + 1,
  };
}

function parseList(tokens: readonly Token[], index: number, list: ListType): DefaultResult {
  const values: IValue[] = [];
  let elemType: Type = defaultLiteralType(list.elem);
  let i = index + 1;
  const isPunct = (t: Token, p: string): boolean => t.kind === 'punct' && t.text === p;
  if (isPunct(tokens[i], ']')) return { ok: true, value: values, type: new ListType(elemType), next: i + 1 };
  for (;;) {
    const scalar = parseScalar(tokens[i], list.elem);
    if (typeof scalar === 'string') return { ok: false, at: i, reason: scalar };
    values.push(scalar.value);
    elemType = scalar.type;
    i++;
    if (isPunct(tokens[i], ']'))
      return { ok: true, value: values, type: new ListType(elemType), next: i + 1 };
    if (!isPunct(tokens[i], ','))
      return { ok: false, at: i, reason: "expected ',' or ']' in a list default" };
    i++;
  }
}

function acceptsNone(type: Type): boolean {
  return type instanceof OptionalType || type.kind === 'None' || type.kind === 'Any' || type.kind === 'Var';
}

// The literal type an empty list default gets: the element type, with Scalar reading as int.
function defaultLiteralType(elem: Type): Type {
  return elem.kind === 'float'
    ? FloatType
    : elem.kind === 'complex'
      ? ComplexType
      : elem.kind === 'bool'
        ? BoolType
        : elem.kind === 'str'
          ? StringType
          : IntType;
}

// One literal for a (non-list) type; a string result is the reason it is not valid.
function parseScalar(tok: Token, type: Type): Scalar {
  const kind = type instanceof OptionalType ? type.elem.kind : type.kind;
  const generic = kind === 'Any' || kind === 'Var';
  switch (tok.kind) {
    case 'number': {
      const isFloatText = /[.eE]/.test(tok.text);
      if (kind === 'float') return { value: Number(tok.text), type: FloatType };
      if (kind === 'complex') return { value: Number(tok.text), type: ComplexType };
      if (kind === 'int' || ((kind === 'Number' || generic) && !isFloatText)) {
        if (isFloatText) return `expected an int default for type ${type.str()}, found '${tok.text}'`;
        const big = BigInt(tok.text);
        if (big < INT64_MIN || big > INT64_MAX) return `int default '${tok.text}' is out of the int64 range`;
        return { value: normalizeInt(big), type: IntType };
      }
      if (kind === 'Number' || generic) return { value: Number(tok.text), type: FloatType };
      return `a number is not a valid default for type ${type.str()}`;
    }
    case 'string':
      if (kind === 'str' || generic) return { value: tok.text, type: StringType };
      return `a string is not a valid default for type ${type.str()}`;
    case 'ident': {
      if (tok.text === 'True' || tok.text === 'False') {
        if (kind === 'bool' || generic) return { value: tok.text === 'True', type: BoolType };
        return `${tok.text} is not a valid default for type ${type.str()}`;
      }
      const named = INT_NAMES.get(tok.text);
      if (named !== undefined && kind === 'int') return { value: named, type: IntType };
      return `unknown default value '${tok.text}' for type ${type.str()}`;
    }
    case 'eof':
      return 'expected a default value, found end of schema';
    default:
      return `unexpected '${tok.text}' in a default value`;
  }
}
