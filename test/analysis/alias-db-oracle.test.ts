// tsfreeze's AliasDb against PyTorch 1.13's on the same graphs: which values have writers and which pairs
// may contain an alias of each other (test/fixtures/alias_db, made by scripts/alias-db-oracle.py).
// Loops included: PyTorch is unsound there (a value made in the body and written in the next iteration
// counts as unwritten), and freezing follows it on purpose (docs/freeze.md).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  AliasDb,
  defaultOperatorRegistry,
  parseIR,
  type Block,
  type Graph,
  type Value,
} from '../../src/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';

interface OracleCase {
  readonly title: string;
  readonly values: readonly { readonly type: string; readonly has_writers: boolean }[];
  readonly contain: readonly (readonly [number, number])[];
}

/** Answers where we are deliberately more conservative than PyTorch: title -> value index -> ours. None now:
 * loops follow PyTorch's view too (docs/freeze.md). */
const SOUNDER_THAN_TORCH: Readonly<
  Record<string, { writers: Readonly<Record<number, string>>; contain?: Readonly<Record<string, string>> }>
> = {};

// The order scripts/alias-db-oracle.py numbers values in.
function valuesInOrder(graph: Graph): Value[] {
  const order: Value[] = [...graph.inputs];
  const walk = (block: Block): void => {
    for (const node of block.nodes()) {
      for (const b of node.blocks) {
        order.push(...b.inputs);
        walk(b);
      }
      order.push(...node.outputs);
    }
  };
  walk(graph.block);
  return order;
}

function splitCases(text: string): string[] {
  return text
    .split(/^\/\/ -----$/m)
    .map((chunk) => chunk.replace(/^\s*\/\/.*$/gm, ''))
    .filter((chunk) => chunk.trim() !== '');
}

const dir = join(FIXTURES_DIR, 'alias_db');
const graphs = splitCases(readFileSync(join(dir, 'cases.ir'), 'utf8'));
const expected = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: OracleCase[] })
  .cases;

describe('AliasDb against PyTorch 1.13 (Graph.alias_db())', () => {
  it('has one recorded answer per case', () => {
    expect(graphs.length).to.equal(expected.length);
  });

  expected.forEach((oracle, k) => {
    it(oracle.title, () => {
      const graph = parseIR(graphs[k]);
      const db = new AliasDb(graph, defaultOperatorRegistry());
      const values = valuesInOrder(graph);
      expect(values.length, 'values').to.equal(oracle.values.length);
      const sounder = SOUNDER_THAN_TORCH[oracle.title]?.writers ?? {};
      values.forEach((v, i) => {
        const want = i in sounder ? true : oracle.values[i].has_writers;
        expect(db.hasWriters(v), `hasWriters(%${v.debugName}) [${i}] ${sounder[i] ?? ''}`).to.equal(want);
      });
      const pairs = new Set(oracle.contain.map(([i, j]) => `${i},${j}`));
      for (const pair of Object.keys(SOUNDER_THAN_TORCH[oracle.title]?.contain ?? {})) pairs.add(pair);
      const mutable = values.map((v, i) => [v, i] as const).filter(([v]) => AliasDb.isMutableType(v));
      for (let a = 0; a < mutable.length; a++) {
        for (let b = a + 1; b < mutable.length; b++) {
          const [[x, i], [y, j]] = [mutable[a], mutable[b]];
          const want = pairs.has(`${i},${j}`);
          expect(db.mayContainAlias(x, y), `mayContainAlias(%${x.debugName}, %${y.debugName})`).to.equal(
            want,
          );
        }
      }
    });
  });
});
