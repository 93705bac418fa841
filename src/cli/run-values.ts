// `tsfreeze run`'s values: inputs from .npy files, value-tree .json files or JSON literals (lists of .npy
// paths become lists of tensors, objects become dicts), and outputs of any structure — tensors, numbers,
// strings, lists, tuples, dicts, named tuples, nested — printed one leaf a line and written as
// outputs.json plus one .npy per tensor (output0.npy, output1.0.boxes.npy, ...).

import { basename, dirname } from 'node:path';
import { TsFreezeError } from '../errors.js';
import { Tuple, type IValue } from '../ir/ivalue.js';
import { TupleType, type Type } from '../ir/types.js';
import { encodeValue, readValueFiles, writeValueFiles, type ValueTree } from '../serialization/value-tree.js';
import { loadNpy } from '../tensor/npy.js';

/**
 * An input: `x.npy` is a tensor; `x.json` is a value tree (the format `--output-dir` writes, with its .npy
 * files next to it); anything else is a JSON literal (3, 2.5, true, "s", ["a.npy", "b.npy"], {"k": 1}).
 */
export function parseInput(arg: string): IValue {
  if (arg.endsWith('.npy')) return loadNpy(arg);
  if (arg.endsWith('.json')) return readValueFiles(dirname(arg), basename(arg));
  let parsed: unknown;
  try {
    parsed = JSON.parse(arg);
  } catch {
    throw new TsFreezeError('BAD_INPUT', `input '${arg}' is neither a .npy or .json file nor a JSON literal`);
  }
  return toIValue(parsed, arg);
}

function toIValue(v: unknown, arg: string): IValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  // Inside a literal, a string naming a .npy file is that tensor: ["img0.npy", "img1.npy"] is a Tensor[].
  if (typeof v === 'string') return v.endsWith('.npy') ? loadNpy(v) : v;
  if (Array.isArray(v)) return v.map((x) => toIValue(x, arg));
  if (typeof v === 'object')
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toIValue(x, arg)]));
  throw new TsFreezeError('BAD_INPUT', `input '${arg}': cannot read ${typeof v}`);
}

/** One printed line per leaf: `output1.0.boxes: Tensor float32 [3, 4]`. */
function describe(tree: ValueTree, path: string, lines: string[]): void {
  switch (tree.kind) {
    case 'tensor':
      lines.push(`${path}: Tensor ${tree.dtype} [${tree.shape.join(', ')}]`);
      return;
    case 'str':
      lines.push(`${path}: string ${tree.value}`);
      return;
    case 'none':
      lines.push(`${path}: None`);
      return;
    case 'object':
      lines.push(`${path}: object ${tree.class}`);
      return;
    case 'list':
    case 'tuple':
    case 'namedtuple':
      if (!tree.items.length) lines.push(`${path}: empty ${tree.kind}`);
      tree.items.forEach((x, i) =>
        describe(x, `${path}.${tree.kind === 'namedtuple' ? tree.fields[i] : i}`, lines),
      );
      return;
    case 'dict':
      if (!tree.items.length) lines.push(`${path}: empty dict`);
      for (const { key, value } of tree.items)
        describe(value, `${path}.${'value' in key ? String(key.value) : key.kind}`, lines);
      return;
    default:
      lines.push(`${path}: ${tree.kind} ${String(tree.value)}`);
  }
}

/** The result of a method as outputs: a plain tuple's items are output0, output1, ...; anything else is output0. */
export interface RunOutputs {
  readonly lines: string[];
  /** Writes outputs.json and the .npy files into `dir`; returns the paths written. */
  write(dir: string): string[];
}

export function runOutputs(result: IValue, type?: Type): RunOutputs {
  const spread = result instanceof Tuple && !result.type?.names;
  const items = spread ? (result as Tuple).items : [result];
  const types = spread ? (type instanceof TupleType ? type.elements : []) : [type];
  const encoded = items.map((v, i) => encodeValue(v, `output${i}`, types[i]));
  const lines: string[] = [];
  encoded.forEach((e, i) => describe(e.tree, `output${i}`, lines));
  const whole = {
    tree: spread ? ({ kind: 'tuple', items: encoded.map((e) => e.tree) } as ValueTree) : encoded[0].tree,
    files: new Map(encoded.flatMap((e) => [...e.files])),
  };
  return {
    lines,
    write: (dir) => writeValueFiles(dir, whole, 'outputs.json'),
  };
}
