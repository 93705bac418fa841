// Default-value literals of schema strings: floats and quoted strings written the way PyTorch 1.13's
// schema printer writes them, so a parsed schema prints back to the exact text PyTorch gives.

/**
 * Formats a float default as PyTorch does: an integral value within int64 range prints as the
 * integer plus a dot (`1.`, `0.`, `100000000000000000.`), anything else with 17 significant digits
 * in C's `%g` style (`1.0000000000000001e-05`, `0.33333333333333331`, `1e+20`).
 */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  // 2^63 is exactly representable; every integral double below it converts to int64 exactly.
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return `${BigInt(value).toString()}.`;
  return formatG17(value);
}

// C's printf("%.17g"): scientific when the decimal exponent is < -4 or >= 17, trailing zeros dropped.
function formatG17(value: number): string {
  const [mantissa, expText] = value.toExponential(16).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 17) {
    const m = stripZeros(mantissa);
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  return stripZeros(value.toFixed(16 - exp));
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** Writes a string default in double quotes with C escapes (`" \n\t\f\v"`), as PyTorch prints it. */
export function quoteString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python's one-character string escapes (`\n` -> newline), by the character after the backslash. */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
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

// Schema strings know `\0` but no other octal escape.
const UNESCAPES: Readonly<Record<string, string>> = { ...SIMPLE_ESCAPES, '0': '\0' };

/**
 * Reads the body of a quoted string starting at `start` (just after the opening quote). Returns the
 * decoded text and the index just past the closing quote, or the index of the bad escape / end.
 */
export function unquoteString(
  source: string,
  start: number,
  quote: string,
): { ok: true; text: string; end: number } | { ok: false; at: number; reason: string } {
  let text = '';
  let i = start;
  while (i < source.length) {
    const ch = source[i];
    if (ch === quote) return { ok: true, text, end: i + 1 };
    if (ch !== '\\') {
      text += ch;
      i++;
      continue;
    }
    const next = source[i + 1];
    if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(i + 2, i + 4))) {
      text += String.fromCharCode(parseInt(source.slice(i + 2, i + 4), 16));
      i += 4;
      continue;
    }
    const simple = next === undefined ? undefined : UNESCAPES[next];
    if (simple === undefined)
      return { ok: false, at: i, reason: `unknown escape '\\${next ?? ''}' in string` };
    text += simple;
    i += 2;
  }
  return { ok: false, at: start - 1, reason: 'unterminated string' };
}
