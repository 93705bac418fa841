// The TorchScript type system: what a Value holds. Printing follows PyTorch's IR (`Float(2, 3, ...)`,
// `int?`, `Dict(str, Tensor)`) and its Python annotations (`Optional[int]`) for code.

import { dtypeFromIrName, DTYPES, type DType } from '../tensor/dtype.js';

/** Kinds of types that carry parameters (element types, a tensor's details, a name); the rest are SimpleTypes. */
type ParameterizedKind =
  | 'Tensor'
  | 'Optional'
  | 'List'
  | 'Dict'
  | 'Tuple'
  | 'Union'
  | 'Future'
  | 'Class'
  | 'Interface'
  | 'Enum'
  | 'Var';

/** Every kind of type tsfreeze knows. */
export type TypeKind =
  | ParameterizedKind
  | 'Any'
  | 'AnyList'
  | 'AnyTuple'
  | 'int'
  | 'float'
  | 'complex'
  | 'bool'
  | 'str'
  | 'None'
  | 'Device'
  | 'Number'
  | 'Layout'
  | 'ScalarType'
  | 'MemoryFormat'
  | 'Generator'
  | 'Storage'
  | 'Stream'
  | 'Function'
  | 'Capsule';

// Types are immutable, so the text of a composite type is made once: equals, overload matching and
// printing read it constantly. (A side table, not a field: types stay plain values for deep equality.)
const texts = new WeakMap<Type, string>();
function remember(type: Type, text: string): string {
  texts.set(type, text);
  return text;
}

/** Base of all types. Types are immutable values; compare with `equals`. */
export abstract class Type {
  abstract readonly kind: TypeKind;
  /** How PyTorch's IR printer shows it: `Tensor`, `int[]`, `(int, str)`. */
  abstract str(): string;
  /** How TorchScript source writes it: `List[int]`, `Optional[Tensor]`. */
  annotationStr(): string {
    return this.str();
  }
  /** Contained types (for Optional, List, Dict, Tuple, Union, Future). */
  containedTypes(): readonly Type[] {
    return [];
  }
  equals(other: Type): boolean {
    return this === other || (this.kind === other.kind && this.str() === other.str());
  }
  toString(): string {
    return this.str();
  }
}

/** A type with no parameters, shown by a fixed name. */
export class SimpleType extends Type {
  constructor(
    readonly kind: Exclude<TypeKind, ParameterizedKind>,
    private readonly irName: string,
    private readonly annotation: string = irName,
  ) {
    super();
  }
  str(): string {
    return this.irName;
  }
  override annotationStr(): string {
    return this.annotation;
  }
}

export const AnyType = new SimpleType('Any', 'Any');
export const IntType = new SimpleType('int', 'int');
export const FloatType = new SimpleType('float', 'float');
export const ComplexType = new SimpleType('complex', 'complex');
export const BoolType = new SimpleType('bool', 'bool');
export const StringType = new SimpleType('str', 'str');
export const NoneType = new SimpleType('None', 'NoneType');
export const DeviceType = new SimpleType('Device', 'Device');
/** `Scalar` in schemas, `number` in source: int, float or complex. */
export const NumberType = new SimpleType('Number', 'Scalar', 'number');
export const LayoutType = new SimpleType('Layout', 'Layout');
export const ScalarTypeType = new SimpleType('ScalarType', 'ScalarType');
export const MemoryFormatType = new SimpleType('MemoryFormat', 'MemoryFormat');
export const GeneratorType = new SimpleType('Generator', 'Generator');
export const StorageType = new SimpleType('Storage', 'Storage');
export const StreamType = new SimpleType('Stream', 'Stream');
export const FunctionType = new SimpleType('Function', 'Function');
export const CapsuleType = new SimpleType('Capsule', 'Capsule');
/** `list` of `isinstance(x, list)` (PyTorch's AnyListType): a list of any element type. */
export const AnyListType = new SimpleType('AnyList', 'list');
/** `tuple` of `isinstance(x, tuple)` (PyTorch's AnyTupleType): a tuple of any element types. */
export const AnyTupleType = new SimpleType('AnyTuple', 'tuple');

/** What a Tensor type may know about its value; every field optional, as in PyTorch's complete types. */
export interface TensorTypeInfo {
  readonly dtype?: DType;
  readonly sizes?: readonly (number | null)[];
  readonly strides?: readonly (number | null)[];
  readonly device?: string;
  readonly requiresGrad?: boolean;
}

