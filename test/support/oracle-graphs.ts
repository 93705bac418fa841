// The graphs the exact writer shortcuts (src/analysis: freshValueWriters, writtenValues) are checked on
// against the full AliasDb: every graph of the alias fixtures and the pass fixtures, and all their values.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseIR, type Graph, type Value } from '../../src/index.js';
import { FIXTURES_DIR } from './fixture-case.js';

const PASSES_DIR = join(FIXTURES_DIR, '..', 'passes');

/** The .ir files: the two alias-analysis fixtures, then every pass fixture. */
export const ORACLE_SOURCES: readonly string[] = [
  join(FIXTURES_DIR, 'alias_db', 'fresh-writers.ir'),
  join(FIXTURES_DIR, 'alias_db', 'cases.ir'),
  ...readdirSync(PASSES_DIR)
    .filter((f) => f.endsWith('.ir'))
    .map((f) => join(PASSES_DIR, f)),
];

/** The graphs of one .ir file (its `// -----`-separated cases that are graphs; comments dropped). */
export function graphsOf(path: string): Graph[] {
  return readFileSync(path, 'utf8')
    .split(/^\/\/ -----$/m)
    .map((chunk) => chunk.replace(/^\s*\/\/.*$/gm, '').trim())
    .filter((chunk) => chunk.startsWith('graph('))
    .map((chunk) => parseIR(chunk));
}

/** Every value of a graph: its inputs, then each node's block inputs and outputs, in order. */
export function valuesOf(graph: Graph): Value[] {
  const out: Value[] = [...graph.inputs];
  for (const n of graph.allNodes()) {
    for (const b of n.blocks) out.push(...b.inputs);
    out.push(...n.outputs);
  }
  return out;
}
