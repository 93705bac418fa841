// The operator table against the real graphs PyTorch printed in test/fixtures: every node kind has a
// schema, and every node of every graph (blocks included) resolves to an overload of the right arity.

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Block, Graph } from '../../src/ir/index.js';
import { parseIR } from '../../src/ir/text/index.js';
import { OperatorRegistry, schemaTypeStr } from '../../src/ops/index.js';
import { lossyGraphDump } from '../support/lossy-graph-dump.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

function graphFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const entry of readdirSync(fixtures, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(`${fixtures}${entry.name}`)) {
      if (file.includes('graph') && file.endsWith('.txt')) {
        const path = `${entry.name}/${file}`;
        const text = readFileSync(`${fixtures}${path}`, 'utf8');
        if (!lossyGraphDump(text)) out.push({ path, text });
      }
    }
  }
  return out;
}

describe('ops against the fixture graphs', () => {
  const files = graphFiles();
  // Parsed once for the tests below (about 1.5 s for the ~150 graphs).
  let graphs: Graph[] = [];
  before(() => {
    graphs = files.map((f) => parseIR(f.text, { file: f.path }));
  });

  it('finds the fixture graphs', () => {
    expect(files.length).to.be.greaterThan(100);
  });

  it('every node kind that appears in a fixture graph has at least one schema', () => {
    const registry = new OperatorRegistry();
    const kinds = new Set<string>();
    // A node kind follows `= ` (or starts a zero-output line) and precedes `(` or `[`.
    const pattern = /(?:= |^\s+)([a-z_]+::[A-Za-z0-9_]+)[([]/gm;
    for (const f of files) for (const m of f.text.matchAll(pattern)) kinds.add(m[1]);
    expect(kinds.size).to.be.greaterThan(100);
    expect([...kinds].filter((k) => !registry.has(k))).to.deep.equal([]);
  });

  it('every node of every fixture graph gets a schema with its number of outputs', () => {
    const registry = new OperatorRegistry();
    const missing = new Map<string, number>();
    const wrongArity: string[] = [];
    let nodes = 0;
    const walk = (block: Block): void => {
      for (const node of block.nodes()) {
        nodes++;
        const schema = registry.schemaForNode(node);
        if (!schema) {
          const sig = `${node.kind}(${node.inputs.map((v) => schemaTypeStr(v.type)).join(', ')})`;
          missing.set(sig, (missing.get(sig) ?? 0) + 1);
        } else if (!schema.isVarret && schema.returns.length !== node.outputs.length) {
          wrongArity.push(`${schema} for ${node.kind} with ${node.outputs.length} outputs`);
        }
        for (const b of node.blocks) walk(b);
      }
    };
    for (const g of graphs) walk(g.block);
    expect(nodes).to.be.greaterThan(20000);
    expect([...missing.keys()]).to.deep.equal([]);
    expect(wrongArity.slice(0, 5)).to.deep.equal([]);
  });

  it('the fixture graphs use the overloads PyTorch prints for them', () => {
    const registry = new OperatorRegistry();
    const seen = new Map<string, Set<string>>();
    const walk = (block: Block): void => {
      for (const node of block.nodes()) {
        const key = registry.schemaForNode(node)?.key ?? '?';
        const sig = `${node.kind}(${node.inputs.map((v) => schemaTypeStr(v.type)).join(', ')})`;
        if (!seen.has(sig)) seen.set(sig, new Set());
        seen.get(sig)?.add(key);
        for (const b of node.blocks) walk(b);
      }
    };
    for (const g of graphs) walk(g.block);
    const pick = (sig: string): string[] => [...(seen.get(sig) ?? [])];
    expect(pick('aten::add(Tensor, Tensor, int)')).to.deep.equal(['aten::add.Tensor']);
    expect(pick('aten::add_(Tensor, int, int)')).to.deep.equal(['aten::add_.Scalar']);
    expect(pick('aten::size(Tensor)')).to.deep.equal(['aten::size']);
    expect(pick('aten::size(Tensor, int)')).to.deep.equal(['aten::size.int']);
    expect(pick('aten::__getitem__(int[], int)')).to.deep.equal(['aten::__getitem__.t']);
    expect(pick('aten::len(str)')).to.deep.equal(['aten::len.str']);
    expect(pick('aten::conv2d(Tensor, Tensor, Tensor?, int[], int[], int[], int)')).to.deep.equal([
      'aten::conv2d',
    ]);
    expect(pick('aten::flatten(Tensor, int, int)')).to.deep.equal(['aten::flatten.using_ints']);
    expect(pick('prim::RaiseException(str, NoneType)')).to.deep.equal(['prim::RaiseException']);
  });
});
