// Test helpers for the pickle layer: the JSON encoding scripts/extract-pickle-expectations.py writes, applied to
// our PickleValues, a tolerant comparison for tensor sums, and a tiny pickle assembler for hand-made inputs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DTYPES } from '../../src/tensor/dtype.js';
import { Storage, Tensor } from '../../src/tensor/tensor.js';
import {
  PickledObject,
  PickleDevice,
  PickleFloat,
  PickleGlobal,
  PickleTuple,
  StorageRef,
  TensorRef,
  typeTagOf,
  type PickleValue,
} from '../../src/serialization/pickle/index.js';
import { FIXTURES } from './zip-test-helpers.js';

export const EXPECTED = join(FIXTURES, '_pickle_expected');

/** A JSON value as the python script writes it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Reads `test/fixtures/_pickle_expected/<name>`. */
export function readExpected(name: string): { [key: string]: Json } {
  return JSON.parse(readFileSync(join(EXPECTED, name), 'utf8')) as { [key: string]: Json };
}

function encodeFloat(value: number): Json {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return value;
}

/** Storage record keys, for tensors whose Storage came from a loader (the loader records them here). */
export type StorageKeys = Map<Storage, string>;

function encodeTensor(tensor: Tensor | TensorRef, keys: StorageKeys | undefined): Json {
  const meta: { [key: string]: Json } = {
    dtype: tensor.dtype,
    shape: [...tensor.shape],
    stride: [...tensor.strides],
    offset: tensor.offset,
    requires_grad: tensor.requiresGrad,
    numel: tensor.shape.reduce((a, b) => a * b, 1),
  };
  if (tensor instanceof TensorRef) {
    meta.storage = tensor.storage.key;
    meta.storage_numel = tensor.storage.numel;
    return { tensor: meta };
  }
  meta.storage = keys?.get(tensor.storage) ?? '?';
  meta.storage_numel = tensor.storage.numel;
  const head: Json[] = [];
  let sum = 0;
  for (let i = 0; i < tensor.numel; i++) {
    const element = tensor.getFlat(i);
    const asNumber = typeof element === 'boolean' ? (element ? 1 : 0) : Number(element);
    sum += asNumber;
    if (i < 8) {
      if (tensor.dtype === 'bool') head.push(element as boolean);
      else if (DTYPES[tensor.dtype].isFloatingPoint) head.push(encodeFloat(asNumber));
      else head.push(String(element));
    }
  }
  meta.head = head;
  meta.sum = encodeFloat(sum);
  return { tensor: meta };
}

/** Encodes a PickleValue exactly as the python script encodes the same Python value. */
export function encodeValue(value: PickleValue, keys?: StorageKeys): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return { int: String(value) };
  if (value instanceof PickleFloat) return { float: encodeFloat(value.value) };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  if (value instanceof PickleTuple) return { tuple: value.items.map((item) => encodeValue(item, keys)) };
  if (Array.isArray(value)) {
    const out: { [key: string]: Json } = { list: value.map((item) => encodeValue(item, keys)) };
    const tag = typeTagOf(value);
    if (tag !== undefined) out.tag = tag;
    return out;
  }
  if (value instanceof Map) {
    const out: { [key: string]: Json } = {
      dict: [...value].map(([k, v]) => [encodeValue(k, keys), encodeValue(v, keys)]),
    };
    const tag = typeTagOf(value);
    if (tag !== undefined) out.tag = tag;
    return out;
  }
  if (value instanceof PickledObject) {
    const out: { [key: string]: Json } = { object: value.className };
    if (value.state !== undefined) out.state = encodeValue(value.state, keys);
    if (value.args.length > 0) out.args = value.args.items.map((item) => encodeValue(item, keys));
    return out;
  }
  if (value instanceof PickleDevice) return { device: value.toString() };
  if (value instanceof Tensor || value instanceof TensorRef) return encodeTensor(value, keys);
  if (value instanceof StorageRef) return { storage: value.key };
  if (value instanceof PickleGlobal) return { global: value.qualifiedName };
  throw new Error('unencodable value');
}

/** Drops the fields a TensorRef cannot know (element values), so it compares with python's tensor records. */
export function withoutTensorData(json: Json): Json {
  if (Array.isArray(json)) return json.map(withoutTensorData);
  if (json === null || typeof json !== 'object') return json;
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(json)) {
    if (key === 'head' || key === 'sum') continue;
    out[key] = withoutTensorData(item);
  }
  return out;
}

/** Deep equality, except `sum` fields (float64 sums in different orders) which must agree to 1e-9 relative. */
export function expectSameJson(actual: Json, expected: Json, path = '$'): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).to.equal(true);
    const list = actual as Json[];
    expect(list.length, `${path}.length`).to.equal(expected.length);
    expected.forEach((item, i) => expectSameJson(list[i], item, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(
      actual !== null && typeof actual === 'object' && !Array.isArray(actual),
      `${path} is an object`,
    ).to.equal(true);
    const record = actual as { [key: string]: Json };
    expect(Object.keys(record).sort(), `${path} keys`).to.deep.equal(Object.keys(expected).sort());
    for (const [key, item] of Object.entries(expected)) {
      if (key === 'sum' && typeof item === 'number' && typeof record[key] === 'number') {
        const tolerance = 1e-9 * Math.max(1, Math.abs(item));
        expect(Math.abs((record[key] as number) - item), `${path}.sum`).to.be.at.most(tolerance);
      } else {
        expectSameJson(record[key], item, `${path}.${key}`);
      }
    }
    return;
  }
  expect(Object.is(actual, expected), `${path}: ${String(actual)} vs ${String(expected)}`).to.equal(true);
}

/** Assembles a pickle from opcode bytes, numbers (single bytes) and strings (latin-1 text). */
export function bytesOf(...parts: (number | string | Uint8Array | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') for (const c of part) out.push(c.charCodeAt(0) & 0xff);
    else out.push(...part);
  }
  return new Uint8Array(out);
}

/** Little-endian bytes of an unsigned int. */
export function le(value: number | bigint, width: number): number[] {
  const out: number[] = [];
  let rest = BigInt(value);
  for (let i = 0; i < width; i++) {
    out.push(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return out;
}
