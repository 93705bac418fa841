// Statement layer of the TorchScript source parser: modules, classes, functions, blocks and simple
// statements. Entry point: parseSource(text, fileName).
import { IRParseError } from '../../errors.js';
import type {
  AttributeDecl,
  BinaryOperator,
  ClassDef,
  ClassItem,
  Expr,
  FunctionDef,
  Import,
  ImportAlias,
  ImportFrom,
  ModuleItem,
  Param,
  SourceModule,
  Stmt,
  TypeExpr,
  WithItem,
} from './ast.js';
import { syntaxError, tokenize } from './lexer.js';
import { describeStatement } from './describe.js';
import { ExprParser } from './parse-expr.js';
import { AUGMENTED_ASSIGN, type Token } from './tokens.js';

/**
 * Parses one TorchScript source file (a `code/__torch__/**.py` entry of a .pt archive, or `module.code`).
 * Throws IRParseError with code `TS_SYNTAX` (file:line:col and a caret) on any malformed input.
 */
export function parseSource(text: string, fileName: string): SourceModule {
  try {
    return new Parser(tokenize(text, fileName), fileName, text).parseModule();
  } catch (error) {
    // Defence in depth: nesting limits keep recursion bounded, but a caller already deep in its own
    // stack could still hit the limit; report that as a syntax error rather than a raw RangeError.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw syntaxError(fileName, text, 1, 1, 'input is too deeply nested to parse');
    }
    throw error;
  }
}

type Context = 'module' | 'class' | 'function';
type AnyStatement = Stmt | ClassDef | AttributeDecl | Import | ImportFrom;

const UNSUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'try',
  'except',
  'finally',
  'global',
  'nonlocal',
  'async',
  'await',
  'yield',
  'lambda',
]);

class Parser extends ExprParser {
  parseModule(): SourceModule {
    const body: ModuleItem[] = [];
    while (!this.at('eof')) {
      for (const statement of this.parseStatement('module')) body.push(this.asModuleItem(statement));
    }
    const end = this.peek();
    const range = { file: this.file, line: 1, column: 1, endLine: end.endLine, endColumn: end.endColumn };
    return { kind: 'Module', file: this.file, text: this.text, body, range };
  }

  /** One line's worth of statements (several for `a; b`), or one compound statement. */
  private parseStatement(context: Context): AnyStatement[] {
    const token = this.peek();
    if (token.kind === 'indent') throw this.failAt(token, 'unexpected indent');
    if (token.kind === 'op' && token.text === '@') return [this.parseDecorated(context)];
    if (token.kind === 'keyword') {
      switch (token.text) {
        case 'def':
          return [this.parseFunctionDef([])];
        case 'class':
          return [this.parseClassDef([])];
        case 'if':
          return [this.parseIf()];
        case 'for':
          return [this.parseFor()];
        case 'while':
          return [this.parseWhile()];
        case 'with':
          return [this.parseWith()];
        case 'elif':
        case 'else':
          throw this.failAt(token, `'${token.text}' without a matching 'if'`);
        default:
          if (UNSUPPORTED_KEYWORDS.has(token.text)) {
            throw this.failAt(token, `'${token.text}' is not supported in TorchScript source`);
          }
      }
    }
    return this.parseSimpleLine(context);
  }

  /** Simple statements separated by `;` up to the end of the line. */
  private parseSimpleLine(context: Context): AnyStatement[] {
    const statements: AnyStatement[] = [];
    do {
      if (this.at('newline')) break;
      statements.push(this.parseSimpleStatement(context));
    } while (this.eatOp(';'));
    this.expectNewline('after the statement');
    return statements;
  }

