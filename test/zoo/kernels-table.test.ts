// docs/kernels.md's generator: counts come from kernelCoverage, refusals carry their reason, and the
// sweep section lists every operator a swept model used that has no kernel, with the rows using it.

import { expect } from 'chai';
import { kernelCoverage, OperatorRegistry } from '../../src/index.js';
import { kernelsMarkdown, sweepOps } from './kernels-table.js';
import type { ZooRecord } from './zoo-table.js';

const registry = new OperatorRegistry();

const record = (row: string, ops: { key: string; state: string }[]): ZooRecord => ({
  row,
  family: 'tiny',
  mode: 'script',
  torch: { status: 'ok' },
  ours: { row, mode: 'script', steps: {}, ops },
});

describe('docs/kernels.md generator', () => {
  const records = [
    record('a', [
      { key: 'aten::conv2d', state: 'kernel' },
      { key: 'aten::fake_op', state: 'missing' },
    ]),
    record('b', [{ key: 'aten::conv2d', state: 'kernel' }]),
    { row: 'c', family: 'tiny', mode: 'trace', torch: { status: 'not-run' } } as ZooRecord,
  ];

  it('unites the operators of every swept row, with the rows using each', () => {
    const { ops, rows } = sweepOps(records);
    expect(rows).to.equal(2);
    expect(ops.map((o) => o.key)).to.deep.equal(['aten::conv2d', 'aten::fake_op']);
    expect(ops[0].rows).to.deep.equal(['a (script)', 'b (script)']);
  });

  it("states the registry's coverage and what the sweep lacks", () => {
    const text = kernelsMarkdown(registry, records);
    const all = kernelCoverage(registry);
    const runs = all.filter((c) => ['kernel', 'scalar', 'interpreter'].includes(c.status.state)).length;
    expect(text).to.contain(`**${runs} of ${all.length} overloads run**`);
    expect(text).to.contain('use **2 distinct operators**');
    expect(text).to.contain('**1/2 run**');
    expect(text).to.match(/- `aten::fake_op` \(missing\): a \(script\)/);
    expect(text).to.match(
      /### training only: computes gradients[^\n]*\n\n[^\n]*`aten::convolution_backward`/,
    );
  });
});
