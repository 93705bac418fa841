// The data of the PyTorch test_freezing.py port: reads test/fixtures/freezing/<test>/expected.json
// (written by scripts/make-freezing-cases.py on torch 1.13.1) and turns its values into IValues.

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, Tuple, type DType, type DictKey, type IValue } from '../../src/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

/** Where the generator writes one folder per ported PyTorch test. */
export const FREEZING_ROOT = join(REPO_ROOT, 'test', 'fixtures', 'freezing');

/** A value as the generator encodes it (tensors inline). */
export type Encoded =
  | { kind: 'Tensor'; dtype: string; shape: number[]; data: number[] }
  | { kind: 'None' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'tuple'; items: Encoded[] }
  | { kind: 'list'; items: Encoded[] }
  | { kind: 'dict'; items: [Encoded, Encoded][] };

/** An error PyTorch raised: its Python type, full message and the part the test matches. */
export interface RecordedError {
  type: string;
  message: string;
  expected_substring?: string;
}

/** One step of a test, in order: a call (with PyTorch's output) or a mutation between calls. */
export type Step =
  | {
      op: 'call';
      on: 'original' | 'frozen';
      method: string;
      inputs: Encoded[];
      output: Encoded;
      rtol: number;
      atol: number;
      /** The output must equal that of step `same_as` (an assertEqual between two calls in PyTorch). */
      same_as?: number;
      /** The output must differ from that of step `differs_from`. */
      differs_from?: number;
    }
  | {
      op: 'call_error';
      on: 'original' | 'frozen';
      method: string;
      inputs: Encoded[];
      error: RecordedError;
      expected_substring: string;
    }
  | { op: 'add_at'; on: 'original' | 'frozen'; attr: string; index: number[]; value: number }
  | { op: 'set_attr'; on: 'original' | 'frozen'; attr: string; value: Encoded };

/** A FileCheck chain PyTorch runs, as [directive, pattern] pairs (CHECK / CHECK-NOT / CHECK-NEXT). */
export interface GraphCheck {
  /** `frozen`: a method graph of the frozen module; `original_inlined`: the original's graph with calls inlined. */
  on: 'frozen' | 'original' | 'original_inlined';
  method: string;
  chain: [string, string][];
}

/** One module of a test and everything the PyTorch test asserts about it. */
export interface Variant {
  name: string;
  /** The .pt file in the test's folder. */
  module: string;
  freeze: {
    api: 'torch.jit.freeze' | 'torch._C._freeze_module';
    preserved_attrs: string[] | null;
    optimize_numerics: boolean;
  };
  /** Set when freezing must fail. */
  error: RecordedError | null;
  /** Dotted attribute path -> whether the frozen module has it. */
  has_attr: Record<string, boolean>;
  /** Dotted method path -> whether the frozen module has it. */
  has_method: Record<string, boolean>;
  checks: GraphCheck[];
  /** Method -> node kind -> count in PyTorch's frozen graph (nested blocks included). */
  node_counts: Record<string, Record<string, number>>;
  steps: Step[];
  /** test_optimize_freeze_module: the chain that holds after torch.jit.run_frozen_optimizations. */
  after_run_frozen_optimizations?: { method: string; chain: [string, string][] };
  /** test_linear_transpose / test_linear_non_constant_weight: counts after one extra pass. */
  after_pass?: { pass: string; method: string; counts: Record<string, number> };
  /** test_freeze_module_in_training_mode: what torch.jit.freeze says about the training-mode module. */
  jit_freeze_error?: RecordedError;
}

/** expected.json of one ported test. */
export interface FreezingCase {
  test: string;
  class: 'TestFreezing' | 'TestFrozenOptimizations';
  torch_version: string;
  notes: string[];
  variants: Variant[];
}

/** Reads the case of PyTorch test `test` (throws when the generator did not write it). */
export function readCase(test: string): FreezingCase {
  const file = join(FREEZING_ROOT, test, 'expected.json');
  if (!existsSync(file)) throw new Error(`no freezing case ${test} (run scripts/make-freezing-cases.py)`);
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('variants' in parsed) ||
    !Array.isArray(parsed.variants)
  ) {
    throw new Error(`${file}: not a freezing case`);
  }
  return parsed as FreezingCase;
}

/** Path of a variant's .pt file. */
export function modulePath(test: string, variant: Variant): string {
  return join(FREEZING_ROOT, test, variant.module);
}

const DTYPES: Record<string, DType> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
  float16: 'float16',
  bfloat16: 'bfloat16',
};

/** The IValue of an encoded value (a fresh object each time: calls may mutate their inputs). */
export function decode(e: Encoded): IValue {
  switch (e.kind) {
    case 'Tensor': {
      const dtype = DTYPES[e.dtype];
      if (!dtype) throw new Error(`unsupported dtype ${e.dtype}`);
      const values =
        dtype === 'int64'
          ? e.data.map((x) => BigInt(x))
          : dtype === 'bool'
            ? e.data.map((x) => x !== 0)
            : e.data;
      return Tensor.fromArray(dtype, values, e.shape);
    }
    case 'None':
      return null;
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
      return e.value;
    case 'tuple':
      return new Tuple(e.items.map(decode));
    case 'list':
      return e.items.map(decode);
    case 'dict': {
      const m = new Map<DictKey, IValue>();
      for (const [k, v] of e.items) m.set(decode(k) as DictKey, decode(v));
      return m;
    }
  }
}
