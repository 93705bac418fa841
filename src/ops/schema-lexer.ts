// Tokens of operator schema strings (`aten::add_.Tensor(Tensor(a!) self, *, Scalar alpha=1) -> Tensor(a!)`),
// and the error every schema parse failure throws: code SCHEMA_PARSE with the 1-based column.

import { TsFreezeError } from '../errors.js';
import { unquoteString } from './literals.js';

/** A malformed schema string. `column` is 1-based; the message shows the schema with a caret. */
export class SchemaParseError extends TsFreezeError {
  constructor(
    readonly schemaText: string,
    readonly column: number,
    readonly reason: string,
  ) {
    const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
    super(
      'SCHEMA_PARSE',
      `invalid operator schema, column ${column}: ${reason}\n  ${schemaText}\n  ${caret}`,
    );
  }
}

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text; for strings the decoded value. */
  readonly text: string;
  /** 0-based offset in the schema string. */
  readonly pos: number;
}

// Longest first, so `->` wins over `-` and `...` over `.`.
const PUNCTUATION = ['...', '::', '->', '(', ')', '[', ']', ',', '?', '!', '|', '*', '=', '.'];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);

// End of `\d*` from p.
function digitsEnd(text: string, p: number): number {
  while (isDigit(text.charCodeAt(p))) p++;
  return p;
}

// A number at `i` (`-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`), or -1. Scanned by hand: the schema table is
// tokenized on first use of each operator, and sticky regexes were most of that time.
function numberEnd(text: string, i: number): number {
  let p = text.charCodeAt(i) === 45 ? i + 1 : i;
  if (isDigit(text.charCodeAt(p))) {
    p = digitsEnd(text, p);
    if (text.charCodeAt(p) === 46) p = digitsEnd(text, p + 1);
  } else if (text.charCodeAt(p) === 46 && isDigit(text.charCodeAt(p + 1))) {
    p = digitsEnd(text, p + 1);
  } else {
    return -1;
  }
  const e = text.charCodeAt(p);
  if (e === 101 || e === 69) {
    const sign = text.charCodeAt(p + 1) === 43 || text.charCodeAt(p + 1) === 45 ? 1 : 0;
    const end = digitsEnd(text, p + 1 + sign);
    if (end > p + 1 + sign) p = end;
  }
  return p;
}

/** Splits a schema string into tokens; throws SchemaParseError on a character no token starts with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let end = i + 1;
      while (isIdentPart(text.charCodeAt(end))) end++;
      tokens.push({ kind: 'ident', text: text.slice(i, end), pos: i });
      i = end;
      continue;
    }
    const numberStart =
      isDigit(c) ||
      (c === 46 && isDigit(text.charCodeAt(i + 1))) ||
      (c === 45 &&
        (isDigit(text.charCodeAt(i + 1)) ||
          (text.charCodeAt(i + 1) === 46 && isDigit(text.charCodeAt(i + 2)))));
    const end = numberStart ? numberEnd(text, i) : -1;
    if (end >= 0) {
      if (isIdentStart(text.charCodeAt(end))) {
        throw new SchemaParseError(text, i + 1, `malformed number '${text.slice(i).split(/[,)\s]/)[0]}'`);
      }
      tokens.push({ kind: 'number', text: text.slice(i, end), pos: i });
      i = end;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const str = unquoteString(text, i + 1, ch);
      if (!str.ok) throw new SchemaParseError(text, str.at + 1, str.reason);
      tokens.push({ kind: 'string', text: str.text, pos: i });
      i = str.end;
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (!punct) throw new SchemaParseError(text, i + 1, `unexpected character '${ch}'`);
    tokens.push({ kind: 'punct', text: punct, pos: i });
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}
