// Expression layer of the TorchScript source parser: Python precedence climbing from ternaries down to
// atoms, calls, subscripts/slices, literals and comprehensions.
import type {
  BinaryOperator,
  ComprehensionClause,
  CompareOperator,
  Comparison,
  DictEntry,
  Expr,
  Keyword,
  Slice,
} from './ast.js';
import { MAX_OPERATOR_CHAIN } from './cursor.js';
import { describeExpr } from './describe.js';
import { TypeParser } from './parse-type.js';
import type { Token } from './tokens.js';

/** Binary operator levels, loosest first; each level is left-associative. */
const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '//', '%', '@'],
];

const COMPARE_OPS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '==', '!=']);

// What may follow an operand and continue its expression below the ternary: binary, power and comparison
// operators, and the keywords of comparisons and boolean chains (`not` for `not in`).
const CONTINUING_OPS: ReadonlySet<string> = new Set([...BINARY_LEVELS.flat(), '**', ...COMPARE_OPS]);
const CONTINUING_KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'is']);

/** An operand parsed ahead: the primary expression that starts at `start`. */
interface Parsed {
  readonly start: Token;
  readonly expr: Expr;
}

/** Parses expressions; extended by the statement parser. */
export class ExprParser extends TypeParser {
  /** A single expression (Python `test`): ternaries and below, no bare tuples. */
  protected parseExpression(): Expr {
    const start = this.peek();
    if (
      start.kind === 'keyword' &&
      (start.text === 'lambda' || start.text === 'yield' || start.text === 'await')
    ) {
      throw this.failAt(start, `'${start.text}' is not supported in TorchScript source`);
    }
    const body = this.parseOr();
    if (!this.atKeyword('if')) return body;
    this.next();
    const condition = this.parseOr();
    this.expectKeyword('else', 'in conditional expression');
    const whenFalse = this.nested(start, () => this.parseExpression());
    return { kind: 'Ternary', condition, whenTrue: body, whenFalse, range: this.rangeFrom(start) };
  }

  /** `a` or `a, b, ...` (an unparenthesized tuple, trailing comma allowed), as after `=` and `return`. */
  protected parseExpressionList(): Expr {
    return this.parseCommaList(() => this.parseExpression());
  }

  /** Assignment targets of `for` (`k, v`): bitwise-or level, so the `in` that follows is not a comparison. */
  protected parseTargetList(): Expr {
    return this.parseCommaList(() => this.parseBinary(0));
  }

  private parseCommaList(item: () => Expr): Expr {
    const start = this.peek();
    const first = item();
    if (!this.atOp(',')) return first;
    const elements: Expr[] = [first];
    let trailingComma = false;
    while (this.eatOp(',')) {
      if (!this.startsExpression()) {
        trailingComma = true;
        break;
      }
      elements.push(item());
    }
    return {
      kind: 'Tuple',
      elements,
      ...(trailingComma ? { trailingComma } : {}),
      range: this.rangeFrom(start),
    };
  }

  /** Whether the current token can begin an expression (decides if a comma was trailing). */
  protected startsExpression(): boolean {
    const token = this.peek();
    switch (token.kind) {
      case 'name':
      case 'int':
      case 'float':
      case 'string':
        return true;
      case 'keyword':
        return ['None', 'True', 'False', 'not', 'lambda', 'await', 'yield'].includes(token.text);
      case 'op':
        return ['(', '[', '{', '-', '+', '~', '...'].includes(token.text);
      default:
        return false;
    }
  }

  private parseOr(): Expr {
    // Most operands (names, literals, calls, attributes) stand alone. Without a unary operator in front, the
    // levels below all start with the primary: parse it first, and only walk the levels when an operator
    // follows, handing them the parsed primary. Same tree, a dozen fewer calls per operand.
    const start = this.peek();
    const unary =
      (start.kind === 'keyword' && start.text === 'not') ||
      (start.kind === 'op' && (start.text === '-' || start.text === '+' || start.text === '~'));
    if (unary) return this.parseBoolChain('or', () => this.parseAnd());
    const expr = this.parsePrimary();
    const next = this.peek();
    const continues =
      (next.kind === 'op' && CONTINUING_OPS.has(next.text)) ||
      (next.kind === 'keyword' && CONTINUING_KEYWORDS.has(next.text));
    if (!continues) return expr;
    return this.parseBoolChain('or', (pre) => this.parseAnd(pre), { start, expr });
  }