/** `Tensor`, or a refined `Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)`. */
export class TensorType extends Type {
  readonly kind = 'Tensor' as const;
  constructor(readonly info: TensorTypeInfo = {}) {
    super();
  }
  /** True for plain `Tensor` with nothing refined. */
  get isUnrefined(): boolean {
    const i = this.info;
    return (
      i.dtype === undefined &&
      i.sizes === undefined &&
      i.strides === undefined &&
      i.device === undefined &&
      i.requiresGrad === undefined
    );
  }
  /** The unrefined `Tensor` type (what matching and code printing use). */
  unrefined(): TensorType {
    return TensorTensor;
  }
  str(): string {
    return texts.get(this) ?? remember(this, this.render());
  }
  private render(): string {
    const i = this.info;
    if (this.isUnrefined) return 'Tensor';
    // As PyTorch's operator<<(TensorType): a dtype with unknown rank prints `FloatTensor`; strides only
    // when complete and the rank is > 0; requires_grad/device in parentheses even without sizes.
    const head = i.dtype ? DTYPES[i.dtype].irName + (i.sizes ? '' : 'Tensor') : 'Tensor';
    const parts: string[] = [];
    if (i.sizes) {
      const sizes = i.sizes.map((s) => (s === null ? '*' : String(s))).join(', ');
      const strides = i.strides;
      const fullStrides =
        strides &&
        i.sizes.length > 0 &&
        strides.length === i.sizes.length &&
        strides.every((s) => s !== null);
      parts.push(fullStrides ? `${sizes}, strides=[${strides.join(', ')}]` : sizes);
    }
    if (i.requiresGrad !== undefined) parts.push(`requires_grad=${i.requiresGrad ? 1 : 0}`);
    if (i.device !== undefined) parts.push(`device=${i.device}`);
    if (!i.sizes && parts.length === 0) return head;
    return `${head}(${parts.filter((p) => p !== '').join(', ')})`;
  }
  override annotationStr(): string {
    return 'Tensor';
  }
  override equals(other: Type): boolean {
    return other instanceof TensorType && this.str() === other.str();
  }
}
export const TensorTensor = new TensorType();

/** Maps an IR dtype head (`Float`) to a dtype, for the type parser. */
export function tensorDtypeFromHead(head: string): DType | undefined {
  return dtypeFromIrName(head);
}

/** A type over one element type; subclasses say how IR text and annotations wrap the element. */
export abstract class ElementType extends Type {
  constructor(readonly elem: Type) {
    super();
  }
  /** The IR text of this type around the element's IR text. */
  protected abstract wrapIr(elem: string): string;
  /** The annotation of this type around the element's annotation. */
  protected abstract wrapAnnotation(elem: string): string;
  str(): string {
    return texts.get(this) ?? remember(this, this.wrapIr(this.elem.str()));
  }
  override annotationStr(): string {
    return this.wrapAnnotation(this.elem.annotationStr());
  }
  override containedTypes(): readonly Type[] {
    return [this.elem];
  }
}

/** `T?` / `Optional[T]`. */
export class OptionalType extends ElementType {
  readonly kind = 'Optional' as const;
  protected wrapIr(elem: string): string {
    return `${elem}?`;
  }
  protected wrapAnnotation(elem: string): string {
    return `Optional[${elem}]`;
  }
}

/** `T[]` / `List[T]`. */
export class ListType extends ElementType {
  readonly kind = 'List' as const;
  protected wrapIr(elem: string): string {
    return `${elem}[]`;
  }
  protected wrapAnnotation(elem: string): string {
    return `List[${elem}]`;
  }
}

/** `Dict(K, V)` / `Dict[K, V]`. */
export class DictType extends Type {
  readonly kind = 'Dict' as const;
  constructor(
    readonly key: Type,
    readonly value: Type,
  ) {
    super();
  }
  str(): string {
    return texts.get(this) ?? remember(this, `Dict(${this.key.str()}, ${this.value.str()})`);
  }
  override annotationStr(): string {
    return `Dict[${this.key.annotationStr()}, ${this.value.annotationStr()}]`;
  }
  override containedTypes(): readonly Type[] {
    return [this.key, this.value];
  }
}

/** `(A, B)` / `Tuple[A, B]`; a named tuple prints as `NamedTuple(a : A, b : B)`. */
export class TupleType extends Type {
  readonly kind = 'Tuple' as const;
  constructor(
    readonly elements: readonly Type[],
    /** Field names of a NamedTuple. */
    readonly names?: readonly string[],
    /** Qualified name of a NamedTuple class, when known. */
    readonly qualifiedName?: string,
  ) {
    super();
  }
  str(): string {
    return texts.get(this) ?? remember(this, this.render());
  }
  private render(): string {
    if (this.names) {
      return `NamedTuple(${this.elements.map((e, i) => `${this.names![i]} : ${e.str()}`).join(', ')})`;
    }
    return `(${this.elements.map((e) => e.str()).join(', ')})`;
  }
  override annotationStr(): string {
    if (this.qualifiedName) return this.qualifiedName;
    if (this.elements.length === 0) return 'Tuple[()]';
    return `Tuple[${this.elements.map((e) => e.annotationStr()).join(', ')}]`;
  }
  override containedTypes(): readonly Type[] {
    return this.elements;
  }
}

