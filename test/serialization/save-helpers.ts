// Shared by the printer and archive-writer tests: the fixture cases with a module.pt, loading and freezing
// them once, a name-independent key of a graph's structure, and the one-process PyTorch checker.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../src/index.js';
import { freeze } from '../../passes/index.js';
import type { Block } from '../../src/ir/block.js';
import { constantValue } from '../../src/ir/constants.js';
import type { Graph } from '../../src/ir/graph.js';
import type { Value } from '../../src/ir/value.js';
import type { ScriptModule } from '../../src/module/script-module.js';
import { loadModule } from '../../src/serialization/index.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** test/fixtures, found from the compiled file (dist/test/serialization/*.js). */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
/** The checker script run by the interop tests. */
export const CHECK_SCRIPT = fileURLToPath(new URL('../../../scripts/check-saved-models.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** What a fixture case freezes with (case.json `settings`). */
export interface CaseSettings {
  readonly preservedAttrs: string[];
  readonly optimizeNumerics: boolean;
}

/** A fixture folder holding a module.pt. */
export interface ModuleCase {
  readonly name: string;
  readonly dir: string;
  readonly settings: CaseSettings;
  /** `expected.frozen_named_parameters` (parameters PyTorch's frozen module keeps). */
  readonly frozenParameters: number;
  /** `expected.original_named_parameters` (parameters of the scripted module). */
  readonly originalParameters: number | null;
  /** True when PyTorch's frozen module could be called (some cases only raise). */
  readonly hasFrozenCode: boolean;
  /** False for the cases where PyTorch's freeze itself refuses the module. */
  readonly hasFrozenPt: boolean;
}

interface RawCase {
  settings: { preserved_attrs: string[] | null; optimize_numerics: boolean };
  expected?: { frozen_named_parameters?: number; original_named_parameters?: number };
}

/** Every fixture case with a module.pt, sorted by name. */
export function moduleCases(): ModuleCase[] {
  const out: ModuleCase[] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, name);
    if (!existsSync(join(dir, 'module.pt')) || !existsSync(join(dir, 'case.json'))) continue;
    const raw = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as RawCase;
    out.push({
      name,
      dir,
      settings: {
        preservedAttrs: raw.settings.preserved_attrs ?? [],
        optimizeNumerics: raw.settings.optimize_numerics,
      },
      frozenParameters: raw.expected?.frozen_named_parameters ?? 0,
      originalParameters: raw.expected?.original_named_parameters ?? null,
      hasFrozenCode: existsSync(join(dir, 'frozen_code.py')),
      hasFrozenPt: existsSync(join(dir, 'frozen.pt')),
    });
  }
  return out;
}

/** A fresh load of `path`, for tests that change or freeze the module. */
export function load(path: string): ScriptModule {
  return loadModule(path);
}

const shared = new Map<string, ScriptModule>();

/** `path` loaded once per test run, for tests that only read the module (never change it). */
export function loadShared(path: string): ScriptModule {
  let module = shared.get(path);
  if (!module) {
    module = loadModule(path);
    shared.set(path, module);
  }
  return module;
}

const frozen = new Map<string, ScriptModule>();

/** The case's module.pt, loaded and frozen with the case's settings, once per test run (read it only). */
export function frozenCase(c: ModuleCase): ScriptModule {
  let module = frozen.get(c.name);
  if (!module) {
    module = freeze(load(join(c.dir, 'module.pt')), {
      preservedAttrs: c.settings.preservedAttrs,
      optimizeNumerics: c.settings.optimizeNumerics,
    });
    frozen.set(c.name, module);
  }
  return module;
}

/**
 * The structure of a graph as text, independent of value names: every node's kind, attributes (constant
 * values type-directed; tensors by dtype, shape and elements), inputs as definition indices and output
 * types, blocks nested. Two graphs with equal keys compute the same thing.
 */
export function structuralKey(graph: Graph): string {
  const ids = new Map<Value, number>();
  const lines: string[] = [];
  const def = (v: Value): string => {
    ids.set(v, ids.size);
    return `v${ids.size - 1}:${v.type.str()}`;
  };
  const use = (v: Value): string => `v${ids.get(v) ?? `?${v.debugName}`}`;
  const block = (b: Block, depth: number): void => {
    const pad = ' '.repeat(depth * 2);
    lines.push(`${pad}block(${b.inputs.map(def).join(', ')})`);
    for (const node of b.nodes()) {
      const attrs =
        node.kind === 'prim::Constant'
          ? describe(constantValue(node))
          : node
              .attributeNames()
              .sort()
              .map((n) => `${n}=${JSON.stringify(node.attribute(n), replacer)}`)
              .join(',');
      lines.push(
        `${pad}${node.outputs.map(def).join(', ')} = ${node.kind}[${attrs}](${node.inputs.map(use).join(', ')})`,
      );
      for (const inner of node.blocks) block(inner, depth + 1);
    }
    lines.push(`${pad}-> (${b.outputs.map(use).join(', ')})`);
  };
  block(graph.block, 0);
  return lines.join('\n');
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Tensor) return describe(value);
  if (
    value !== null &&
    typeof value === 'object' &&
    'str' in value &&
    typeof (value as { str: unknown }).str === 'function'
  ) {
    return (value as { str(): string }).str();
  }
  return value;
}

/** A value as comparable text: tensors by dtype, shape and a digest of every element. */
export function describe(value: unknown): string {
  if (value instanceof Tensor) {
    const digest = createHash('sha1')
      .update(value.toArray().map(String).join(','))
      .digest('hex')
      .slice(0, 16);
    return `Tensor<${value.dtype}>[${value.shape.join(',')}]#${digest}`;
  }
  return JSON.stringify(value, replacer) ?? String(value);
}

/** The first line where two texts differ, for short failure messages. */
export function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const b = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}:\n  got:      ${a[i] ?? '<end>'}\n  expected: ${b[i] ?? '<end>'}`;
  }
  return 'no difference';
}

let torchChecked: boolean | undefined;
/** True when /usr/bin/python3 can import torch (checked once). */
export function pythonHasTorch(): boolean {
  torchChecked ??=
    spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 }).status === 0;
  return torchChecked;
}

/** One model for scripts/check-saved-models.py. */
export interface CheckJob {
  readonly id: string;
  readonly model: string;
  readonly case_dir: string;
  readonly output_key: 'frozen_output' | 'output';
  readonly expected_parameters: number | null;
  /** A PyTorch-written archive whose named_parameters() names the model must have, in order. */
  readonly reference_model?: string;
  readonly rtol?: number;
  readonly atol?: number;
}

/** What the checker reports per job. */
export interface CheckResult {
  readonly id: string;
  readonly ok: boolean;
  readonly problems: string[];
  readonly calls: number;
}

/** Runs every job in one python process; throws with python's stderr when the script itself fails. */
export function runChecks(jobs: readonly CheckJob[], jobFile: string): Map<string, CheckResult> {
  writeFileSync(jobFile, JSON.stringify(jobs));
  const run = spawnSync(PYTHON, [CHECK_SCRIPT, jobFile], {
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`check-saved-models.py failed (${run.status}):\n${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as { results: CheckResult[] };
  return new Map(parsed.results.map((r) => [r.id, r]));
}
