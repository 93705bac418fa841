// Kernels against PyTorch: every case in test/fixtures/_kernels/index.json (written by
// scripts/make-kernel-goldens.py with torch 1.13) and test/fixtures/_kernels_zoo/index.json (the kernels the
// zoo sweep added, scripts/zoo/make-kernel-goldens.py) and test/fixtures/_kernels_more (the sweep's last
// uncovered operators, scripts/make-more-kernel-goldens.py) is run through KERNELS and compared. The cases of
// operators that reach the WASM GEMM kernel run once more with its fused multiply-add variant.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KERNELS, type KernelArg, type KernelResult } from '../../src/runtime/kernels/index.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { DTYPES, type DType } from '../../src/tensor/dtype.js';
import { loadNpy } from '../../src/tensor/npy.js';
import { FloatScalar } from '../../src/tensor/scalar.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { gemmVariantAvailable, withGemmVariant } from '../support/gemm-variants.js';

const GOLDENS = [
  { dir: join(process.cwd(), 'test', 'fixtures', '_kernels'), atLeast: 100 },
  { dir: join(process.cwd(), 'test', 'fixtures', '_kernels_zoo'), atLeast: 40 },
  { dir: join(process.cwd(), 'test', 'fixtures', '_kernels_more'), atLeast: 40 },
];

type Encoded =
  | { tensor: string }
  | { int: number }
  | { float: number }
  | { bool: boolean }
  | { str: string }
  | { dtype: string }
  | { none: true }
  | { list: Encoded[] };

interface Case {
  name: string;
  op: string;
  args: Encoded[];
  outputs: Encoded[];
  /** PyTorch's error message when the call raises (scripts/make-more-kernel-goldens.py). */
  error?: string;
  atol: number;
  rtol: number;
}

function decode(e: Encoded, dir: string): KernelArg {
  if ('tensor' in e) return loadNpy(join(dir, e.tensor));
  if ('int' in e) return e.int;
  if ('float' in e) return new FloatScalar(e.float);
  if ('bool' in e) return e.bool;
  if ('str' in e) return e.str;
  if ('dtype' in e) return DTYPES[e.dtype as DType].scalarType;
  if ('list' in e) return e.list.map((x) => decode(x, dir));
  return null;
}

function check(actual: KernelResult, expected: Encoded, c: Case, where: string, dir: string): void {
  if ('tensor' in expected) {
    const want = loadNpy(join(dir, expected.tensor));
    expect(actual, where).to.be.instanceOf(Tensor);
    const got = actual as Tensor;
    expect(got.dtype, `${where} dtype`).to.equal(want.dtype);
    expect([...got.shape], `${where} shape`).to.deep.equal([...want.shape]);
    if (want.numel === 0) return;
    const ok = allClose(got, want, { atol: c.atol, rtol: c.rtol, equalNan: true });
    expect(ok, `${where}: max |diff| ${maxAbsDiff(got, want)}`).to.equal(true);
    return;
  }
  if ('list' in expected) {
    expect(Array.isArray(actual), where).to.equal(true);
    expected.list.forEach((e, i) => check((actual as KernelResult[])[i], e, c, `${where}[${i}]`, dir));
    return;
  }
  expect(actual).to.deep.equal(decode(expected, dir));
}

// Operators whose kernels multiply matrices on the WASM GEMM (convolutions, matrix products, RNN cells).
const USES_GEMM = /conv|aten::linear$|mm$|matmul|lstm|gru/;

for (const { dir, atLeast } of GOLDENS) {
  describe(`kernels vs PyTorch 1.13 goldens (${basename(dir)})`, () => {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { cases: Case[] };

    it('has the golden cases', () => {
      expect(index.cases.length).to.be.at.least(atLeast);
    });

    for (const c of index.cases) it(`${c.name} (${c.op})`, () => runCase(c, dir));

    for (const c of index.cases.filter((c) => USES_GEMM.test(c.op))) {
      it(`${c.name} (${c.op}) with the fused multiply-add GEMM kernel`, function () {
        if (!gemmVariantAvailable('fma')) this.skip();
        withGemmVariant('fma', () => runCase(c, dir));
      });
    }
  });
}

function runCase(c: Case, dir: string): void {
  const kernel = KERNELS[c.op];
  expect(kernel, `no kernel for ${c.op}`).to.be.a('function');
  if (c.error !== undefined) {
    expect(() => kernel(c.args.map((a) => decode(a, dir)))).to.throw(c.error);
    return;
  }
  const result = kernel(c.args.map((a) => decode(a, dir)));
  // PyTorch's list result is recorded flattened, so a one-element list (tensor_split into one section)
  // is one output too.
  const outs = c.outputs.length === 1 && !Array.isArray(result) ? [result] : (result as KernelResult[]);
  expect(outs.length).to.equal(c.outputs.length);
  c.outputs.forEach((e, i) => check(outs[i], e, c, `${c.name} output ${i}`, dir));
}
