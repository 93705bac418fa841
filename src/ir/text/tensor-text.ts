// Tensor constants in IR text: PyTorch's lossy forms (`{0.5}`, the small-tensor table, `<Tensor>`) and
// our exact `tensor<Float(2, 3)>"<base64>"` form; placeholders for tensors whose values were not printed.

import { DTYPES, storageBytes, storageFromBytes } from '../../tensor/dtype.js';
import { formatTensorForIR, parseTensorFromIR } from '../../tensor/ir-format.js';
import { Storage, Tensor, type Element } from '../../tensor/tensor.js';
import { TensorType, type Type } from '../types.js';
import type { Lexer } from './lexer.js';
import type { TypeParser } from './type-parser.js';

/** How the printer writes tensor constants. */
export type TensorStyle = 'pytorch' | 'lossless';

// Tensors and tensor lists read from `<Tensor>` / `[<Tensors>]`: their values are unknown.
const placeholders = new WeakSet<object>();

/**
 * True for a tensor parsed from `<Tensor>` (zeros shaped by the output type when that type is
 * complete, else a 0-dim float32 zero), or a tensor list parsed from `[<Tensors>]` (empty). The
 * printer writes them back as `<Tensor>` / `[<Tensors>]` in every style, since their values are unknown.
 */
export function isPlaceholder(value: object): boolean {
  return placeholders.has(value);
}

/** Marks a tensor or tensor list as a placeholder (see isPlaceholder). */
export function markPlaceholder<T extends object>(value: T): T {
  placeholders.add(value);
  return value;
}

// The exact text a PyTorch-form tensor was read from, with the values it had then. Re-formatting the
// (rounded) values almost always gives the same text, but not always (a value printed as 0.1000 may
// have been 0.09999, which picks another format), so while the values are unchanged the text is reused.
const sourceText = new WeakMap<Tensor, { text: string; values: Element[] }>();

/** Formats a tensor constant's `value=` text in the given style. */
export function formatTensorText(t: Tensor, style: TensorStyle): string {
  if (placeholders.has(t)) return '<Tensor>';
  if (style === 'lossless') return formatLossless(t);
  const kept = sourceText.get(t);
  if (kept && sameValues(t, kept.values)) return kept.text;
  return formatTensorForIR(t);
}

function sameValues(t: Tensor, values: readonly Element[]): boolean {
  if (t.numel !== values.length) return false;
  for (let i = 0; i < values.length; i++) if (!Object.is(t.getFlat(i), values[i])) return false;
  return true;
}

// ---- lossless form -------------------------------------------------------------------------------

/**
 * `tensor<Float(2, 3)>"<base64>"`: the dtype and sizes (plus requires_grad=1 / device=... when not the
 * defaults) in IR type syntax, then the row-major elements' raw little-endian bytes in base64.
 */
function formatLossless(t: Tensor): string {
  const type = new TensorType({
    dtype: t.dtype,
    sizes: [...t.shape],
    ...(t.requiresGrad ? { requiresGrad: true } : {}),
    ...(t.device !== 'cpu' ? { device: t.device } : {}),
  });
  const dense = t.isContiguous && t.offset === 0 && t.storage.numel === t.numel ? t : t.clone();
  return `tensor<${type.str()}>"${encodeBase64(storageBytes(dense.storage.data))}"`;
}

function parseLossless(lx: Lexer, types: TypeParser): Tensor {
  const start = lx.pos;
  lx.pos += 'tensor<'.length;
  const type = types.parse();
  const info = type instanceof TensorType ? type.info : undefined;
  if (!info || !info.dtype || !info.sizes || info.sizes.some((s) => s === null)) {
    throw lx.error(
      'tensor<...> needs a dtype and every size, e.g. tensor<Float(2, 3)>',
      start + 'tensor<'.length,
    );
  }
  lx.expect('>', "'>' closing tensor<");
  if (lx.peek() !== 0x22) throw lx.error(`expected the base64 data in quotes after tensor<...>${lx.found()}`);
  const dataAt = lx.pos;
  const end = lx.text.indexOf('"', dataAt + 1);
  const nl = lx.text.indexOf('\n', dataAt + 1);
  if (end < 0 || (nl >= 0 && nl < end)) throw lx.error('unterminated string', dataAt);
  const bytes = decodeBase64(lx.text.slice(dataAt + 1, end));
  if (!bytes) throw lx.error('bad base64 data in tensor<...>', dataAt);
  const shape = info.sizes as number[];
  const dtype = info.dtype;
  const numel = shape.reduce((a, b) => a * b, 1);
  const expected = numel * DTYPES[dtype].itemSize;
  if (bytes.length !== expected) {
    throw lx.error(`tensor<${type.str()}> needs ${expected} bytes of data, found ${bytes.length}`, dataAt);
  }
  lx.pos = end + 1;
  const t = new Tensor(new Storage(dtype, storageFromBytes(dtype, bytes)), shape);
  t.requiresGrad = info.requiresGrad ?? false;
  t.device = info.device ?? 'cpu';
  return t;
}

