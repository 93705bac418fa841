// Replays every reproducer in test/fuzz-corpus/: each must do what expectations.json says (succeed, fail
// with a given typed error and limit, or at least not crash), within mocha's time limit.

import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CORPUS_DIR, readCorpus } from './corpus.js';
import { madeCases, STORED_CASES } from './make-corpus.js';
import { runCase } from './targets.js';

describe('fuzz corpus: every reproducer replays as expected', () => {
  const cases = readCorpus();

  it('holds every hand-made reproducer of issue 15', () => {
    for (const c of [...madeCases(), ...STORED_CASES]) {
      const stored = existsSync(join(CORPUS_DIR, c.name)) || existsSync(join(CORPUS_DIR, `${c.name}.gz`));
      expect(stored, `${c.name} is missing: run node dist/test/fuzz/make-corpus.js`).to.equal(true);
    }
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expectation?.why ?? '(no expectation)'}`, async function () {
      this.timeout(120_000);
      const e = c.expectation;
      expect(e, `${c.name} has no entry in test/fuzz-corpus/expectations.json`).to.not.equal(undefined);
      const outcome = await runCase(c.target, c.data);
      const shown = outcome.kind === 'ok' ? 'success' : `${outcome.kind}: ${outcome.message.slice(0, 2000)}`;
      expect(outcome.kind, shown).to.not.equal('crash');
      if (e!.expect === 'ok') expect(outcome.kind, shown).to.equal('ok');
      if (e!.expect === 'error') {
        expect(outcome.kind, shown).to.equal('typed');
        if (outcome.kind !== 'typed') return;
        if (e!.code) expect(outcome.code, shown).to.equal(e!.code);
        if (e!.limit) expect(outcome.limit, shown).to.equal(e!.limit);
        for (const w of e!.words ?? []) expect(outcome.message).to.include(w);
      }
    });
  }
});
