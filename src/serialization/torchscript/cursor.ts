// Token cursor shared by the expression, type and statement parsers: look-ahead, expectations,
// source ranges, a nesting budget that keeps hostile input from overflowing the stack, and errors.
import type { IRParseError } from '../../errors.js';
import type { SourceRange } from './ast.js';
import { syntaxError } from './lexer.js';
import { describeToken, type Token, type TokenKind } from './tokens.js';

/**
 * How deep brackets, unary operators, blocks and `else` chains may nest before the parser refuses the
 * input. Each level costs a bounded number of stack frames, so this keeps recursion far from
 * Node's stack limit on any input; real TorchScript nests a few levels.
 */
export const MAX_NESTING = 100;

/** Longest run of one binary operator (`a + b + ...`), which builds a left-deep tree that later walkers recurse into. */
export const MAX_OPERATOR_CHAIN = 500;

/** Position and look-ahead over a token array; the base of the parser classes. */
export class TokenCursor {
  protected pos = 0;
  private depth = 0;

  constructor(
    protected readonly tokens: readonly Token[],
    protected readonly file: string,
    protected readonly text: string,
  ) {}

  // The cursor's methods run per token, mostly before V8 optimizes them: plain indexing, no default
  // parameters. `pos` never passes the final `eof`, so tokens[pos] is always a token.

  /** The current token (the final `eof` once everything is consumed). */
  protected peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  /** The token `offset` places ahead (the final `eof` past the end). */
  protected peekAhead(offset: number): Token {
    const i = this.pos + offset;
    return this.tokens[i < this.tokens.length ? i : this.tokens.length - 1] as Token;
  }

  protected next(): Token {
    const token = this.tokens[this.pos] as Token;
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  /** The last consumed token (used to end ranges). */
  protected previous(): Token {
    return this.tokens[Math.max(0, this.pos - 1)] as Token;
  }

  protected at(kind: TokenKind): boolean {
    return (this.tokens[this.pos] as Token).kind === kind;
  }

  protected atOp(op: string): boolean {
    const token = this.tokens[this.pos] as Token;
    return token.kind === 'op' && token.text === op;
  }

  /** Whether the token `offset` places ahead is the operator `op`. */
  protected atOpAhead(op: string, offset: number): boolean {
    const token = this.peekAhead(offset);
    return token.kind === 'op' && token.text === op;
  }

  protected atKeyword(word: string): boolean {
    const token = this.tokens[this.pos] as Token;
    return token.kind === 'keyword' && token.text === word;
  }

  /** Whether the token `offset` places ahead is the keyword `word`. */
  protected atKeywordAhead(word: string, offset: number): boolean {
    const token = this.peekAhead(offset);
    return token.kind === 'keyword' && token.text === word;
  }

  protected eatOp(op: string): boolean {
    if (!this.atOp(op)) return false;
    this.next();
    return true;
  }

  protected eatKeyword(word: string): boolean {
    if (!this.atKeyword(word)) return false;
    this.next();
    return true;
  }

  /** Consumes `op` or fails with "expected 'op' <context>, found ...". */
  protected expectOp(op: string, context: string): Token {
    if (!this.atOp(op)) throw this.unexpected(`expected '${op}' ${context}`);
    return this.next();
  }

  protected expectKeyword(word: string, context: string): Token {
    if (!this.atKeyword(word)) throw this.unexpected(`expected '${word}' ${context}`);
    return this.next();
  }

  /** Consumes an identifier; a keyword in its place is reported as such. */
  protected expectName(context: string): Token {
    if (!this.at('name')) throw this.unexpected(`expected a name ${context}`);
    return this.next();
  }

  protected expectNewline(context: string): Token {
    if (!this.at('newline')) throw this.unexpected(`expected end of line ${context}`);
    return this.next();
  }

  /** The range from `start`'s first character to the end of the last consumed token. */
  protected rangeFrom(start: Token): SourceRange {
    // A block ends with NEWLINE/DEDENT tokens that sit on the next line; end at the last real token.
    let i = this.pos - 1;
    while (i > 0 && isLayout(this.tokens[i] as Token)) i--;
    const end = this.tokens[Math.max(0, i)] as Token;
    return {
      file: this.file,
      line: start.line,
      column: start.column,
      endLine: end.endLine,
      endColumn: end.endColumn,
    };
  }

  /** The range of one token. */
  protected rangeOf(token: Token): SourceRange {
    return {
      file: this.file,
      line: token.line,
      column: token.column,
      endLine: token.endLine,
      endColumn: token.endColumn,
    };
  }

  /**
   * Enters one nesting level, left by {@link leave}; fails at `token` when the budget is exhausted. For
   * the hottest paths (calls, brackets), instead of a closure for {@link nested}: an error ends the parse,
   * so a level left unbalanced by a throw is never looked at again.
   */
  protected enter(token: Token): void {
    if (this.depth >= MAX_NESTING) {
      throw this.failAt(token, `too deeply nested (more than ${MAX_NESTING} levels)`);
    }
    this.depth++;
  }

  protected leave(): void {
    this.depth--;
  }

  /** Runs `body` one nesting level deeper; fails at `token` when the budget is exhausted. */
  protected nested<T>(token: Token, body: () => T): T {
    if (this.depth >= MAX_NESTING) {
      throw this.failAt(token, `too deeply nested (more than ${MAX_NESTING} levels)`);
    }
    this.depth++;
    try {
      return body();
    } finally {
      this.depth--;
    }
  }

  /** A syntax error at the current token: "<message>, found <token>". */
  protected unexpected(message: string): IRParseError {
    const token = this.peek();
    const found = token.kind === 'indent' ? 'unexpected indent' : `found ${describeToken(token)}`;
    return this.failAt(token, `${message}, ${found}`);
  }

  protected failAt(where: Token | SourceRange, reason: string): IRParseError {
    return syntaxError(this.file, this.text, where.line, where.column, reason);
  }
}

function isLayout(token: Token): boolean {
  return (
    token.kind === 'newline' || token.kind === 'indent' || token.kind === 'dedent' || token.kind === 'eof'
  );
}
