// Type expressions of TorchScript source: parsing annotations (`Optional[Tensor]`, `Tuple[()]`,
// `__torch__.a.b.___torch_mangle_3.Conv2d`) and converting the type arguments of calls such as
// `annotate(List[int], [])` from expression form.
import type { IRParseError } from '../../errors.js';
import type { Expr, SourceRange, TypeExpr } from './ast.js';
import { TokenCursor } from './cursor.js';
import { syntaxError, tokenize } from './lexer.js';

/** The type-annotation layer of the parser. */
export class TypeParser extends TokenCursor {
  /** Parses `None`, a dotted name, or a dotted name with `[args]`. */
  protected parseType(): TypeExpr {
    const start = this.peek();
    if (this.eatKeyword('None')) return { kind: 'TypeNone', range: this.rangeFrom(start) };
    if (!this.at('name')) throw this.unexpected('expected a type');
    const name = this.parseDottedName('in a type');
    if (!this.atOp('[')) return { kind: 'TypeName', name, range: this.rangeFrom(start) };
    const open = this.next();
    return this.nested(open, () => {
      const args: TypeExpr[] = [];
      // `Tuple[()]` is how torch spells the empty tuple type.
      const emptyTuple = this.atOp('(') && this.atOpAhead(')', 1);
      if (emptyTuple) {
        this.next();
        this.next();
      } else {
        do {
          if (this.atOp(']') && args.length > 0) break;
          args.push(this.parseType());
        } while (this.eatOp(','));
      }
      this.expectOp(']', `to close the arguments of type '${name}'`);
      return { kind: 'TypeApply', name, args, range: this.rangeFrom(start) };
    });
  }

  /** `a.b.c` as one string; each part must be a name. */
  protected parseDottedName(context: string): string {
    let name = this.expectName(context).text;
    while (this.atOp('.')) {
      this.next();
      name += '.' + this.expectName(context).text;
    }
    return name;
  }
}

/**
 * Converts an expression used as a type (`List[int]` in `annotate(List[int], [])`, `Tensor` in
 * `unchecked_cast(Tensor, x)` / `isinstance(x, Tensor)` / `uninitialized(Tensor)`) into a TypeExpr.
 * Throws a TS_SYNTAX IRParseError at the expression when it is not a type. `text` is the file's
 * source (`SourceModule.text`) for the caret line.
 */
export function exprToType(expr: Expr, text?: string): TypeExpr {
  switch (expr.kind) {
    case 'None':
      return { kind: 'TypeNone', range: expr.range };
    case 'Name':
    case 'Attribute': {
      const name = dottedName(expr);
      if (name !== null) return { kind: 'TypeName', name, range: expr.range };
      break;
    }
    case 'Subscript': {
      const name = dottedName(expr.value);
      if (name === null) break;
      const only = expr.indices.length === 1 ? expr.indices[0] : undefined;
      if (only !== undefined && only.kind === 'Tuple' && only.elements.length === 0) {
        return { kind: 'TypeApply', name, args: [], range: expr.range };
      }
      const args = expr.indices.map((index) => {
        if (index.kind === 'Slice') throw notAType(index.range, 'a slice', text);
        return exprToType(index, text);
      });
      return { kind: 'TypeApply', name, args, range: expr.range };
    }
    default:
      break;
  }
  throw notAType(expr.range, `'${expr.kind}' expression`, text);
}

/** `a.b.c` for a chain of names and attributes, else null. Parentheses break the chain (`(a).b` is a method receiver). */
export function dottedName(expr: Expr): string | null {
  if (expr.parens) return null;
  if (expr.kind === 'Name') return expr.id;
  if (expr.kind !== 'Attribute') return null;
  const base = dottedName(expr.value);
  return base === null ? null : `${base}.${expr.attr}`;
}

function notAType(range: SourceRange, what: string, text: string | undefined): IRParseError {
  return syntaxError(range.file, text ?? '', range.line, range.column, `expected a type, found ${what}`);
}

/**
 * Parses a whole annotation given as text, such as the `List[str]` a pickle's `restore_type_tag`
 * records. Throws a TS_SYNTAX IRParseError naming `file` when it is not exactly one type.
 */
export function parseTypeText(text: string, file: string): TypeExpr {
  return new WholeTypeParser(tokenize(text, file), file, text).whole();
}

class WholeTypeParser extends TypeParser {
  whole(): TypeExpr {
    const type = this.parseType();
    while (this.at('newline')) this.next();
    if (!this.at('eof')) throw this.unexpected('expected the end of the type');
    return type;
  }
}
