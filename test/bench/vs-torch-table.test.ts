// The vs-torch table: medians of each side's runs, ratios tsfreeze / torch, failures named, scaling line.

import { expect } from 'chai';
import type { ChildResult } from '../../bench/vs-torch/protocol.js';
import { benchInput, medianLatency } from '../../bench/vs-torch/protocol.js';
import { formatVsTorch } from '../../bench/vs-torch/table.js';

const run = (load: number, freeze: number, infer: number | null = 10): ChildResult => ({
  load: { wallMs: load * 2, cpuMs: load },
  freeze: { wallMs: freeze * 2, cpuMs: freeze },
  processCpuMs: 1000,
  peakRssMb: 100,
  inferMs: infer,
});

describe('bench vs-torch table', () => {
  it('prints the medians of each side and their ratio', () => {
    const table = formatVsTorch(
      [
        {
          name: 'resnet50',
          torch: [run(100, 200), run(300, 400), run(200, 300)],
          tsfreeze: [run(50, 100), run(70, 900), run(60, 120)],
        },
      ],
      3,
    );
    const row = table.split('\n').find((l) => l.startsWith('| resnet50 |'))!;
    const cells = row.split('|').map((c) => c.trim());
    // load: torch median 200, tsfreeze 60 -> 0.30x; freeze: 300 vs 120 -> 0.40x (CPU)
    expect(cells.slice(2, 8)).to.deep.equal(['200', '60.0', '0.30×', '300', '120', '0.40×']);
    // the wall table: medians of the wall times (twice the CPU here)
    const wall = table.split('\n').filter((l) => l.startsWith('| resnet50 |'))[1];
    expect(wall).to.contain('| 400 | 120 | 0.30× | 600 | 240 | 0.40× |');
  });

  it('names failed runs and missing inference, and leaves their cells empty', () => {
    const table = formatVsTorch(
      [
        {
          name: 'm',
          torch: [{ error: 'boom' }],
          tsfreeze: [{ ...run(1, 1, null), inferError: 'no kernel' }],
        },
      ],
      1,
    );
    expect(table).to.contain('m, torch: 1 run(s) failed: boom');
    expect(table).to.contain('m, tsfreeze: inference did not run: no kernel');
    expect(table).to.match(/\| m \| — \| 1\.0 \| — \|/);
  });

  it('reports per-node freeze scaling between the synthetic models', () => {
    const table = formatVsTorch(
      [
        { name: 'synthetic_10k', torch: [run(1, 100)], tsfreeze: [run(1, 100)] },
        { name: 'synthetic_100k', torch: [run(1, 10_000)], tsfreeze: [run(1, 1200)] },
      ],
      1,
    );
    // per node: (1200 / 100001) / (100 / 10001) = 1.20; torch (10000 / 100001) / (100 / 10001) = 10.00
    expect(table).to.contain('tsfreeze 1.20× (target ≤ 1.5×), torch.jit.freeze 10.00×');
  });

  it('feeds both sides the same input and times with a median', () => {
    // element i is ((i * 37) % 101) / 101 - 0.5, as the Python child computes it
    expect([...benchInput([2, 2])]).to.deep.equal([0, 37, 74, 10].map((k) => Math.fround(k / 101 - 0.5)));
    let calls = 0;
    const ms = medianLatency(() => calls++, 0);
    expect(calls).to.equal(4); // one warm-up, then the minimum of three timed calls
    expect(ms).to.be.at.least(0);
  });
});
