// The loaded module tree and its values equal what torch.jit.load gives for the same archive: module
// paths and classes, parameters and buffers (names, dtypes, shapes, requires_grad, sums and leading
// values), every attribute value, and the root's methods (test/fixtures/_load_expected, written by
// scripts/extract-load-expectations.py).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Device, Tuple, isObjectValue, type IValue } from '../../src/ir/index.js';
import { BoolType, DictType, ListType, OptionalType, TupleType, type Type } from '../../src/ir/index.js';
import { ClassType, CompilationUnit, ScriptModule } from '../../src/module/index.js';
import { ObjectRestorer } from '../../src/serialization/index.js';
import { PickledObject, type PickleValue } from '../../src/serialization/pickle/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { FIXTURES, fixtureArchives, loadFixture } from './load-test-helpers.js';

type Json = null | boolean | string | number | Json[] | { [key: string]: Json };

interface Expected {
  readonly type: string;
  readonly training: boolean | null;
  readonly modules: [string, string][];
  readonly parameters: [string, Json][];
  readonly buffers: [string, Json][];
  readonly attributes: [string, Json][];
  readonly methods: string[];
}

function num(x: number | bigint, isFloat: boolean): Json {
  if (!isFloat) return { int: String(x) };
  const v = Number(x);
  if (Number.isNaN(v)) return { float: 'nan' };
  if (!Number.isFinite(v)) return { float: v > 0 ? 'inf' : '-inf' };
  return { float: v };
}

function tensorSummary(t: Tensor): Json {
  const isFloat =
    t.dtype.startsWith('float') || t.dtype.startsWith('bfloat') || t.dtype.startsWith('complex');
  let sum = 0;
  let isum = 0n;
  const head: Json[] = [];
  for (let i = 0; i < t.numel; i++) {
    const v = t.getFlat(i);
    if (isFloat) sum += Number(v);
    else isum += typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? Number(v) : v);
    if (i < 8) head.push(typeof v === 'boolean' ? v : num(v, isFloat));
  }
  return {
    dtype: t.dtype,
    shape: [...t.shape],
    requires_grad: t.requiresGrad,
    sum: isFloat ? num(sum, true) : num(isum, false),
    head,
  };
}

// Our value in the expectation file's encoding; the declared type tells ints from floats.
function summarize(v: IValue, type: Type | undefined): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  const t = type instanceof OptionalType ? type.elem : type;
  if (typeof v === 'number' || typeof v === 'bigint')
    return num(
      v,
      t?.kind === 'float' || (t?.kind !== 'int' && typeof v === 'number' && !Number.isInteger(v)),
    );
  if (v instanceof Tensor) return { tensor: tensorSummary(v) };
  if (v instanceof ScriptModule) return { module: v.type.qualifiedName };
  if (v instanceof Device) return { device: v.toString() };
  if (v instanceof Tuple)
    return { tuple: v.items.map((x, i) => summarize(x, t instanceof TupleType ? t.elements[i] : undefined)) };
  if (Array.isArray(v))
    return { list: v.map((x) => summarize(x, t instanceof ListType ? t.elem : undefined)) };
  if (v instanceof Map) {
    return {
      dict: [...v].map(([k, x]) => [
        summarize(k, t instanceof DictType ? t.key : undefined),
        summarize(x, t instanceof DictType ? t.value : undefined),
      ]),
    };
  }
  if (isObjectValue(v)) return { object: v.type.qualifiedName };
  return { repr: String(v) };
}

// Floats within 1e-9 relative (sums are accumulated in another order); everything else exactly.
function close(ours: Json, theirs: Json, path: string): void {
  if (
    theirs !== null &&
    typeof theirs === 'object' &&
    !Array.isArray(theirs) &&
    typeof theirs.float === 'number'
  ) {
    const a = (ours as { float?: unknown } | null)?.float;
    expect(typeof a, `${path}: a float`).to.equal('number');
    const b = theirs.float;
    expect(Math.abs((a as number) - b), `${path}: ${String(a)} vs ${b}`).to.be.at.most(
      1e-9 * Math.max(1, Math.abs(b)) + 1e-6 * (path.endsWith('.sum') ? Math.max(1, Math.abs(b)) : 0),
    );
    return;
  }
  if (Array.isArray(theirs)) {
    expect(ours, path).to.be.an('array').with.lengthOf(theirs.length);
    theirs.forEach((x, i) => close((ours as Json[])[i], x, `${path}[${i}]`));
    return;
  }
  if (theirs !== null && typeof theirs === 'object') {
    expect(ours, path).to.be.an('object');
    expect(Object.keys(ours as object).sort(), path).to.deep.equal(Object.keys(theirs).sort());
    for (const k of Object.keys(theirs)) close((ours as Record<string, Json>)[k], theirs[k], `${path}.${k}`);
    return;
  }
  expect(ours, path).to.deep.equal(theirs);
}

