// Byte- and token-level mutations shared by the format-aware mutators.

import type { Rng } from '../rng.js';

/** Flips, overwrites, inserts, deletes or duplicates a few bytes. */
export function mutateBytes(rng: Rng, input: Uint8Array, edits = rng.range(1, 4)): Uint8Array {
  let out: Uint8Array = input.slice();
  for (let k = 0; k < edits; k++) {
    const at = out.length ? rng.int(out.length) : 0;
    const r = rng.int(6);
    if (r === 0 && out.length) out[at] ^= 1 << rng.int(8);
    else if (r === 1 && out.length) out[at] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(256)]);
    else if (r === 2) out = concat(out.subarray(0, at), Uint8Array.of(rng.int(256)), out.subarray(at));
    else if (r === 3)
      out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + rng.range(1, 16))));
    else if (r === 4) {
      const from = rng.int(Math.max(1, out.length));
      out = concat(out.subarray(0, at), out.subarray(from, from + rng.range(1, 64)), out.subarray(at));
    } else if (out.length >= 4) {
      // Overwrite a little-endian 32-bit field with an interesting size.
      const v = Number(BigInt.asUintN(32, BigInt(rng.interestingInt())));
      const p = Math.min(at, out.length - 4);
      new DataView(out.buffer, out.byteOffset).setUint32(p, v, true);
    }
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const TOKEN =
  /\s+|[A-Za-z_][A-Za-z0-9_.]*|\d+(?:\.\d*)?(?:e[+-]?\d+)?|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|./g;

/** Splits source text into tokens (identifiers, numbers, strings, whitespace runs, single symbols). */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Token-level edits of source text: delete, duplicate, swap or replace tokens, insert snippets, and put
 * interesting numbers in place of numbers.
 */
export function mutateTokens(
  rng: Rng,
  text: string,
  snippets: readonly string[],
  edits = rng.range(1, 3),
): string {
  const tokens = tokenize(text);
  for (let k = 0; k < edits && tokens.length; k++) {
    const at = rng.int(tokens.length);
    const r = rng.int(6);
    if (r === 0) tokens.splice(at, rng.range(1, 4));
    else if (r === 1)
      tokens.splice(at, 0, ...tokens.slice(rng.int(tokens.length)).slice(0, rng.range(1, 12)));
    else if (r === 2) {
      const other = rng.int(tokens.length);
      [tokens[at], tokens[other]] = [tokens[other], tokens[at]];
    } else if (r === 3) tokens.splice(at, 0, rng.pick(snippets));
    else if (r === 4) tokens[at] = rng.pick(snippets);
    else {
      const numbers = tokens.map((t, i) => (/^\d/.test(t) ? i : -1)).filter((i) => i >= 0);
      if (numbers.length) tokens[rng.pick(numbers)] = String(rng.interestingInt());
    }
  }
  return tokens.join('');
}

/** `open` repeated n times, then `middle`, then `close` n times: deep nesting of any bracket form. */
export function nest(open: string, middle: string, close: string, n: number): string {
  return open.repeat(n) + middle + close.repeat(n);
}
