// A short, fixed-seed budget of the fuzzer inside `npm test` (FUZZ_BUDGET_SECONDS, 20 s by default; CI
// sets 60): every target, no crash, no case over the time or memory limit. The long run is `npm run fuzz`.

import { expect } from 'chai';
import { fuzz } from './runner.js';
import { formatSummary, isClean } from './summary.js';
import { TARGET_NAMES } from './targets.js';

describe('fuzz: a time-boxed run finds no crash, hang or blow-up', () => {
  it('runs the budget', async function () {
    const seconds = Number(process.env.FUZZ_BUDGET_SECONDS ?? 20);
    this.timeout((seconds + 60) * 1000);
    const limits = { timeoutMs: 10_000, memoryBytes: 2 * 1024 ** 3 };
    const summary = await fuzz({
      cases: Number.MAX_SAFE_INTEGER,
      seed: 15,
      targets: TARGET_NAMES,
      budgetMs: seconds * 1000,
      ...limits,
      save: false,
    });
    const table = formatSummary(summary, limits);
    console.log(`      ${table.replace(/\n/g, '\n      ')}`);
    expect(summary.records.length, table).to.be.greaterThan(TARGET_NAMES.length);
    expect(isClean(summary), table).to.equal(true);
  });
});
