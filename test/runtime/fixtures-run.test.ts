// Every fixture archive run through the interpreter, all recorded calls in order on one loaded copy:
// module.pt against PyTorch's outputs, frozen.pt (PyTorch's freeze) and tsfreeze's freeze() of module.pt
// against PyTorch's frozen outputs. Prints the worst error per fixture and the counts at the end.

import { expect } from 'chai';
import { TsFreezeError } from '../../src/index.js';
import type { ScriptModule } from '../../src/module/index.js';
import { loadModule } from '../../src/serialization/index.js';
import { freeze } from '../../passes/index.js';
import {
  compareValue,
  coreMessage,
  decodeValue,
  expectedFor,
  listFixtureCases,
  type FixtureCase,
  type FixtureVariant,
  type RecordedRaise,
  type Tolerance,
} from '../support/fixture-case.js';

/** The bound for float32: atol 1e-4 + rtol 1e-4. */
const TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-4 };

/** Where the module under test comes from, and which recorded outputs it must reproduce. */
interface Source {
  readonly label: 'module.pt' | 'frozen.pt' | 'freeze(module.pt)';
  readonly expect: FixtureVariant;
  readonly load: () => ScriptModule;
}

interface RunRow {
  readonly fixture: string;
  readonly source: Source['label'];
  readonly calls: number;
  readonly raised: number;
  readonly maxAbs: number;
  readonly maxRel: number;
}

/**
 * A recorded exception must come back as one of ours carrying PyTorch's message. One translation: Python's
 * `m.forward` on a module without forward is an AttributeError of the Python wrapper; our `module.call`
 * reports the same lookup as NO_METHOD naming the method.
 */
function expectRecordedRaise(e: unknown, raise: RecordedRaise, where: string): void {
  expect(e, `${where} error class`).to.be.instanceOf(TsFreezeError);
  const error = e as TsFreezeError;
  const missing = /^'RecursiveScriptModule' object has no attribute '(\w+)'$/.exec(raise.message);
  if (raise.type === 'AttributeError' && missing) {
    expect(error.code, `${where} error code`).to.equal('NO_METHOD');
    expect(error.message, `${where} error message`).to.include(`'${missing[1]}'`);
    return;
  }
  expect(error.message, `${where} error message`).to.include(coreMessage(raise));
}

/** Runs every call of `fixture` in order on one module; returns the row, or throws naming every mismatch. */
function runCalls(fixture: FixtureCase, source: Source): RunRow {
  const module = source.load();
  let maxAbs = 0;
  let maxRel = 0;
  let raised = 0;
  const problems: string[] = [];
  for (const call of fixture.calls) {
    const where = `call ${call.index} (${call.method})`;
    const inputs = call.inputs.map((enc) => decodeValue(fixture.dir, enc));
    const expected = expectedFor(call, source.expect);
    let result;
    try {
      result = module.call(call.method, ...inputs);
    } catch (e) {
      if (!expected.raises)
        throw new Error(`${where} raised: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      expectRecordedRaise(e, expected.raises, where);
      raised++;
      continue;
    }
    if (expected.raises) {
      problems.push(
        `${where}: returned a value, PyTorch raised ${expected.raises.type}: ${coreMessage(expected.raises)}`,
      );
      continue;
    }
    if (!expected.output) throw new Error(`${where}: case.json records neither an output nor an exception`);
    const path = source.expect === 'original' ? 'output' : 'frozen_output';
    const c = compareValue(result, expected.output, fixture.dir, TOLERANCE, path);
    maxAbs = Math.max(maxAbs, c.maxAbsError);
    maxRel = Math.max(maxRel, c.maxRelError);
    for (const m of c.mismatches) problems.push(`${where}: ${m}`);
  }
  if (problems.length) throw new Error(`${fixture.name} ${source.label}:\n  ${problems.join('\n  ')}`);
  return { fixture: fixture.name, source: source.label, calls: fixture.calls.length, raised, maxAbs, maxRel };
}

function sourcesOf(fixture: FixtureCase): Source[] {
  const out: Source[] = [];
  const { modulePath, frozenPath } = fixture;
  if (modulePath) out.push({ label: 'module.pt', expect: 'original', load: () => loadModule(modulePath) });
  if (frozenPath) out.push({ label: 'frozen.pt', expect: 'frozen', load: () => loadModule(frozenPath) });
  // Only where PyTorch froze the module: the error cases have no frozen outputs to compare with.
  if (modulePath && frozenPath) {
    const load = (): ScriptModule => freeze(loadModule(modulePath), fixture.freezeSettings);
    out.push({ label: 'freeze(module.pt)', expect: 'frozen', load });
  }
  return out;
}

function formatRows(rows: readonly RunRow[], totals: ReadonlyMap<string, number>): string {
  const lines = ['fixture runs vs PyTorch (worst |diff| and relative diff over all calls):'];
  for (const r of rows) {
    const what = r.calls
      ? `${r.calls} call(s)  abs ${r.maxAbs.toExponential(2)}  rel ${r.maxRel.toExponential(2)}`
      : 'loaded; no calls recorded';
    const raised = r.raised ? `, ${r.raised} raised as recorded` : '';
    lines.push(`  ${r.fixture.padEnd(28)} ${r.source.padEnd(17)} ${what}${raised}`);
  }
  for (const [label, total] of totals) {
    const matched = rows.filter((r) => r.source === label);
    const worst = matched.reduce((m, r) => (r.maxAbs > m.maxAbs ? r : m), { maxAbs: 0, fixture: '-' });
    lines.push(
      `  ${label}: ${matched.length}/${total} matched, worst abs error ${worst.maxAbs.toExponential(2)} (${worst.fixture})`,
    );
  }
  return lines.join('\n');
}

describe('fixtures: module.pt, frozen.pt and freeze(module.pt) match PyTorch', function () {
  const fixtures = listFixtureCases();
  const rows: RunRow[] = [];
  const totals = new Map<string, number>();

  after(function () {
    console.log(formatRows(rows, totals));
  });

  it('finds the fixture cases with archives', function () {
    expect(fixtures.filter((f) => f.modulePath).length).to.be.greaterThan(30);
    expect(fixtures.some((f) => f.name.startsWith('_'))).to.equal(false);
  });

  for (const fixture of fixtures) {
    for (const source of sourcesOf(fixture)) {
      totals.set(source.label, (totals.get(source.label) ?? 0) + 1);
      it(`${fixture.name}: ${source.label} (${fixture.calls.length} call(s))`, function () {
        rows.push(runCalls(fixture, source));
      });
    }
  }

  it('seed_preserved_attrs: state carries over between calls (12, then 13)', function () {
    const fixture = fixtures.find((f) => f.name === 'seed_preserved_attrs');
    expect(fixture?.modulePath && fixture.frozenPath, 'seed_preserved_attrs archives').to.be.a('string');
    const { modulePath, frozenPath, calls, dir } = fixture!;
    for (const path of [modulePath!, frozenPath!]) {
      const module = loadModule(path);
      const results = calls.map((call) => module.forward(...call.inputs.map((enc) => decodeValue(dir, enc))));
      expect(results.map((r) => (r as { item(): unknown }).item())).to.deep.equal([12, 13]);
    }
  });
});
