// Round trips of real PyTorch 1.13 graphs: every fixture graph (and the verbatim samples) parses, verifies,
// and prints back byte-identically; the lossless form re-parses to the same structure, bit for bit.

import { expect } from 'chai';
import { parseIR, printGraph, type Graph } from '../../src/ir/index.js';
import { verify } from '../../src/ir/verify.js';
import { formatTensorForIR } from '../../src/tensor/ir-format.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { PYTORCH_CONSTANTS, PYTORCH_SCRIPTED } from './text-samples.js';
import { fixtureGraphs, graphDiff } from './text-support.js';

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  const i = la.findIndex((line, k) => line !== lb[k]);
  return `line ${i + 1}:\n  expected: ${la[i]}\n  printed:  ${lb[i]}`;
}

function checkRoundTrip(name: string, text: string): Graph {
  const graph = parseIR(text, { file: name });
  verify(graph);
  const printed = printGraph(graph);
  if (printed !== text)
    expect.fail(`${name} does not print back identically, ${firstDifference(text, printed)}`);
  // Lossless: parse(print(g)) has the same structure and prints the same lossless text again.
  const lossless = printGraph(graph, { tensorStyle: 'lossless' });
  const again = parseIR(lossless, { file: `${name} (lossless)` });
  const diff = graphDiff(graph, again);
  if (diff) expect.fail(`${name}: lossless round trip changed the graph: ${diff}`);
  expect(printGraph(again, { tensorStyle: 'lossless' })).to.equal(lossless);
  expect(printGraph(again)).to.equal(text);
  return graph;
}

describe('IR text: fixture graphs round-trip', () => {
  const graphs = fixtureGraphs();

  it('finds the fixture graphs', () => {
    expect(graphs.length).to.be.greaterThan(250);
  });

  for (const { name, text } of graphs) {
    it(`${name} prints back byte-identically`, () => {
      checkRoundTrip(name, text);
    });
  }

  it("re-formats every fixture tensor constant with PyTorch's rules to the same text", () => {
    // The printer reuses the text a tensor was read from while its values are unchanged; this checks the
    // formatter itself reproduces PyTorch's table for the (rounded) values it read.
    let checked = 0;
    for (const { name, text } of graphs) {
      // The constant's text as printed, by output name.
      const shownByName = new Map<string, string>();
      for (const m of text.matchAll(/^ *%(\S+) : .* = prim::Constant\[value=(.*)\]\(\)/gm))
        shownByName.set(m[1], m[2]);
      const graph = parseIR(text, { file: name });
      for (const node of graph.nodesOfKind('prim::Constant')) {
        const attr = node.attribute('value');
        if (attr?.kind !== 't' || !(attr.value instanceof Tensor)) continue;
        const shown = shownByName.get(node.output().debugName);
        if (shown === '<Tensor>') continue;
        expect(formatTensorForIR(attr.value), `${name}: %${node.output().debugName}`).to.equal(shown);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(400);
  });
});

describe('IR text: graphs PyTorch printed outside the fixtures', () => {
  it('constants of every kind round-trip', () => {
    const g = checkRoundTrip('constants', PYTORCH_CONSTANTS);
    expect(g.nodesOfKind('prim::Constant')).to.have.length(69);
  });

  it('a scripted module with nested loops, raise and named tuples round-trips', () => {
    const g = checkRoundTrip('scripted', PYTORCH_SCRIPTED);
    expect(g.nodesOfKind('prim::Loop')).to.have.length(2);
    expect(g.nodesOfKind('prim::RaiseException')).to.have.length(1);
  });
});
