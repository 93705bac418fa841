// Runtime values on disk: a JSON tree describing the structure plus one .npy file per tensor. The format
// `tsfreeze run --output-dir` writes (outputs.json) and scripts/zoo/values.py reads and writes, so nested
// results (dicts, lists, named tuples) survive the trip between tsfreeze and PyTorch.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { SerializationError } from '../errors.js';
import { Device, Tuple, isObjectValue, type DictKey, type IValue } from '../ir/ivalue.js';
import type { Type } from '../ir/types.js';
import { DTYPES } from '../tensor/dtype.js';
import { readNpy, writeNpy } from '../tensor/npy.js';
import { Tensor } from '../tensor/tensor.js';

/** One node of a value tree (see scripts/zoo/values.py for the same format in Python). */
export type ValueTree =
  | { kind: 'tensor'; file: string; dtype: string; shape: number[] }
  | { kind: 'int'; value: number | string }
  | { kind: 'float'; value: number | 'nan' | 'inf' | '-inf' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string }
  | { kind: 'device'; value: string }
  | { kind: 'none' }
  | { kind: 'list' | 'tuple'; items: ValueTree[] }
  | { kind: 'namedtuple'; name: string; fields: string[]; items: ValueTree[] }
  | { kind: 'dict'; items: { key: ValueTree; value: ValueTree }[] }
  | { kind: 'object'; class: string };

/** A tree plus the .npy bytes of its tensor files, ready to be written. */
export interface EncodedValue {
  readonly tree: ValueTree;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

const safe = (part: string): string => part.replace(/[^A-Za-z0-9_.-]/g, '_');

function floatTree(v: number): ValueTree {
  if (Number.isNaN(v)) return { kind: 'float', value: 'nan' };
  if (!Number.isFinite(v)) return { kind: 'float', value: v > 0 ? 'inf' : '-inf' };
  return { kind: 'float', value: v };
}

function keyText(k: DictKey): string {
  return k instanceof Tensor ? 'tensor' : String(k);
}

/**
 * Encodes `value`; tensors become files `<stem>[.path].npy` (output0.boxes.npy). `type` (the method's
 * declared output type, when known) tells ints from floats; without it an integral number is an int.
 */
export function encodeValue(value: IValue, stem: string, type?: Type): EncodedValue {
  const files = new Map<string, Uint8Array>();
  const visit = (v: IValue, path: string, t?: Type): ValueTree => {
    const inner = (i: number): Type | undefined => t?.containedTypes()[i];
    if (v instanceof Tensor) {
      const file = `${path}.npy`;
      files.set(file, writeNpy(v));
      return { kind: 'tensor', file, dtype: v.dtype, shape: [...v.shape] };
    }
    if (v === null) return { kind: 'none' };
    if (typeof v === 'boolean') return { kind: 'bool', value: v };
    if (typeof v === 'bigint') return { kind: 'int', value: v.toString() };
    if (typeof v === 'number') {
      const isFloat = t ? t.kind === 'float' : !Number.isInteger(v);
      return isFloat ? floatTree(v) : { kind: 'int', value: v };
    }
    if (typeof v === 'string') return { kind: 'str', value: v };
    if (v instanceof Device) return { kind: 'device', value: v.toString() };
    if (v instanceof Tuple) {
      const names = v.type?.names;
      const items = v.items.map((x, i) =>
        visit(x, `${path}.${names ? safe(names[i]) : i}`, v.type?.elements[i] ?? inner(i)),
      );
      if (!names) return { kind: 'tuple', items };
      const name = (v.type?.qualifiedName ?? 'NamedTuple').split('.').pop()!;
      return { kind: 'namedtuple', name, fields: [...names], items };
    }
    if (Array.isArray(v)) return { kind: 'list', items: v.map((x, i) => visit(x, `${path}.${i}`, inner(0))) };
    if (v instanceof Map) {
      const items = [...v.entries()].map(([k, x], i) => ({
        key: visit(k, `${path}.key${i}`, inner(0)),
        value: visit(x, `${path}.${safe(keyText(k))}`, inner(1)),
      }));
      return { kind: 'dict', items };
    }
    if (isObjectValue(v)) return { kind: 'object', class: v.type.str() };
    return { kind: 'str', value: String(v) };
  };
  return { tree: visit(value, stem, type), files };
}

/**
 * Writes an encoded value into `dir`: the tensor files, then `jsonName`. Every file is written atomically
 * (writeFileAtomic), so a failure or a kill never leaves a half-written file.
 */
export function writeValueFiles(dir: string, encoded: EncodedValue, jsonName: string): string[] {
  const written: string[] = [];
  const entries: [string, Uint8Array | string][] = [
    ...encoded.files,
    [jsonName, `${JSON.stringify(encoded.tree, null, 1)}\n`],
  ];
  for (const [name, data] of entries) {
    const path = join(dir, name);
    writeFileAtomic(path, [data]);
    written.push(path);
  }
  return written;
}

function treeError(where: string, message: string): SerializationError {
  return new SerializationError('VALUE_TREE', `${where}: ${message}`);
}

/** Reads the value a tree describes; tensor files are resolved against `dir`. */
export function decodeValue(tree: ValueTree, dir: string, where = dir): IValue {
  switch (tree.kind) {
    case 'tensor': {
      const tensor = readNpy(readFileSync(join(dir, tree.file)));
      if (!(tree.dtype in DTYPES) || tensor.dtype !== tree.dtype)
        throw treeError(where, `${tree.file} holds ${tensor.dtype}, the tree says ${tree.dtype}`);
      return tensor;
    }
    case 'none':
      return null;
    case 'int':
      return typeof tree.value === 'string' ? BigInt(tree.value) : tree.value;
    case 'float':
      return typeof tree.value === 'string'
        ? Number(tree.value.replace(/^(-?)inf$/, '$1Infinity'))
        : tree.value;
    case 'bool':
    case 'str':
      return tree.value;
    case 'device':
      return Device.parse(tree.value);
    case 'list':
      return tree.items.map((t) => decodeValue(t, dir, where));
    case 'tuple':
    case 'namedtuple':
      return new Tuple(tree.items.map((t) => decodeValue(t, dir, where)));
    case 'dict': {
      const map = new Map<DictKey, IValue>();
      for (const e of tree.items)
        map.set(decodeValue(e.key, dir, where) as DictKey, decodeValue(e.value, dir, where));
      return map;
    }
    default:
      throw treeError(where, `cannot read a value of kind '${(tree as { kind: string }).kind}'`);
  }
}

/** Reads `<dir>/<jsonName>` and the tensor files it names. */
export function readValueFiles(dir: string, jsonName: string): IValue {
  const path = join(dir, jsonName);
  let tree: ValueTree;
  try {
    tree = JSON.parse(readFileSync(path, 'utf8')) as ValueTree;
  } catch (e) {
    throw treeError(path, `not a readable value tree (${(e as Error).message})`);
  }
  return decodeValue(tree, dir, path);
}