  private parseAnd(pre?: Parsed): Expr {
    return this.parseBoolChain('and', (p) => this.parseNot(p), pre);
  }

  // `pre`, when given, is the first operand's primary, already parsed.
  private parseBoolChain(op: 'and' | 'or', operand: (pre?: Parsed) => Expr, pre?: Parsed): Expr {
    const start = pre?.start ?? this.peek();
    let left = operand(pre);
    for (let n = 0; this.atKeyword(op); n++) {
      this.checkChain(n);
      this.next();
      const right = operand();
      left = { kind: 'BoolOp', op, left, right, range: this.rangeFrom(start) };
    }
    return left;
  }

  private parseNot(pre?: Parsed): Expr {
    if (pre) return this.parseComparison(pre);
    const start = this.peek();
    if (!this.eatKeyword('not')) return this.parseComparison();
    const operand = this.nested(start, () => this.parseNot());
    return { kind: 'UnaryOp', op: 'not', operand, range: this.rangeFrom(start) };
  }

  private parseComparison(pre?: Parsed): Expr {
    const start = pre?.start ?? this.peek();
    const left = this.parseBinary(0, pre);
    const comparisons: Comparison[] = [];
    for (let op = this.compareOperator(); op !== null; op = this.compareOperator()) {
      this.checkChain(comparisons.length);
      comparisons.push({ op, right: this.parseBinary(0) });
    }
    if (comparisons.length === 0) return left;
    return { kind: 'Compare', left, comparisons, range: this.rangeFrom(start) };
  }

  /** Consumes and returns a comparison operator at the cursor, or returns null. */
  private compareOperator(): CompareOperator | null {
    const token = this.peek();
    if (token.kind === 'op' && COMPARE_OPS.has(token.text)) {
      this.next();
      return token.text as CompareOperator;
    }
    if (this.atKeyword('in')) {
      this.next();
      return 'in';
    }
    if (this.atKeyword('not') && this.atKeywordAhead('in', 1)) {
      this.next();
      this.next();
      return 'not in';
    }
    if (this.atKeyword('is')) {
      this.next();
      return this.eatKeyword('not') ? 'is not' : 'is';
    }
    return null;
  }

  /** Binary operators from BINARY_LEVELS[level] down to unary and power. */
  protected parseBinary(level: number, pre?: Parsed): Expr {
    const ops = BINARY_LEVELS[level];
    if (ops === undefined) return this.parseFactor(pre);
    const start = pre?.start ?? this.peek();
    let left = this.parseBinary(level + 1, pre);
    for (let n = 0; ; n++) {
      const token = this.peek();
      if (token.kind !== 'op' || !(ops as readonly string[]).includes(token.text)) return left;
      this.checkChain(n);
      this.next();
      const right = this.parseBinary(level + 1);
      left = {
        kind: 'BinaryOp',
        op: token.text as BinaryOperator,
        left,
        right,
        range: this.rangeFrom(start),
      };
    }
  }

  private parseFactor(pre?: Parsed): Expr {
    if (pre) return this.parsePower(pre);
    const start = this.peek();
    if (start.kind === 'op' && (start.text === '-' || start.text === '+' || start.text === '~')) {
      this.next();
      const operand = this.nested(start, () => this.parseFactor());
      return { kind: 'UnaryOp', op: start.text, operand, range: this.rangeFrom(start) };
    }
    return this.parsePower();
  }

  private parsePower(pre?: Parsed): Expr {
    const start = pre?.start ?? this.peek();
    const base = pre ? pre.expr : this.parsePrimary();
    if (!this.atOp('**')) return base;
    const op = this.next();
    const exponent = this.nested(op, () => this.parseFactor());
    return { kind: 'BinaryOp', op: '**', left: base, right: exponent, range: this.rangeFrom(start) };
  }

  /** An atom followed by `.name`, `(args)` and `[indices]` trailers. */
  private parsePrimary(): Expr {
    const start = this.peek();
    let expr = this.parseAtom();
    for (let n = 0; ; n++) {
      const token = this.peek();
      if (token.kind !== 'op' || (token.text !== '.' && token.text !== '(' && token.text !== '['))
        return expr;
      this.checkChain(n);
      this.next();
      if (token.text === '.') {
        const attr = this.expectName("after '.'").text;
        expr = { kind: 'Attribute', value: expr, attr, range: this.rangeFrom(start) };
      } else {
        this.enter(token);
        expr = token.text === '(' ? this.parseCall(expr, start) : this.parseSubscript(expr, start);
        this.leave();
      }
    }
  }

