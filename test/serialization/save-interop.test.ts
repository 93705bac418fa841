// Interop with PyTorch 1.13: every fixture's module.pt, frozen by tsfreeze with the case's settings and
// saved, loads with torch.jit.load, computes PyTorch's own frozen outputs (rtol = atol = 1e-4) and keeps
// exactly as many parameters as PyTorch's frozen module (none, except where PyTorch keeps some); every
// module.pt re-saved by tsfreeze still computes PyTorch's original outputs. One python process for all.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModule } from '../../src/serialization/save/index.js';
import {
  frozenCase,
  loadShared,
  moduleCases,
  pythonHasTorch,
  runChecks,
  type CheckJob,
  type CheckResult,
} from './save-helpers.js';

const NO_TORCH =
  '/usr/bin/python3 cannot import torch (install python3-torch to run the PyTorch interop checks)';

describe('archive writer: PyTorch loads what tsfreeze writes', function () {
  this.timeout(600_000);
  const cases = moduleCases();
  const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-interop-'));
  const notSaved = new Map<string, string>();
  let results: Map<string, CheckResult> | undefined;

  before(function () {
    if (!pythonHasTorch()) return;
    const jobs: CheckJob[] = [];
    for (const c of cases) {
      if (c.hasFrozenPt) {
        try {
          const frozenPath = join(dir, `${c.name}.frozen.pt`);
          saveModule(frozenCase(c), frozenPath);
          jobs.push({
            id: `${c.name}:frozen`,
            model: frozenPath,
            case_dir: c.dir,
            output_key: 'frozen_output',
            expected_parameters: c.frozenParameters,
          });
        } catch (error) {
          notSaved.set(`${c.name}:frozen`, (error as Error).message.split('\n')[0]);
        }
      }
      const resavedPath = join(dir, `${c.name}.module.pt`);
      saveModule(loadShared(join(c.dir, 'module.pt')), resavedPath);
      jobs.push({
        id: `${c.name}:module`,
        model: resavedPath,
        case_dir: c.dir,
        output_key: 'output',
        expected_parameters: null,
        reference_model: join(c.dir, 'module.pt'),
      });
    }
    results = runChecks(jobs, join(dir, 'jobs.json'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = (id: string, context: Mocha.Context): void => {
    if (!pythonHasTorch()) {
      context.skip();
      return;
    }
    const saved = notSaved.get(id);
    const result = results?.get(id);
    expect(saved, `not saved: ${saved}`).to.equal(undefined);
    expect(result, `no result for ${id}`).to.not.equal(undefined);
    expect(result?.problems ?? [], id).to.deep.equal([]);
  };

  for (const c of cases) {
    // PyTorch's freeze refuses the error_* cases (tsfreeze's freeze tests check that it does too).
    if (c.hasFrozenPt) {
      it(`${c.name}: tsfreeze freeze + save -> torch.jit.load gives PyTorch's frozen outputs and ${c.frozenParameters} parameters`, function () {
        if (!pythonHasTorch()) console.log(`      skipped: ${NO_TORCH}`);
        check(`${c.name}:frozen`, this);
      });
    }
    it(`${c.name}: module.pt re-saved by tsfreeze -> torch.jit.load gives PyTorch's original outputs`, function () {
      check(`${c.name}:module`, this);
    });
  }
});
