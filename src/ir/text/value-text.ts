// Attribute values in IR text, both ways: ints, doubles (PyTorch's `1.` / %.17g), quoted strings, lists,
// tuples, dicts, devices, types and tensors, printed as PyTorch's Node::printAttrValue and IValue's << do.

import { formatGeneral } from '../../tensor/numfmt.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Attribute } from '../attributes.js';
import {
  Device,
  FunctionRef,
  Tuple,
  intToString,
  isObjectValue,
  normalizeInt,
  type DictKey,
  type IValue,
} from '../ivalue.js';
import { DictType, ListType, OptionalType, TupleType, type Type } from '../types.js';
import { quoteString, type Lexer } from './lexer.js';
import {
  atTensorLiteral,
  formatTensorText,
  isPlaceholder,
  markPlaceholder,
  readTensorLiteral,
  type TensorStyle,
} from './tensor-text.js';
import type { TypeParser } from './type-parser.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A double as PyTorch prints it: integral values below 1e10 as `1.` / `-0.`, non-finite as `inf`,
 * `-inf`, `nan`, everything else with 17 significant digits (`0.10000000000000001`, `1e+20`).
 */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e10) return Object.is(v, -0) ? '-0.' : `${v}.`;
  return formatGeneral(v, 17);
}

// PyTorch prints an integral double >= 1e10 without a '.', so `f` attributes read back as `i`; the
// lossless style adds the '.' (`10000000000.`), which PyTorch's own parser reads as a double too.
function formatDoubleUnambiguous(v: number): string {
  const s = formatDouble(v);
  return /^-?\d+$/.test(s) ? `${s}.` : s;
}

/** Reads a number token as a double (`1.`, `1e+20`, `inf`, `-nan`). */
export function parseDouble(text: string): number {
  const body = text.startsWith('-') ? text.slice(1) : text;
  const sign = text.startsWith('-') ? -1 : 1;
  if (body === 'inf') return sign * Infinity;
  if (body === 'nan') return NaN;
  return Number(text);
}

function isFloatText(text: string): boolean {
  return /[.eE]|inf|nan/.test(text);
}

// ---- printing ------------------------------------------------------------------------------------

/** Prints one attribute's value. `type` (a prim::Constant's output type) decides int vs float in ivals. */
export function formatAttribute(attr: Attribute, style: TensorStyle, type?: Type): string {
  switch (attr.kind) {
    case 'i':
      return intToString(attr.value);
    case 'f':
      return style === 'lossless' ? formatDoubleUnambiguous(attr.value) : formatDouble(attr.value);
    case 's':
      return quoteString(attr.value);
    case 't':
      return formatTensorText(attr.value, style);
    case 'ty':
      return attr.value.str();
    case 'is':
      return `[${attr.value.map(intToString).join(', ')}]`;
    case 'fs':
      return `[${attr.value.map(style === 'lossless' ? formatDoubleUnambiguous : formatDouble).join(', ')}]`;
    case 'ss':
      return `[${attr.value.map(quoteString).join(', ')}]`;
    case 'tys':
      return `[${attr.value.map((t) => t.str()).join(', ')}]`;
    case 'ts':
      return formatTensorList(attr.value, style);
    case 'ival':
      if (
        Array.isArray(attr.value) &&
        (isTensorListType(type) || (attr.value.length > 0 && attr.value.every((x) => x instanceof Tensor)))
      ) {
        return formatTensorList(attr.value as Tensor[], style);
      }
      return formatIValue(attr.value, type, style);
  }
}

// PyTorch prints every tensor-list attribute as `[<Tensors>]`; the lossless style lists them.
function formatTensorList(list: readonly Tensor[], style: TensorStyle): string {
  if (style === 'pytorch' || isPlaceholder(list)) return '[<Tensors>]';
  return `[${list.map((t) => formatTensorText(t, style)).join(', ')}]`;
}

function isTensorListType(type: Type | undefined): boolean {
  return type instanceof ListType && type.elem.kind === 'Tensor';
}

/** Prints a runtime value as PyTorch's IValue printer does (`(1, 2.)`, `[True]`, `{"a": 1}`, `None`). */
export function formatIValue(v: IValue, type: Type | undefined, style: TensorStyle): string {
  const t = type instanceof OptionalType ? type.elem : type;
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (t?.kind === 'float' || (t?.kind !== 'int' && !Number.isInteger(v))) return formatDouble(v);
    return String(v);
  }
  if (typeof v === 'string') return quoteString(v);
  if (v instanceof Tensor) return formatTensorText(v, style);
  if (v instanceof Device) return `torch.device(${quoteString(v.toString())})`;
  if (v instanceof FunctionRef) return quoteString(v.qualifiedName);
  if (v instanceof Tuple) {
    const types = t instanceof TupleType ? t.elements : (v.type?.elements ?? []);
    const items = v.items.map((x, i) => formatIValue(x, types[i], style));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (Array.isArray(v)) {
    const elem = t instanceof ListType ? t.elem : undefined;
    return `[${v.map((x) => formatIValue(x, elem, style)).join(', ')}]`;
  }
  if (v instanceof Map) {
    const kt = t instanceof DictType ? t.key : undefined;
    const vt = t instanceof DictType ? t.value : undefined;
    const items = [...v].map(([k, x]) => `${formatIValue(k, kt, style)}: ${formatIValue(x, vt, style)}`);
    return `{${items.join(', ')}}`;
  }
  if (isObjectValue(v)) return `<${v.type.str()} object>`;
  return '<unknown>';
}

