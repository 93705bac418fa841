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
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NUMBER_START = /-?\.?\d/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const IDENT_START = /[A-Za-z_]/y;

// Sticky-regex match at `pos` without slicing the string.
function matchAt(re: RegExp, text: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m[0] : null;
}

/** Splits a schema string into tokens; throws SchemaParseError on a character no token starts with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const ident = matchAt(IDENT, text, i);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident, pos: i });
      i += ident.length;
      continue;
    }
    const number = matchAt(NUMBER_START, text, i) ? matchAt(NUMBER, text, i) : null;
    if (number) {
      if (matchAt(IDENT_START, text, i + number.length)) {
        throw new SchemaParseError(text, i + 1, `malformed number '${text.slice(i).split(/[,)\s]/)[0]}'`);
      }
      tokens.push({ kind: 'number', text: number, pos: i });
      i += number.length;
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
