// Sugared values: what an expression denotes before it becomes an IR value (PyTorch's SugaredValue).
// `torch`, `ops.prim`, a method of an object, a free function, `range(...)` are not values yet; calling,
// indexing or iterating them decides which nodes to emit.

import type { Value } from '../../ir/value.js';
import type { NamedClassType, TupleType, Type } from '../../ir/types.js';
import type { Function } from '../../module/function.js';
import type { FunctionDef } from '../torchscript/ast-statements.js';

/** Builtins that evaluate their arguments in a special way (PyTorch's SpecialFormValue). */
export type SpecialForm =
  | 'annotate'
  | 'unchecked_cast'
  | 'uninitialized'
  | 'isinstance'
  | 'hasattr'
  | 'getattr'
  | 'range'
  | 'enumerate'
  | 'zip'
  | 'list'
  | 'dict'
  | 'tuple'
  | 'fork'
  /** `X.__new__(X)`: an uninitialised object of class X (prim::CreateObject); code then calls `__init__`. */
  | 'new';

/** An iterable the loop emitter understands: range(), a list/str/tensor/dict value, zip/enumerate trees, tuples. */
export interface RangeSugar {
  readonly kind: 'range';
  readonly start: Value;
  readonly end: Value;
  readonly step: Value;
  /** range(n): the trip count is `n` and the index is the loop counter itself. */
  readonly onlyEnd: boolean;
  /** Known length (enumerate over an unrolled iterable); unused for plain ranges. */
  readonly staticLen?: number;
}

/** A value that is not (yet) an IR value. */
export type Sugared =
  | { readonly kind: 'value'; readonly value: Value }
  /** `torch` (namespace `aten`), `ops.prim`, `ops.aten`. */
  | { readonly kind: 'module'; readonly ns: string }
  | { readonly kind: 'ops' }
  /** An operator, optionally bound to `self` (`x.add` is aten::add with self=x). */
  | { readonly kind: 'builtin'; readonly op: string; readonly self?: Value; readonly magic?: string }
  /** int(), float(), bool(), str(): identity when the value already has the type. */
  | { readonly kind: 'cast'; readonly type: Type; readonly op: string; readonly magic: string }
  | { readonly kind: 'special'; readonly form: SpecialForm }
  /** A method of a class or interface object: emits prim::CallMethod. */
  | { readonly kind: 'method'; readonly self: Value; readonly name: string }
  /** `x.tolist()`: needs the annotated result type (`annotate(List[float], x.tolist())`). */
  | { readonly kind: 'tolist'; readonly self: Value }
  /** A free function: emits prim::CallFunction. */
  | { readonly kind: 'function'; readonly fn: Function }
  /** A class: calling it creates an object and runs __init__. */
  | { readonly kind: 'class'; readonly type: NamedClassType }
  /** A named tuple type: calling it builds the tuple. */
  | { readonly kind: 'namedtuple'; readonly type: TupleType }
  /** A namespace under `__torch__` that is not a class or function (yet). */
  | { readonly kind: 'namespace'; readonly name: string }
  /** `CONSTANTS`: `CONSTANTS.c3` is tensor constant 3 of constants.pkl. */
  | { readonly kind: 'constants' }
  /** `AssertionError` / `builtins.ValueError` as a class. */
  | { readonly kind: 'exception'; readonly name: string }
  /** `AssertionError("msg")`: what `raise` takes. */
  | { readonly kind: 'exception-message'; readonly message: Value; readonly name: string }
  | RangeSugar
  /** zip(...) / enumerate(...): iterates its children in lock step. */
  | { readonly kind: 'tree'; readonly children: readonly Sugared[] }
  /** The elements of a tuple being iterated: loops over it are unrolled. */
  | { readonly kind: 'tuple'; readonly items: readonly Sugared[] }
  | { readonly kind: 'print' }
  /** A nested function (`def f(): ...` inside a function): only fork() takes it. */
  | { readonly kind: 'closure'; readonly def: FunctionDef };

/** Wraps an IR value. */
export function simple(value: Value): Sugared {
  return { kind: 'value', value };
}

/** A short description for error messages (`builtin aten::add`, `module torch`). */
export function describeSugared(s: Sugared): string {
  switch (s.kind) {
    case 'value':
      return `value of type ${s.value.type.str()}`;
    case 'module':
      return `module ${s.ns === 'aten' ? 'torch' : `ops.${s.ns}`}`;
    case 'ops':
      return 'ops';
    case 'builtin':
      return `builtin ${s.op}`;
    case 'cast':
      return `builtin ${s.type.str()}`;
    case 'special':
      return `builtin ${s.form}`;
    case 'method':
      return `method ${s.name} of ${s.self.type.str()}`;
    case 'function':
      return `function ${s.fn.qualifiedName}`;
    case 'tolist':
      return 'method tolist of Tensor';
    case 'class':
      return `class ${s.type.qualifiedName}`;
    case 'namedtuple':
      return `named tuple ${s.type.qualifiedName ?? s.type.str()}`;
    case 'namespace':
      return `namespace ${s.name}`;
    case 'constants':
      return 'CONSTANTS';
    case 'exception':
    case 'exception-message':
      return `exception ${s.name}`;
    case 'range':
      return 'range';
    case 'tree':
      return 'iterable';
    case 'tuple':
      return 'tuple';
    case 'print':
      return 'print';
    case 'closure':
      return `nested function ${s.def.name}`;
  }
}
