// Implicit conversions applied to assignments, returns and annotate() (PyTorch's tryConvertToType), and the
// static None analysis of `x is None` (canBeNone).

import { constantValue } from '../../ir/constants.js';
import {
  ComplexType,
  DeviceType,
  FloatType,
  IntType,
  ListType,
  NumberType,
  OptionalType,
  TupleType,
  type Type,
} from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { isSchemaSubtype } from '../../ops/type-matching.js';
import { tupleUnpack } from './calls.js';
import type { FunctionEmitter } from './function-emitter.js';

/** True if a tuple type's elements all fit the list's element type (or it already is such a list). */
export function convertibleToList(type: Type, list: Type): boolean {
  if (!(list instanceof ListType)) return false;
  if (isSchemaSubtype(type, list)) return true;
  return type instanceof TupleType && type.elements.every((e) => isSchemaSubtype(e, list.elem));
}

function unwrapOptional(t: Type): Type {
  return t instanceof OptionalType ? t.elem : t;
}

/** Converts `value` towards `concrete` where TorchScript does so implicitly; the caller checks the result type. */
export function tryConvertToType(
  em: FunctionEmitter,
  concrete: Type,
  value: Value,
  allowConversions: boolean,
): Value {
  if (
    concrete instanceof OptionalType &&
    !(value.type instanceof OptionalType) &&
    value.type.kind !== 'None'
  ) {
    return tryConvertToType(em, concrete.elem, value, allowConversions);
  }
  if (value.type instanceof TupleType) {
    const target = unwrapOptional(concrete);
    if (target instanceof ListType && convertibleToList(value.type, target)) {
      value = em.insert('prim::ListConstruct', tupleUnpack(em, value), [new ListType(target.elem)]).output();
    } else if (
      concrete instanceof TupleType &&
      !isSchemaSubtype(value.type, concrete) &&
      concrete.elements.length === value.type.elements.length
    ) {
      const parts = tupleUnpack(em, value).map((v, i) =>
        tryConvertToType(em, concrete.elements[i], v, allowConversions),
      );
      value = em.insert('prim::TupleConstruct', parts, [new TupleType(parts.map((p) => p.type))]).output();
    }
  }
  if (allowConversions) {
    const to = concrete.kind;
    if (value.type.kind === 'Tensor') {
      const op =
        to === 'float'
          ? 'aten::FloatImplicit'
          : to === 'complex'
            ? 'aten::ComplexImplicit'
            : to === 'int'
              ? 'aten::IntImplicit'
              : to === 'Number'
                ? 'aten::ScalarImplicit'
                : undefined;
      if (op)
        value = em
          .insert(
            op,
            [value],
            [
              to === 'float'
                ? FloatType
                : to === 'complex'
                  ? ComplexType
                  : to === 'int'
                    ? IntType
                    : NumberType,
            ],
          )
          .output();
    } else if (value.type.kind === 'Number') {
      const op =
        to === 'float'
          ? 'aten::Float'
          : to === 'complex'
            ? 'aten::Complex'
            : to === 'int'
              ? 'aten::Int'
              : undefined;
      if (op)
        value = em
          .insert(op, [value], [to === 'float' ? FloatType : to === 'complex' ? ComplexType : IntType])
          .output();
    }
    if (value.type.kind === 'str' && concrete.kind === 'Device') {
      return em.insert('aten::device', [value], [DeviceType]).output();
    }
  }
  return value;
}

/** Whether a value is None: always (a None constant), maybe (an Optional), or never. */
export type NoneStatus = 'always' | 'maybe' | 'never';

/** PyTorch's canBeNone, through Node::mustBeNone. */
export function canBeNone(v: Value): NoneStatus {
  const n = v.node;
  const mustBeNone =
    (n.outputs.length === 1 && v.type.kind === 'None') ||
    (n.kind === 'prim::Constant' && n.attributeNames().length === 0 && v.type instanceof OptionalType);
  if (mustBeNone) return 'always';
  return v.type instanceof OptionalType ? 'maybe' : 'never';
}

/** The constant a value holds, when a prim::Constant produces it. */
export function constantOf(v: Value): { value: ReturnType<typeof constantValue> } | undefined {
  return v.node.kind === 'prim::Constant' ? { value: constantValue(v.node) } : undefined;
}
