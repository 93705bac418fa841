// transpose-frozen-linear (opt-in): the FileCheck cases in transpose-frozen-linear.ir, outputs before/after
// on seeded inputs, statistics and remarks, and its absence from the freeze pipeline.

import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseIR, runPipeline, Tensor, toIValue } from '../../src/index.js';
import { describeIRFile, REPO_ROOT } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

describeIRFile('transpose-frozen-linear.ir');

// W (4x3) and b (4) as float32 base64 constants: W[i][j] = (i * 3 + j) / 10 - 0.5, b[i] = i - 1.5.
const W = Buffer.from(new Float32Array(12).map((_, k) => k / 10 - 0.5).buffer).toString('base64');
const B = Buffer.from(new Float32Array([-1.5, -0.5, 0.5, 1.5]).buffer).toString('base64');

// A linear with a bias and one without, on the same input; their sum is the output.
const TWO_LINEARS = `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(4, 3)>"${W}"]()
  %b : Tensor = prim::Constant[value=tensor<Float(4)>"${B}"]()
  %none : NoneType = prim::Constant()
  %one : int = prim::Constant[value=1]()
  %y : Tensor = aten::linear(%x, %w, %b)
  %z : Tensor = aten::linear(%x, %w, %none)
  %s : Tensor = aten::add(%y, %z, %one)
  return (%s)
`;

describe('transpose-frozen-linear', () => {
  it('keeps the outputs of linear with and without bias, on 1-D, 2-D and 3-D inputs (seeded, rtol 1e-5)', () => {
    for (const shape of [[3], [5, 3], [2, 5, 3]]) {
      const after = checkPipelineKeepsOutputs({
        ir: TWO_LINEARS,
        pipeline: 'transpose-frozen-linear',
        inputs: (seed) => [seeded(shape, seed)],
        tolerance: { rtol: 1e-5, atol: 1e-6 },
      });
      expect(after.nodesOfKind('aten::linear')).to.have.length(0);
      expect(after.nodesOfKind('aten::matmul')).to.have.length(2);
    }
  });

  it('stores the weight transposed and contiguous, in its own dtype (float64 stays float64)', () => {
    const w64 = Buffer.from(new Float64Array([1, 2, 3, 4, 5, 6]).buffer).toString('base64');
    const g = parseIR(`graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Double(2, 3)>"${w64}"]()
  %none : NoneType = prim::Constant()
  %y : Tensor = aten::linear(%x, %w, %none)
  return (%y)
`);
    runPipeline(testContainer(), g, 'transpose-frozen-linear');
    const [mm] = g.nodesOfKind('aten::matmul');
    const wt = toIValue(mm.inputs[1]);
    expect(wt).to.be.instanceOf(Tensor);
    const t = wt as Tensor;
    expect(t.dtype).to.equal('float64');
    expect(t.shape).to.deep.equal([3, 2]);
    expect(t.strides).to.deep.equal([2, 1]);
    expect(Array.from({ length: 6 }, (_, i) => t.getNumber(i))).to.deep.equal([1, 4, 2, 5, 3, 6]);
  });

  it('counts what it rewrites, remarks on what it keeps, and a second run changes nothing', () => {
    const g = parseIR(`graph(%x : Tensor, %v : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(4, 3)>"${W}"]()
  %none : NoneType = prim::Constant()
  %y : Tensor = aten::linear(%x, %w, %none)
  %z : Tensor = aten::linear(%x, %v, %none)
  %t : (Tensor, Tensor) = prim::TupleConstruct(%y, %z)
  return (%t)
`);
    const c = testContainer();
    const first = runPipeline(c, g, 'transpose-frozen-linear');
    expect(first.changed).to.equal(true);
    expect(first.statistics['transpose-frozen-linear'].transposed).to.equal(1);
    expect(first.remarks.map((r) => r.message)).to.deep.equal([
      'not transposed: linear parameter %v is not a constant',
    ]);
    expect(runPipeline(c, g, 'transpose-frozen-linear').changed).to.equal(false);
  });

  it('is not part of the freeze pipeline (PyTorch runs it only when asked)', () => {
    const pipeline = readFileSync(`${REPO_ROOT}passes/pipelines/freeze.json`, 'utf8');
    expect(pipeline).not.to.include('transpose-frozen-linear');
  });
});
