// Type annotations of TorchScript source (`Optional[Tensor]`, `Dict[str, int]`, `__torch__.a.B`) turned
// into IR types, as PyTorch's ScriptTypeParser does for imported code.

import {
  AnyListType,
  AnyTupleType,
  DeviceType,
  DictType,
  FutureType,
  ListType,
  NoneType,
  NumberType,
  OptionalType,
  TensorTensor,
  TupleType,
  UnionType,
  type Type,
} from '../../ir/types.js';
import type { TypeExpr } from '../torchscript/ast.js';
import { SHARED_SIMPLE_TYPES } from '../../ir/simple-type-names.js';
import { compileError } from './emit-errors.js';

/** Finds a named type (class, interface, named tuple) by its qualified name. */
export type NamedTypeResolver = (qualifiedName: string) => Type | undefined;

// ScalarType, Layout and MemoryFormat (shared) are ints in TorchScript; the printer writes them as `int`.
const SIMPLE: ReadonlyMap<string, Type> = new Map<string, Type>([
  ...SHARED_SIMPLE_TYPES,
  ['None', NoneType],
  ['number', NumberType],
  ['device', DeviceType],
  ['torch.device', DeviceType],
  // isinstance(x, (list, tuple)): a list / tuple of any element types.
  ['list', AnyListType],
  ['tuple', AnyTupleType],
]);

// `typing.List` / `torch.Tensor` spellings are accepted like the bare names.
function stripModule(name: string): string {
  for (const prefix of ['typing.', 'torch.', 't.']) {
    if (name.startsWith(prefix) && SIMPLE.has(name.slice(prefix.length))) return name.slice(prefix.length);
    if (name.startsWith(prefix) && GENERIC.has(name.slice(prefix.length))) return name.slice(prefix.length);
  }
  return name;
}

const GENERIC: ReadonlySet<string> = new Set([
  'Optional',
  'List',
  'Dict',
  'Tuple',
  'Union',
  'Future',
  'Final',
]);

/**
 * The IR type of an annotation. Names outside the builtin set go to `resolve` (qualified class, interface
 * and named-tuple names). `text` is the file's source for error carets. `Final[T]` gives T.
 */
export function resolveTypeExpr(expr: TypeExpr, resolve: NamedTypeResolver, text?: string): Type {
  if (expr.kind === 'TypeNone') return NoneType;
  const name = stripModule(expr.name);
  if (expr.kind === 'TypeName') {
    const simple = SIMPLE.get(name);
    if (simple) return simple;
    if (name === 'List') return new ListType(TensorTensor);
    if (name === 'Tuple') throw compileError(expr.range, 'Tuple needs its element types (Tuple[...])', text);
    const named = resolve(expr.name);
    if (named) return named;
    const dot = expr.name.lastIndexOf('.');
    const where =
      expr.name.startsWith('__torch__.') && dot > 0
        ? ` (no code defines it: expected a class in code/${expr.name.slice(0, dot).split('.').join('/')}.py)`
        : '';
    throw compileError(expr.range, `unknown type name '${expr.name}'${where}`, text);
  }
  const args = expr.args.map((a) => resolveTypeExpr(a, resolve, text));
  const arity = (n: number): void => {
    if (args.length !== n) {
      throw compileError(
        expr.range,
        `${name}[...] takes ${n} type argument${n === 1 ? '' : 's'}, got ${args.length}`,
        text,
      );
    }
  };
  switch (name) {
    case 'Optional':
      arity(1);
      return args[0] instanceof OptionalType || args[0].kind === 'None' ? args[0] : new OptionalType(args[0]);
    case 'List':
      arity(1);
      return new ListType(args[0]);
    case 'Dict':
      arity(2);
      return new DictType(args[0], args[1]);
    case 'Tuple':
      return new TupleType(args);
    case 'Union':
      return unionOf(args);
    case 'Future':
      arity(1);
      return new FutureType(args[0]);
    case 'Final':
      arity(1);
      return args[0];
    default:
      throw compileError(expr.range, `unknown generic type '${expr.name}'`, text);
  }
}

// Union[T, None] is Optional[T]; a single-member union is the member.
function unionOf(members: readonly Type[]): Type {
  const flat: Type[] = [];
  for (const m of members) {
    for (const x of m instanceof UnionType ? m.members : [m])
      if (!flat.some((f) => f.equals(x))) flat.push(x);
  }
  const nonNone = flat.filter((m) => m.kind !== 'None');
  if (flat.length === 1) return flat[0];
  if (nonNone.length === 1 && flat.length === 2) return new OptionalType(nonNone[0]);
  return new UnionType(flat);
}