// ---- reading any tensor form ---------------------------------------------------------------------

// ATen's print body (numbers, `Columns a to b`, a `scale *`, `(i,j,.,.) =` slice headers) and its
// footer `[ CPUFloatType{2,3} ]`. Commas appear only inside slice headers, so a tuple `(1, x)` never matches.
const TABLE =
  /(?:[ \-\d.*]|e[+-]|nan|inf|Columns|to|\(\d+(?:,\d+)*,\.,\.\) =)*\[ [A-Za-z0-9]+Type\{[\d,]*\} \]/y;
const SCALAR = /\{(-?(?:\d+\.?\d*(?:e[+-]\d+)?|inf|nan))\}/y;

/** True if a tensor literal in any form starts at the lexer's position. */
export function atTensorLiteral(lx: Lexer): boolean {
  const c = lx.peek();
  if (c === 0x3c) return lx.lookingAt('<Tensor>');
  if (c === 0x74) return lx.lookingAt('tensor<');
  if (c === 0x7b) {
    SCALAR.lastIndex = lx.pos;
    return SCALAR.test(lx.text);
  }
  if (c === 0x28 && !/^\(\d+(?:,\d+)*,\.,\.\) =/.test(lx.text.slice(lx.pos, lx.pos + 64))) return false;
  TABLE.lastIndex = lx.pos;
  return TABLE.test(lx.text);
}

/**
 * Reads a tensor literal at the lexer's position (check atTensorLiteral first). `type` is the
 * output's type: it gives the shape of `{x}` and of `<Tensor>`, and must agree with the table's footer.
 * `accept` limits the forms: 'lossless' refuses PyTorch's lossy forms, 'pytorch' refuses ours.
 */
export function readTensorLiteral(
  lx: Lexer,
  types: TypeParser,
  type: Type | undefined,
  accept: TensorStyle | 'any',
): Tensor {
  const start = lx.pos;
  const info = type instanceof TensorType ? type.info : undefined;
  const complete =
    info?.dtype !== undefined && info.sizes !== undefined && info.sizes.every((s) => s !== null);
  if (lx.lookingAt('tensor<')) {
    if (accept === 'pytorch')
      throw lx.error('tensor<...> constants are not accepted here (tensorStyle: pytorch)');
    return checkAgainstType(lx, start, parseLossless(lx, types), info);
  }
  if (accept === 'lossless')
    throw lx.error(`a lossy tensor constant where tensorStyle 'lossless' needs tensor<...>"..."`);
  if (lx.eat('<Tensor>')) {
    const t = complete ? Tensor.zeros(info!.dtype!, info!.sizes as number[]) : Tensor.zeros('float32', []);
    t.requiresGrad = info?.requiresGrad ?? false;
    t.device = info?.device ?? 'cpu';
    return markPlaceholder(t);
  }
  let text: string;
  let parsed: Tensor;
  if (lx.peek() === 0x7b) {
    SCALAR.lastIndex = lx.pos;
    text = SCALAR.exec(lx.text)![0];
    const scalar = parseTensorFromIR(text, info?.dtype);
    // One element: the type says whether it is 0-dim or, say, Float(1, 1).
    const shape =
      complete && info!.sizes!.reduce((a, b) => a! * b!, 1) === 1 ? (info!.sizes as number[]) : [];
    parsed = new Tensor(scalar.storage, shape);
  } else {
    TABLE.lastIndex = lx.pos;
    text = TABLE.exec(lx.text)![0];
    try {
      parsed = parseTensorFromIR(text);
    } catch (e) {
      throw lx.error(
        `bad tensor constant: ${e instanceof Error ? e.message.split('\n')[0].replace(/^.*?: /, '') : String(e)}`,
        start,
      );
    }
  }
  lx.pos += text.length;
  parsed.requiresGrad = info?.requiresGrad ?? false;
  parsed.device = info?.device ?? 'cpu';
  checkAgainstType(lx, start, parsed, info);
  sourceText.set(parsed, { text, values: parsed.toArray() });
  return parsed;
}

function checkAgainstType(lx: Lexer, at: number, t: Tensor, info: TensorType['info'] | undefined): Tensor {
  if (!info) return t;
  if (info.dtype && info.dtype !== t.dtype) {
    throw lx.error(`tensor constant of dtype ${t.dtype} where the output type says ${info.dtype}`, at);
  }
  const sizes = info.sizes;
  if (
    sizes &&
    sizes.every((s) => s !== null) &&
    (sizes.length !== t.shape.length || sizes.some((s, i) => s !== t.shape[i]))
  ) {
    throw lx.error(
      `tensor constant of shape [${t.shape.join(', ')}] where the output type says [${sizes.join(', ')}]`,
      at,
    );
  }
  return t;
}

// ---- base64 --------------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with padding (portable: no Buffer). */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    chunk += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/** Decodes standard padded base64; undefined when malformed. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const last = i + 4 === text.length;
      if (c === 0x3d && last && k >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const d = c < 128 ? DECODE[c] : -1;
      if (d < 0) return undefined;
      n = (n << 6) | d;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