// The declared type of a dotted attribute path, walking submodule types.
function attributeType(module: ScriptModule, path: string): Type | undefined {
  const parts = path.split('.');
  const name = parts.pop()!;
  const owner = module.getSubmodule(parts.join('.'));
  return owner.type.findAttribute(name)?.type;
}

describe('load: module tree and values equal torch.jit.load', () => {
  for (const archive of fixtureArchives()) {
    const stem = archive.file.replace(/\.pt$/, '');
    const expectedPath = join(FIXTURES, '_load_expected', `${archive.caseName}__${stem}.json`);
    if (!existsSync(expectedPath)) continue;
    describe(`${archive.caseName}/${archive.file}`, () => {
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected;

      it('has the same class, training flag, submodules and methods', () => {
        const { module } = loadFixture(archive.path);
        expect(module.type.qualifiedName).to.equal(expected.type);
        if (expected.training !== null) expect(module.training).to.equal(expected.training);
        expect(module.namedModules().map(([n, m]) => [n, m.type.qualifiedName])).to.deep.equal(
          expected.modules,
        );
        expect(module.methodNames().sort()).to.deep.equal([...expected.methods].sort());
      });

      it('has the same parameters and buffers, value for value', () => {
        const { module } = loadFixture(archive.path);
        const ours = (list: [string, Tensor][]): [string, Json][] =>
          list.map(([n, t]) => [n, tensorSummary(t)]);
        close(ours(module.namedParameters()), expected.parameters, 'parameters');
        close(ours(module.namedBuffers()), expected.buffers, 'buffers');
      });

      it('has the same attributes, in the same order, with the same values', () => {
        const { module } = loadFixture(archive.path);
        const ours = module
          .namedAttributes()
          .map(([n, v]): [string, Json] => [n, summarize(v, attributeType(module, n))]);
        expect(ours.map(([n]) => n)).to.deep.equal(expected.attributes.map(([n]) => n));
        close(ours, expected.attributes, 'attributes');
      });
    });
  }

  it('restores an object pickled once and referenced twice as one object', () => {
    const cu = new CompilationUnit();
    const leaf = new ClassType('__torch__.Leaf', { cu, isModule: true });
    leaf.addAttribute('training', BoolType);
    const top = new ClassType('__torch__.Top', { cu, isModule: true });
    top.addAttribute('training', BoolType);
    top.addAttribute('a', leaf);
    top.addAttribute('b', leaf);
    const shared = new PickledObject(
      '__torch__.Leaf',
      new Map<PickleValue, PickleValue>([['training', false]]),
    );
    const root = new PickledObject(
      '__torch__.Top',
      new Map<PickleValue, PickleValue>([
        ['training', false],
        ['a', shared],
        ['b', shared],
      ]),
    );
    const restorer = new ObjectRestorer({ source: 'test', findClass: (name) => cu.getType(name) });
    const module = restorer.restoreObject(root, '') as ScriptModule;
    expect(module.getAttr('a')).to.equal(module.getAttr('b'));
    expect(module.namedModules().map(([n]) => n)).to.deep.equal(['', 'a']);
  });

  it('keeps the two paths of the nested_submodules Leaf separate objects, as torch.jit.load does', () => {
    const path = fixtureArchives().find(
      (a) => a.caseName === 'nested_submodules' && a.file === 'module.pt',
    )!.path;
    const { module } = loadFixture(path);
    expect(module.getSubmodule('mid.shared')).to.not.equal(module.getSubmodule('shared_again'));
    expect(module.getSubmodule('mid.shared').type).to.equal(module.getSubmodule('shared_again').type);
  });

  it('shares one storage between tied weights (buffers_params)', () => {
    const archive = fixtureArchives().find((a) => a.caseName === 'buffers_params' && a.file === 'module.pt')!;
    const { module } = loadFixture(archive.path);
    const tensors = module
      .namedAttributes()
      .map(([, v]) => v)
      .filter((v): v is Tensor => v instanceof Tensor);
    const storages = new Set(tensors.map((t) => t.storage));
    expect(storages.size).to.be.lessThan(tensors.length);
  });
});
