// Character-level scanner for IR text: positions, line layout, identifiers, numbers, quoted strings,
// and IRParseError with file:line:col and a caret. The IR is line-oriented, so newlines are explicit.

import { formatLocated, IRParseError } from '../../errors.js';
import { currentLimits, LimitError } from '../../limits.js';

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;

/** True for the characters of value names and of the parts of qualified names: [A-Za-z0-9_]. */
export function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** True for [0-9]. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const NUMBER = /-?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|nan)/y;

/** A scanner over one IR text. `pos` is the only state; callers move it through the methods. */
export class Lexer {
  pos = 0;
  /** How many blocks, types or values enclose the current position (bounded by maxNestingDepth). */
  private depth = 0;

  constructor(
    readonly text: string,
    readonly file = '<ir>',
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Char code at pos + offset, or -1 past the end. */
  peek(offset = 0): number {
    const i = this.pos + offset;
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }

  /** True at the end of a line (newline or end of text). */
  get atLineEnd(): boolean {
    const c = this.peek();
    return c === NEWLINE || c === -1;
  }

  /** Skips spaces and tabs (never newlines). */
  skipSpaces(): void {
    const t = this.text;
    let p = this.pos;
    for (let c = t.charCodeAt(p); c === SPACE || c === TAB; c = t.charCodeAt(++p));
    this.pos = p;
  }

  /** True if `s` is at pos (does not move). */
  lookingAt(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Consumes `s` if it is at pos. */
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }

  /** Consumes `s` (after optional spaces) or throws "expected <what>". */
  expect(s: string, what = `'${s}'`): void {
    this.skipSpaces();
    if (!this.eat(s)) throw this.error(`expected ${what}${this.found()}`);
  }

  /** Describes what is at pos, for messages: ", found 'x'" or ", found end of line". */
  found(): string {
    if (this.atEnd) return ', found end of input';
    if (this.atLineEnd) return ', found end of line';
    const rest = /^(%?[A-Za-z0-9_.:]+|\S)/.exec(this.text.slice(this.pos, this.pos + 40));
    return rest ? `, found '${rest[1]}'` : '';
  }

  /** Reads [A-Za-z0-9_]+ and dots: a value name after `%`, or a dotted qualified name. */
  readDottedWord(): string {
    const t = this.text;
    const start = this.pos;
    let p = start;
    for (let c = t.charCodeAt(p); isWordChar(c) || c === 0x2e; c = t.charCodeAt(++p));
    this.pos = p;
    return t.slice(start, p);
  }

  /** Reads an identifier [A-Za-z_][A-Za-z0-9_]*, or returns '' without moving. */
  readIdent(): string {
    const t = this.text;
    const start = this.pos;
    const c0 = t.charCodeAt(start);
    if (!isWordChar(c0) || isDigit(c0)) return '';
    let p = start + 1;
    for (let c = t.charCodeAt(p); isWordChar(c); c = t.charCodeAt(++p));
    this.pos = p;
    return t.slice(start, p);
  }

  /** Reads a number token (`-1`, `1.`, `1.0000000000000001e-05`, `inf`, `-nan`) or returns undefined. */
  readNumber(): string | undefined {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return undefined;
    // `inf`/`nan` must not be the start of a longer word (`info`, `nano`).
    if (isWordChar(this.text.charCodeAt(this.pos + m[0].length)) && /[fn]$/.test(m[0])) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads a double-quoted string with PyTorch's escapes (see decodeEscapes); pos is at the quote. */
  readString(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) break;
      if (c === NEWLINE || Number.isNaN(c)) throw this.error('unterminated string', start);
      if (c === 0x5c) {
        escaped = true;
        p++;
        if (t.charCodeAt(p) === NEWLINE || p >= t.length) throw this.error('unterminated string', start);
      }
      p++;
    }
    this.pos = p + 1;
    const body = t.slice(start + 1, p);
    return escaped ? decodeEscapes(body, (offset, why) => this.error(why, start + 1 + offset)) : body;
  }

  /** Skips blank lines and whole-line `#` comments from the start of a line; pos ends at a line start. */
  skipBlankLines(): void {
    const t = this.text;
    for (;;) {
      let p = this.pos;
      for (let c = t.charCodeAt(p); c === SPACE || c === TAB; c = t.charCodeAt(++p));
      const c = t.charCodeAt(p);
      if (c === 0x23) {
        const nl = t.indexOf('\n', p);
        p = nl < 0 ? t.length : nl;
      }
      if (p >= t.length) {
        this.pos = t.length;
        return;
      }
      if (t.charCodeAt(p) !== NEWLINE) return;
      this.pos = p + 1;
    }
  }