  private parseCall(func: Expr, start: Token): Expr {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    let trailingComma = false;
    while (!this.atOp(')')) {
      const argStart = this.peek();
      if (this.atOp('*') || this.atOp('**'))
        throw this.failAt(argStart, 'argument unpacking (*args, **kwargs) is not supported');
      if (this.at('name') && this.atOpAhead('=', 1)) {
        const name = this.next().text;
        this.next();
        if (keywords.some((k) => k.name === name))
          throw this.failAt(argStart, `keyword argument '${name}' repeated`);
        keywords.push({ name, value: this.parseExpression(), range: this.rangeFrom(argStart) });
      } else {
        const value = this.parseExpression();
        if (keywords.length > 0) throw this.failAt(argStart, 'positional argument follows keyword argument');
        args.push(value);
      }
      if (!this.eatOp(',')) break;
      trailingComma = this.atOp(')');
    }
    this.expectOp(')', 'to close the call arguments');
    return {
      kind: 'Call',
      func,
      args,
      keywords,
      ...(trailingComma ? { trailingComma } : {}),
      range: this.rangeFrom(start),
    };
  }

  private parseSubscript(value: Expr, start: Token): Expr {
    const indices: (Expr | Slice)[] = [];
    let trailingComma = false;
    do {
      if (this.atOp(']') && indices.length > 0) {
        trailingComma = true;
        break;
      }
      indices.push(this.parseIndex());
    } while (this.eatOp(','));
    this.expectOp(']', 'to close the subscript');
    return {
      kind: 'Subscript',
      value,
      indices,
      ...(trailingComma ? { trailingComma } : {}),
      range: this.rangeFrom(start),
    };
  }

  /** One subscript entry: an expression or a slice `lower:upper:step` with any part omitted. */
  private parseIndex(): Expr | Slice {
    const start = this.peek();
    const lower = this.atOp(':') ? null : this.parseExpression();
    if (!this.eatOp(':')) {
      if (lower === null) throw this.unexpected('expected an index');
      return lower;
    }
    const upper = this.atSliceEnd() ? null : this.parseExpression();
    let step: Expr | null = null;
    if (this.eatOp(':')) step = this.atSliceEnd() ? null : this.parseExpression();
    return { kind: 'Slice', lower, upper, step, range: this.rangeFrom(start) };
  }

  private atSliceEnd(): boolean {
    return this.atOp(':') || this.atOp(',') || this.atOp(']');
  }

  private parseAtom(): Expr {
    const token = this.peek();
    const range = this.rangeOf(token);
    switch (token.kind) {
      case 'name':
        this.next();
        return { kind: 'Name', id: token.text, range };
      case 'int':
        this.next();
        return { kind: 'Int', value: BigInt(token.text.replace(/_/g, '')), raw: token.text, range };
      case 'float':
        this.next();
        return { kind: 'Float', value: Number(token.text.replace(/_/g, '')), raw: token.text, range };
      case 'string':
        return this.parseStrings();
      case 'keyword':
        if (token.text === 'None' || token.text === 'True' || token.text === 'False') {
          this.next();
          if (token.text === 'None') return { kind: 'None', range };
          return { kind: 'Bool', value: token.text === 'True', range };
        }
        break;
      case 'op':
        if (token.text === '...') {
          this.next();
          return { kind: 'Ellipsis', range };
        }
        if (token.text === '(' || token.text === '[' || token.text === '{') {
          this.next();
          this.enter(token);
          const bracketed = this.parseBracketed(token);
          this.leave();
          return bracketed;
        }
        break;
      default:
        break;
    }
    if (
      token.kind === 'keyword' &&
      (token.text === 'lambda' || token.text === 'yield' || token.text === 'await')
    ) {
      throw this.failAt(token, `'${token.text}' is not supported in TorchScript source`);
    }
    throw this.unexpected('expected an expression');
  }

  /** Adjacent string literals are one string (`"a" "b"` == `"ab"`). */
  private parseStrings(): Expr {
    const start = this.peek();
    let value = '';
    const raws: string[] = [];
    while (this.at('string')) {
      const token = this.next();
      value += token.value ?? '';
      raws.push(token.text);
    }
    return { kind: 'String', value, raw: raws.join(' '), range: this.rangeFrom(start) };
  }