  private parseSimpleStatement(context: Context): AnyStatement {
    const start = this.peek();
    if (start.kind === 'keyword') {
      switch (start.text) {
        case 'pass':
        case 'break':
        case 'continue': {
          this.next();
          const kind = start.text === 'pass' ? 'Pass' : start.text === 'break' ? 'Break' : 'Continue';
          return { kind, range: this.rangeOf(start) };
        }
        case 'return': {
          this.next();
          const value = this.startsExpression() ? this.parseExpressionList() : null;
          return { kind: 'Return', value, range: this.rangeFrom(start) };
        }
        case 'raise': {
          this.next();
          const exception = this.startsExpression() ? this.parseExpression() : null;
          if (this.atKeyword('from'))
            throw this.failAt(this.peek(), "'raise ... from' is not supported in TorchScript source");
          return { kind: 'Raise', exception, range: this.rangeFrom(start) };
        }
        case 'assert': {
          this.next();
          const test = this.parseExpression();
          const message = this.eatOp(',') ? this.parseExpression() : null;
          return { kind: 'Assert', test, message, range: this.rangeFrom(start) };
        }
        case 'del':
          return this.parseDelete();
        case 'import':
          return this.parseImport();
        case 'from':
          return this.parseImportFrom();
        default:
          break;
      }
    }
    const first = this.parseExpressionList();
    if (this.atOp(':')) return this.parseAnnotated(context, start, first);
    if (this.eatOp('=')) {
      this.checkTarget(first);
      const value = this.parseExpressionList();
      if (this.atOp('=')) throw this.failAt(this.peek(), 'chained assignment (a = b = c) is not supported');
      return { kind: 'Assign', target: first, value, annotation: null, range: this.rangeFrom(start) };
    }
    const augmented = this.peek();
    const op = augmented.kind === 'op' ? AUGMENTED_ASSIGN.get(augmented.text) : undefined;
    if (op !== undefined) {
      if (first.kind === 'Tuple' || first.kind === 'List') {
        throw this.failAt(first.range, `'${augmented.text}' cannot assign to several targets`);
      }
      this.checkTarget(first);
      this.next();
      const value = this.parseExpressionList();
      return {
        kind: 'AugAssign',
        target: first,
        op: op as BinaryOperator,
        value,
        range: this.rangeFrom(start),
      };
    }
    return { kind: 'ExprStmt', value: first, range: this.rangeFrom(start) };
  }

