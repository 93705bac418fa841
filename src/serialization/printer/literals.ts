// Constant values as TorchScript source literals, the way PyTorch's IValue::repr writes them for the
// printer: `1.`, `0.10000000000000001`, `"s"`, `(1,)`, `annotate(List[int], [])`, `torch.device("cpu")`,
// with tensors, objects and non-ASCII strings sent to the CONSTANTS table.

import { UnsupportedError } from '../../errors.js';
import { Device, FunctionRef, Tuple, intToString, isObjectValue, type IValue } from '../../ir/ivalue.js';
import { formatDouble, quoteString } from '../../ir/text/index.js';
import {
  AnyType,
  BoolType,
  DictType,
  FloatType,
  IntType,
  ListType,
  NoneType,
  StringType,
  TensorTensor,
  TupleType,
  type Type,
} from '../../ir/types.js';
import { Tensor } from '../../tensor/tensor.js';
import type { ConstantTable } from './constant-table.js';

/**
 * False when a list/dict of this element type must be wrapped in `annotate(...)` because the members
 * alone do not say it (Optional, Union, Number, interfaces, Any), as PyTorch decides.
 */
export function elementTypeCanBeInferredFromMembers(elem: Type): boolean {
  return !['Optional', 'Union', 'Number', 'Interface', 'Any'].includes(elem.kind);
}

/** The type of a value when nothing declares it (ints and floats told apart by whether they are whole). */
export function typeOfValue(value: IValue): Type {
  if (value === null) return NoneType;
  if (typeof value === 'boolean') return BoolType;
  if (typeof value === 'bigint') return IntType;
  if (typeof value === 'number') return Number.isInteger(value) ? IntType : FloatType;
  if (typeof value === 'string') return StringType;
  if (value instanceof Tensor) return TensorTensor;
  if (value instanceof Tuple) return value.type ?? new TupleType(value.items.map(typeOfValue));
  if (Array.isArray(value)) return new ListType(value.length ? typeOfValue(value[0]) : AnyType);
  if (value instanceof Map) {
    const first = value.entries().next();
    return first.done
      ? new DictType(StringType, AnyType)
      : new DictType(typeOfValue(first.value[0]), typeOfValue(first.value[1]));
  }
  if (isObjectValue(value)) return value.type;
  return AnyType;
}

// The declared type when it says something, else what the value shows.
function refine(declared: Type | undefined, value: IValue): Type {
  if (!declared) return typeOfValue(value);
  if (
    declared.kind === 'Optional' ||
    declared.kind === 'Union' ||
    declared.kind === 'Any' ||
    declared.kind === 'Number'
  ) {
    return value === null ? NoneType : typeOfValue(value);
  }
  return declared;
}

/** True when a string has a character outside ASCII (PyTorch moves such strings to the CONSTANTS table). */
function hasNonAscii(value: IValue): boolean {
  if (typeof value === 'string') return /[^\x00-\x7f]/.test(value);
  if (value instanceof Tuple) return value.items.some(hasNonAscii);
  if (Array.isArray(value)) return value.some(hasNonAscii);
  if (value instanceof Map) for (const [k, v] of value) if (hasNonAscii(k) || hasNonAscii(v)) return true;
  return false;
}

/**
 * A string literal with non-ASCII characters written as they are (UTF-8 in the file) and everything else
 * escaped as {@link quoteString} does; torch.jit.load reads it back exactly.
 */
export function quoteStringKeepingNonAscii(s: string): string {
  const parts = s.match(/[\x00-\x7f]+|[^\x00-\x7f]+/g) ?? [];
  return `"${parts.map((p) => (p.charCodeAt(0) < 0x80 ? quoteString(p).slice(1, -1) : p)).join('')}"`;
}

/**
 * Source text of a constant `value` of type `type`. Tensors, objects and values holding non-ASCII
 * strings become `CONSTANTS.cN`, added to `table` — the strings only without `nonAsciiLiterals`, which
 * writes them as UTF-8 literals instead. Throws UNSUPPORTED for values source cannot express.
 */
export function formatConstant(
  value: IValue,
  type: Type | undefined,
  table: ConstantTable,
  nonAsciiLiterals = false,
): string {
  const t = refine(type, value);
  if (
    value instanceof Tensor ||
    (value !== null && isObjectValue(value)) ||
    (!nonAsciiLiterals && hasNonAscii(value))
  ) {
    return `CONSTANTS.c${table.indexOf(value, t)}`;
  }
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return t.kind === 'float' ? formatDouble(Number(value)) : value.toString();
  if (typeof value === 'number')
    return t.kind === 'float' || !Number.isInteger(value) ? formatDouble(value) : intToString(value);
  if (typeof value === 'string')
    return nonAsciiLiterals ? quoteStringKeepingNonAscii(value) : quoteString(value);
  if (value instanceof Device) return `torch.device(${quoteString(value.toString())})`;
  if (value instanceof Tuple) {
    const elems = t instanceof TupleType ? t.elements : [];
    const items = value.items.map((v, i) => formatConstant(v, elems[i], table, nonAsciiLiterals));
    // A named tuple prints its constructor, then the tuple.
    const prefix = t instanceof TupleType && t.qualifiedName ? t.annotationStr() : '';
    return `${prefix}(${items.join(', ')}${items.length === 1 ? ',)' : ')'}`;
  }
  if (Array.isArray(value)) {
    const listType = t instanceof ListType ? t : new ListType(value.length ? typeOfValue(value[0]) : AnyType);
    const body = `[${value.map((v) => formatConstant(v, listType.elem, table, nonAsciiLiterals)).join(', ')}]`;
    if (value.length === 0 || !elementTypeCanBeInferredFromMembers(listType.elem)) {
      return `annotate(${listType.annotationStr()}, ${body})`;
    }
    return body;
  }
  if (value instanceof Map) {
    const dictType = t instanceof DictType ? t : (typeOfValue(value) as DictType);
    const entries = [...value].map(
      ([k, v]) =>
        `${formatConstant(k, dictType.key, table, nonAsciiLiterals)}: ${formatConstant(v, dictType.value, table, nonAsciiLiterals)}`,
    );
    const body = `{${entries.join(', ')}}`;
    // PyTorch writes no space after this comma.
    if (value.size === 0 || !elementTypeCanBeInferredFromMembers(dictType.value)) {
      return `annotate(${dictType.annotationStr()},${body})`;
    }
    return body;
  }
  if (value instanceof FunctionRef) return value.qualifiedName;
  throw new UnsupportedError(`cannot write a constant of type ${t.str()} as TorchScript source`);
}
