// TorchScript's str methods (aten::strip, aten::split.str, aten::find, ...), keyed by overload. They follow
// PyTorch 1.13's C++ implementations where those differ from Python: find/count/startswith take
// `end=-1` as "to the end", split(None, max) ignores max, splitlines(True) returns each line break as
// its own item, zfill ignores a sign. Strings are JS strings (PyTorch's are bytes: non-ASCII text
// differs in len() and indexing; see docs/freeze.md).

import { RuntimeError } from '../../errors.js';
import type { IValue } from '../../ir/ivalue.js';
import type { ScalarCall, ScalarOp } from '../scalar-ops.js';

const WHITESPACE = ' \t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029';
const LINE_BREAKS = '\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029';
const DEFAULT_STRIP = ' \n\t\f\v';

const str = (c: ScalarCall, i: number): string => c.args[i] as string;
const int = (c: ScalarCall, i: number, fallback: number): number =>
  c.args[i] === undefined || c.args[i] === null ? fallback : Number(c.args[i]);

/** The substring find/count/startswith look at: negative start counts from the end, `end < 0` from end+1. */
function window(s: string, start: number, end: number): { text: string; start: number } {
  const size = s.length;
  const b = start < 0 ? Math.max(0, size + start) : start;
  const e = end < 0 ? Math.max(0, size + end + 1) : end;
  return { text: e > b ? s.slice(b, e) : '', start: b };
}

function find(c: ScalarCall, reverse: boolean): number {
  const sub = str(c, 1);
  const w = window(str(c, 0), int(c, 2, 0), int(c, 3, -1));
  if (w.text.length < sub.length) return -1;
  const at = reverse ? w.text.lastIndexOf(sub) : w.text.indexOf(sub);
  return at < 0 ? -1 : at + w.start;
}

function indexOrThrow(c: ScalarCall, reverse: boolean): number {
  const at = find(c, reverse);
  if (at < 0) throw new RuntimeError('VALUE_ERROR', 'ValueError: substring not found');
  return at;
}

function lstrip(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i])) i++;
  return s.slice(i);
}

function rstrip(s: string, chars: string): string {
  let j = s.length;
  while (j > 0 && chars.includes(s[j - 1])) j--;
  return s.slice(0, j);
}

// split(None): runs of whitespace separate; no empty items; max is ignored (as in PyTorch).
function splitWhitespace(s: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of s) {
    if (WHITESPACE.includes(ch)) {
      if (word) out.push(word);
      word = '';
    } else word += ch;
  }
  if (word) out.push(word);
  return out;
}

function splitSep(s: string, sep: string, max: number): string[] {
  if (sep === '') throw new RuntimeError('VALUE_ERROR', 'ValueError: empty separator');
  const out: string[] = [];
  let prev = 0;
  for (let pos = s.indexOf(sep); pos >= 0; pos = s.indexOf(sep, prev)) {
    if (max >= 0 && out.length >= max) break;
    out.push(s.slice(prev, pos));
    prev = pos + sep.length;
  }
  out.push(s.slice(prev));
  return out;
}

function rsplitSep(s: string, sep: string, max: number): string[] {
  if (sep === '') throw new RuntimeError('VALUE_ERROR', 'ValueError: empty separator');
  const out: string[] = [];
  let end = s.length;
  while (max < 0 || out.length < max) {
    const pos = end < sep.length ? -1 : s.lastIndexOf(sep, end - sep.length);
    if (pos < 0) break;
    out.unshift(s.slice(pos + sep.length, end));
    end = pos;
  }
  out.unshift(s.slice(0, end));
  return out;
}

function splitlines(s: string, keepends: boolean): string[] {
  const out: string[] = [];
  let prev = 0;
  for (let i = 0; i < s.length; i++) {
    if (!LINE_BREAKS.includes(s[i])) continue;
    out.push(s.slice(prev, i));
    if (keepends) out.push(s[i]);
    prev = i + 1;
  }
  if (prev < s.length) out.push(s.slice(prev));
  return out;
}