  /** `target : Type [= value]`: an attribute declaration in a class body, an annotated assignment elsewhere. */
  private parseAnnotated(context: Context, start: Token, target: Expr): AnyStatement {
    const before = this.previous();
    const colon = this.next();
    const tight = colon.line === before.endLine && colon.column === before.endColumn;
    const annotation: TypeExpr = this.parseType();
    const value = this.eatOp('=') ? this.parseExpressionList() : null;
    if (context === 'class') {
      if (target.kind !== 'Name' || target.parens) {
        throw this.failAt(
          target.range,
          'an attribute declaration in a class body must name a plain attribute',
        );
      }
      return { kind: 'AttributeDecl', name: target.id, annotation, value, range: this.rangeFrom(start) };
    }
    if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
      throw this.failAt(
        target.range,
        `cannot annotate ${target.kind === 'Tuple' ? 'a tuple of targets' : 'this expression'}`,
      );
    }
    if (value === null) {
      throw this.failAt(start, 'an annotated declaration without a value is only allowed in a class body');
    }
    return {
      kind: 'Assign',
      target,
      value,
      annotation,
      ...(tight ? { tightAnnotation: true } : {}),
      range: this.rangeFrom(start),
    };
  }

  private parseDelete(): AnyStatement {
    const start = this.next();
    const list = this.parseTargetList();
    const targets = list.kind === 'Tuple' && !list.parens ? list.elements : [list];
    for (const target of targets) this.checkTarget(target);
    return { kind: 'Delete', targets, range: this.rangeFrom(start) };
  }

  private parseImport(): Import {
    const start = this.next();
    const names: ImportAlias[] = [];
    do {
      const nameStart = this.peek();
      const name = this.parseDottedName("in 'import'");
      const asName = this.eatKeyword('as') ? this.expectName("after 'as'").text : null;
      names.push({ name, asName, range: this.rangeFrom(nameStart) });
    } while (this.eatOp(','));
    return { kind: 'Import', names, range: this.rangeFrom(start) };
  }

  private parseImportFrom(): ImportFrom {
    const start = this.next();
    if (this.atOp('.') || this.atOp('...'))
      throw this.failAt(this.peek(), 'relative imports are not supported in TorchScript source');
    const module = this.parseDottedName("after 'from'");
    this.expectKeyword('import', `after 'from ${module}'`);
    const names: ImportAlias[] = [];
    if (this.atOp('*')) {
      const star = this.next();
      names.push({ name: '*', asName: null, range: this.rangeOf(star) });
    } else {
      const parenthesized = this.eatOp('(');
      do {
        if (parenthesized && this.atOp(')') && names.length > 0) break;
        const nameStart = this.peek();
        const name = this.expectName('to import').text;
        const asName = this.eatKeyword('as') ? this.expectName("after 'as'").text : null;
        names.push({ name, asName, range: this.rangeFrom(nameStart) });
      } while (this.eatOp(','));
      if (parenthesized) this.expectOp(')', 'to close the import list');
    }
    return { kind: 'ImportFrom', module, names, range: this.rangeFrom(start) };
  }

  private parseDecorated(context: Context): AnyStatement {
    const decorators: Expr[] = [];
    while (this.eatOp('@')) {
      decorators.push(this.parseExpression());
      this.expectNewline('after the decorator');
    }
    if (this.atKeyword('def')) return this.parseFunctionDef(decorators);
    if (this.atKeyword('class') && context !== 'function') return this.parseClassDef(decorators);
    throw this.unexpected("expected 'def' or 'class' after decorators");
  }

  private parseFunctionDef(decorators: Expr[]): FunctionDef {
    const start = this.next();
    const name = this.expectName("after 'def'").text;
    this.expectOp('(', `after the function name '${name}'`);
    const params: Param[] = [];
    while (!this.atOp(')')) {
      const paramStart = this.peek();
      if (this.atOp('*') || this.atOp('**') || this.atOp('/')) {
        throw this.failAt(
          paramStart,
          'variadic, keyword-only and positional-only parameters are not supported',
        );
      }
      const paramName = this.expectName('for a parameter').text;
      const annotation = this.eatOp(':') ? this.parseType() : null;
      const defaultValue = this.eatOp('=') ? this.parseExpression() : null;
      if (params.some((p) => p.name === paramName))
        throw this.failAt(paramStart, `duplicate parameter '${paramName}'`);
      if (defaultValue === null && params.some((p) => p.default !== null)) {
        throw this.failAt(
          paramStart,
          `parameter '${paramName}' without a default follows a parameter with a default`,
        );
      }
      params.push({ name: paramName, annotation, default: defaultValue, range: this.rangeFrom(paramStart) });
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')', 'to close the parameter list');
    const returns = this.eatOp('->') ? this.parseType() : null;
    const body = this.parseBlock(start, `function definition '${name}'`, 'function', (s) => this.asStmt(s));
    return { kind: 'FunctionDef', name, params, returns, body, decorators, range: this.rangeFrom(start) };
  }

  private parseClassDef(decorators: Expr[]): ClassDef {
    const start = this.next();
    const name = this.expectName("after 'class'").text;
    const bases: TypeExpr[] = [];
    if (this.eatOp('(')) {
      while (!this.atOp(')')) {
        if (this.at('name') && this.atOpAhead('=', 1))
          throw this.failAt(this.peek(), 'class keywords (metaclass=...) are not supported');
        bases.push(this.parseType());
        if (!this.eatOp(',')) break;
      }
      this.expectOp(')', 'to close the base class list');
    }
    const body = this.parseBlock(start, `class definition '${name}'`, 'class', (s) => this.asClassItem(s));
    return { kind: 'ClassDef', name, bases, body, decorators, range: this.rangeFrom(start) };
  }

  private parseIf(): Stmt {
    const start = this.next();
    const test = this.parseExpression();
    const body = this.parseBlock(start, `'${start.text}' statement`, 'function', (s) => this.asStmt(s));
    let orelse: Stmt[] = [];
    if (this.atKeyword('elif')) {
      const elif = this.peek();
      orelse = [this.nested(elif, () => this.parseIf())];
    } else if (this.atKeyword('else')) {
      const elseToken = this.next();
      orelse = this.parseBlock(elseToken, "'else'", 'function', (s) => this.asStmt(s));
    }
    return { kind: 'If', test, body, orelse, range: this.rangeFrom(start) };
  }

  private parseFor(): Stmt {
    const start = this.next();
    const target = this.parseTargetList();
    this.checkTarget(target);
    this.expectKeyword('in', "after the 'for' target");
    const iter = this.parseExpressionList();
    const body = this.parseBlock(start, "'for' statement", 'function', (s) => this.asStmt(s));
    if (this.atKeyword('else'))
      throw this.failAt(this.peek(), "'for ... else' is not supported in TorchScript source");
    return { kind: 'For', target, iter, body, range: this.rangeFrom(start) };
  }

  private parseWhile(): Stmt {
    const start = this.next();
    const test = this.parseExpression();
    const body = this.parseBlock(start, "'while' statement", 'function', (s) => this.asStmt(s));
    if (this.atKeyword('else'))
      throw this.failAt(this.peek(), "'while ... else' is not supported in TorchScript source");
    return { kind: 'While', test, body, range: this.rangeFrom(start) };
  }

  private parseWith(): Stmt {
    const start = this.next();
    const items: WithItem[] = [];
    do {
      const itemStart = this.peek();
      const context = this.parseExpression();
      let target: Expr | null = null;
      if (this.eatKeyword('as')) {
        target = this.parseBinary(0);
        this.checkTarget(target);
      }
      items.push({ context, target, range: this.rangeFrom(itemStart) });
    } while (this.eatOp(','));
    const body = this.parseBlock(start, "'with' statement", 'function', (s) => this.asStmt(s));
    return { kind: 'With', items, body, range: this.rangeFrom(start) };
  }

  /** `: NEWLINE INDENT statements DEDENT`, or `: statement` on the same line. */
  private parseBlock<T>(owner: Token, what: string, context: Context, convert: (s: AnyStatement) => T): T[] {
    this.expectOp(':', `after the header of the ${what}`);
    if (!this.at('newline')) return this.parseSimpleLine(context).map(convert);
    this.next();
    if (!this.at('indent')) {
      throw this.unexpected(`expected an indented block after the ${what} on line ${owner.line}`);
    }
    const indent = this.next();
    return this.nested(indent, () => {
      const body: T[] = [];
      while (!this.at('dedent') && !this.at('eof')) {
        for (const statement of this.parseStatement(context)) body.push(convert(statement));
      }
      this.next();
      return body;
    });
  }

  private asModuleItem(s: AnyStatement): ModuleItem {
    if (
      s.kind === 'Import' ||
      s.kind === 'ImportFrom' ||
      s.kind === 'ClassDef' ||
      s.kind === 'FunctionDef' ||
      s.kind === 'Assign'
    ) {
      return s;
    }
    throw this.misplaced(s, 'at module level');
  }

  private asClassItem(s: AnyStatement): ClassItem {
    if (s.kind === 'AttributeDecl' || s.kind === 'Assign' || s.kind === 'FunctionDef' || s.kind === 'Pass')
      return s;
    throw this.misplaced(s, 'in a class body');
  }

  private asStmt(s: AnyStatement): Stmt {
    if (
      s.kind === 'Import' ||
      s.kind === 'ImportFrom' ||
      s.kind === 'ClassDef' ||
      s.kind === 'AttributeDecl'
    ) {
      throw this.misplaced(s, 'inside a function');
    }
    return s;
  }

  private misplaced(s: AnyStatement, where: string): IRParseError {
    return this.failAt(s.range, `${describeStatement(s)} is not allowed ${where}`);
  }
}
