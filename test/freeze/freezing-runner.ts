// Runs one variant of a ported PyTorch freezing test: load the .pt, freeze with tsfreeze, then make
// the assertions the PyTorch test makes (attributes, methods, FileCheck, calls and mutations, errors).

import { expect } from 'chai';
import {
  ScriptModule,
  Tensor,
  Tuple,
  TsFreezeError,
  allClose,
  contiguousStrides,
  getPassManager,
  type Graph,
  type IValue,
  type ObjectValue,
} from '../../src/index.js';
import { loadModule } from '../../src/serialization/index.js';
import { createFreezeContainer, freeze, type FreezeOptions } from '../../passes/index.js';
import { fileCheck } from '../support/filecheck.js';
import { decode, modulePath, type GraphCheck, type Step, type Variant } from './freezing-cases.js';

/** What a variant run leaves for test-specific assertions. */
export interface VariantRun {
  readonly original: ScriptModule;
  /** Undefined when freezing was expected to fail (and did). */
  readonly frozen: ScriptModule | undefined;
  /** Our result of every step (undefined for mutations). */
  readonly results: (IValue | undefined)[];
}

/** The freeze options a variant asks for. torch._C._freeze_module runs no frozen optimizations. */
export function freezeOptions(v: Variant): FreezeOptions {
  const internal = v.freeze.api === 'torch._C._freeze_module';
  return {
    preservedAttrs: v.freeze.preserved_attrs ?? [],
    optimizeNumerics: internal ? false : v.freeze.optimize_numerics,
  };
}

/** Loads the variant's module.pt with the project's loader. */
export function loadVariant(test: string, v: Variant): ScriptModule {
  return loadModule(modulePath(test, v));
}

/** Runs a variant end to end and returns the modules for extra, test-specific checks. */
export function runVariant(test: string, v: Variant): VariantRun {
  const original = loadVariant(test, v);
  if (v.error) {
    const err = catchError(() => freeze(original, freezeOptions(v)));
    expectPyTorchError(err, v.error.expected_substring ?? v.error.message);
    return { original, frozen: undefined, results: [] };
  }
  const frozen = freeze(original, freezeOptions(v));
  for (const [path, want] of Object.entries(v.has_attr)) {
    expect(hasAttrPath(frozen, path), `hasattr(${path}) on the frozen module`).to.equal(want);
  }
  for (const [path, want] of Object.entries(v.has_method)) {
    expect(hasMethodPath(frozen, path), `has method ${path} on the frozen module`).to.equal(want);
  }
  for (const c of v.checks) runCheck(c, original, frozen);
  const results = runSteps(v.steps, original, frozen);
  return { original, frozen, results };
}

/** Runs `fn`, returning what it threw (fails the test when it does not throw). */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  expect.fail('expected an error, none was thrown');
}

/** A typed tsfreeze error (never a raw TypeError) whose message contains PyTorch's words. */
export function expectPyTorchError(err: unknown, words: string): void {
  expect(err, String(err)).to.be.instanceOf(TsFreezeError);
  expect((err as TsFreezeError).message).to.include(words);
}

// ---- attributes and methods ------------------------------------------------------------------

function isObject(v: IValue): v is ObjectValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof Tensor) &&
    'getAttr' in v &&
    typeof v.getAttr === 'function'
  );
}

/** The object holding the last part of a dotted path, and that part. */
export function ownerOf(root: ObjectValue, path: string): [ObjectValue, string] {
  const parts = path.split('.');
  let obj = root;
  for (const p of parts.slice(0, -1)) {
    const next = obj.getAttr(p);
    if (!isObject(next)) throw new Error(`${path}: ${p} is not an object`);
    obj = next;
  }
  return [obj, parts[parts.length - 1]];
}

/** hasattr on a dotted path, as `mf.sub2.hasattr('b')` in PyTorch. */
export function hasAttrPath(root: ScriptModule, path: string): boolean {
  const [owner, last] = ownerOf(root, path);
  return owner.hasAttr(last);
}

/** `_has_method` on a dotted path. */
export function hasMethodPath(root: ScriptModule, path: string): boolean {
  const [owner, last] = ownerOf(root, path);
  if (!(owner instanceof ScriptModule)) throw new Error(`${path}: owner is not a module`);
  return owner.hasMethod(last);
}

// ---- graphs --------------------------------------------------------------------------------------

/** PyTorch's FileCheck chain as directive text for the project's FileCheck. */
export function chainText(chain: readonly (readonly [string, string])[]): string {
  return chain.map(([d, p]) => `${d}: ${p}`).join('\n');
}

/** The original's method graph with every call inlined (torch._C._jit_pass_inline on a copy). */
export function inlinedGraph(original: ScriptModule, method: string): Graph {
  const copy = original.clone();
  getPassManager(createFreezeContainer()).run(copy, 'inline-submodules');
  return copy.getMethod(method).graph;
}

function runCheck(c: GraphCheck, original: ScriptModule, frozen: ScriptModule): void {
  let graph: Graph;
  if (c.on === 'frozen') graph = frozen.getMethod(c.method).graph;
  else if (c.on === 'original') graph = original.getMethod(c.method).graph;
  else graph = inlinedGraph(original, c.method);
  fileCheck(graph.toString(), chainText(c.chain));
}

/** node kind -> count over every block of `graph` (as the generator counts). */
export function nodeCounts(graph: Graph): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of graph.allNodes()) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  return counts;
}

// ---- calls and mutations ---------------------------------------------------------------------------

