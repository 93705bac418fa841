// out= overloads (`torch.div(a, b, out=c)`: `aten::div.out`, `div.out_mode`, `max.dim_max`): an out overload whose other arguments are
// exactly those of a functional overload of the same operator runs that overload's kernel and writes
// the result into the caller's tensor(s), which it returns, as ATen's structured out kernels do.
// The result is cast to the out tensor's dtype when PyTorch allows the cast (no float -> integral,
// complex -> real, or non-bool -> bool). PyTorch resizes an out tensor of another shape; tsfreeze's
// tensors have fixed geometry, so that case is refused with the shapes named.

import { RuntimeError, UnsupportedError } from '../../errors.js';
import { TORCH_SCHEMAS } from '../../ops/data/schemas.js';
import { copyInto } from '../../tensor/convert.js';
import { checkCanCast } from '../../tensor/promotion.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel, KernelResult, KernelTable } from './types.js';

interface SchemaText {
  key: string;
  name: string;
  /** The argument list without the out arguments, as written. */
  args: string;
  /** How many trailing `Tensor(x!)` out arguments. */
  outs: number;
}

const OUT_ARG = /^Tensor\([a-z]!\) \w+$/;

function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim()) parts.push(text.slice(start).trim());
  return parts;
}

function schemaText(schema: string): SchemaText | undefined {
  const open = schema.indexOf('(');
  const close = schema.lastIndexOf(') ->');
  if (open < 0 || close < 0) return undefined;
  const key = schema.slice(0, open);
  const parts = splitArgs(schema.slice(open + 1, close));
  // Out arguments are the trailing keyword-only `Tensor(x!)` ones (in-place ops write `self`, positional).
  const star = parts.indexOf('*');
  let outs = 0;
  while (star >= 0 && parts.length - 1 - outs > star && OUT_ARG.test(parts[parts.length - 1 - outs])) outs++;
  let kept = parts.slice(0, parts.length - outs);
  if (kept[kept.length - 1] === '*') kept = kept.slice(0, -1);
  return { key, name: key.split('.')[0], args: kept.join(', '), outs };
}

function writeOut(out: Tensor, result: KernelResult, key: string): Tensor {
  if (!(result instanceof Tensor))
    throw new RuntimeError('KERNEL_FAILED', `${key}: the functional kernel did not return a tensor`);
  if (out.shape.join() !== result.shape.join())
    throw new UnsupportedError(
      `${key}: the out= tensor has shape [${out.shape.join(', ')}] but the result has shape [${result.shape.join(', ')}]; resizing an out= tensor is not supported, pass one of the result's shape`,
    );
  checkCanCast(result.dtype, out.dtype);
  if (result !== out) copyInto(out, result);
  return out;
}

/** Kernels for the out overloads that have a functional twin with a kernel in `base`. */
export function outVariantKernels(base: KernelTable): KernelTable {
  // Only operators that have an out overload (about a third of the table) need parsing.
  const isOut = (schema: string): boolean => /\*, .*Tensor\([a-z]!\) \w+\) ->/.test(schema);
  const names = new Set(TORCH_SCHEMAS.filter(isOut).map((schema) => schema.split('.')[0]));
  const texts = TORCH_SCHEMAS.filter((schema) => names.has(schema.split(/[.(]/)[0]))
    .map(schemaText)
    .filter((s): s is SchemaText => s !== undefined);
  const functional = new Map<string, string>();
  for (const s of texts) if (s.outs === 0 && base[s.key]) functional.set(`${s.name}(${s.args})`, s.key);
  const table: KernelTable = {};
  for (const s of texts) {
    if (s.outs === 0 || base[s.key]) continue;
    const twin = functional.get(`${s.name}(${s.args})`);
    if (twin === undefined) continue;
    const kernel: Kernel = base[twin];
    const outs = s.outs;
    table[s.key] = (a) => {
      const n = a.length - outs;
      const targets = a.slice(n);
      const result = kernel(a.slice(0, n));
      targets.forEach((t, i) => {
        if (!(t instanceof Tensor))
          throw new RuntimeError('KERNEL_ARG', `argument ${n + i}: expected the out= Tensor`);
      });
      if (outs === 1) return writeOut(targets[0] as Tensor, result, s.key);
      return targets.map((t, i) => writeOut(t as Tensor, (result as KernelResult[])[i], s.key));
    };
  }
  return table;
}