  /** After `(`, `[` or `{`: tuples/parenthesized expressions, lists, dicts and comprehensions. */
  private parseBracketed(open: Token): Expr {
    if (open.text === '(') {
      if (this.eatOp(')')) return { kind: 'Tuple', elements: [], parens: true, range: this.rangeFrom(open) };
      const first = this.parseExpression();
      if (this.atKeyword('for'))
        throw this.failAt(this.peek(), 'generator expressions are not supported in TorchScript source');
      if (this.eatOp(')')) return { ...first, parens: true };
      this.expectOp(',', "or ')' after the expression in parentheses");
      const { elements, trailingComma } = this.parseRestOfList(first, ')');
      return {
        kind: 'Tuple',
        elements,
        ...(trailingComma ? { trailingComma } : {}),
        parens: true,
        range: this.rangeFrom(open),
      };
    }
    if (open.text === '[') {
      if (this.eatOp(']')) return { kind: 'List', elements: [], range: this.rangeFrom(open) };
      const first = this.parseExpression();
      if (this.atKeyword('for')) {
        const clauses = this.parseClauses();
        this.expectOp(']', 'to close the list comprehension');
        return { kind: 'ListComp', element: first, clauses, range: this.rangeFrom(open) };
      }
      if (this.eatOp(']')) return { kind: 'List', elements: [first], range: this.rangeFrom(open) };
      this.expectOp(',', "or ']' in list");
      const { elements, trailingComma } = this.parseRestOfList(first, ']');
      return {
        kind: 'List',
        elements,
        ...(trailingComma ? { trailingComma } : {}),
        range: this.rangeFrom(open),
      };
    }
    return this.parseDict(open);
  }

  /** Elements after `first,` up to and including `close`. */
  private parseRestOfList(first: Expr, close: string): { elements: Expr[]; trailingComma: boolean } {
    const elements: Expr[] = [first];
    let trailingComma = true;
    while (!this.atOp(close)) {
      elements.push(this.parseExpression());
      trailingComma = false;
      if (!this.eatOp(',')) break;
      trailingComma = true;
    }
    this.expectOp(close, `to close the ${close === ')' ? 'tuple' : 'list'}`);
    return { elements, trailingComma };
  }

  private parseDict(open: Token): Expr {
    const entries: DictEntry[] = [];
    let trailingComma = false;
    while (!this.atOp('}')) {
      const entryStart = this.peek();
      const key = this.parseExpression();
      if (!this.atOp(':'))
        throw this.unexpected("expected ':' after a dict key (set literals are not supported)");
      this.next();
      const value = this.parseExpression();
      if (entries.length === 0 && this.atKeyword('for')) {
        const clauses = this.parseClauses();
        this.expectOp('}', 'to close the dict comprehension');
        return { kind: 'DictComp', key, value, clauses, range: this.rangeFrom(open) };
      }
      entries.push({ key, value, range: this.rangeFrom(entryStart) });
      trailingComma = false;
      if (!this.eatOp(',')) break;
      trailingComma = true;
    }
    this.expectOp('}', 'to close the dict');
    return {
      kind: 'Dict',
      entries,
      ...(trailingComma ? { trailingComma } : {}),
      range: this.rangeFrom(open),
    };
  }

  /** `for target in iter [if cond]...` clauses of a comprehension. */
  private parseClauses(): ComprehensionClause[] {
    const clauses: ComprehensionClause[] = [];
    while (this.atKeyword('for')) {
      const start = this.next();
      const target = this.parseTargetList();
      this.checkTarget(target);
      this.expectKeyword('in', 'in comprehension');
      const iter = this.parseOr();
      const conditions: Expr[] = [];
      while (this.eatKeyword('if')) conditions.push(this.parseOr());
      clauses.push({ target, iter, conditions, range: this.rangeFrom(start) });
    }
    return clauses;
  }

  /** Fails unless `target` can be assigned to: a name, attribute, subscript, or a tuple/list of those. */
  protected checkTarget(target: Expr): void {
    switch (target.kind) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        return;
      case 'Tuple':
      case 'List':
        for (const element of target.elements) this.checkTarget(element);
        return;
      default:
        throw this.failAt(target.range, `cannot assign to ${describeExpr(target)}`);
    }
  }

  /** Fails when an operator chain gets long enough to endanger recursive walkers of the tree. */
  private checkChain(n: number): void {
    if (n >= MAX_OPERATOR_CHAIN)
      throw this.failAt(
        this.peek(),
        `expression too long (more than ${MAX_OPERATOR_CHAIN} chained operations)`,
      );
  }
}
