// Lexer for TorchScript source (the Python subset torch.jit.save writes): turns text into tokens,
// with Python's NEWLINE/INDENT/DEDENT layout tokens, and reports bad input as TS_SYNTAX errors.
import { IRParseError } from '../../errors.js';
import { KEYWORDS, OPERATORS, type Token, type TokenKind } from './tokens.js';

/** Error code of every TorchScript source syntax error. */
export const TS_SYNTAX = 'TS_SYNTAX';

/** Deepest bracket nesting accepted; deeper input is rejected instead of overflowing the parser's stack (Python stops at 200). */
export const MAX_BRACKET_DEPTH = 100;

/** Makes the IRParseError every syntax error of this frontend throws (code `TS_SYNTAX`, caret under line:col). */
export function syntaxError(
  file: string,
  text: string,
  line: number,
  column: number,
  reason: string,
): IRParseError {
  return new IRParseError({ file, line, column }, reason, text, TS_SYNTAX);
}

// Operators by their first character, longest first (`**=` before `**` before `*`).
const OPS_BY_FIRST: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const op of [...OPERATORS].sort((a, b) => b.length - a.length)) {
    const list = map.get(op[0]) ?? [];
    list.push(op);
    map.set(op[0], list);
  }
  return map;
})();
const NO_OPS: readonly string[] = [];
const CLOSING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
// Python identifiers: Unicode ID_Start/ID_Continue, like Python's XID classes for practical purposes.
const IDENT = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const HEX = /0[xX](?:_?[0-9a-fA-F])+/y;
const OCT = /0[oO](?:_?[0-7])+/y;
const BIN = /0[bB](?:_?[01])+/y;
const RADIX_PREFIXED: Readonly<Record<string, RegExp>> = { x: HEX, X: HEX, o: OCT, O: OCT, b: BIN, B: BIN };
const IDENT_CHAR = /[\p{ID_Continue}]/u;
// The rest of an ASCII name (scanned in native code: a per-character loop costs ~10x more while this code
// is still interpreted), and an indentation of spaces: always match (maybe empty), leaving lastIndex at the end.
const ASCII_NAME_TAIL = /[A-Za-z0-9_]*/y;
const SPACES = / */y;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Python's ID_Continue; ASCII without the (costly to compile) Unicode-property regex.
function isIdentChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return IDENT_CHAR.test(ch);
}

// End of `\d(?:_?\d)*` at p (p itself when there is no digit there).
function digitsEnd(text: string, p: number): number {
  if (!isDigit(text.charCodeAt(p))) return p;
  p++;
  for (;;) {
    const c = text.charCodeAt(p);
    if (isDigit(c)) p++;
    else if (c === 95 && isDigit(text.charCodeAt(p + 1))) p += 2;
    else return p;
  }
}

/**
 * A decimal literal at `start` (which holds a digit, or `.` before a digit), as Python reads it:
 * `(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?`.
 */
function scanDecimal(text: string, start: number): { end: number; float: boolean } {
  let p = digitsEnd(text, start);
  let float = false;
  if (text[p] === '.') {
    const fraction = digitsEnd(text, p + 1);
    if (fraction > p + 1 || p > start) {
      p = fraction > p + 1 ? fraction : p + 1;
      float = true;
    }
  }
  if (text[p] === 'e' || text[p] === 'E') {
    const sign = text[p + 1] === '+' || text[p + 1] === '-' ? 1 : 0;
    const exponent = digitsEnd(text, p + 1 + sign);
    if (exponent > p + 1 + sign) {
      p = exponent;
      float = true;
    }
  }
  return { end: p, float };
}
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

interface OpenBracket {
  readonly char: string;
  readonly line: number;
  readonly column: number;
}

