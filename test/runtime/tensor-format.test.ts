// Printing: PyTorch's Python repr and the IR constant text, checked against what torch 1.13 printed
// (test/fixtures/_kernels/index.json) and against the constants in the fixtures' graph files.

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allClose } from '../../src/tensor/allclose.js';
import { formatTensor } from '../../src/tensor/format.js';
import { formatTensorForIR, parseTensorFromIR } from '../../src/tensor/ir-format.js';
import { loadNpy } from '../../src/tensor/npy.js';
import { formatExponential, formatFixed, formatGeneral } from '../../src/tensor/numfmt.js';
import { tensor } from '../../src/tensor/creation.js';

const FIX = join(process.cwd(), 'test', 'fixtures');
const DIR = join(FIX, '_kernels');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as {
  ir_constants: { tensor: string; ir: string }[];
  reprs: { tensor: string; repr: string }[];
};

describe('number formatting', () => {
  it('rounds ties to even like printf, unlike toFixed', () => {
    expect(formatFixed(1.03125, 4)).to.equal('1.0312');
    expect(formatFixed(1.03135, 4)).to.equal((1.03135).toFixed(4));
    expect(formatFixed(2.5, 0)).to.equal('2');
    expect(formatFixed(-0, 2)).to.equal('-0.00');
    expect(formatExponential(1.03125, 4)).to.equal('1.0312e+00');
    expect(formatExponential(123456, 4)).to.equal('1.2346e+05');
  });

  it('formats %g as C++ streams do', () => {
    expect(formatGeneral(0.680097)).to.equal('0.680097');
    expect(formatGeneral(1e-5)).to.equal('1e-05');
    expect(formatGeneral(100000000)).to.equal('1e+08');
    expect(formatGeneral(123456)).to.equal('123456');
    expect(formatGeneral(1234567, 4)).to.equal('1.235e+06');
    expect(formatGeneral(2)).to.equal('2');
    expect(formatGeneral(NaN)).to.equal('nan');
  });
});

describe('Python repr (toString)', () => {
  for (const { tensor: file, repr } of index.reprs) {
    it(`matches torch: ${repr.split('\n')[0].slice(0, 60)}`, () => {
      const t = loadNpy(join(DIR, file));
      expect(t.toString()).to.equal(repr);
      expect(formatTensor(t)).to.equal(repr);
    });
  }

  it('prints views through their strides', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.t().toString()).to.equal('tensor([[1, 4],\n        [2, 5],\n        [3, 6]])');
  });
});

describe('IR constant text', () => {
  for (const { tensor: file, ir } of index.ir_constants) {
    it(`matches torch: ${ir.slice(0, 60)}`, () => {
      const t = loadNpy(join(DIR, file));
      expect(formatTensorForIR(t)).to.equal(ir);
    });
  }

  it('parses what it prints back to the printed precision', () => {
    for (const { tensor: file, ir } of index.ir_constants) {
      if (ir === '<Tensor>') continue;
      const t = loadNpy(join(DIR, file));
      const back = parseTensorFromIR(ir, t.dtype);
      expect(back.dtype).to.equal(t.dtype);
      expect([...back.shape]).to.deep.equal(t.numel === 1 ? [] : [...t.shape]);
      if (t.numel > 0)
        expect(allClose(back.reshape(t.shape), t, { rtol: 1e-3, atol: 1e-4, equalNan: true }), ir).to.equal(
          true,
        );
    }
  });

  it('reprints every tensor constant found in the fixture graphs', () => {
    let seen = 0;
    for (const c of readdirSync(FIX)) {
      if (c.startsWith('_') || c.includes('.')) continue;
      for (const f of readdirSync(join(FIX, c)).filter((n) => n.endsWith('graph.txt'))) {
        for (const line of readFileSync(join(FIX, c, f), 'utf8').split('\n')) {
          const m = /prim::Constant\[value=(.*\[ CPU\w+Type\{[\d,]*\} \])\]\(\)/.exec(line);
          if (!m) continue;
          const t = parseTensorFromIR(m[1]);
          expect(formatTensorForIR(t), `${c}/${f}`).to.equal(m[1]);
          seen++;
        }
      }
    }
    expect(seen).to.be.greaterThan(50);
  });

  it('refers 0-dim text to the given dtype and refuses elided tensors', () => {
    expect(parseTensorFromIR('{2}', 'float32').dtype).to.equal('float32');
    expect(parseTensorFromIR('{2}').dtype).to.equal('int64');
    expect(parseTensorFromIR('{-1.5372}').item()).to.be.closeTo(-1.5372, 1e-6);
    expect(() => parseTensorFromIR('<Tensor>'))
      .to.throw()
      .with.property('code', 'IR_TENSOR_PARSE');
    expect(() => parseTensorFromIR(' 1  2 [ CPUFooType{2} ]')).to.throw(/unknown tensor type/);
  });
});
