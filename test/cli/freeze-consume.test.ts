// `tsfreeze freeze` consumes the loaded module (no clone, folds in place) unless a flag needs the original;
// the file it writes is the same either way.

import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { mayConsume, setFrozenWriter } from '../../src/cli/freeze-command.js';
import { RunRecorder, Tensor, toIValue, writeFrozen, type ScriptModule } from '../../src/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';

const quiet = { out: () => undefined, err: () => undefined };
const model = join(FIXTURES_DIR, 'consume_shared_weight', 'module.pt');

// 4-d constants of the frozen forward whose memory is a piece of a bigger buffer (the loaded file's):
// weights folded where they lay.
function foldedInPlace(m: ScriptModule): number {
  let n = 0;
  for (const node of m.graph.allNodes()) {
    const v = node.kind === 'prim::Constant' ? toIValue(node.output()) : undefined;
    if (v instanceof Tensor && v.dim === 4 && v.storage.data.byteLength < v.storage.data.buffer.byteLength)
      n++;
  }
  return n;
}

describe('cli: tsfreeze freeze consumes the loaded module', function () {
  this.timeout(60_000);
  afterEach(() => setFrozenWriter(writeFrozen));

  it('consumes unless --report, --check-numerics or another pipeline needs the original', () => {
    expect(mayConsume({ instrumentation: {}, pipeline: undefined })).to.equal(true);
    expect(
      mayConsume({ instrumentation: { verifyEach: true, timePasses: true }, pipeline: undefined }),
    ).to.equal(true);
    expect(mayConsume({ instrumentation: { record: new RunRecorder() }, pipeline: undefined })).to.equal(
      false,
    );
    expect(mayConsume({ instrumentation: { checkNumerics: true }, pipeline: undefined })).to.equal(false);
    expect(mayConsume({ instrumentation: {}, pipeline: 'freeze' })).to.equal(false);
  });

  it('folds in place when it consumes, and writes the same bytes as the cloning freeze', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-consume-'));
    const written: Record<string, number> = {};
    for (const [name, flags] of [
      ['consume', []],
      ['clone', ['--report', join(dir, 'report.html')]],
    ] as const) {
      mkdirSync(join(dir, name));
      setFrozenWriter((m, path) => {
        written[name] = foldedInPlace(m);
        writeFrozen(m, path);
      });
      const code = await main(['freeze', model, '-o', join(dir, name, 'frozen.pt'), ...flags], quiet);
      expect(code).to.equal(0);
    }
    // conv_c's weight is folded where it lay; the weight conv_a and conv_b share is copied.
    expect(written).to.deep.equal({ consume: 1, clone: 0 });
    expect(readFileSync(join(dir, 'consume', 'frozen.pt'))).to.deep.equal(
      readFileSync(join(dir, 'clone', 'frozen.pt')),
    );
  });
});
