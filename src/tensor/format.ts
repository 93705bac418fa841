// Tensor printing in PyTorch's Python repr style (torch/_tensor_str.py): `tensor([[1., 2.], [3., 4.]])`,
// with its int/fixed/scientific modes, 80-column wrapping, summarization past 1000 elements and suffixes.

import { DTYPES } from './dtype.js';
import { formatExponential, formatFixed } from './numfmt.js';
import { readElement, type Element, type Tensor } from './tensor.js';

const PRECISION = 4;
const LINE_WIDTH = 80;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** A slice of a tensor seen as nested rows; avoids importing view ops (and an import cycle) here. */
interface Slab {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

function sub(s: Slab, i: number): Slab {
  return { shape: s.shape.slice(1), strides: s.strides.slice(1), offset: s.offset + i * s.strides[0] };
}

class Formatter {
  readonly floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(floating: boolean, values: readonly Element[]) {
    this.floating = floating;
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, plain(v).length);
      return;
    }
    const finite = values.map(Number).filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    const abs = finite.map(Math.abs);
    const min = Math.min(...abs);
    const max = Math.max(...abs);
    this.intMode = finite.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of finite)
          this.maxWidth = Math.max(this.maxWidth, formatExponential(v, PRECISION).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatExponential(v, PRECISION).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, PRECISION).length);
    }
  }

  format(value: Element): string {
    let s: string;
    if (!this.floating) s = plain(value);
    else {
      const v = Number(value);
      if (this.sciMode) s = formatExponential(v, PRECISION);
      else if (this.intMode) s = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
      else s = formatFixed(v, PRECISION);
    }
    return s.padStart(this.maxWidth);
  }
}

/** Formats elements: one formatter, or (complex) one for the real and one for the imaginary parts. */
class ElementFormat {
  constructor(
    readonly real: Formatter,
    readonly imag: Formatter | null,
  ) {}

  /** Characters per element, for wrapping: the imaginary part adds its width and the `j`. */
  get width(): number {
    return this.real.maxWidth + (this.imag ? this.imag.maxWidth + 1 : 0);
  }

  at(t: Tensor, at: number): string {
    if (!this.imag) return this.real.format(readElement(t.storage, at));
    const data = t.storage.data as Float32Array | Float64Array;
    // As _tensor_str.py: the imaginary part padded, `j` appended, then left-stripped; a sign joins directly.
    const re = this.real.format(data[2 * at]);
    const im = (this.imag.format(data[2 * at + 1]) + 'j').trimStart();
    return im[0] === '+' || im[0] === '-' ? re + im : `${re}+${im}`;
  }
}

function plain(v: Element): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

// The storage positions of the elements printed (the edges only when summarizing).
function collect(s: Slab, summarize: boolean, out: number[]): void {
  if (s.shape.length === 0) {
    out.push(s.offset);
    return;
  }
  const n = s.shape[0];
  const idx = summarize && n > 2 * EDGE_ITEMS ? [0, 1, 2, n - 3, n - 2, n - 1] : [...Array(n).keys()];
  for (const i of idx) collect(sub(s, i), summarize, out);
}

function vectorStr(t: Tensor, s: Slab, indent: number, summarize: boolean, f: ElementFormat): string {
  const elementLength = f.width + 2;
  const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / elementLength));
  const n = s.shape[0];
  const fmt = (i: number): string => f.at(t, s.offset + i * s.strides[0]);
  let data: string[];
  if (summarize && n > 2 * EDGE_ITEMS) {
    data = [0, 1, 2].map(fmt).concat([' ...'], [n - 3, n - 2, n - 1].map(fmt));
  } else data = Array.from({ length: n }, (_, i) => fmt(i));
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStr(t: Tensor, s: Slab, indent: number, summarize: boolean, f: ElementFormat): string {
  const dim = s.shape.length;
  if (dim === 0) return f.at(t, s.offset);
  if (dim === 1) return vectorStr(t, s, indent, summarize, f);
  const n = s.shape[0];
  const part = (i: number): string => tensorStr(t, sub(s, i), indent + 1, summarize, f);
  let slices: string[];
  if (summarize && n > 2 * EDGE_ITEMS)
    slices = [0, 1, 2].map(part).concat(['...'], [n - 3, n - 2, n - 1].map(part));
  else slices = Array.from({ length: n }, (_, i) => part(i));
  return '[' + slices.join(',' + '\n'.repeat(dim - 1) + ' '.repeat(indent + 1)) + ']';
}

function addSuffixes(body: string, suffixes: readonly string[], indent: number): string {
  const parts = [body];
  let lastLineLength = body.length - body.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

function elementFormat(t: Tensor, at: readonly number[]): ElementFormat {
  const info = DTYPES[t.dtype];
  if (!info.isComplex)
    return new ElementFormat(
      new Formatter(
        info.isFloatingPoint,
        at.map((i) => readElement(t.storage, i)),
      ),
      null,
    );
  const data = t.storage.data as Float32Array | Float64Array;
  return new ElementFormat(
    new Formatter(
      true,
      at.map((i) => data[2 * i]),
    ),
    new Formatter(
      true,
      at.map((i) => data[2 * i + 1]),
    ),
  );
}

/** PyTorch's repr of a tensor: `tensor([1.5000, 2.0000])`, `tensor([], size=(0, 3), dtype=torch.int32)`. */
export function formatTensor(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  // complex64 is the complex dtype of the default float32, so its repr omits dtype too.
  const defaultDtype =
    t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool' || t.dtype === 'complex64';
  let body: string;
  if (t.numel === 0) {
    if (t.dim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.dim === 1 ? ',' : ''})`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
    body = '[]';
  } else {
    if (!defaultDtype) suffixes.push(`dtype=torch.${t.dtype}`);
    const summarize = t.numel > THRESHOLD;
    const root: Slab = { shape: t.shape, strides: t.strides, offset: t.offset };
    const at: number[] = [];
    collect(root, summarize, at);
    body = tensorStr(t, root, indent, summarize, elementFormat(t, at));
  }
  if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent);
}
