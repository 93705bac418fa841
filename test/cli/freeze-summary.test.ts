// The "before" column of `tsfreeze freeze` is the freeze run's own inlined graph of the methods the frozen
// module keeps (forward and preserved ones; helpers like resnet's _forward_impl are inlined into them),
// taken just before freeze-attributes: equal to inlining a copy with inline-submodules, which the CLI no
// longer does (issue 15 item 3: a second inlined copy of a deep submodule chain doubled time and memory).

import 'reflect-metadata';
import { expect } from 'chai';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import {
  keptByFreeze,
  summarizeInlined,
  summarizeModule,
  type ModelSummary,
} from '../../src/cli/model-summary.js';
import { getPassManager } from '../../src/pipeline/index.js';
import { loadModule } from '../../src/serialization/index.js';
import { createFreezeContainer } from '../../passes/freeze.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';

async function beforeSummary(...argv: string[]): Promise<ModelSummary> {
  let out = '';
  const code = await main(['freeze', ...argv, '--json'], {
    out: (t) => void (out += t),
    err: () => undefined,
  });
  expect(code).to.equal(0);
  return (JSON.parse(out) as { before: ModelSummary }).before;
}

function inlinedCopy(path: string): ModelSummary {
  const copy = loadModule(path).clone();
  getPassManager(createFreezeContainer()).run(copy, 'inline-submodules', {
    instrumentation: { reproducer: false },
  });
  return summarizeModule(copy, keptByFreeze([]));
}

const counts = (s: ModelSummary): number[] => [s.nodes, s.batchNorms, s.convolutions, s.getAttrs];

describe('cli: the freeze summary before freezing', function () {
  this.timeout(120_000);

  for (const name of ['tv_resnet18_w8', 'nested_submodules', 'dropout_linear_eval']) {
    it(`${name}: counts the run's inlined graph (callees pre-optimized), like an inlined copy`, async () => {
      const path = join(FIXTURES_DIR, name, 'module.pt');
      const before = await beforeSummary(path);
      expect(counts(before)).to.deep.equal(counts(inlinedCopy(path)));
      expect(before.parameters).to.equal(loadModule(path).namedParameters().length);
    });
  }

  it('a pipeline without freeze-attributes falls back to counting callees as loaded', async () => {
    const path = join(FIXTURES_DIR, 'tv_resnet18_w8', 'module.pt');
    const before = await beforeSummary(path, '--passes', 'dead-code-elimination');
    expect(counts(before)).to.deep.equal(counts(summarizeInlined(loadModule(path), keptByFreeze([]))));
    // Pre-optimized callees have fewer nodes (pooled constants, constant ifs); the rest agrees.
    expect(before.nodes).to.be.greaterThan(inlinedCopy(path).nodes);
    expect(before.batchNorms).to.equal(inlinedCopy(path).batchNorms);
  });
});
