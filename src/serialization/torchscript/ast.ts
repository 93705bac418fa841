// Typed AST of TorchScript source (code/__torch__/**.py in .pt archives), the input of the IR emitter.
// Expressions, statements and types are discriminated unions on `kind`; every node has a source range.
import type { SourceLocation } from '../../errors.js';

/**
 * Where a node is in its file. `line`/`column` (1-based) is its first character; `endLine`/`endColumn`
 * is just past its last one. Ranges are ignored by structural comparisons (see `stripRanges`).
 */
export interface SourceRange extends SourceLocation {
  readonly endLine: number;
  readonly endColumn: number;
}

/** Fields shared by every node. */
export interface NodeBase {
  readonly range: SourceRange;
}

/**
 * Fields shared by every expression. `parens` records that the source wrapped the expression in
 * parentheses (`(lin).forward(x, )`, `return (a, b)`): it changes no meaning, only how it prints.
 */
export interface ExprBase extends NodeBase {
  readonly parens?: boolean;
}

// ---- types ----------------------------------------------------------------------------------

/** A type name: `Tensor`, `int`, `NoneType`, `Any`, `number`, `__torch__.torch.nn.modules.conv.Conv2d`. */
export interface TypeName extends NodeBase {
  readonly kind: 'TypeName';
  /** Dotted name as written. */
  readonly name: string;
}

/** A generic type: `Optional[Tensor]`, `Dict[str, Tensor]`, `Final[int]`; `Tuple[()]` has no `args`. */
export interface TypeApply extends NodeBase {
  readonly kind: 'TypeApply';
  readonly name: string;
  readonly args: readonly TypeExpr[];
}

/** `None` written as a type (`-> None`); the emitter treats it as `NoneType`. */
export interface TypeNone extends NodeBase {
  readonly kind: 'TypeNone';
}

/** A type annotation. */
export type TypeExpr = TypeName | TypeApply | TypeNone;

// ---- expressions ----------------------------------------------------------------------------

/** A variable or global: `x`, `torch`, `CONSTANTS`, `inf`, `nan`. */
export interface Name extends ExprBase {
  readonly kind: 'Name';
  readonly id: string;
}

/** An integer literal, kept exact (9223372036854775807 and beyond). */
export interface IntLiteral extends ExprBase {
  readonly kind: 'Int';
  readonly value: bigint;
  /** The source spelling when parsed (`0x10`, `1_000`); the printer reuses it. */
  readonly raw?: string;
}

/** A float literal (`1e-05`, `100.`, `0.10000000000000001`). Always non-negative: `-x` is a UnaryOp. */
export interface FloatLiteral extends ExprBase {
  readonly kind: 'Float';
  readonly value: number;
  /** The source spelling when parsed; the printer reuses it so `100.` stays `100.`. */
  readonly raw?: string;
}

/** A string literal, escapes decoded; adjacent literals (`"a" "b"`) are joined into one. */
export interface StringLiteral extends ExprBase {
  readonly kind: 'String';
  readonly value: string;
  /** The source spelling (quotes, escapes, every joined piece) when parsed. */
  readonly raw?: string;
}

/** `True` / `False`. */
export interface BoolLiteral extends ExprBase {
  readonly kind: 'Bool';
  readonly value: boolean;
}

/** `None` as a value. */
export interface NoneLiteral extends ExprBase {
  readonly kind: 'None';
}

/** `...` (in subscripts: `x[..., None]`). */
export interface EllipsisLiteral extends ExprBase {
  readonly kind: 'Ellipsis';
}

/** `value.attr`: `self.weight`, `torch.add`, `ops.prim.RaiseException`, `CONSTANTS.c0`. */
export interface Attribute extends ExprBase {
  readonly kind: 'Attribute';
  readonly value: Expr;
  readonly attr: string;
}

/** A keyword argument `name=value` of a call. */
export interface Keyword extends NodeBase {
  readonly name: string;
  readonly value: Expr;
}

/**
 * A call: `torch.add(a, b)`, `(lin).forward(x, )`, `annotate(List[int], [])`. Type arguments of
 * `annotate`, `unchecked_cast`, `uninitialized`, `isinstance` are ordinary expressions here: turn them
 * into types with `exprToType`. Positional arguments always come before keywords.
 */
