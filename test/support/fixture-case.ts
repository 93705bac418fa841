// Reads one fixture case folder (case.json, raw .bin tensors, the encoded call inputs/outputs) and compares
// the values tsfreeze computes with the ones PyTorch recorded. Shared by the runtime, CLI and bench code.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Tuple, isObjectValue, normalizeInt, type DictKey, type IValue } from '../../src/ir/ivalue.js';
import { DTYPES, storageFromBytes, type DType } from '../../src/tensor/dtype.js';
import { shapeNumel, Tensor } from '../../src/tensor/tensor.js';

/** test/fixtures/ (the tests' copy of the shared fixtures), as an absolute path with a trailing slash. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** A tensor recorded as a raw little-endian, C-contiguous file (bool: one byte per element). */
export interface EncodedTensor {
  readonly kind: 'Tensor';
  /** null when only the metadata was recorded (tv_resnet18_full_graphs). */
  readonly file: string | null;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** A value as case.json encodes it (call inputs, outputs, attribute values). */
export type EncodedValue =
  | EncodedTensor
  | { readonly kind: 'int' | 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'None' }
  | {
      readonly kind: 'tuple' | 'list';
      readonly items: readonly EncodedValue[];
      readonly namedtuple?: { readonly type: string; readonly fields: readonly string[] };
    }
  | {
      readonly kind: 'dict';
      readonly items: readonly { readonly key: EncodedValue; readonly value: EncodedValue }[];
    };

const encodedValue: z.ZodType<EncodedValue> = z.lazy(() =>
  z.union([
    z.object({
      kind: z.literal('Tensor'),
      file: z.string().nullable(),
      dtype: z.string(),
      shape: z.array(z.number().int()),
    }),
    z.object({ kind: z.enum(['int', 'float']), value: z.number() }),
    z.object({ kind: z.literal('bool'), value: z.boolean() }),
    z.object({ kind: z.literal('str'), value: z.string() }),
    z.object({ kind: z.literal('None') }),
    z.object({
      kind: z.enum(['tuple', 'list']),
      items: z.array(encodedValue),
      namedtuple: z.object({ type: z.string(), fields: z.array(z.string()) }).optional(),
    }),
    z.object({
      kind: z.literal('dict'),
      items: z.array(z.object({ key: encodedValue, value: encodedValue })),
    }),
  ]),
);

const raised = z.object({ type: z.string(), message: z.string() });

const caseJson = z.object({
  case: z.string(),
  has_module_pt: z.boolean(),
  has_frozen_pt: z.boolean(),
  settings: z
    .object({ preserved_attrs: z.array(z.string()).nullable(), optimize_numerics: z.boolean() })
    .default({ preserved_attrs: null, optimize_numerics: true }),
  calls: z
    .array(
      z.object({
        method: z.string(),
        inputs: z.array(encodedValue),
        output: encodedValue.nullable().optional(),
        frozen_output: encodedValue.nullable().optional(),
        original_raises: raised.nullable().optional(),
        frozen_raises: raised.nullable().optional(),
      }),
    )
    .default([]),
});

/** An exception PyTorch raised for a call: Python class name and its full message. */
export interface RecordedRaise {
  readonly type: string;
  readonly message: string;
}

/** One recorded call: the method, its inputs and what the original and frozen modules gave back. */
export interface FixtureCall {
  readonly index: number;
  readonly method: string;
  readonly inputs: readonly EncodedValue[];
  /** Absent when the call raised. */
  readonly output?: EncodedValue;
  readonly frozenOutput?: EncodedValue;
  readonly originalRaises?: RecordedRaise;
  readonly frozenRaises?: RecordedRaise;
}

/** Which archive of a case a run is about. */
export type FixtureVariant = 'original' | 'frozen';

/** A fixture case folder with its parsed case.json. */
export interface FixtureCase {
  readonly name: string;
  readonly dir: string;
  /** Path of module.pt, when the case has one. */
  readonly modulePath?: string;
  /** Path of frozen.pt, when the case has one. */
  readonly frozenPath?: string;
  readonly calls: readonly FixtureCall[];
  /** The arguments PyTorch's freeze got (preserved_attrs, optimize_numerics), named as in tsfreeze's freeze(). */
  readonly freezeSettings: {
    readonly preservedAttrs?: readonly string[];
    readonly optimizeNumerics: boolean;
  };
  /** The whole case.json, for facts this reader does not model. */
  readonly json: Readonly<Record<string, unknown>>;
}

/** Reads the case in `dir` (which must hold a case.json). Throws with the folder name on a malformed file. */
export function readFixtureCase(dir: string): FixtureCase {
  const raw: unknown = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const parsed = caseJson.safeParse(raw);
  if (!parsed.success) throw new Error(`${dir}/case.json: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const path = (file: string, present: boolean): string | undefined =>
    present && existsSync(join(dir, file)) ? join(dir, file) : undefined;
  return {
    name: c.case,
    dir,
    modulePath: path('module.pt', c.has_module_pt),
    frozenPath: path('frozen.pt', c.has_frozen_pt),
    calls: c.calls.map((call, index) => ({
      index,
      method: call.method,
      inputs: call.inputs,
      output: call.output ?? undefined,
      frozenOutput: call.frozen_output ?? undefined,
      originalRaises: call.original_raises ?? undefined,
      frozenRaises: call.frozen_raises ?? undefined,
    })),
    freezeSettings: {
      preservedAttrs: c.settings.preserved_attrs ?? undefined,
      optimizeNumerics: c.settings.optimize_numerics,
    },
    json: raw as Record<string, unknown>,
  };
}

/** Every case under `root` in name order; folders starting with `_` and folders without case.json are skipped. */
export function listFixtureCases(root: string = FIXTURES_DIR): FixtureCase[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && existsSync(join(root, e.name, 'case.json')))
    .map((e) => e.name)
    .sort()
    .map((name) => readFixtureCase(join(root, name)));
}

/** The expected output or expected raise of a call for one variant. */
export function expectedFor(
  call: FixtureCall,
  variant: FixtureVariant,
): { output?: EncodedValue; raises?: RecordedRaise } {
  return variant === 'original'
    ? { output: call.output, raises: call.originalRaises }
    : { output: call.frozenOutput, raises: call.frozenRaises };
}

function asDType(name: string): DType {
  if (!(name in DTYPES)) throw new Error(`unknown dtype '${name}' in case.json`);
  return name as DType;
}

/** Reads a recorded tensor file of the case in `dir`, checking its size against dtype and shape. */
export function readTensor(dir: string, enc: EncodedTensor): Tensor {
  const dtype = asDType(enc.dtype);
  if (enc.file === null)
    throw new Error(`${dir}: a ${dtype}[${enc.shape.join(', ')}] tensor was not recorded to a file`);
  const bytes = readFileSync(join(dir, enc.file));
  const numel = shapeNumel(enc.shape);
  const want = numel * DTYPES[dtype].itemSize;
  if (bytes.byteLength !== want) {
    throw new Error(
      `${enc.file}: ${bytes.byteLength} bytes, ${dtype}[${enc.shape.join(', ')}] needs ${want}`,
    );
  }
  return Tensor.fromStorage(dtype, storageFromBytes(dtype, bytes), enc.shape);
}

/** Turns an encoded value into the IValue a module call takes (tensors read fresh from their files). */
export function decodeValue(dir: string, enc: EncodedValue): IValue {
  switch (enc.kind) {
    case 'Tensor':
      return readTensor(dir, enc);
    case 'int':
      return normalizeInt(BigInt(enc.value));
    case 'float':
    case 'bool':
    case 'str':
      return enc.value;
    case 'None':
      return null;
    case 'tuple':
      return new Tuple(enc.items.map((v) => decodeValue(dir, v)));
    case 'list':
      return enc.items.map((v) => decodeValue(dir, v));
    case 'dict': {
      const map = new Map<DictKey, IValue>();
      for (const { key, value } of enc.items)
        map.set(decodeValue(dir, key) as DictKey, decodeValue(dir, value));
      return map;
    }
  }
}

/** Tolerances of {@link compareValue}: |actual - expected| <= atol + rtol * |expected| per float element. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** The result of comparing a computed value with a recorded one. */
export interface ValueComparison {
  readonly ok: boolean;
  /** Largest |actual - expected| over float elements and float scalars (0 when there are none). */
  readonly maxAbsError: number;
  /** Largest |actual - expected| / |expected| over elements whose expected value is not 0. */
  readonly maxRelError: number;
  /** Tensors compared. */
  readonly tensors: number;
  /** One readable line per mismatch (path, what differs), the first few only. */
  readonly mismatches: readonly string[];
}

const MAX_REPORTED = 5;

class Comparer {
  maxAbs = 0;
  maxRel = 0;
  tensors = 0;
  readonly mismatches: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly tol: Tolerance,
  ) {}

  fail(path: string, message: string): void {
    if (this.mismatches.length < MAX_REPORTED) this.mismatches.push(`${path}: ${message}`);
  }

  // Records the error of one float pair; returns false when it is outside the tolerance.
  number(actual: number, expected: number): boolean {
    if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
    if (actual === expected) return true;
    const abs = Math.abs(actual - expected);
    if (!(abs < Infinity)) return false;
    if (abs > this.maxAbs) this.maxAbs = abs;
    if (expected !== 0 && abs / Math.abs(expected) > this.maxRel) this.maxRel = abs / Math.abs(expected);
    return abs <= this.tol.atol + this.tol.rtol * Math.abs(expected);
  }

  value(actual: IValue, enc: EncodedValue, path: string): void {
    switch (enc.kind) {
      case 'Tensor':
        return this.tensor(actual, enc, path);
      case 'int':
        if (
          (typeof actual !== 'number' && typeof actual !== 'bigint') ||
          BigInt(actual) !== BigInt(enc.value)
        ) {
          this.fail(path, `${show(actual)}, expected int ${enc.value}`);
        }
        return;
      case 'float':
        if (typeof actual !== 'number' || !this.number(actual, enc.value))
          this.fail(path, `${show(actual)}, expected float ${enc.value}`);
        return;
      case 'bool':
      case 'str':
        if (actual !== enc.value)
          this.fail(path, `${show(actual)}, expected ${enc.kind} ${JSON.stringify(enc.value)}`);
        return;
      case 'None':
        if (actual !== null) this.fail(path, `${show(actual)}, expected None`);
        return;
      case 'tuple':
      case 'list': {
        const items =
          enc.kind === 'tuple'
            ? actual instanceof Tuple
              ? actual.items
              : undefined
            : Array.isArray(actual)
              ? actual
              : undefined;
        if (!items) return this.fail(path, `${show(actual)}, expected a ${enc.kind} of ${enc.items.length}`);
        if (items.length !== enc.items.length) {
          return this.fail(path, `${enc.kind} of ${items.length}, expected ${enc.items.length} items`);
        }
        enc.items.forEach((e, i) => this.value(items[i], e, `${path}[${i}]`));
        return;
      }
      case 'dict': {
        if (!(actual instanceof Map))
          return this.fail(path, `${show(actual)}, expected a dict of ${enc.items.length}`);
        const keys = [...actual.keys()];
        if (keys.length !== enc.items.length)
          return this.fail(path, `dict of ${keys.length}, expected ${enc.items.length} entries`);
        // Dicts keep insertion order in TorchScript as in Python, so entries are compared in order.
        enc.items.forEach(({ key, value }, i) => {
          this.value(keys[i], key, `${path}.keys()[${i}]`);
          this.value(actual.get(keys[i]) ?? null, value, `${path}[${show(keys[i])}]`);
        });
        return;
      }
    }
  }

  tensor(actual: IValue, enc: EncodedTensor, path: string): void {
    if (!(actual instanceof Tensor))
      return this.fail(path, `${show(actual)}, expected Tensor ${enc.dtype}[${enc.shape.join(', ')}]`);
    this.tensors++;
    if (actual.dtype !== enc.dtype) return this.fail(path, `dtype ${actual.dtype}, expected ${enc.dtype}`);
    if (actual.shape.length !== enc.shape.length || actual.shape.some((s, i) => s !== enc.shape[i])) {
      return this.fail(path, `shape [${actual.shape.join(', ')}], expected [${enc.shape.join(', ')}]`);
    }
    const expected = readTensor(this.dir, enc);
    const floating = DTYPES[expected.dtype].isFloatingPoint;
    let bad = 0;
    let first = '';
    for (let i = 0; i < expected.numel; i++) {
      const a = actual.getFlat(i);
      const e = expected.getFlat(i);
      const same = floating ? this.number(Number(a), Number(e)) : a === e;
      if (same) continue;
      if (bad++ === 0) {
        const tol = floating
          ? ` (tolerance ${(this.tol.atol + this.tol.rtol * Math.abs(Number(e))).toExponential(2)})`
          : '';
        first = `element [${unflatten(i, enc.shape).join(', ')}] is ${String(a)}, expected ${String(e)}${tol}`;
      }
    }
    if (bad) this.fail(path, `${bad} of ${expected.numel} elements differ; first: ${first}`);
  }
}

function unflatten(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

function show(v: IValue): string {
  if (v === null) return 'None';
  if (v instanceof Tensor) return `Tensor ${v.dtype}[${v.shape.join(', ')}]`;
  if (v instanceof Tuple) return `tuple of ${v.items.length}`;
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (v instanceof Map) return `dict of ${v.size}`;
  if (isObjectValue(v)) return `object ${v.type.str()}`;
  return typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;
}

/**
 * Compares a computed value with a recorded one: tensors by dtype, shape and elements (float within `tol`,
 * integer and bool exactly), containers item by item, scalars by kind. `path` names the value in messages.
 */
export function compareValue(
  actual: IValue,
  expected: EncodedValue,
  dir: string,
  tol: Tolerance,
  path = 'output',
): ValueComparison {
  const c = new Comparer(dir, tol);
  c.value(actual, expected, path);
  return {
    ok: c.mismatches.length === 0,
    maxAbsError: c.maxAbs,
    maxRelError: c.maxRel,
    tensors: c.tensors,
    mismatches: c.mismatches,
  };
}

/**
 * The message a recorded exception ends with: PyTorch prefixes errors raised inside the interpreter with a
 * TorchScript traceback and ends them with `<Class>: <message>`, so the last such line is the message proper.
 */
export function coreMessage(raise: RecordedRaise): string {
  const lines = raise.message.trimEnd().split('\n');
  const last = lines[lines.length - 1];
  const m = /^[\w.]+(?:Error|Exception): (.*)$/.exec(last);
  return lines.length > 1 && m ? m[1] : raise.message;
}
