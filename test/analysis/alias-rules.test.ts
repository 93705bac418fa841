// The shortcuts dead-code elimination takes before (or instead of) building an AliasDb must be answers
// the AliasDb gives: checked on every node of the alias oracle's graphs and the DCE / list-mutation cases.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  AliasDb,
  defaultOperatorRegistry,
  parseIR,
  surelyEscaped,
  surelyWrittenInputs,
  type Graph,
} from '../../src/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';

const SOURCES = [
  join(FIXTURES_DIR, 'alias_db', 'cases.ir'),
  join(FIXTURES_DIR, '..', 'passes', 'dead-code-elimination.ir'),
  join(FIXTURES_DIR, '..', 'passes', 'remove-list-mutation.ir'),
  join(FIXTURES_DIR, '..', 'passes', 'common-subexpression-elimination.ir'),
];

function graphsOf(path: string): Graph[] {
  return readFileSync(path, 'utf8')
    .split(/^\/\/ -----$/m)
    .map((chunk) => chunk.replace(/^\s*\/\/.*$/gm, '').trim())
    .filter((chunk) => chunk.startsWith('graph('))
    .map((chunk) => parseIR(chunk));
}

describe('alias rules: shortcuts agree with the AliasDb', () => {
  // Calls have an entry in the shared rule table (OWN_RULE_OF_KIND, 'conservative'), yet every mutable
  // input of a call may be written: dead-code elimination keeps writes to them through this answer.
  it('surelyWrittenInputs treats a call conservatively and a kind with its own rule as writing none', () => {
    const graph = parseIR(`graph(%f : Tensor, %x : Tensor):
  %y : Tensor = prim::CallFunction(%f, %x)
  %z : Tensor = prim::If(%x)
    block0():
      -> (%x)
    block1():
      -> (%x)
  return (%y, %z)`);
    const ops = defaultOperatorRegistry();
    const [call, branch] = [...graph.block.nodes()];
    expect(surelyWrittenInputs(call, ops.entryForNode(call)).map((v) => v.debugName)).to.deep.equal([
      'f',
      'x',
    ]);
    expect(surelyWrittenInputs(branch, ops.entryForNode(branch))).to.deep.equal([]);
  });

  it('surelyWrittenInputs are written and surelyEscaped writes reach a wildcard', () => {
    const ops = defaultOperatorRegistry();
    let written = 0;
    let escaped = 0;
    for (const source of SOURCES) {
      for (const graph of graphsOf(source)) {
        const db = new AliasDb(graph, ops);
        for (const n of graph.allNodes()) {
          const inputs = surelyWrittenInputs(n, ops.entryForNode(n));
          const writes = db.getWrites(n);
          for (const v of inputs) {
            written++;
            for (const l of db.memoryLocations(v))
              expect(writes.has(l), `${n.kind} writes %${v.debugName}`).to.equal(true);
          }
          if (inputs.some(surelyEscaped)) {
            escaped++;
            expect(db.writesToWildcard(n), `${n.kind} writes a wildcard`).to.equal(true);
          }
        }
      }
    }
    // Not vacuous: the cases hold in-place writes, some of them to inputs and attributes.
    expect(written).to.be.greaterThan(20);
    expect(escaped).to.be.greaterThan(5);
  });
});