  /** Counts the spaces at pos (a line start) and moves past them; a tab there is an error. */
  readIndent(): number {
    const t = this.text;
    const start = this.pos;
    let p = start;
    for (; t.charCodeAt(p) === SPACE; p++);
    if (t.charCodeAt(p) === TAB) throw this.error('tab in indentation: indent with spaces', p);
    this.pos = p;
    return p - start;
  }

  /** Requires the end of the line (after optional spaces) and moves to the start of the next one. */
  endLine(what = 'end of line'): void {
    this.skipSpaces();
    const c = this.peek();
    if (c === NEWLINE) this.pos++;
    else if (c !== -1) throw this.error(`expected ${what}${this.found()}`);
  }

  /** 1-based line and column of a text offset. Linear in the offset: used only to report errors. */
  locate(offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    const t = this.text;
    for (let nl = t.indexOf('\n'); nl >= 0 && nl < offset; nl = t.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    return { line, column: offset - lineStart + 1 };
  }

  /** An IRParseError at `offset` (default: pos) showing the line and a caret. */
  /**
   * Runs `parse` one nesting level deeper. Past the maxNestingDepth limit it throws a LimitError with
   * file:line:col, so recursive parsers (and every recursive consumer of what they build) stay in the stack.
   */
  nested<T>(parse: () => T): T {
    if (this.depth >= currentLimits().maxNestingDepth) {
      const { line, column } = this.locate(Math.min(this.pos, this.text.length));
      const where = formatLocated({ file: this.file, line, column }, 'nested too deeply');
      throw new LimitError('maxNestingDepth', this.depth + 1, where);
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  error(reason: string, offset = this.pos): IRParseError {
    const { line, column } = this.locate(Math.min(offset, this.text.length));
    return new IRParseError({ file: this.file, line, column }, reason, this.text);
  }
}

const SIMPLE_ESCAPES: Record<string, number> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
};

/**
 * Decodes the escapes PyTorch's printQuotedString writes: `\\ \' \" \a \b \f \n \r \t \v`, and `\ddd`
 * for any other byte outside 0x20-0x7e. PyTorch builds those three characters from a *signed* char,
 * so bytes >= 0x80 come out as '0' plus a negative digit (`é` = C3 A9 prints as `\0)+\/.)`); we undo
 * that arithmetic, which makes non-ASCII strings round-trip. `\xHH` is accepted too. The bytes are UTF-8.
 */
export function decodeEscapes(body: string, fail: (offset: number, why: string) => Error): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const code = body.charCodeAt(i);
      if (code < 0x80) bytes.push(code);
      else {
        // Raw non-ASCII text (hand-written IR): keep its UTF-8 bytes; surrogate pairs stay together.
        const cp = body.codePointAt(i)!;
        const s = String.fromCodePoint(cp);
        for (const b of encoder.encode(s)) bytes.push(b);
        i += s.length - 1;
      }
      continue;
    }
    const e = body[i + 1];
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]);
      i++;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const digits = body.slice(i + 1, i + 4);
      // Each of the three characters is '0' + d with d in -7..7 (negative only for bytes >= 0x80).
      if (digits.length !== 3 || ![...digits].every((d) => d >= ')' && d <= '7')) {
        throw fail(i, `bad escape '\\${e ?? ''}' in string`);
      }
      const d = [...digits].map((x) => x.charCodeAt(0) - 0x30);
      const value = (d[0] * 8 + d[1]) * 8 + d[2];
      if (value < -128 || value > 255) throw fail(i, `bad escape '\\${digits}' in string`);
      bytes.push(value & 0xff);
      i += 3;
    }
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
}

/** Quotes a string exactly as PyTorch's printQuotedString does (on its UTF-8 bytes, as signed chars). */
export function quoteString(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5c || c === 0x27 || c === 0x22) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${s}"`;
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    switch (byte) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x27:
        out += "\\'";
        break;
      case 0x22:
        out += '\\"';
        break;
      case 7:
        out += '\\a';
        break;
      case 8:
        out += '\\b';
        break;
      case 12:
        out += '\\f';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      case 11:
        out += '\\v';
        break;
      default:
        if (byte > 0x1f && byte < 0x7f) out += String.fromCharCode(byte);
        else out += '\\' + signedOctal(byte);
    }
  }
  return out + '"';
}

// C's `%` and `/` truncate toward zero, so a negative (signed) char yields "digits" below '0'.
function signedOctal(byte: number): string {
  let s = byte >= 0x80 ? byte - 0x100 : byte;
  const d2 = s % 8;
  s = Math.trunc(s / 8);
  const d1 = s % 8;
  s = Math.trunc(s / 8);
  return String.fromCharCode(0x30 + s, 0x30 + d1, 0x30 + d2);
}
