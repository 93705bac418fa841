// Type annotations in printed source (`Optional[Tensor]`, `__torch__.M`) and the names named types are
// written under: distinct types that share a qualified name get a fresh `___torch_mangle_N`, as
// PyTorch's TypeNameUniquer does, so every class in one archive has its own name.

import { mangleName } from '../../module/qualified-name.js';
import {
  DictType,
  FutureType,
  ListType,
  NamedClassType,
  OptionalType,
  TupleType,
  UnionType,
  type Type,
} from '../../ir/types.js';

/** Gives each named type its archive name and prints annotations with those names. */
export class TypeNames {
  private readonly byType = new Map<NamedClassType | TupleType, string>();
  private readonly owners = new Map<string, NamedClassType | TupleType>();
  private mangleCounter = 0;

  /** The qualified name `type` is written under in this archive. */
  nameOf(type: NamedClassType | TupleType): string {
    const known = this.byType.get(type);
    if (known !== undefined) return known;
    const wanted = type instanceof TupleType ? (type.qualifiedName ?? '') : type.qualifiedName;
    let name = wanted;
    const owner = this.owners.get(name);
    if (owner !== undefined && !sameNamedType(owner, type)) {
      do name = mangleName(wanted, this.mangleCounter++);
      while (this.owners.has(name));
    } else if (owner !== undefined) {
      // A structurally identical stand-in (a bare NamedClassType parsed from IR text) shares the name.
      this.byType.set(type, name);
      return name;
    }
    this.byType.set(type, name);
    this.owners.set(name, type);
    return name;
  }

  /** `type` as TorchScript source writes it. */
  annotation(type: Type): string {
    if (type instanceof NamedClassType) return this.nameOf(type);
    if (type instanceof TupleType) {
      if (type.qualifiedName) return this.nameOf(type);
      if (type.elements.length === 0) return 'Tuple[()]';
      return `Tuple[${type.elements.map((e) => this.annotation(e)).join(', ')}]`;
    }
    if (type instanceof OptionalType) return `Optional[${this.annotation(type.elem)}]`;
    if (type instanceof ListType) return `List[${this.annotation(type.elem)}]`;
    if (type instanceof DictType) return `Dict[${this.annotation(type.key)}, ${this.annotation(type.value)}]`;
    if (type instanceof UnionType) return `Union[${type.members.map((m) => this.annotation(m)).join(', ')}]`;
    if (type instanceof FutureType) return `Future[${this.annotation(type.elem)}]`;
    return type.annotationStr();
  }
}

// Two objects for one type: the same object, or a placeholder carrying only the name of the other.
function sameNamedType(a: NamedClassType | TupleType, b: NamedClassType | TupleType): boolean {
  if (a === b) return true;
  if (a instanceof TupleType || b instanceof TupleType) return a.equals(b);
  const bare = (t: NamedClassType): boolean => t.constructor === NamedClassType;
  return a.kind === b.kind && (bare(a) || bare(b));
}
