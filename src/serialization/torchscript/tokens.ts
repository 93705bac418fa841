// Token kinds of the TorchScript source lexer: the Python tokens torch.jit.save writes into code/**.py,
// plus the INDENT/DEDENT/NEWLINE layout tokens that carry Python's significant indentation.

/**
 * What a token is. `name` is an identifier that is not a keyword; `op` covers punctuation and
 * operators (`(`, `->`, `//=`, `...`); `newline` ends a logical line; `indent`/`dedent` open and
 * close a block; `eof` is always the last token.
 */
export type TokenKind =
  'name' | 'keyword' | 'int' | 'float' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

/** One token. Positions are 1-based; `endColumn` is the column just past the last character. */
export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for layout tokens: '' or the line break). */
  readonly text: string;
  /** The decoded value of a `string` token (escapes resolved, quotes and prefix removed). */
  readonly value?: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Python's reserved words; any of them where a name is expected is a syntax error. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

/** Operators and punctuation, longest first so the lexer can take the first that matches. */
export const OPERATORS: readonly string[] = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '->',
  '**',
  '//',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  ':=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '@',
  '&',
  '|',
  '^',
  '~',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
  ';',
  '=',
];

/** Augmented assignment operators mapped to the binary operator they apply. */
export const AUGMENTED_ASSIGN: ReadonlyMap<string, string> = new Map([
  ['+=', '+'],
  ['-=', '-'],
  ['*=', '*'],
  ['/=', '/'],
  ['//=', '//'],
  ['%=', '%'],
  ['**=', '**'],
  ['@=', '@'],
  ['&=', '&'],
  ['|=', '|'],
  ['^=', '^'],
  ['<<=', '<<'],
  ['>>=', '>>'],
]);

/** A short human description of a token for error messages (`'('`, `name 'x'`, `end of line`). */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'newline':
      return 'end of line';
    case 'indent':
      return 'indent';
    case 'dedent':
      return 'dedent';
    case 'eof':
      return 'end of file';
    case 'name':
      return `name '${token.text}'`;
    case 'keyword':
      return `keyword '${token.text}'`;
    case 'string':
      return 'string literal';
    case 'int':
    case 'float':
      return `number ${token.text}`;
    case 'op':
      return `'${token.text}'`;
  }
}
