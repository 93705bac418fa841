// Statement, class and module nodes of the TorchScript source AST (expressions and types are in ast.ts).
import type { BinaryOperator, Expr, NodeBase, TypeExpr } from './ast.js';

/** `target = value`, or `target : annotation = value` (annotation non-null). Targets: Name, Attribute, Subscript, Tuple/List of targets. */
export interface Assign extends NodeBase {
  readonly kind: 'Assign';
  readonly target: Expr;
  readonly value: Expr;
  readonly annotation: TypeExpr | null;
  /** The source wrote `x: T = v` (torch's spelling for values carried into a loop) instead of `x : T = v`. */
  readonly tightAnnotation?: boolean;
}

/** `target op= value`; the target is a Name, Attribute or Subscript. */
export interface AugAssign extends NodeBase {
  readonly kind: 'AugAssign';
  readonly target: Expr;
  readonly op: BinaryOperator;
  readonly value: Expr;
}

/** `if test: body else: orelse`; `elif` is an `orelse` holding a single If. */
export interface If extends NodeBase {
  readonly kind: 'If';
  readonly test: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

/** `for target in iter: body` (`for i in range(n)`, `for k, v in d.items()`). */
export interface For extends NodeBase {
  readonly kind: 'For';
  readonly target: Expr;
  readonly iter: Expr;
  readonly body: readonly Stmt[];
}

/** `while test: body`. */
export interface While extends NodeBase {
  readonly kind: 'While';
  readonly test: Expr;
  readonly body: readonly Stmt[];
}

/** One `context [as target]` of a with statement. */
export interface WithItem extends NodeBase {
  readonly context: Expr;
  readonly target: Expr | null;
}

/** `with a as b, c: body` (torch writes `with _0:` for `torch.no_grad()` blocks). */
export interface With extends NodeBase {
  readonly kind: 'With';
  readonly items: readonly WithItem[];
  readonly body: readonly Stmt[];
}

/** `return` / `return value` (`return a, b` returns a Tuple). */
export interface Return extends NodeBase {
  readonly kind: 'Return';
  readonly value: Expr | null;
}

/** `raise` / `raise exception`. */
export interface Raise extends NodeBase {
  readonly kind: 'Raise';
  readonly exception: Expr | null;
}

/** `assert test` / `assert test, message`. */
export interface Assert extends NodeBase {
  readonly kind: 'Assert';
  readonly test: Expr;
  readonly message: Expr | null;
}

/** `pass`. */
export interface Pass extends NodeBase {
  readonly kind: 'Pass';
}

/** `break`. */
export interface Break extends NodeBase {
  readonly kind: 'Break';
}

/** `continue`. */
export interface Continue extends NodeBase {
  readonly kind: 'Continue';
}

/** `del a, b[0]`. */
export interface Delete extends NodeBase {
  readonly kind: 'Delete';
  readonly targets: readonly Expr[];
}

/** An expression evaluated for its effect: `ops.prim.RaiseException(...)`, `torch._set_item(d, k, v)`. */
export interface ExprStmt extends NodeBase {
  readonly kind: 'ExprStmt';
  readonly value: Expr;
}

/** One parameter: `x`, `x: Tensor`, `inplace: bool=False`. */
export interface Param extends NodeBase {
  readonly name: string;
  readonly annotation: TypeExpr | null;
  readonly default: Expr | null;
}

/**
 * A function: a free function, a method (first parameter `self`), or a nested function inside a
 * body (torch writes `def __forked_function():` for `fork`).
 */
export interface FunctionDef extends NodeBase {
  readonly kind: 'FunctionDef';
  readonly name: string;
  readonly params: readonly Param[];
  readonly returns: TypeExpr | null;
  readonly body: readonly Stmt[];
  /** `@expr` lines above the def (torch does not write any; kept when present). */
  readonly decorators: readonly Expr[];
}

/** A statement inside a function body. */
export type Stmt =
  | Assign
  | AugAssign
  | If
  | For
  | While
  | With
  | Return
  | Raise
  | Assert
  | Pass
  | Break
  | Continue
  | Delete
  | ExprStmt
  | FunctionDef;

/**
 * A typed attribute declaration in a class body: `training : bool`, `sub : __torch__.foo.Bar`,
 * `eps : Final[float] = 1e-05` (a constant: `value` non-null), NamedTuple fields.
 */
export interface AttributeDecl extends NodeBase {
  readonly kind: 'AttributeDecl';
  readonly name: string;
  readonly annotation: TypeExpr;
  readonly value: Expr | null;
}

/**
 * What a class body holds: attribute declarations, assignments (`__parameters__ = ["weight", ]`,
 * `__buffers__ = []`, `__constants__ = [...]`, `__annotations__["x"] = T`, Enum members `RED = 1`),
 * methods and `pass`.
 */
export type ClassItem = AttributeDecl | Assign | FunctionDef | Pass;

/** `class Name(Base): ...`; bases are types (`Module`, `NamedTuple`, `ModuleInterface`, `Enum`, ...). */
export interface ClassDef extends NodeBase {
  readonly kind: 'ClassDef';
  readonly name: string;
  readonly bases: readonly TypeExpr[];
  readonly body: readonly ClassItem[];
  readonly decorators: readonly Expr[];
}

/** `name` or `name as asName` in an import; `name` is dotted for `import a.b`, `*` for `from m import *`. */
export interface ImportAlias extends NodeBase {
  readonly name: string;
  readonly asName: string | null;
}

/** `import torch`, `import __torch__.x.y`. */
export interface Import extends NodeBase {
  readonly kind: 'Import';
  readonly names: readonly ImportAlias[];
}

/** `from typing import List, Tuple`, `from torch import Tensor`. */
export interface ImportFrom extends NodeBase {
  readonly kind: 'ImportFrom';
  readonly module: string;
  readonly names: readonly ImportAlias[];
}

/** A top-level item: imports, classes, functions, and global assignments such as `op_version_set = 1`. */
export type ModuleItem = Import | ImportFrom | ClassDef | FunctionDef | Assign;

/** One parsed source file. */
export interface SourceModule extends NodeBase {
  readonly kind: 'Module';
  /** The file name given to the parser (e.g. `code/__torch__/torch/nn/modules/linear.py`). */
  readonly file: string;
  /** The full source text, so later stages can show the offending line of an error at any node's range. */
  readonly text: string;
  readonly body: readonly ModuleItem[];
}
