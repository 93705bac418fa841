// TorchScript-level operators against PyTorch 1.13: every case of test/fixtures/_script_ops (written by
// scripts/make-script-op-goldens.py) is a method of one scripted module; we load the archive as torch
// saved it, call the method on the recorded inputs and compare with what PyTorch returned or raised.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Device, Tuple, normalizeInt, type DictKey, type IValue } from '../../src/ir/ivalue.js';
import type { ScriptModule } from '../../src/module/index.js';
import { installRuntime } from '../../src/runtime/runtime.js';
import { loadModule } from '../../src/serialization/index.js';
import { viewAsReal } from '../../src/runtime/kernels/complex.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { DTYPES } from '../../src/tensor/dtype.js';
import { formatTensor } from '../../src/tensor/format.js';
import { loadNpy } from '../../src/tensor/npy.js';
import { Tensor } from '../../src/tensor/tensor.js';

const DIR = join(process.cwd(), 'test', 'fixtures', '_script_ops');

export type Golden =
  | { tensor: string }
  | { int: string }
  | { float: string }
  | { bool: boolean }
  | { str: string }
  | { none: true }
  | { device: string }
  | { list: Golden[] }
  | { tuple: Golden[] }
  | { dict: [Golden, Golden][] };

interface Case {
  group: string;
  name: string;
  method: string;
  inputs: Golden[];
  ops: string[];
  atol: number;
  output?: Golden;
  error?: string;
}

function pyFloat(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

function decode(g: Golden): IValue {
  if ('tensor' in g) return loadNpy(join(DIR, g.tensor));
  if ('int' in g) return normalizeInt(BigInt(g.int));
  if ('float' in g) return pyFloat(g.float);
  if ('bool' in g) return g.bool;
  if ('str' in g) return g.str;
  if ('device' in g) return Device.parse(g.device);
  if ('list' in g) return g.list.map(decode);
  if ('tuple' in g) return new Tuple(g.tuple.map(decode));
  if ('dict' in g) return new Map(g.dict.map(([k, v]) => [decode(k) as DictKey, decode(v)]));
  return null;
}

function check(actual: IValue, want: Golden, where: string, atol: number): void {
  if ('tensor' in want) {
    const t = loadNpy(join(DIR, want.tensor));
    expect(actual, where).to.be.instanceOf(Tensor);
    const got = actual as Tensor;
    expect(got.dtype, `${where} dtype`).to.equal(t.dtype);
    expect([...got.shape], `${where} shape`).to.deep.equal([...t.shape]);
    // Complex tensors compare as their (re, im) pairs.
    const [x, y] = DTYPES[t.dtype].isComplex ? [viewAsReal(got), viewAsReal(t)] : [got, t];
    if (t.numel > 0)
      expect(
        allClose(x, y, { atol, rtol: atol, equalNan: true }),
        `${where}: max |diff| ${maxAbsDiff(x, y)}`,
      ).to.equal(true);
    return;
  }
  if ('list' in want || 'tuple' in want) {
    const items = 'list' in want ? want.list : want.tuple;
    const got = 'list' in want ? actual : actual instanceof Tuple ? actual.items : undefined;
    expect(Array.isArray(got), `${where}: ${'list' in want ? 'a list' : 'a tuple'}`).to.equal(true);
    expect((got as IValue[]).length, `${where} length`).to.equal(items.length);
    items.forEach((w, i) => check((got as IValue[])[i], w, `${where}[${i}]`, atol));
    return;
  }
  if ('dict' in want) {
    expect(actual, where).to.be.instanceOf(Map);
    const got = actual as Map<DictKey, IValue>;
    expect([...got.keys()], `${where} keys`).to.deep.equal(want.dict.map(([k]) => decode(k)));
    want.dict.forEach(([k, v]) =>
      check(got.get(decode(k) as DictKey)!, v, `${where}[${String(decode(k))}]`, atol),
    );
    return;
  }
  if ('float' in want) {
    expect(typeof actual, `${where}: a float`).to.equal('number');
    const w = pyFloat(want.float);
    if (Number.isNaN(w)) expect(Number.isNaN(actual), `${where}: nan`).to.equal(true);
    else expect(actual as number, where).to.be.closeTo(w, Math.max(1e-12, Math.abs(w) * 1e-12));
    return;
  }
  if ('device' in want) {
    expect(String(actual), where).to.equal(want.device);
    return;
  }
  expect(actual, where).to.deep.equal(decode(want));
}

describe('Python reprs of tensors vs PyTorch 1.13 (script_ops goldens)', () => {
  const reprs = (
    JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { reprs: { tensor: string; repr: string }[] }
  ).reprs;
  it('has the repr cases', () => expect(reprs.length).to.be.greaterThan(0));
  for (const r of reprs) {
    it(r.repr.split('\n')[0], () => expect(formatTensor(loadNpy(join(DIR, r.tensor)))).to.equal(r.repr));
  }
});

/** The cases of the golden index (exported for the coverage report). */
export function scriptOpCases(): Case[] {
  return (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { cases: Case[] }).cases;
}

describe('TorchScript operators vs PyTorch 1.13 goldens (script_ops.pt)', () => {
  const cases = scriptOpCases();
  let module: ScriptModule;
  before(() => {
    installRuntime();
    module = loadModule(join(DIR, 'script_ops.pt'));
  });

  for (const c of cases) {
    it(`${c.group}: ${c.name} (${c.ops.join(', ')})`, () => {
      const run = (): IValue => module.call(c.method, ...c.inputs.map(decode));
      if (c.error !== undefined) {
        const message = c.error.replace(/^\w+Error: /, '');
        expect(run).to.throw(message);
        return;
      }
      check(run(), c.output!, c.name, c.atol);
    });
  }
});