/** Splits TorchScript source into tokens. The last token is always `eof`; blocks are balanced. */
export function tokenize(text: string, file: string): Token[] {
  return new Lexer(text, file).run();
}

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly tokens: Token[] = [];
  private readonly indents: number[] = [0];
  private readonly brackets: OpenBracket[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  run(): Token[] {
    // A UTF-8 byte order mark is not part of the text; columns count from after it.
    if (this.text.startsWith('\uFEFF')) {
      this.pos = 1;
      this.lineStart = 1;
    }
    let atLineStart = true;
    const text = this.text;
    const tokens = this.tokens;
    // The common tokens (ASCII names and keywords, brackets, commas) are lexed in this loop itself: the
    // lexer runs once per file, mostly before V8 optimizes it, and one long loop reaches optimized code
    // (on-stack replacement) sooner than per-token calls do, which also cost much while interpreted.
    while (this.pos < text.length) {
      if (atLineStart && this.brackets.length === 0) {
        if (!this.lineIndentation()) continue;
        atLineStart = false;
      }
      const start = this.pos;
      const c = text.charCodeAt(start);
      if (c === 32) {
        this.pos++;
        continue;
      }
      if (c === 10) {
        // A line feed: NEWLINE outside brackets, then the next line.
        if (this.brackets.length === 0) {
          const column = start - this.lineStart + 1;
          tokens.push({
            kind: 'newline',
            text: '\n',
            value: undefined,
            line: this.line,
            column,
            endLine: this.line,
            endColumn: column + 1,
          });
          atLineStart = true;
        }
        this.pos = start + 1;
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
        ASCII_NAME_TAIL.lastIndex = start + 1;
        ASCII_NAME_TAIL.test(text);
        const end = ASCII_NAME_TAIL.lastIndex;
        const after = text.charCodeAt(end);
        // A non-ASCII character or a quote (a string prefix such as r'...') next: the general path.
        if (!(after >= 128 || after === 34 || after === 39)) {
          const word = text.slice(start, end);
          const column = start - this.lineStart + 1;
          tokens.push({
            kind: KEYWORDS.has(word) ? 'keyword' : 'name',
            text: word,
            value: undefined,
            line: this.line,
            column,
            endLine: this.line,
            endColumn: column + end - start,
          });
          this.pos = end;
          continue;
        }
      } else if (
        c === 40 ||
        c === 41 ||
        c === 44 ||
        c === 91 ||
        c === 93 ||
        (c === 46 && !isDigit(text.charCodeAt(start + 1)) && text.charCodeAt(start + 1) !== 46) ||
        ((c === 61 || c === 58) && text.charCodeAt(start + 1) !== 61)
      ) {
        // `(` `)` `,` `[` `]`, and `.` `=` `:` not starting `...`, a number, `==` or `:=`.
        const op = text[start];
        const column = start - this.lineStart + 1;
        if (c === 40 || c === 41 || c === 91 || c === 93) this.trackBracket(op, this.line, column);
        tokens.push({
          kind: 'op',
          text: op,
          value: undefined,
          line: this.line,
          column,
          endLine: this.line,
          endColumn: column + 1,
        });
        this.pos = start + 1;
        continue;
      }
      const ch = text[start];
      if (ch === '\t' || ch === '\f') {
        this.pos++;
      } else if (ch === '#') {
        this.skipComment();
      } else if (ch === '\n' || ch === '\r') {
        if (this.brackets.length === 0) {
          this.push(
            'newline',
            this.pos,
            this.line,
            this.column(this.pos),
            this.pos + this.newlineLength(this.pos),
          );
          atLineStart = true;
        }
        this.consumeNewline();
      } else if (ch === '\\') {
        const n = this.newlineLength(this.pos + 1);
        if (n === 0)
          throw this.fail(
            this.line,
            this.column(this.pos),
            'unexpected character after line continuation character',
          );
        this.pos++;
        this.consumeNewline();
      } else {
        this.lexToken();
      }
    }
    return this.finish();
  }

  /** At the start of a line: measures its indentation and emits INDENT/DEDENT. Returns false for blank and comment-only lines. */
  private lineIndentation(): boolean {
    SPACES.lastIndex = this.pos;
    SPACES.test(this.text);
    let p = SPACES.lastIndex;
    // Spaces only (what torch.jit.save writes): the width is the run's length.
    let width = p - this.pos;
    if (this.text[p] === '\t' || this.text[p] === '\f') {
      width = 0;
      for (p = this.pos; p < this.text.length; p++) {
        const c = this.text[p];
        if (c === ' ') width++;
        else if (c === '\t') width = (Math.floor(width / 8) + 1) * 8;
        else if (c === '\f') width = 0;
        else break;
      }
    }
    this.pos = p;
    if (p >= this.text.length) return false;
    const c = this.text[p];
    if (c === '#' || c === '\n' || c === '\r') {
      if (c === '#') this.skipComment();
      if (this.pos < this.text.length) this.consumeNewline();
      return false;
    }
    const column = this.column(p);
    const top = this.indents[this.indents.length - 1];
    if (width > top) {
      this.indents.push(width);
      this.push('indent', p, this.line, column, p);
    } else {
      while (width < this.indents[this.indents.length - 1]) {
        this.indents.pop();
        this.push('dedent', p, this.line, column, p);
      }
      if (width !== this.indents[this.indents.length - 1]) {
        throw this.fail(this.line, column, 'unindent does not match any outer indentation level');
      }
    }
    return true;
  }

  // Tokens run() does not lex itself: names followed by a quote or non-ASCII character, numbers, strings,
  // other operators.
  private lexToken(): void {
    const start = this.pos;
    const line = this.line;
    const column = this.column(start);
    const ch = this.text[start];
    const ident = this.scanIdentifier(start);
    if (ident) {
      const word = ident;
      const next = this.text[start + word.length];
      if ((next === '"' || next === "'") && /^(?:[rRuUbBfF]|[bBfF][rR]|[rR][bBfF])$/.test(word)) {
        if (/[bB]/.test(word))
          throw this.fail(line, column, 'bytes literals are not supported in TorchScript source');
        if (/[fF]/.test(word))
          throw this.fail(line, column, 'f-strings are not supported in TorchScript source');
        this.pos = start + word.length;
        this.lexString(start, line, column, /[rR]/.test(word));
        return;
      }
      this.pos = start + word.length;
      this.push(KEYWORDS.has(word) ? 'keyword' : 'name', start, line, column, this.pos);
      return;
    }
    if (isDigit(ch.charCodeAt(0)) || (ch === '.' && isDigit(this.text.charCodeAt(start + 1)))) {
      this.lexNumber(start, line, column);
      return;
    }
    if (ch === '"' || ch === "'") {
      this.lexString(start, line, column, false);
      return;
    }
    const candidates = OPS_BY_FIRST.get(ch) ?? NO_OPS;
    // An index loop: the for-of iterator protocol cost more than the matching in this cold code.
    for (let i = 0; i < candidates.length; i++) {
      const op = candidates[i];
      if (op.length > 1 && !this.text.startsWith(op, start)) continue;
      this.trackBracket(op, line, column);
      this.pos = start + op.length;
      this.push('op', start, line, column, this.pos);
      return;
    }
    const shown =
      ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f
        ? `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
        : `'${ch}'`;
    throw this.fail(line, column, `unexpected character ${shown}`);
  }

  // An identifier at `start`, or undefined. ASCII names (all of what torch.jit.save writes) are scanned
  // directly; anything else goes through the Unicode ID_Start/ID_Continue regex.
  private scanIdentifier(start: number): string | undefined {
    const text = this.text;
    const c0 = text.charCodeAt(start);
    const asciiStart = (c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95;
    if (asciiStart) {
      let end = start + 1;
      for (;;) {
        const c = text.charCodeAt(end);
        if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) end++;
        else if (c >= 128) break;
        else return text.slice(start, end);
      }
    } else if (c0 < 128) {
      return undefined;
    }
    IDENT.lastIndex = start;
    return IDENT.exec(text)?.[0];
  }

  private trackBracket(op: string, line: number, column: number): void {
    if (op === '(' || op === '[' || op === '{') {
      if (this.brackets.length >= MAX_BRACKET_DEPTH) {
        throw this.fail(line, column, `too many nested brackets (more than ${MAX_BRACKET_DEPTH})`);
      }
      this.brackets.push({ char: op, line, column });
      return;
    }
    const opener = CLOSING[op];
    if (opener === undefined) return;
    const open = this.brackets.pop();
    if (open === undefined) throw this.fail(line, column, `unmatched '${op}'`);
    if (open.char !== opener) {
      throw this.fail(
        line,
        column,
        `closing '${op}' does not match opening '${open.char}' at line ${open.line}, column ${open.column}`,
      );
    }
  }

  private lexNumber(start: number, line: number, column: number): void {
    let kind: TokenKind = 'int';
    let end = -1;
    // Sticky regexes over the whole file were most of the lexer's time on first use: the prefixed forms
    // (rare) keep them, decimals are scanned by hand.
    const radix = this.text[start] === '0' ? RADIX_PREFIXED[this.text[start + 1]] : undefined;
    if (radix !== undefined) {
      radix.lastIndex = start;
      const m = radix.exec(this.text);
      if (m) end = start + m[0].length;
    }
    if (end < 0) {
      const scan = scanDecimal(this.text, start);
      end = scan.end;
      const body = this.text.slice(start, end);
      if (scan.float) kind = 'float';
      else if (/^0[0-9_]*[1-9]/.test(body)) {
        throw this.fail(line, column, 'leading zeros in decimal integer literals are not permitted');
      }
    }
    const next = this.text[end];
    if (next !== undefined && isIdentChar(next)) {
      if (next === 'j' || next === 'J')
        throw this.fail(line, column, 'complex literals are not supported in TorchScript source');
      throw this.fail(line, column, `invalid number literal '${this.text.slice(start, end + 1)}'`);
    }
    this.pos = end;
    this.push(kind, start, line, column, end);
  }

  /** Lexes a string whose prefix (if any) ends at this.pos; `start` is where the prefix begins. */
  private lexString(start: number, line: number, column: number, raw: boolean): void {
    const quote = this.text[this.pos];
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    this.pos += triple ? 3 : 1;
    let value = '';
    for (;;) {
      if (this.pos >= this.text.length) {
        throw this.fail(
          line,
          column,
          triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal',
        );
      }
      const c = this.text[this.pos];
      if (c === quote && (!triple || this.text.startsWith(quote.repeat(3), this.pos))) {
        this.pos += triple ? 3 : 1;
        break;
      }
      if (c === '\n' || c === '\r') {
        if (!triple) throw this.fail(line, column, 'unterminated string literal');
        value += '\n';
        this.consumeNewline();
      } else if (c === '\\') {
        value += this.escape(raw);
      } else {
        value += c;
        this.pos++;
      }
    }
    this.push('string', start, line, column, this.pos, value);
  }

  /** Decodes the escape sequence at this.pos (a backslash) and returns its value. */
  private escape(raw: boolean): string {
    const at = this.pos;
    const next = this.text[at + 1];
    if (next === undefined) {
      this.pos++;
      return '\\';
    }
    if (next === '\n' || next === '\r') {
      this.pos++;
      this.consumeNewline();
      return raw ? '\\\n' : '';
    }
    if (raw) {
      this.pos += 2;
      return '\\' + next;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    if (/[0-7]/.test(next)) {
      const digits = /[0-7]{1,3}/y;
      digits.lastIndex = at + 1;
      const m = digits.exec(this.text) as RegExpExecArray;
      this.pos = at + 1 + m[0].length;
      return String.fromCharCode(parseInt(m[0], 8));
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.text.slice(at + 2, at + 2 + hexLength);
      if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex)) {
        throw this.fail(
          this.line,
          this.column(at),
          `truncated \\${next} escape: expected ${hexLength} hex digits`,
        );
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff)
        throw this.fail(this.line, this.column(at), `illegal Unicode character \\${next}${hex}`);
      this.pos = at + 2 + hexLength;
      return String.fromCodePoint(code);
    }
    if (next === 'N')
      throw this.fail(this.line, this.column(at), '\\N{...} escapes are not supported in TorchScript source');
    // Like Python: an unknown escape keeps its backslash.
    this.pos += 2;
    return '\\' + next;
  }

  private finish(): Token[] {
    const open = this.brackets[this.brackets.length - 1];
    if (open !== undefined) throw this.fail(open.line, open.column, `'${open.char}' was never closed`);
    const end = this.text.length;
    const last = this.tokens[this.tokens.length - 1];
    if (last !== undefined && last.kind !== 'newline' && last.kind !== 'dedent') {
      this.push('newline', end, this.line, this.column(end), end);
    }
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push('dedent', end, this.line, this.column(end), end);
    }
    this.push('eof', end, this.line, this.column(end), end);
    return this.tokens;
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n' && this.text[this.pos] !== '\r')
      this.pos++;
  }

  private newlineLength(p: number): number {
    const c = this.text[p];
    if (c === '\r') return this.text[p + 1] === '\n' ? 2 : 1;
    return c === '\n' ? 1 : 0;
  }

  /** Consumes the line break at this.pos and moves the line bookkeeping to the next line. */
  private consumeNewline(): void {
    this.pos += this.newlineLength(this.pos);
    this.line++;
    this.lineStart = this.pos;
  }

  private column(p: number): number {
    return p - this.lineStart + 1;
  }

  /** Appends a token that started at `start` (line/column given) and ends at `end` on the current line. */
  private push(
    kind: TokenKind,
    start: number,
    line: number,
    column: number,
    end: number,
    value?: string,
  ): void {
    // One object shape for every token (`value` undefined except on strings) keeps the parser's reads monomorphic.
    const token: Token = {
      kind,
      text: this.text.slice(start, end),
      value,
      line,
      column,
      endLine: this.line,
      endColumn: end - this.lineStart + 1,
    };
    this.tokens.push(token);
  }

  private fail(line: number, column: number, reason: string): IRParseError {
    return syntaxError(this.file, this.text, line, column, reason);
  }
}