// ---- parsing -------------------------------------------------------------------------------------

/** What the value parser needs: the lexer, a type parser (for tensor<...> and ty values) and the tensor forms accepted. */
export interface ValueContext {
  readonly lx: Lexer;
  readonly types: TypeParser;
  readonly accept: TensorStyle | 'any';
}

/**
 * Reads a runtime value, guided by `type` when known: a prim::Constant's output type says whether
 * `1` is an int, a float or a bool, what `[]` holds, and the shape of `{0.5}` and `<Tensor>`.
 */
export function parseIValue(cx: ValueContext, type: Type | undefined): IValue {
  return cx.lx.nested(() => parseIValueAt(cx, type));
}

function parseIValueAt(cx: ValueContext, type: Type | undefined): IValue {
  const lx = cx.lx;
  const t = type instanceof OptionalType ? type.elem : type;
  // PyTorch's tensor table may start with spaces (` 0.5 -1.2 [ CPUFloatType{2} ]`): look before skipping.
  if (atTensorLiteral(lx)) return readTensorLiteral(lx, cx.types, t, cx.accept);
  lx.skipSpaces();
  const start = lx.pos;
  if (atTensorLiteral(lx)) return readTensorLiteral(lx, cx.types, t, cx.accept);
  const c = lx.peek();
  if (c === 0x22) {
    const s = lx.readString();
    return t?.kind === 'Device' ? Device.parse(s) : s;
  }
  if (c === 0x28) {
    lx.pos++;
    const types = t instanceof TupleType ? t.elements : [];
    const items = sequence(cx, ')', (i) => parseIValue(cx, types[i]), true);
    return new Tuple(items, t instanceof TupleType && t.names ? t : undefined);
  }
  if (c === 0x5b) {
    if (lx.eat('[<Tensors>]')) {
      if (cx.accept === 'lossless')
        throw lx.error(`[<Tensors>] has no values; tensorStyle 'lossless' needs them`, start);
      return markPlaceholder<IValue[]>([]);
    }
    lx.pos++;
    const elem = t instanceof ListType ? t.elem : undefined;
    return sequence(cx, ']', () => parseIValue(cx, elem), false);
  }
  if (c === 0x7b) {
    lx.pos++;
    const kt = t instanceof DictType ? t.key : undefined;
    const vt = t instanceof DictType ? t.value : undefined;
    const map = new Map<DictKey, IValue>();
    sequence(
      cx,
      '}',
      () => {
        const k = parseIValue(cx, kt);
        if (k === null || (typeof k === 'object' && !(k instanceof Tensor)))
          throw lx.error('a dict key must be a str, int, float, bool or Tensor', start);
        lx.expect(':', "':' after a dict key");
        map.set(k, parseIValue(cx, vt));
        return null;
      },
      false,
    );
    return map;
  }
  if (lx.eat('torch.device(')) {
    lx.skipSpaces();
    if (lx.peek() !== 0x22) throw lx.error(`expected a quoted device name${lx.found()}`);
    const d = Device.parse(lx.readString());
    lx.expect(')', "')' closing torch.device(");
    return d;
  }
  const num = lx.readNumber();
  if (num !== undefined) return numberValue(lx, num, start, t);
  const word = lx.readIdent();
  if (word === 'None') return null;
  if (word === 'True' || word === 'False') return word === 'True';
  lx.pos = start;
  throw lx.error(`bad attribute value${lx.found()}`);
}

function numberValue(lx: Lexer, text: string, at: number, t: Type | undefined): IValue {
  const kind = t?.kind;
  if (kind === 'float' || (kind !== 'int' && kind !== 'bool' && isFloatText(text))) return parseDouble(text);
  if (isFloatText(text)) throw lx.error(`expected an integer for type ${t!.str()}, found '${text}'`, at);
  const n = parseInt64(lx, text, at);
  if (kind === 'bool') {
    if (n !== 0 && n !== 1) throw lx.error(`a bool constant is 0 or 1, found ${text}`, at);
    return n === 1;
  }
  return n;
}

/** Parses a decimal integer token into int64 (a number, or a bigint beyond 2^53). */
export function parseInt64(lx: Lexer, text: string, at: number): number | bigint {
  const b = BigInt(text);
  if (b < INT64_MIN || b > INT64_MAX) throw lx.error(`integer ${text} is out of the int64 range`, at);
  return normalizeInt(b);
}