function replace(s: string, old: string, neu: string, max: number): string {
  // PyTorch loops forever on an empty `old`; we insert `new` between characters as Python does.
  if (old === '') {
    const parts = [...s];
    const n = max < 0 ? parts.length + 1 : Math.min(max, parts.length + 1);
    let out = '';
    for (let i = 0; i <= parts.length; i++) out += (i < n ? neu : '') + (parts[i] ?? '');
    return out;
  }
  let out = '';
  let prev = 0;
  let count = 0;
  for (let pos = s.indexOf(old); pos >= 0 && (max < 0 || count < max); pos = s.indexOf(old, prev)) {
    out += s.slice(prev, pos) + neu;
    prev = pos + old.length;
    count++;
  }
  return out + s.slice(prev);
}

const isUpper = (ch: string): boolean => ch >= 'A' && ch <= 'Z';
const isLower = (ch: string): boolean => ch >= 'a' && ch <= 'z';
const isAlpha = (ch: string): boolean => isUpper(ch) || isLower(ch);
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const all = (s: string, p: (ch: string) => boolean): boolean => s.length > 0 && [...s].every(p);

function title(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    out += prevCased ? ch.toLowerCase() : ch.toUpperCase();
    prevCased = isAlpha(ch);
  }
  return out;
}

function istitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (const ch of s) {
    if (isUpper(ch)) {
      if (prevCased) return false;
      prevCased = cased = true;
    } else if (isLower(ch)) {
      if (!prevCased) return false;
      prevCased = cased = true;
    } else prevCased = false;
  }
  return cased;
}

function expandtabs(s: string, size: number): string {
  let out = '';
  let column = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const n = size > 0 ? size - (column % size) : 0;
      out += ' '.repeat(n);
      column += n;
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}

function center(s: string, width: number, fill: string): string {
  const pad = width - s.length;
  if (pad <= 0) return s;
  // Python's rule: the extra pad goes left when both pad and width are odd.
  const left = Math.floor(pad / 2) + (pad & width & 1);
  return fill.repeat(left) + s + fill.repeat(pad - left);
}

// Three outputs (the schema returns (str, str, str)), so an array rather than a Tuple.
function partition(s: string, sep: string, reverse: boolean): IValue[] {
  const at = reverse ? s.lastIndexOf(sep) : s.indexOf(sep);
  if (at < 0) return reverse ? ['', '', s] : [s, '', ''];
  return [s.slice(0, at), sep, s.slice(at + sep.length)];
}

function ord(s: string): number {
  if (s.length !== 1)
    throw new RuntimeError('TYPE_ERROR', `String for ord() must be 1 character, found ${s.length}`);
  return s.charCodeAt(0);
}

function chr(i: number): string {
  if (i < 0 || i >= 1114111)
    throw new RuntimeError('VALUE_ERROR', `chr() arg not in range(0x110000), found ${i}`);
  return String.fromCodePoint(i);
}

