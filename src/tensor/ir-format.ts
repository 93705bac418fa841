// Tensor constants as PyTorch's IR printer shows them (`prim::Constant[value=...]`): `{0.5}` for one
// element, ATen's C++ tensor print with newlines turned into spaces for up to 10 elements, `<Tensor>`
// beyond; and a parser back from that text. Mirrors ir.cpp's printAttribute and ATen's Formatting.cpp.

import { IRParseError } from '../errors.js';
import { DTYPES, dtypeFromIrName, type DType } from './dtype.js';
import { formatExponential, formatFixed, formatGeneral } from './numfmt.js';
import { Tensor, contiguousStrides, shapeNumel } from './tensor.js';

/** Largest element count the IR printer shows values for. */
export const MAX_IR_TENSOR_DISPLAY = 10;

interface Stream {
  out: string;
  mode: 'default' | 'fixed' | 'sci';
  precision: number;
}

function num(s: Stream, v: number): string {
  if (s.mode === 'fixed') return formatFixed(v, s.precision);
  if (s.mode === 'sci') return formatExponential(v, s.precision);
  return formatGeneral(v, s.precision);
}

// Picks fixed/scientific/default notation, the column width and a common scale for a block of values.
function printFormat(s: Stream, values: readonly number[]): { scale: number; width: number } {
  if (values.length === 0) return { scale: 1, width: 0 };
  let intMode = true;
  for (const z of values) {
    if (Number.isFinite(z) && z !== Math.ceil(z)) {
      intMode = false;
      break;
    }
  }
  let offset = 0;
  while (offset < values.length && !Number.isFinite(values[offset])) offset++;
  let expMin = 1;
  let expMax = 1;
  if (offset < values.length) {
    expMin = Math.abs(values[offset]);
    expMax = expMin;
    for (let i = offset; i < values.length; i++) {
      const z = Math.abs(values[i]);
      if (!Number.isFinite(z)) continue;
      if (z < expMin) expMin = z;
      // ATen compares the signed value here, so a large negative value does not widen the columns.
      if (values[i] > expMax) expMax = z;
    }
    expMin = expMin !== 0 ? Math.floor(Math.log10(expMin)) + 1 : 1;
    expMax = expMax !== 0 ? Math.floor(Math.log10(expMax)) + 1 : 1;
  }
  let scale = 1;
  let width: number;
  if (intMode) {
    if (expMax > 9) {
      width = 11;
      s.mode = 'sci';
      s.precision = 4;
    } else {
      width = expMax + 1;
      s.mode = 'default';
    }
  } else if (expMax - expMin > 4) {
    width = Math.abs(expMax) > 99 || Math.abs(expMin) > 99 ? 12 : 11;
    s.mode = 'sci';
    s.precision = 4;
  } else {
    if (expMax > 5 || expMax < 0) {
      width = 7;
      scale = 10 ** (expMax - 1);
    } else width = expMax === 0 ? 7 : expMax + 6;
    s.mode = 'fixed';
    s.precision = 4;
  }
  return { scale, width };
}

function printScale(s: Stream, scale: number): void {
  s.out += `${formatGeneral(scale, s.precision)} *\n`;
}

function printMatrix(s: Stream, values: readonly number[], rows: number, cols: number, indent: number): void {
  const { scale, width } = printFormat(s, values);
  const pad = ' '.repeat(indent);
  s.out += pad;
  const perLine = Math.floor((80 - indent) / (width + 1));
  let first = 0;
  while (first < cols) {
    const last = first + perLine <= cols ? first + perLine - 1 : cols - 1;
    if (perLine < cols) {
      if (first !== 0) s.out += '\n';
      s.out += `Columns ${first + 1} to ${last + 1}${pad}`;
    }
    if (scale !== 1) {
      printScale(s, scale);
      s.out += pad;
    }
    for (let r = 0; r < rows; r++) {
      for (let c = first; c <= last; c++) {
        s.out += num(s, values[r * cols + c] / scale).padStart(width);
        if (c === last) {
          s.out += '\n';
          if (r !== rows - 1) s.out += scale !== 1 ? pad + ' ' : pad;
        } else s.out += ' ';
      }
    }
    first = last + 1;
  }
}

// ATen's C++ `operator<<(ostream, Tensor)`, with its newlines.
function printTensor(t: Tensor): string {
  const values = t.to('float64').contiguous().toArray().map(Number);
  const s: Stream = { out: '', mode: 'default', precision: 6 };
  const shape = t.shape;
  if (t.numel > 0) {
    if (shape.length === 1) {
      const { scale, width } = printFormat(s, values);
      if (scale !== 1) printScale(s, scale);
      for (const v of values) s.out += num(s, v / scale).padStart(width) + '\n';
    } else if (shape.length === 2) {
      printMatrix(s, values, shape[0], shape[1], 0);
    } else {
      const lead = shape.slice(0, -2);
      const rows = shape[shape.length - 2];
      const cols = shape[shape.length - 1];
      const leadStrides = contiguousStrides(shape).slice(0, -2);
      const counter = new Array<number>(lead.length).fill(0);
      const blocks = shapeNumel(lead);
      for (let b = 0; b < blocks; b++) {
        if (b > 0) {
          // ATen advances the first dim fastest when walking the leading dims.
          for (let i = 0; i < lead.length; i++) {
            counter[i]++;
            if (counter[i] < lead[i]) break;
            counter[i] = 0;
          }
          s.out += '\n';
        }
        s.out += `(${counter.map((c) => c + 1).join(',')},.,.) = \n`;
        const start = counter.reduce((acc, c, i) => acc + c * leadStrides[i], 0);
        printMatrix(s, values.slice(start, start + rows * cols), rows, cols, 1);
      }
    }
  }
  s.out += `[ ${DTYPES[t.dtype].cpuTypeName}{${shape.join(',')}} ]`;
  return s.out;
}

