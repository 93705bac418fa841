// `tsfreeze freeze -o` of a frozen module whose constant table holds more than tensors (issue 15 item 4):
// for every fixture frozen.pt (written by PyTorch) with a non-tensor entry in constants.pkl (strings with
// non-ASCII characters, tuples, lists and dicts holding them, script-class objects), freezing it again
// and writing it must give a file tsfreeze reloads to the same outputs and torch.jit.load runs to PyTorch's
// frozen outputs.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadArchive, loadModule } from '../../src/serialization/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { compareValue, decodeValue, listFixtureCases } from '../support/fixture-case.js';
import { moduleCases, pythonHasTorch, runChecks, type CheckResult } from './save-helpers.js';

const tolerance = { rtol: 1e-4, atol: 1e-4 };

/** The fixtures whose PyTorch-written frozen.pt has non-tensor constants, with what those are. */
function casesWithNonTensorConstants(): { name: string; dir: string; kinds: string[] }[] {
  const out: { name: string; dir: string; kinds: string[] }[] = [];
  for (const c of moduleCases()) {
    if (!c.hasFrozenPt) continue;
    const { constants } = loadArchive(join(c.dir, 'frozen.pt'));
    const kinds = constants.filter((k) => !(k.value instanceof Tensor)).map((k) => k.type.str());
    if (kinds.length) out.push({ name: c.name, dir: c.dir, kinds });
  }
  return out;
}

describe('freeze -o of frozen modules with non-tensor constants', function () {
  this.timeout(300_000);
  const cases = casesWithNonTensorConstants();
  const fixtures = new Map(listFixtureCases().map((c) => [c.name, c]));
  const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-frozen-constants-'));
  const written = new Map<string, string>();
  let torchResults: Map<string, CheckResult> | undefined;

  before(async function () {
    for (const c of cases) {
      const out = join(dir, `${c.name}.pt`);
      let err = '';
      const code = await main(['freeze', join(c.dir, 'frozen.pt'), '-o', out], {
        out: () => undefined,
        err: (t) => void (err += t),
      });
      if (code === 0) written.set(c.name, out);
      else written.set(c.name, `exit ${code}: ${err.trim()}`);
    }
    if (!pythonHasTorch()) return;
    const jobs = cases
      .filter((c) => written.get(c.name)?.endsWith('.pt'))
      .map((c) => ({
        id: c.name,
        model: written.get(c.name)!,
        case_dir: c.dir,
        output_key: 'frozen_output' as const,
        expected_parameters: null,
      }));
    torchResults = runChecks(jobs, join(dir, 'jobs.json'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds them: strings, containers and script-class objects among the constants', () => {
    const all = cases.flatMap((c) => c.kinds);
    expect(cases.map((c) => c.name)).to.include('constants_non_tensor');
    expect(all).to.include('str');
    expect(all).to.include('__torch__.constants.Scale');
    expect(all.some((k) => k.startsWith('Dict('))).to.equal(true);
  });

  for (const c of cases) {
    it(`${c.name} (${c.kinds.join(', ')}): written, reloaded by tsfreeze with PyTorch's frozen outputs`, () => {
      const path = written.get(c.name) ?? '';
      expect(path, 'freeze -o').to.match(/\.pt$/);
      const reloaded = loadModule(path);
      const constants = loadArchive(path).constants.filter((k) => !(k.value instanceof Tensor));
      expect(constants.length, 'non-tensor constants in the written file').to.be.greaterThan(0);
      const calls = fixtures.get(c.name)?.calls ?? [];
      expect(calls.length).to.be.greaterThan(0);
      for (const call of calls) {
        if (!call.frozenOutput) continue;
        const inputs = call.inputs.map((v) => decodeValue(c.dir, v));
        const result = compareValue(
          reloaded.call(call.method, ...inputs),
          call.frozenOutput,
          c.dir,
          tolerance,
        );
        expect(result.ok, `call ${call.index}: ${result.mismatches.join('; ')}`).to.equal(true);
      }
    });

    it(`${c.name}: the written file loads in torch.jit.load and computes PyTorch's frozen outputs`, function () {
      if (!pythonHasTorch()) {
        this.skip();
        return;
      }
      const result = torchResults?.get(c.name);
      expect(result, `no result (${written.get(c.name)})`).to.not.equal(undefined);
      expect(result?.problems).to.deep.equal([]);
      expect(result?.calls).to.be.greaterThan(0);
    });
  }
});
