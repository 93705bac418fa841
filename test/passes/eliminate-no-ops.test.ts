// eliminate-no-ops: the FileCheck cases in eliminate-no-ops.ir, outputs before/after on seeded inputs,
// the identity-comparison guard's remark, and statistics.

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

describeIRFile('eliminate-no-ops.ir');

describe('eliminate-no-ops', () => {
  it('keeps the outputs of a graph with detached weights (exact)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: `graph(%x : Tensor, %w : Tensor, %b : Tensor):
  %wd : Tensor = aten::detach(%w)
  %bd : Tensor = aten::detach(%b)
  %y : Tensor = aten::linear(%x, %wd, %bd)
  %z : Tensor = aten::detach(%y)
  return (%z)
`,
      pipeline: 'eliminate-no-ops',
      inputs: (seed) => [seeded([2, 3], seed), seeded([4, 3], seed + 1), seeded([4], seed + 2)],
      tolerance: { rtol: 0, atol: 0 },
    });
    expect(after.nodesOfKind('aten::detach')).to.have.length(0);
  });

  it('counts removals, remarks when an identity comparison blocks it, and a second run changes nothing', () => {
    const c = testContainer();
    const g = parseIR(
      `graph(%x : Tensor):\n  %a : Tensor = aten::detach(%x)\n  %b : Tensor = aten::detach(%a)\n  return (%b)\n`,
    );
    expect(runPipeline(c, g, 'eliminate-no-ops').statistics['eliminate-no-ops']['no-ops-removed']).to.equal(
      2,
    );
    expect(runPipeline(c, g, 'eliminate-no-ops').changed).to.equal(false);
    const blocked = parseIR(
      `graph(%x : Tensor):\n  %a : Tensor = aten::detach(%x)\n  %s : bool = aten::__isnot__(%a, %x)\n  return (%s)\n`,
    );
    const report = runPipeline(c, blocked, 'eliminate-no-ops');
    expect(report.changed).to.equal(false);
    expect(report.remarks[0].message).to.include('compares tensors by identity');
  });
});