/**
 * ATen's C++ `operator<<(ostream, Tensor)`, as TorchScript's `str()` of a tensor shows it:
 * ` 1.2000\n 2.4000\n[ CPUFloatType{2} ]`; a 0-dim tensor prints its value with 6 significant digits
 * (`5.5\n[ CPUFloatType{} ]`).
 */
export function formatTensorCpp(t: Tensor): string {
  if (t.dim > 0) return printTensor(t);
  const v = Number(t.contiguous().getFlat(0));
  return `${formatGeneral(v, 6)}\n[ ${DTYPES[t.dtype].cpuTypeName}{} ]`;
}

/**
 * The text PyTorch's IR printer puts after `value=` for a tensor constant: `{1.5}` for one element,
 * ` 1.5410 -0.2934 [ CPUFloatType{2} ]` for up to 10, `<Tensor>` beyond.
 */
export function formatTensorForIR(t: Tensor): string {
  if (t.numel === 1) {
    const v = t.contiguous().getFlat(0);
    if (typeof v === 'boolean') return `{${v ? 1 : 0}}`;
    if (typeof v === 'bigint') return `{${v}}`;
    return `{${DTYPES[t.dtype].isFloatingPoint || DTYPES[t.dtype].isComplex ? formatGeneral(v, 6) : String(v)}}`;
  }
  if (t.numel <= MAX_IR_TENSOR_DISPLAY) return printTensor(t).replace(/\n/g, ' ');
  return '<Tensor>';
}

function parseNumber(token: string): number {
  if (token === 'nan' || token === '-nan') return NaN;
  if (token === 'inf') return Infinity;
  if (token === '-inf') return -Infinity;
  return Number(token);
}

/**
 * Reads the IR constant text of a tensor back (values are as precise as the print: 4 decimals or 6
 * significant digits). `{x}` gives a 0-dim tensor of `dtype` (default: float32 when x has a '.', 'e',
 * 'nan' or 'inf', else int64). `<Tensor>` has no values and is refused.
 */
export function parseTensorFromIR(text: string, dtype?: DType): Tensor {
  const src = text.trim();
  const fail = (why: string): never => {
    throw new IRParseError(
      { file: '<tensor constant>', line: 1, column: 1 },
      `${why}: ${src}`,
      undefined,
      'IR_TENSOR_PARSE',
    );
  };
  const scalar = /^\{(.*)\}$/.exec(src);
  if (scalar) {
    const token = scalar[1].trim();
    const value = parseNumber(token);
    if (Number.isNaN(value) && !/nan/.test(token)) fail('not a number');
    const d = dtype ?? (/[.en]/.test(token) ? 'float32' : 'int64');
    const out = Tensor.zeros(d, []);
    out.setFlat(0, d === 'int64' && /^-?\d+$/.test(token) ? BigInt(token) : value);
    return out;
  }
  if (src === '<Tensor>') fail('the IR printer elides the values of tensors with more than 10 elements');
  const footer = /\[\s*CPU(\w+)Type\{([\d,]*)\}\s*\]$/.exec(src);
  if (!footer) fail('expected a footer like [ CPUFloatType{2,3} ]');
  const f = footer as RegExpExecArray;
  const d = dtypeFromIrName(f[1]) ?? fail(`unknown tensor type CPU${f[1]}Type`);
  const shape = f[2] === '' ? [] : f[2].split(',').map(Number);
  const numel = shapeNumel(shape);
  const values = new Array<number>(numel).fill(0);
  const tokens = src
    .slice(0, f.index)
    .split(/\s+/)
    .filter((x) => x.length > 0);
  const rows = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const cols = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const leadStrides = contiguousStrides(shape).slice(0, -2);
  let base = 0;
  let colFirst = 0;
  let colLast = cols - 1;
  let scale = 1;
  let k = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const header = /^\(([\d,]+),\.,\.\)$/.exec(tok);
    if (header) {
      const idx = header[1].split(',').map((x) => Number(x) - 1);
      base = idx.reduce((acc, c, j) => acc + c * (leadStrides[j] ?? 0), 0);
      if (tokens[i + 1] === '=') i++;
      colFirst = 0;
      colLast = cols - 1;
      scale = 1;
      k = 0;
    } else if (tok === 'Columns') {
      colFirst = Number(tokens[i + 1]) - 1;
      colLast = Number(tokens[i + 3]) - 1;
      i += 3;
      k = 0;
    } else if (tokens[i + 1] === '*') {
      scale = parseNumber(tok);
      i++;
    } else {
      const v = parseNumber(tok);
      if (Number.isNaN(v) && !/nan/.test(tok)) fail(`unexpected token '${tok}'`);
      const span = colLast - colFirst + 1;
      const r = Math.floor(k / span);
      const c = colFirst + (k % span);
      const at = shape.length <= 1 ? k : base + r * cols + c;
      if (at >= numel || r >= rows) fail('more values than the shape holds');
      values[at] = v * scale;
      k++;
    }
  }
  const out = Tensor.zeros(d, shape);
  for (let i = 0; i < numel; i++)
    out.setFlat(i, DTYPES[d].isFloatingPoint ? values[i] : Math.round(values[i]));
  return out;
}