export interface Call extends ExprBase {
  readonly kind: 'Call';
  readonly func: Expr;
  readonly args: readonly Expr[];
  readonly keywords: readonly Keyword[];
  /** The argument list ended with a comma (`f(x, )`, how torch prints module and function calls). */
  readonly trailingComma?: boolean;
}

/** A slice inside a subscript: `a:b:c`; absent parts are null. */
export interface Slice extends NodeBase {
  readonly kind: 'Slice';
  readonly lower: Expr | null;
  readonly upper: Expr | null;
  readonly step: Expr | null;
}

/** `value[i]`, `value[:, 1]`, `value[1:-1:2]`, `value[..., None]`; one entry per comma-separated index. */
export interface Subscript extends ExprBase {
  readonly kind: 'Subscript';
  readonly value: Expr;
  readonly indices: readonly (Expr | Slice)[];
  readonly trailingComma?: boolean;
}

/** `[a, b]`. */
export interface ListExpr extends ExprBase {
  readonly kind: 'List';
  readonly elements: readonly Expr[];
  readonly trailingComma?: boolean;
}

/**
 * A tuple: `(a, b)`, `()`, `(x,)`, or unparenthesized in an expression list (`a, b, = f()`,
 * `return x, y`). `trailingComma` is always true for a one-element tuple.
 */
export interface TupleExpr extends ExprBase {
  readonly kind: 'Tuple';
  readonly elements: readonly Expr[];
  readonly trailingComma?: boolean;
}

/** One `key: value` of a dict literal. */
export interface DictEntry extends NodeBase {
  readonly key: Expr;
  readonly value: Expr;
}

/** `{k: v, ...}`. */
export interface DictExpr extends ExprBase {
  readonly kind: 'Dict';
  readonly entries: readonly DictEntry[];
  readonly trailingComma?: boolean;
}

/** One `for target in iter if cond...` clause of a comprehension. */
export interface ComprehensionClause extends NodeBase {
  readonly target: Expr;
  readonly iter: Expr;
  readonly conditions: readonly Expr[];
}

/** `[elt for x in xs]` (TorchScript allows one `for` clause; the parser accepts several). */
export interface ListComp extends ExprBase {
  readonly kind: 'ListComp';
  readonly element: Expr;
  readonly clauses: readonly ComprehensionClause[];
}

/** `{k: v for x in xs}`. */
export interface DictComp extends ExprBase {
  readonly kind: 'DictComp';
  readonly key: Expr;
  readonly value: Expr;
  readonly clauses: readonly ComprehensionClause[];
}

/** Unary operators. */
export type UnaryOperator = '-' | '+' | '~' | 'not';

/** `-x`, `+x`, `~x`, `not x`. */
export interface UnaryOp extends ExprBase {
  readonly kind: 'UnaryOp';
  readonly op: UnaryOperator;
  readonly operand: Expr;
}

/** Binary arithmetic and bitwise operators. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '&' | '|' | '^' | '<<' | '>>';

/** `a + b`, `a // b`, `a ** b`, `a @ b`, `a & b`, ... */
export interface BinaryOp extends ExprBase {
  readonly kind: 'BinaryOp';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

/** `a and b`, `a or b` (short-circuit; chains nest to the left). */
export interface BoolOp extends ExprBase {
  readonly kind: 'BoolOp';
  readonly op: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
}

/** Comparison operators. */
export type CompareOperator = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'is' | 'is not' | 'in' | 'not in';

/** One `op right` link of a comparison chain. */
export interface Comparison {
  readonly op: CompareOperator;
  readonly right: Expr;
}

/** `a < b`, or a chain `a < b < c` (= `a < b and b < c`, `b` evaluated once). */
export interface Compare extends ExprBase {
  readonly kind: 'Compare';
  readonly left: Expr;
  readonly comparisons: readonly Comparison[];
}

/** `whenTrue if condition else whenFalse`. */
export interface Ternary extends ExprBase {
  readonly kind: 'Ternary';
  readonly condition: Expr;
  readonly whenTrue: Expr;
  readonly whenFalse: Expr;
}

/** Any expression. */
export type Expr =
  | Name
  | IntLiteral
  | FloatLiteral
  | StringLiteral
  | BoolLiteral
  | NoneLiteral
  | EllipsisLiteral
  | Attribute
  | Call
  | Subscript
  | ListExpr
  | TupleExpr
  | DictExpr
  | ListComp
  | DictComp
  | UnaryOp
  | BinaryOp
  | BoolOp
  | Compare
  | Ternary;

export * from './ast-statements.js';