// PyTorch's kernels and ours round differently; float32 results get a looser bound than the
// generator's float64-level tolerances.
function tolerances(step: { rtol: number; atol: number }, expected: IValue): { rtol: number; atol: number } {
  const f32 = expected instanceof Tensor && expected.dtype === 'float32';
  return { rtol: Math.max(step.rtol, f32 ? 1e-4 : 1e-7), atol: Math.max(step.atol, f32 ? 1e-5 : 1e-7) };
}

function runSteps(
  steps: readonly Step[],
  original: ScriptModule,
  frozen: ScriptModule,
): (IValue | undefined)[] {
  const results: (IValue | undefined)[] = [];
  steps.forEach((s, i) => {
    const target = s.on === 'frozen' ? frozen : original;
    const where = `step ${i} (${s.op} on ${s.on})`;
    switch (s.op) {
      case 'call': {
        const out = target.call(s.method, ...s.inputs.map(decode));
        const want = decode(s.output);
        const tol = tolerances(s, want);
        const diff = valueDiff(out, want, tol.rtol, tol.atol);
        expect(diff, `${where}: ${s.method}() vs PyTorch`).to.equal(null);
        if (s.same_as !== undefined) {
          expect(
            valueDiff(out, results[s.same_as] ?? null, tol.rtol, tol.atol),
            `${where}: equal to step ${s.same_as}`,
          ).to.equal(null);
        }
        if (s.differs_from !== undefined) {
          expect(
            valueDiff(out, results[s.differs_from] ?? null, tol.rtol, tol.atol),
            `${where}: differs from step ${s.differs_from}`,
          ).to.not.equal(null);
        }
        results.push(out);
        break;
      }
      case 'call_error': {
        const err = catchError(() => target.call(s.method, ...s.inputs.map(decode)));
        expectPyTorchError(err, s.expected_substring);
        results.push(undefined);
        break;
      }
      case 'add_at': {
        const [owner, last] = ownerOf(target, s.attr);
        const t = owner.getAttr(last);
        if (!(t instanceof Tensor)) throw new Error(`${where}: ${s.attr} is not a tensor`);
        addAt(t, s.index, s.value);
        results.push(undefined);
        break;
      }
      case 'set_attr': {
        const [owner, last] = ownerOf(target, s.attr);
        owner.setAttr(last, decode(s.value));
        results.push(undefined);
        break;
      }
    }
  });
  return results;
}

/** `t[index] += value` in place (through t's strides, so views and shared storage see it). */
export function addAt(t: Tensor, index: readonly number[], value: number): void {
  const strides = contiguousStrides(t.shape);
  const flat = index.reduce((acc, ix, d) => acc + ix * strides[d], 0);
  const old = t.getFlat(flat);
  t.setFlat(flat, typeof old === 'bigint' ? old + BigInt(value) : Number(old) + value);
}

/** Null when `a` equals `b` (tensors within rtol/atol), else a description of the first difference. */
export function valueDiff(a: IValue, b: IValue, rtol: number, atol: number, at = 'value'): string | null {
  if (b instanceof Tensor) {
    if (!(a instanceof Tensor)) return `${at}: expected a tensor, got ${typeof a}`;
    if (a.shape.join() !== b.shape.join()) return `${at}: shape [${a.shape}] vs [${b.shape}]`;
    if (a.dtype !== b.dtype) return `${at}: dtype ${a.dtype} vs ${b.dtype}`;
    if (a.dtype.startsWith('float') || a.dtype === 'bfloat16') {
      return allClose(a, b, { rtol, atol }) ? null : `${at}: tensors differ beyond rtol=${rtol} atol=${atol}`;
    }
    for (let i = 0; i < a.numel; i++)
      if (a.getFlat(i) !== b.getFlat(i)) return `${at}[${i}]: ${a.getFlat(i)} vs ${b.getFlat(i)}`;
    return null;
  }
  if (b instanceof Tuple) {
    if (!(a instanceof Tuple)) return `${at}: expected a tuple`;
    return itemsDiff(a.items, b.items, rtol, atol, at);
  }
  if (Array.isArray(b)) {
    if (!Array.isArray(a)) return `${at}: expected a list`;
    return itemsDiff(a, b, rtol, atol, at);
  }
  if (b instanceof Map) {
    if (!(a instanceof Map)) return `${at}: expected a dict`;
    const ka = [...a.keys()];
    const kb = [...b.keys()];
    if (ka.join('\u0000') !== kb.join('\u0000')) return `${at}: keys ${ka} vs ${kb}`;
    for (const k of kb) {
      const d = valueDiff(a.get(k) ?? null, b.get(k) ?? null, rtol, atol, `${at}[${String(k)}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof b === 'number' || typeof b === 'bigint') {
    if (typeof a !== 'number' && typeof a !== 'bigint') return `${at}: expected a number, got ${String(a)}`;
    const x = Number(a);
    const y = Number(b);
    return x === y || Math.abs(x - y) <= 1e-12 * Math.abs(y) ? null : `${at}: ${x} vs ${y}`;
  }
  return a === b ? null : `${at}: ${JSON.stringify(String(a))} vs ${JSON.stringify(String(b))}`;
}

function itemsDiff(
  a: readonly IValue[],
  b: readonly IValue[],
  rtol: number,
  atol: number,
  at: string,
): string | null {
  if (a.length !== b.length) return `${at}: length ${a.length} vs ${b.length}`;
  for (let i = 0; i < b.length; i++) {
    const d = valueDiff(a[i], b[i], rtol, atol, `${at}[${i}]`);
    if (d) return d;
  }
  return null;
}
