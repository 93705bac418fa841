// Number formatting as C's printf and Python's format do it: exact decimal rounding with ties to even
// (JS's toFixed/toExponential round ties away from zero), C-style exponents (e+05) and %g.

const EXTRA = 40;

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

// When the digits cut off after `keep` are exactly "5000...", the value sits on a tie; round to even then.
function tieToEven(extended: string, keepLength: number, rounded: string): string {
  const rest = extended.slice(keepLength);
  if (!/^50*$/.test(rest)) return rounded;
  const kept = extended.slice(0, keepLength);
  const lastDigit = kept.replace(/\.$/, '').slice(-1);
  if (Number(lastDigit) % 2 !== 0) return rounded;
  return kept.endsWith('.') ? kept.slice(0, -1) : kept;
}

/** printf("%.Nf") / Python "{:.Nf}". */
export function formatFixed(x: number, digits: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  if (Math.abs(x) >= 1e21)
    return BigInt(Math.trunc(x)).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  const rounded = x.toFixed(digits);
  const ext = x.toFixed(Math.min(100, digits + EXTRA));
  const keep = ext.length - (Math.min(100, digits + EXTRA) - digits);
  const fixedSign = (s: string): string => (Object.is(x, -0) || (x < 0 && !s.startsWith('-')) ? '-' + s : s);
  return fixedSign(tieToEven(ext, keep, rounded));
}

function cExponent(s: string): string {
  // JS writes e+5; C and Python write at least two exponent digits: e+05.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** printf("%.Ne") / Python "{:.Ne}". */
export function formatExponential(x: number, digits: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  const rounded = x.toExponential(digits);
  const ext = x.toExponential(Math.min(100, digits + EXTRA));
  const [mant, exp] = ext.split('e');
  const [rMant, rExp] = rounded.split('e');
  const keep = mant.length - (Math.min(100, digits + EXTRA) - digits);
  const chosen = tieToEven(mant, keep, rMant);
  const exponent = chosen === rMant ? rExp : exp;
  const sign = Object.is(x, -0) && !chosen.startsWith('-') ? '-' : '';
  return cExponent(`${sign}${chosen}e${exponent}`);
}

/** printf("%.Pg"), i.e. C++ ostream's default float format (precision P, trailing zeros dropped). */
export function formatGeneral(x: number, precision = 6): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const e = formatExponential(x, p - 1);
  const exponent = Number(e.slice(e.indexOf('e') + 1));
  const strip = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exponent < p && exponent >= -4) return strip(formatFixed(x, p - 1 - exponent));
  const [mant, exp] = e.split('e');
  return `${strip(mant)}e${exp}`;
}