// Comma-separated items up to `close` (the opening bracket already consumed); tuples may end in `,`.
function sequence<T>(cx: ValueContext, close: string, item: (i: number) => T, trailingComma: boolean): T[] {
  const lx = cx.lx;
  const out: T[] = [];
  // Items skip their own leading spaces (a tensor table item starts with them).
  const atClose = (): boolean => {
    const save = lx.pos;
    lx.skipSpaces();
    if (lx.eat(close)) return true;
    lx.pos = save;
    return false;
  };
  if (atClose()) return out;
  for (;;) {
    out.push(item(out.length));
    lx.skipSpaces();
    if (lx.eat(close)) return out;
    if (!lx.eat(',')) throw lx.error(`expected ',' or '${close}'${lx.found()}`);
    if (trailingComma && atClose()) return out;
  }
}

/**
 * Reads a non-constant node's attribute by its syntax alone (no type to guide it): `1` is i, `1.` is f,
 * `"s"` is s, tensors are t, `[1, 2]` is, `[1.]` fs, `["a"]` ss, `[<Tensors>]` ts, `[int]` tys,
 * a bare type is ty, anything else (tuples, dicts, None, True) an ival.
 */
export function parseAttribute(cx: ValueContext): Attribute {
  const lx = cx.lx;
  if (atTensorLiteral(lx)) return { kind: 't', value: readTensorLiteral(lx, cx.types, undefined, cx.accept) };
  lx.skipSpaces();
  const start = lx.pos;
  if (atTensorLiteral(lx)) return { kind: 't', value: readTensorLiteral(lx, cx.types, undefined, cx.accept) };
  const c = lx.peek();
  if (c === 0x22) return { kind: 's', value: lx.readString() };
  const num = lx.readNumber();
  if (num !== undefined) {
    return isFloatText(num)
      ? { kind: 'f', value: parseDouble(num) }
      : { kind: 'i', value: parseInt64(lx, num, start) };
  }
  if (c === 0x5b) {
    if (lx.lookingAt('[<Tensors>]')) {
      lx.pos += '[<Tensors>]'.length;
      return { kind: 'ts', value: markPlaceholder<Tensor[]>([]) };
    }
    lx.pos++;
    if (looksLikeType(lx)) return { kind: 'tys', value: sequence(cx, ']', () => cx.types.parse(), false) };
    lx.pos = start;
    const list = parseIValue(cx, undefined) as IValue[];
    if (list.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
      // One float spelling makes it a float list: `[0., 10000000000000000]` is two doubles.
      if (!/[.eE]|inf|nan/.test(lx.text.slice(start, lx.pos)))
        return { kind: 'is', value: list as (number | bigint)[] };
      return { kind: 'fs', value: list.map(Number) };
    }
    if (list.length > 0 && list.every((x) => typeof x === 'string'))
      return { kind: 'ss', value: list as string[] };
    if (list.length > 0 && list.every((x) => x instanceof Tensor))
      return { kind: 'ts', value: list as Tensor[] };
    return { kind: 'ival', value: list };
  }
  if (looksLikeType(lx)) return { kind: 'ty', value: cx.types.parse() };
  return { kind: 'ival', value: parseIValue(cx, undefined) };
}

// A type, or a tuple type: `(Tensor, int)` is a type, `(1, "a")` a value; the first item decides. Does not move.
function looksLikeType(lx: Lexer): boolean {
  const start = lx.pos;
  lx.skipSpaces();
  while (lx.peek() === 0x28) {
    lx.pos++;
    lx.skipSpaces();
  }
  const type = isTypeStart(lx);
  lx.pos = start;
  return type;
}

// A letter that does not start a value keyword: the attribute is a type (`int`, `Tensor?`, `__torch__.M`).
function isTypeStart(lx: Lexer): boolean {
  const c = lx.peek();
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  if (!letter) return false;
  return !/^(?:(?:None|True|False|inf|nan)(?![\w.])|torch\.device\(|tensor<)/.test(
    lx.text.slice(lx.pos, lx.pos + 16),
  );
}

/** Why `value` cannot be a prim::Constant of `type`, or undefined when it can. */
export function constantMismatch(value: IValue, type: Type): string | undefined {
  const t = type instanceof OptionalType ? type.elem : type;
  const ok = ((): boolean => {
    switch (t.kind) {
      case 'int':
      case 'Layout':
      case 'ScalarType':
      case 'MemoryFormat':
        return typeof value === 'number' || typeof value === 'bigint';
      case 'float':
        return typeof value === 'number';
      case 'Number':
        return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
      case 'bool':
        return typeof value === 'boolean';
      case 'str':
        return typeof value === 'string';
      case 'Device':
        return value instanceof Device;
      case 'Tensor':
        return value instanceof Tensor;
      case 'List':
        return Array.isArray(value);
      case 'Tuple':
        return value instanceof Tuple;
      case 'Dict':
        return value instanceof Map;
      case 'None':
        return value === null;
      default:
        return true;
    }
  })();
  if (ok) return undefined;
  const shown =
    value === null
      ? 'None'
      : value instanceof Tensor
        ? 'a tensor'
        : typeof value === 'object'
          ? 'a compound value'
          : `'${String(value)}'`;
  return `${shown} is not a constant of type ${type.str()}`;
}
