// lower-simple-tuples: the FileCheck cases in lower-simple-tuples.ir, outputs before/after on seeded
// inputs, remarks and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

describeIRFile('lower-simple-tuples.ir');

const TUPLES = `graph(%a : Tensor, %b : Tensor, %k : int):
  %0 : int = prim::Constant[value=0]()
  %t : (Tensor, Tensor, int) = prim::TupleConstruct(%a, %b, %k)
  %x : Tensor, %y : Tensor, %n : int = prim::TupleUnpack(%t)
  %first : Tensor = prim::TupleIndex(%t, %0)
  %s : (Tensor, int) = prim::TupleSlice[beg=1, end=3](%t)
  %u : Tensor, %m : int = prim::TupleUnpack(%s)
  %p : Tensor = aten::mul(%x, %n)
  %q : Tensor = aten::add(%p, %u, %m)
  %r : Tensor = aten::sub(%q, %first, %n)
  return (%r, %s)
`;

describe('lower-simple-tuples', () => {
  it('keeps the outputs of unpacks, indexing and slices of built tuples (exact)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: TUPLES,
      pipeline: 'lower-simple-tuples,dead-code-elimination',
      inputs: (seed) => [seeded([2, 3], seed), seeded([2, 3], seed + 1), seed + 2],
      tolerance: { rtol: 0, atol: 0 },
    });
    for (const kind of ['prim::TupleUnpack', 'prim::TupleIndex', 'prim::TupleSlice'])
      expect(after.nodesOfKind(kind), kind).to.have.length(0);
  });

  it('counts lowered reads, remarks on the ones it leaves, and a second run changes nothing', () => {
    const g = parseIR(TUPLES);
    const c = testContainer();
    expect(
      runPipeline(c, g, 'lower-simple-tuples').statistics['lower-simple-tuples']['tuple-reads-lowered'],
    ).to.equal(4);
    expect(runPipeline(c, g, 'lower-simple-tuples').changed).to.equal(false);
    const input = parseIR(
      `graph(%t : (Tensor, Tensor)):\n  %x : Tensor, %y : Tensor = prim::TupleUnpack(%t)\n  return (%x)\n`,
    );
    const report = runPipeline(c, input, 'lower-simple-tuples');
    expect(report.remarks[0].message).to.equal(
      'not lowered: the tuple comes from prim::Param, not a prim::TupleConstruct',
    );
  });
});
