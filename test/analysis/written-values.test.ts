// writtenValues: the values an AliasDb would say have writers, found from the writes' uses when no write
// reaches a wildcard; every answer must be the full AliasDb's hasWriters, on every value of the alias
// fixtures and the pass fixtures, in frozen and ordinary mode.

import { expect } from 'chai';
import {
  AliasDb,
  defaultOperatorRegistry,
  wildcardsSurelyUnwritten,
  writtenValues,
  type Node,
} from '../../src/index.js';
import { graphsOf, ORACLE_SOURCES as SOURCES, valuesOf } from '../support/oracle-graphs.js';

describe('writtenValues', () => {
  const ops = defaultOperatorRegistry();
  const entryOf = (n: Node) => ops.entryForNode(n);

  it('answers hasWriters of every value as the AliasDb does, exactly where no wildcard is written', () => {
    const counts = { graphs: 0, answered: 0, written: 0, unwritten: 0 };
    for (const source of SOURCES) {
      for (const graph of graphsOf(source)) {
        for (const frozen of [true, false]) {
          counts.graphs++;
          const written = writtenValues(graph, entryOf, frozen);
          expect(written !== undefined, source).to.equal(wildcardsSurelyUnwritten(graph, entryOf, frozen));
          if (!written) continue;
          counts.answered++;
          const db = new AliasDb(graph, ops, { frozen });
          for (const v of valuesOf(graph)) {
            const has = db.hasWriters(v);
            expect(written.has(v), `%${v.debugName} (frozen: ${frozen}) in ${source}`).to.equal(has);
            if (has) counts.written++;
            else counts.unwritten++;
          }
        }
      }
    }
    // Not vacuous: graphs it answers and graphs it leaves to the AliasDb, written values and unwritten ones.
    expect(counts.answered).to.be.greaterThan(50);
    expect(counts.graphs - counts.answered).to.be.greaterThan(50);
    expect(counts.written).to.be.greaterThan(30);
    expect(counts.unwritten).to.be.greaterThan(1000);
  });
});
