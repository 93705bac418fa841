// Decoders for the text arguments of protocol 0/1 opcodes (INT, LONG, FLOAT, STRING, UNICODE): Python's
// int/float literals, escaped string reprs and raw-unicode-escape. Each returns undefined for malformed text.

const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An INT line: `01`/`00` are True/False (protocol 0 bools), anything else a decimal int. */
export function parseIntLine(text: string): number | bigint | boolean | undefined {
  if (text === '01') return true;
  if (text === '00') return false;
  return parseDecimal(text.trim());
}

/** A LONG line: a decimal with an optional trailing `L` (Python 2 longs). */
export function parseLongLine(text: string): number | bigint | undefined {
  const trimmed = text.trim();
  return parseDecimal(trimmed.endsWith('L') ? trimmed.slice(0, -1) : trimmed);
}

function parseDecimal(text: string): number | bigint | undefined {
  if (!INT_TEXT.test(text)) return undefined;
  const value = BigInt(text);
  const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  return safe ? Number(value) : value;
}

/** A FLOAT line as Python's repr writes it (`1.5`, `1e+100`, `inf`, `nan`). */
export function parseFloatLine(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'inf' || trimmed === '+inf' || trimmed === 'infinity') return Number.POSITIVE_INFINITY;
  if (trimmed === '-inf' || trimmed === '-infinity') return Number.NEGATIVE_INFINITY;
  if (trimmed === 'nan' || trimmed === '-nan' || trimmed === '+nan') return Number.NaN;
  return FLOAT_TEXT.test(trimmed) ? Number(trimmed) : undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/** A STRING argument: a quoted Python 2 str repr, escapes decoded, as latin-1 text. */
export function decodeStringLiteral(text: string): string | undefined {
  if (text.length < 2 || text[0] !== text[text.length - 1] || (text[0] !== "'" && text[0] !== '"'))
    return undefined;
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === 'x') {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 3;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(octal, 8) & 0xff);
      i += octal.length;
    } else {
      out += c; // Python keeps unknown escapes verbatim.
    }
  }
  return out;
}

/** A UNICODE argument: latin-1 text where only `\uXXXX` and `\UXXXXXXXX` are escapes. */
export function decodeRawUnicodeEscape(text: string): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const kind = text[i + 1];
    if (c === '\\' && (kind === 'u' || kind === 'U')) {
      const width = kind === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + width);
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += 1 + width;
    } else {
      out += c;
    }
  }
  return out;
}
