// The fixture-case reader and comparer: they must read what case.json says and catch every kind of mismatch,
// or the fixture runs prove nothing.

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tuple, type IValue } from '../../src/ir/ivalue.js';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  compareValue,
  coreMessage,
  decodeValue,
  listFixtureCases,
  readTensor,
  type EncodedTensor,
  type EncodedValue,
} from './fixture-case.js';

const TOL = { rtol: 1e-4, atol: 1e-4 };

describe('fixture-case reader', function () {
  const cases = listFixtureCases();
  const simple = cases.find((c) => c.name === 'seed_simple_param')!;
  const out = simple.calls[0].output as EncodedTensor;

  it('lists case folders only (no _kernels, _load_expected, freezing/)', function () {
    const names = cases.map((c) => c.name);
    expect(names).to.include.members(['seed_simple_param', 'tv_resnet18_w8', 'error_training_mode']);
    expect(names.filter((n) => n.startsWith('_') || n === 'freezing')).to.deep.equal([]);
    expect(cases.find((c) => c.name === 'tv_resnet18_full_graphs')?.modulePath).to.equal(undefined);
  });

  it('reads tensors with case.json dtype and shape, bool as one byte, int64 exactly', function () {
    const t = readTensor(simple.dir, out);
    expect(t.dtype).to.equal('float32');
    expect(t.shape).to.deep.equal(out.shape);
    const seed = cases.find((c) => c.name === 'seed_preserved_attrs')!;
    const x = decodeValue(seed.dir, seed.calls[1].inputs[0]) as Tensor;
    expect([x.dtype, x.item()]).to.deep.equal(['int64', 1n]);
    const dir = mkdtempSync(join(tmpdir(), 'fixture-case-'));
    try {
      writeFileSync(join(dir, 'b.bin'), Uint8Array.of(1, 0, 1));
      const b = readTensor(dir, { kind: 'Tensor', file: 'b.bin', dtype: 'bool', shape: [3] });
      expect(b.toArray()).to.deep.equal([true, false, true]);
      expect(() => readTensor(dir, { kind: 'Tensor', file: 'b.bin', dtype: 'float32', shape: [3] })).to.throw(
        /3 bytes, float32\[3\] needs 12/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decodes non-tensor inputs: int, float, bool, list of str', function () {
    const c = cases.find((k) => k.name === 'non_tensor_inputs')!;
    const [, n, f, b, l] = c.calls[0].inputs.map((e) => decodeValue(c.dir, e));
    expect([n, f, b, l]).to.deep.equal([2, 0.5, true, ['a', 'b']]);
  });

  it('matches a value with itself, with zero error', function () {
    const r = compareValue(readTensor(simple.dir, out), out, simple.dir, TOL);
    expect(r).to.include({ ok: true, maxAbsError: 0, tensors: 1 });
  });

  it('reports the element, its index and the tolerance when one element is off', function () {
    const t = readTensor(simple.dir, out);
    t.setFlat(t.numel - 1, t.getNumber(t.numel - 1) + 1e-2);
    const r = compareValue(t, out, simple.dir, TOL);
    expect(r.ok).to.equal(false);
    expect(r.maxAbsError).to.be.closeTo(1e-2, 1e-6);
    expect(r.mismatches[0]).to.match(
      /^output: 1 of \d+ elements differ; first: element \[\d+, \d+\] is .* \(tolerance /,
    );
  });

  it('accepts differences inside atol + rtol and records them as the worst error', function () {
    const t = readTensor(simple.dir, out);
    t.setFlat(0, t.getNumber(0) + 5e-5);
    const r = compareValue(t, out, simple.dir, TOL);
    expect(r.ok).to.equal(true);
    expect(r.maxAbsError).to.be.greaterThan(4e-5);
  });

  it('catches dtype, shape, kind, container length and scalar mismatches', function () {
    const t = readTensor(simple.dir, out);
    const check = (actual: IValue, enc: EncodedValue): string =>
      compareValue(actual, enc, simple.dir, TOL).mismatches.join('; ');
    expect(check(t.to('float64'), out)).to.match(/dtype float64, expected float32/);
    expect(check(t.reshape([-1]), out)).to.match(/shape \[\d+\], expected/);
    expect(check(3, out)).to.match(/expected Tensor float32/);
    const tuple: EncodedValue = {
      kind: 'tuple',
      items: [out, { kind: 'int', value: 4 }, { kind: 'str', value: 'b' }],
    };
    expect(check(new Tuple([t, 4]), tuple)).to.match(/tuple of 2, expected 3 items/);
    expect(check(new Tuple([t, 5, 'b']), tuple)).to.match(/output\[1\]: number 5, expected int 4/);
    expect(check(new Tuple([t, 4, 'c']), tuple)).to.match(/output\[2\]: "c", expected str "b"/);
    expect(check([t, 4, 'b'], tuple)).to.match(/list of 3, expected a tuple/);
    expect(check(0.5001, { kind: 'float', value: 0.5 })).to.equal('');
    expect(check(0.6, { kind: 'float', value: 0.5 })).to.match(/expected float 0.5/);
    expect(check(null, { kind: 'None' })).to.equal('');
    expect(check(false, { kind: 'None' })).to.match(/boolean false, expected None/);
    const ints = Tensor.fromArray('int64', [1n, 2n], [2]);
    const dict: EncodedValue = {
      kind: 'dict',
      items: [{ key: { kind: 'str', value: 'a' }, value: { kind: 'int', value: 1 } }],
    };
    expect(check(new Map([['a', 1]]), dict)).to.equal('');
    expect(check(new Map([['b', 1]]), dict)).to.match(/keys\(\)\[0\]: "b", expected str "a"/);
    expect(check(ints, out)).to.match(/dtype int64/);
  });

  it('takes the message proper from a TorchScript traceback', function () {
    const c = cases.find((k) => k.name === 'conv_binary_variants')!;
    const raise = c.calls[0].originalRaises!;
    expect(coreMessage(raise)).to.equal(
      'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 3',
    );
    expect(
      coreMessage({ type: 'AttributeError', message: "'X' object has no attribute 'forward'" }),
    ).to.equal("'X' object has no attribute 'forward'");
  });
});
