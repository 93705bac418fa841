// What sugared values do when used, other than being called (sugared-calls.ts): attribute access
// (`self.lin`, `x.dtype`, `torch.add`, `CONSTANTS.c0`), attribute assignment, and conversion to plain values
// or tuples. Mirrors PyTorch's SimpleValue::attr / setAttr / asValue / asTuple in sugared_value.cpp.

import { ListType, TensorTensor, TupleType, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import { InterfaceDecl } from '../../module/interface-decl.js';
import { isSchemaSubtype } from '../../ops/type-matching.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { SourceRange } from '../torchscript/ast.js';
import { emitBuiltinCall, tupleUnpack } from './calls.js';
import type { FunctionEmitter } from './function-emitter.js';
import { describeSugared, simple, type Sugared } from './sugared.js';

// Tensor properties implemented as operators (sugared_value.cpp's builtin_properties).
const TENSOR_PROPERTIES: ReadonlyMap<string, string> = new Map([
  ...[
    'dtype',
    'device',
    'grad',
    'data',
    'shape',
    'is_cuda',
    'is_cpu',
    'is_xla',
    'is_xpu',
    'is_sparse',
    'is_sparse_csr',
    'is_mkldnn',
    'is_mps',
    'is_quantized',
    'is_vulkan',
    'is_ipu',
    'is_meta',
    'is_leaf',
    'is_nested',
    'requires_grad',
    'layout',
    'T',
    'H',
    'is_ort',
    'itemsize',
    'nbytes',
    'ndim',
    'name',
  ].map((p): [string, string] => [p, 'prim']),
  ...['mT', 'mH', 'real', 'imag', 'retains_grad'].map((p): [string, string] => [p, 'aten']),
]);

// `x.float()`-style casts (builtin_cast_method_to_scalar_type).
const CAST_METHODS: ReadonlyMap<string, DType> = new Map<string, DType>([
  ['byte', 'uint8'],
  ['char', 'int8'],
  ['double', 'float64'],
  ['float', 'float32'],
  ['int', 'int32'],
  ['long', 'int64'],
  ['short', 'int16'],
  ['half', 'float16'],
  ['bool', 'bool'],
]);

// `torch.float32` and friends: ScalarType ints (the Python frontend's spelling; saved code writes the int).
const DTYPE_NAMES: ReadonlyMap<string, DType> = new Map<string, DType>([
  ['float32', 'float32'],
  ['float', 'float32'],
  ['float64', 'float64'],
  ['double', 'float64'],
  ['float16', 'float16'],
  ['half', 'float16'],
  ['bfloat16', 'bfloat16'],
  ['int64', 'int64'],
  ['long', 'int64'],
  ['int32', 'int32'],
  ['int', 'int32'],
  ['int16', 'int16'],
  ['short', 'int16'],
  ['int8', 'int8'],
  ['uint8', 'uint8'],
  ['bool', 'bool'],
  ['complex64', 'complex64'],
  ['cfloat', 'complex64'],
  ['complex128', 'complex128'],
  ['cdouble', 'complex128'],
]);

/** `sv.field`. */
export function attr(em: FunctionEmitter, sv: Sugared, field: string, range: SourceRange): Sugared {
  switch (sv.kind) {
    case 'value':
      return valueAttr(em, sv.value, field, range);
    case 'module': {
      if (sv.ns === 'aten' && field === 'autograd') return sv;
      const dtype = sv.ns === 'aten' ? DTYPE_NAMES.get(field) : undefined;
      if (dtype) return simple(em.constant(DTYPES[dtype].scalarType));
      return { kind: 'builtin', op: `${sv.ns}::${field}` };
    }
    case 'ops':
      return { kind: 'module', ns: field };
    case 'namespace': {
      const name = `${sv.name}.${field}`;
      const type = em.host.resolveType(name);
      if (type instanceof TupleType && type.names) return { kind: 'namedtuple', type };
      return em.host.resolveValue(name) ?? { kind: 'namespace', name };
    }
    case 'constants':
      return simple(tableConstant(em, field, range));
    case 'exception':
      if (sv.name === 'builtins') return { kind: 'exception', name: `builtins.${field}` };
      break;
    case 'class':
      // Saved code builds objects as `X.__new__(X)` followed by `__init__` (ClassValue::attr).
      if (field === '__new__') return { kind: 'special', form: 'new' };
      break;
    default:
      break;
  }
  throw em.error(range, `'${describeSugared(sv)}' has no attribute '${field}'`);
}

function tableConstant(em: FunctionEmitter, field: string, range: SourceRange): Value {
  const match = /^c(\d+)$/.exec(field);
  if (!match) throw em.error(range, `invalid constant specifier: ${field}`);
  const index = Number(match[1]);
  const table = em.host.constants;
  if (index >= table.length) {
    throw em.error(
      range,
      `constant index ${index} is out of bounds (constant table has ${table.length} entries)`,
    );
  }
  // As PyTorch: a tensor constant's type is the plain Tensor type, not specialized to its shape.
  const { value, type } = table[index];
  return em.constant(value, value instanceof Tensor ? TensorTensor : type);
}

/** Attributes of a first-class value (SimpleValue::attr). */
export function valueAttr(em: FunctionEmitter, value: Value, field: string, range: SourceRange): Sugared {
  const type = value.type;
  if (type.kind === 'Tensor') {
    const cast = CAST_METHODS.get(field);
    if (cast)
      return { kind: 'builtin', op: 'aten::to', self: value, magic: `cast:${DTYPES[cast].scalarType}` };
    const ns = TENSOR_PROPERTIES.get(field);
    if (ns) return simple(emitBuiltinCall(em, range, `${ns}::${field}`, [{ value }]));
    if (field === 'tolist') return { kind: 'tolist', self: value };
  }
  if (type.kind === 'Device' && (field === 'type' || field === 'index')) {
    return simple(emitBuiltinCall(em, range, `prim::${field}`, [{ value }]));
  }
  if (type.kind === 'Optional' && field === 'unchecked_unwrap_optional') {
    return simple(emitBuiltinCall(em, range, 'prim::unchecked_unwrap_optional', [{ value }]));
  }
  if (type instanceof TupleType && type.names) {
    const index = type.names.indexOf(field);
    if (index >= 0) {
      const i = em.constant(index);
      return simple(em.insert('prim::TupleIndex', [value, i], [type.elements[index]]).output());
    }
  }
  if (type instanceof ClassType) {
    if (type.hasMethod(field)) return { kind: 'method', self: value, name: field };
    const a = type.findAttribute(field);
    if (a) {
      const node = em.insert('prim::GetAttr', [value], [a.type]);
      node.setS('name', field);
      return simple(node.output());
    }
    const c = type.findConstant(field);
    if (c) return simple(em.constant(c.value, c.type));
  } else if (type instanceof InterfaceDecl) {
    if (type.hasMethod(field)) return { kind: 'method', self: value, name: field };
  }
  const op = field === 'type' ? 'aten::to' : `aten::${field}`;
  if (em.registry.has(op)) return { kind: 'builtin', op, self: value };
  throw em.error(range, `'${type.str()}' object has no attribute or method '${field}'`);
}

/** `obj.field = value` on a class object (prim::SetAttr). */
export function setValueAttr(
  em: FunctionEmitter,
  obj: Value,
  field: string,
  value: Value,
  range: SourceRange,
): void {
  const type = obj.type;
  if (!(type instanceof ClassType))
    throw em.error(range, `tried to set an attribute '${field}' on a non-class ${type.str()}`);
  const a = type.findAttribute(field);
  if (!a)
    throw em.error(
      range,
      `tried to set nonexistent attribute: ${field}. Did you forget to initialize it in __init__()?`,
    );
  if (!isSchemaSubtype(value.type, a.type)) {
    throw em.error(
      range,
      `wrong type for attribute assignment. Expected ${a.type.str()} but got ${value.type.str()}`,
    );
  }
  em.insert('prim::SetAttr', [obj, value], []).setS('name', field);
}

/** The plain value of a sugared value (asValue). */
export function asValue(em: FunctionEmitter, sv: Sugared, range: SourceRange): Value {
  if (sv.kind === 'value') return sv.value;
  if (sv.kind === 'tuple') {
    const items = sv.items.map((i) => asValue(em, i, range));
    return em.insert('prim::TupleConstruct', items, [new TupleType(items.map((i) => i.type))]).output();
  }
  throw em.error(range, `${describeSugared(sv)} cannot be used as a value`);
}

/** The elements of a value being unpacked into `n` targets (asTuple). */
export function asTuple(em: FunctionEmitter, sv: Sugared, range: SourceRange, n?: number): Sugared[] {
  if (sv.kind === 'tuple') return [...sv.items];
  const value = asValue(em, sv, range);
  if (value.type instanceof TupleType) return tupleUnpack(em, value).map(simple);
  if (value.type instanceof ListType && n !== undefined) {
    const elem = value.type.elem;
    return em.insert('prim::ListUnpack', [value], new Array<Type>(n).fill(elem)).outputs.map(simple);
  }
  throw em.error(range, `${value.type.str()} cannot be used as a tuple`);
}