/** The str methods, keyed by overload. */
export const STRING_OPS: Readonly<Record<string, ScalarOp>> = {
  'aten::strip': (c) =>
    lstrip(rstrip(str(c, 0), (c.args[1] as string) ?? DEFAULT_STRIP), (c.args[1] as string) ?? DEFAULT_STRIP),
  'aten::lstrip': (c) => lstrip(str(c, 0), (c.args[1] as string) ?? DEFAULT_STRIP),
  'aten::rstrip': (c) => rstrip(str(c, 0), (c.args[1] as string) ?? DEFAULT_STRIP),
  'aten::split.str': (c) =>
    c.args[1] === null || c.args[1] === undefined
      ? splitWhitespace(str(c, 0))
      : splitSep(str(c, 0), str(c, 1), int(c, 2, -1)),
  'aten::rsplit': (c) => rsplitSep(str(c, 0), (c.args[1] as string) ?? ' ', int(c, 2, -1)),
  'aten::splitlines': (c) => splitlines(str(c, 0), Boolean(c.args[1] ?? false)),
  'aten::replace': (c) => replace(str(c, 0), str(c, 1), str(c, 2), int(c, 3, -1)),
  'aten::find': (c) => find(c, false),
  'aten::rfind': (c) => find(c, true),
  'aten::index.str': (c) => indexOrThrow(c, false),
  'aten::rindex': (c) => indexOrThrow(c, true),
  'aten::count': (c) => {
    const sub = str(c, 1);
    const w = window(str(c, 0), int(c, 2, 0), int(c, 3, -1)).text;
    if (sub === '') return w.length + 1;
    let n = 0;
    for (let at = w.indexOf(sub); at >= 0; at = w.indexOf(sub, at + sub.length)) n++;
    return n;
  },
  'aten::startswith': (c) => window(str(c, 0), int(c, 2, 0), int(c, 3, -1)).text.startsWith(str(c, 1)),
  'aten::endswith': (c) => window(str(c, 0), int(c, 2, 0), int(c, 3, -1)).text.endsWith(str(c, 1)),
  'aten::lower': (c) => str(c, 0).toLowerCase(),
  'aten::upper': (c) => str(c, 0).toUpperCase(),
  'aten::swapcase': (c) =>
    [...str(c, 0)].map((ch) => (isUpper(ch) ? ch.toLowerCase() : ch.toUpperCase())).join(''),
  'aten::title': (c) => title(str(c, 0)),
  'aten::capitalize': (c) => {
    const s = str(c, 0);
    return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase();
  },
  'aten::isdigit': (c) => all(str(c, 0), isDigit),
  'aten::isdecimal': (c) => all(str(c, 0), isDigit),
  'aten::isnumeric': (c) => all(str(c, 0), isDigit),
  'aten::isalpha': (c) => all(str(c, 0), isAlpha),
  'aten::isalnum': (c) => all(str(c, 0), (ch) => isAlpha(ch) || isDigit(ch)),
  'aten::isspace': (c) => all(str(c, 0), (ch) => WHITESPACE.includes(ch)),
  'aten::islower': (c) => [...str(c, 0)].some(isLower) && ![...str(c, 0)].some(isUpper),
  'aten::isupper': (c) => [...str(c, 0)].some(isUpper) && ![...str(c, 0)].some(isLower),
  'aten::istitle': (c) => istitle(str(c, 0)),
  'aten::isidentifier': (c) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(str(c, 0)),
  'aten::isprintable': (c) => [...str(c, 0)].every((ch) => ch >= ' ' && ch <= '~'),
  'aten::ljust': (c) => str(c, 0).padEnd(int(c, 1, 0), (c.args[2] as string) ?? ' '),
  'aten::rjust': (c) => str(c, 0).padStart(int(c, 1, 0), (c.args[2] as string) ?? ' '),
  'aten::center': (c) => center(str(c, 0), int(c, 1, 0), (c.args[2] as string) ?? ' '),
  'aten::zfill': (c) => str(c, 0).padStart(int(c, 1, 0), '0'),
  'aten::expandtabs': (c) => expandtabs(str(c, 0), int(c, 1, 8)),
  'aten::partition': (c) => partition(str(c, 0), str(c, 1), false),
  'aten::rpartition': (c) => partition(str(c, 0), str(c, 1), true),
  'aten::join': (c) => (c.args[1] as string[]).join(str(c, 0)),
  'aten::ord': (c) => ord(str(c, 0)),
  'aten::chr': (c) => chr(int(c, 0, 0)),
  'aten::list.str': (c) => [...str(c, 0)] as IValue[],
  'prim::StringIndex': (c) => {
    const s = str(c, 0);
    const i = int(c, 1, 0);
    const k = i < 0 ? i + s.length : i;
    if (k < 0 || k >= s.length)
      throw new RuntimeError('INDEX_ERROR', 'IndexError: string index out of range');
    return s[k];
  },
};