/** `Union(A, B)` / `Union[A, B]`. */
export class UnionType extends Type {
  readonly kind = 'Union' as const;
  constructor(readonly members: readonly Type[]) {
    super();
  }
  str(): string {
    return texts.get(this) ?? remember(this, `Union(${this.members.map((m) => m.str()).join(', ')})`);
  }
  override annotationStr(): string {
    return `Union[${this.members.map((m) => m.annotationStr()).join(', ')}]`;
  }
  override containedTypes(): readonly Type[] {
    return this.members;
  }
}

/** `Future[T]` (PyTorch's IR prints Future with brackets, unlike Dict and Union). */
export class FutureType extends ElementType {
  readonly kind = 'Future' as const;
  protected wrapIr(elem: string): string {
    return `Future[${elem}]`;
  }
  protected wrapAnnotation(elem: string): string {
    return `Future[${elem}]`;
  }
}

/** A type variable of a schema (`t`, `t1`): matches anything, bound during overload resolution. */
export class VarType extends Type {
  readonly kind = 'Var' as const;
  constructor(readonly name: string) {
    super();
  }
  str(): string {
    return this.name;
  }
}

/**
 * A named class type (`__torch__.foo.Bar`). The IR knows only its name; the module layer
 * (src/module/class-type.ts) subclasses it with attributes and methods.
 */
export class NamedClassType extends Type {
  readonly kind: 'Class' | 'Interface' | 'Enum' = 'Class';
  constructor(readonly qualifiedName: string) {
    super();
  }
  str(): string {
    return this.qualifiedName;
  }
  override equals(other: Type): boolean {
    return (
      this === other ||
      (other instanceof NamedClassType &&
        other.kind === this.kind &&
        other.qualifiedName === this.qualifiedName)
    );
  }
}

/** `InterfaceType<Name>` in IR text; an interface declared with @torch.jit.interface. */
export class InterfaceType extends NamedClassType {
  override readonly kind = 'Interface' as const;
  override str(): string {
    return `InterfaceType<${this.qualifiedName.split('.').pop()}>`;
  }
  override annotationStr(): string {
    return this.qualifiedName;
  }
}

/** Whether a value of type `sub` may be used where `sup` is expected (PyTorch's isSubtypeOf, simplified). */
export function isSubtypeOf(sub: Type, sup: Type): boolean {
  if (sup.kind === 'Any' || sup.kind === 'Var') return true;
  if (sub.equals(sup)) return true;
  switch (sup.kind) {
    case 'Tensor':
      return sub.kind === 'Tensor';
    case 'Number':
      return sub.kind === 'int' || sub.kind === 'float' || sub.kind === 'complex' || sub.kind === 'Number';
    case 'Optional':
      return (
        sub.kind === 'None' ||
        isSubtypeOf(sub instanceof OptionalType ? sub.elem : sub, (sup as OptionalType).elem)
      );
    case 'Union':
      return (sup as UnionType).members.some((m) => isSubtypeOf(sub, m));
    case 'List':
      return sub instanceof ListType && isInvariantMatch(sub.elem, (sup as ListType).elem);
    case 'Dict':
      return (
        sub instanceof DictType &&
        isInvariantMatch(sub.key, (sup as DictType).key) &&
        isInvariantMatch(sub.value, (sup as DictType).value)
      );
    case 'Tuple': {
      const s = sup as TupleType;
      return (
        sub instanceof TupleType &&
        sub.elements.length === s.elements.length &&
        sub.elements.every((e, i) => isSubtypeOf(e, s.elements[i]))
      );
    }
    case 'AnyList':
      return sub.kind === 'List';
    case 'AnyTuple':
      return sub.kind === 'Tuple';
    case 'Interface':
      // Structural check needs the module layer; the IR accepts any class for an interface.
      return sub.kind === 'Class' || sub.kind === 'Interface';
    // Layout, ScalarType and MemoryFormat are ints at runtime.
    case 'Layout':
    case 'ScalarType':
    case 'MemoryFormat':
      return sub.kind === 'int';
    default:
      return false;
  }
}

// Lists and dicts are invariant in TorchScript, except that refined tensors match Tensor and Var matches all.
function isInvariantMatch(a: Type, b: Type): boolean {
  if (b.kind === 'Var' || b.kind === 'Any') return true;
  if (a.kind === 'Tensor' && b.kind === 'Tensor') return true;
  if (a.kind === 'Number' || b.kind === 'Number') return isSubtypeOf(a, b);
  return a.equals(b);
}

/** Drops Optional: `T?` -> `T`. */
export function unwrapOptional(t: Type): Type {
  return t instanceof OptionalType ? t.elem : t;
}
