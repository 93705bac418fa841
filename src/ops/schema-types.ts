// Types that occur only in operator schemas (SymInt, QScheme, AnyClassType, AnyEnumType, RRef), the
// "real" -> "fake" type mapping TorchScript matches with, and how schemas spell types.

import {
  DictType,
  FutureType,
  IntType,
  LayoutType,
  ListType,
  MemoryFormatType,
  NamedClassType,
  NoneType,
  OptionalType,
  ScalarTypeType,
  SimpleType,
  TupleType,
  UnionType,
  type Type,
} from '../ir/types.js';

/** `SymInt`: a symbolic int in PyTorch; TorchScript matches and runs it as `int`. */
export const SymIntType = new SimpleType('int', 'SymInt');

/** `QScheme`: a quantization scheme enum, an int at runtime. Only `aten::qscheme` returns it. */
export const QSchemeType = new SimpleType('int', 'QScheme');

/** `AnyClassType`: any TorchScript class (module or class instance). */
export class AnyClassTypeImpl extends NamedClassType {
  constructor() {
    super('AnyClassType');
  }
}
export const AnyClassType = new AnyClassTypeImpl();

/** `AnyEnumType`: any TorchScript enum. */
export class AnyEnumTypeImpl extends NamedClassType {
  override readonly kind = 'Enum' as const;
  constructor() {
    super('AnyEnumType');
  }
}
export const AnyEnumType = new AnyEnumTypeImpl();

/** `RRef(t)`: a distributed remote reference; an opaque object to tsfreeze. */
export class RRefType extends NamedClassType {
  constructor(readonly elem: Type) {
    super('RRef');
  }
  override str(): string {
    return `RRef(${this.elem.str()})`;
  }
  override containedTypes(): readonly Type[] {
    return [this.elem];
  }
  override equals(other: Type): boolean {
    return other instanceof RRefType && other.elem.equals(this.elem);
  }
}

/**
 * The type TorchScript matches an argument with (PyTorch's "fake" type): SymInt, ScalarType, Layout
 * and MemoryFormat are plain `int` at runtime. Structure is kept, so `SymInt[]?` becomes `int[]?`.
 */
export function fakeType(real: Type): Type {
  if (real === SymIntType || real === ScalarTypeType || real === LayoutType || real === MemoryFormatType) {
    return IntType;
  }
  if (real instanceof OptionalType)
    return rebuild(real, [real.elem], () => new OptionalType(fakeType(real.elem)));
  if (real instanceof ListType) return rebuild(real, [real.elem], () => new ListType(fakeType(real.elem)));
  if (real instanceof DictType) {
    return rebuild(
      real,
      [real.key, real.value],
      () => new DictType(fakeType(real.key), fakeType(real.value)),
    );
  }
  if (real instanceof TupleType && !real.names) {
    return rebuild(real, real.elements, () => new TupleType(real.elements.map(fakeType)));
  }
  if (real instanceof FutureType)
    return rebuild(real, [real.elem], () => new FutureType(fakeType(real.elem)));
  if (real instanceof RRefType) return rebuild(real, [real.elem], () => new RRefType(fakeType(real.elem)));
  if (real instanceof UnionType)
    return rebuild(real, real.members, () => new UnionType(real.members.map(fakeType)));
  return real;
}

// Keeps the original object when nothing inside changes, so identity comparisons stay cheap.
function rebuild(original: Type, parts: readonly Type[], make: () => Type): Type {
  return parts.every((p) => fakeType(p) === p) ? original : make();
}

/** How a schema string spells a type (no alias annotations, no fixed list size): `int[]?`, `Dict(str, t)`. */
export function schemaTypeStr(type: Type): string {
  if (type === NoneType) return 'NoneType';
  if (type instanceof OptionalType) return `${schemaTypeStr(type.elem)}?`;
  if (type instanceof ListType) return `${schemaTypeStr(type.elem)}[]`;
  if (type instanceof DictType) return `Dict(${schemaTypeStr(type.key)}, ${schemaTypeStr(type.value)})`;
  if (type instanceof TupleType && !type.names) return `(${type.elements.map(schemaTypeStr).join(', ')})`;
  if (type instanceof FutureType) return `Future(${schemaTypeStr(type.elem)})`;
  if (type instanceof RRefType) return `RRef(${schemaTypeStr(type.elem)})`;
  if (type instanceof UnionType) return `Union(${type.members.map(schemaTypeStr).join(', ')})`;
  if (type.kind === 'Tensor') return 'Tensor';
  return type.str();
}
