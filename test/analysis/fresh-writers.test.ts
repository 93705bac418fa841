// freshValueWriters answers "who writes this value" from the value's uses, for freezing's attribute reads;
// each answer it gives must be the full AliasDb's (writersOf), in frozen and ordinary mode, on every value
// of the alias fixtures, the pass fixtures and graphs made to meet each rule it mirrors.

import { expect } from 'chai';
import {
  AliasDb,
  defaultOperatorRegistry,
  freshValueWriters,
  wildcardsSurelyUnwritten,
  type Graph,
  type Node,
  type Value,
} from '../../src/index.js';
import { graphsOf, ORACLE_SOURCES as SOURCES, valuesOf } from '../support/oracle-graphs.js';

const ids = (nodes: readonly Node[]): number[] => nodes.map((n) => n.id).sort((a, b) => a - b);

describe('freshValueWriters', () => {
  const ops = defaultOperatorRegistry();
  const entryOf = (n: Node) => ops.entryForNode(n);

  it('answers as the AliasDb does, in frozen and ordinary mode, whenever it answers', () => {
    const counts = { answered: 0, written: 0, declined: 0 };
    for (const source of SOURCES) {
      for (const graph of graphsOf(source)) {
        for (const frozen of [true, false]) {
          const db = new AliasDb(graph, ops, { frozen });
          for (const v of valuesOf(graph)) {
            const writers = freshValueWriters(v, entryOf, frozen);
            if (!writers) {
              counts.declined++;
              continue;
            }
            counts.answered++;
            if (writers.length) counts.written++;
            expect(ids(writers), `%${v.debugName} (frozen: ${frozen})`).to.deep.equal(ids(db.writersOf(v)));
          }
        }
      }
    }
    // Not vacuous: many answers, some with writers, and the cases it must leave to the AliasDb.
    expect(counts.answered).to.be.greaterThan(300);
    expect(counts.written).to.be.greaterThan(8);
    expect(counts.declined).to.be.greaterThan(20);
  });

  it('follows escapes only in graphs where no write reaches a wildcard, answering as the AliasDb does', () => {
    const counts = { graphs: 0, unwritten: 0, escapedAnswers: 0 };
    for (const source of SOURCES) {
      for (const graph of graphsOf(source)) {
        for (const frozen of [true, false]) {
          counts.graphs++;
          if (!wildcardsSurelyUnwritten(graph, entryOf, frozen)) continue;
          counts.unwritten++;
          const db = new AliasDb(graph, ops, { frozen });
          for (const v of valuesOf(graph)) {
            const writers = freshValueWriters(v, entryOf, frozen, true);
            if (!writers) continue;
            if (!freshValueWriters(v, entryOf, frozen)) counts.escapedAnswers++;
            expect(ids(writers), `%${v.debugName} (frozen: ${frozen})`).to.deep.equal(ids(db.writersOf(v)));
          }
        }
      }
    }
    // Not vacuous: graphs on both sides, and answers only the escape-following walk gives.
    expect(counts.unwritten).to.be.greaterThan(50);
    expect(counts.graphs - counts.unwritten).to.be.greaterThan(50);
    expect(counts.escapedAnswers).to.be.greaterThan(20);
    const [escapes, escapesWritten] = graphsOf(SOURCES[0]).slice(-2);
    const weight = (g: Graph) => valuesOf(g).find((v) => v.debugName === 'w')!;
    expect(wildcardsSurelyUnwritten(escapes, entryOf, true)).to.equal(true);
    expect(freshValueWriters(weight(escapes), entryOf, true)).to.equal(undefined);
    expect(freshValueWriters(weight(escapes), entryOf, true, true)).to.deep.equal([]);
    expect(wildcardsSurelyUnwritten(escapesWritten, entryOf, true)).to.equal(false);
    const db = new AliasDb(escapesWritten, ops, { frozen: true });
    expect(db.writersOf(weight(escapesWritten)).map((n) => n.kind)).to.deep.equal(['aten::relu_']);
  });

  it('finds writes through views and returned aliases, and leaves escapes to the AliasDb', () => {
    const [, written, notBound, norms, escaping, lists] = graphsOf(SOURCES[0]);
    const read = (g: Graph, name: string): Value => valuesOf(g).find((v) => v.debugName === name)!;
    const writers = (g: Graph, name: string, frozen = true) =>
      freshValueWriters(read(g, name), entryOf, frozen)?.map((n) => n.kind);
    expect(writers(written, 'n')).to.deep.equal(['aten::add_']);
    expect(writers(written, 'm')).to.deep.equal(['aten::relu_']);
    expect(writers(written, 'k')?.sort()).to.deep.equal(['aten::mul_', 'aten::relu_']);
    // Not frozen: an attribute read is a wildcard, never a location of its own.
    expect(writers(written, 'n', false)).to.equal(undefined);
    expect(writers(norms, 'rm')).to.deep.equal([]);
    expect(writers(norms, 'rm', false)).to.equal(undefined);
    expect(writers(norms, 'rm2')).to.deep.equal([]);
    expect(writers(norms, 'rv3')).to.deep.equal(['aten::instance_norm']);
    for (const name of ['a', 'b']) expect(writers(escaping, name), name).to.equal(undefined);
    // Through an If's output: written in the branch and after the If.
    expect(writers(escaping, 'p')?.sort()).to.deep.equal(['aten::add_', 'aten::relu_']);
    expect(writers(escaping, 'o')).to.deep.equal(['aten::sigmoid_']); // through prim::unchecked_cast
    // An operator's fresh output, written through the alias add_ returns; the attribute it reads is not written.
    for (const frozen of [true, false])
      expect(writers(notBound, 't', frozen)?.sort()).to.deep.equal(['aten::add_', 'aten::copy_']);
    expect(writers(notBound, 'w')).to.deep.equal([]);
    expect(writers(lists, 'l', false)).to.deep.equal(['aten::append']);
    expect(writers(lists, 'm', false)).to.deep.equal([]);
    expect(writers(lists, 'k', false)).to.equal(undefined);
  });
});
