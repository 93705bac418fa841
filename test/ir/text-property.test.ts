// Property tests of the IR text format: random well-formed graphs (nested prim::If / prim::Loop, tuples,
// lists, constants of every kind including tensors of every dtype, zero-output nodes, attributes of every
// kind, source comments, scopes) print, parse and print again identically, and parse to the same graph.

import { expect } from 'chai';
import fc from 'fast-check';
import { createConstant, parseIR, printGraph } from '../../src/ir/index.js';
import { Graph as IRGraph } from '../../src/ir/graph.js';
import { verify } from '../../src/ir/verify.js';
import { build, recipe, TABLE_TENSOR, TENSOR } from './text-arbitraries.js';
import { graphDiff } from './text-support.js';

// ---- properties ---------------------------------------------------------------------------------

describe('IR text: random graphs (fast-check)', function () {
  this.timeout(120_000);

  it('lossless: print -> parse -> print is identical and the parsed graph equals the original', () => {
    fc.assert(
      fc.property(recipe(TENSOR), (r) => {
        const g = build(r);
        verify(g);
        const text = printGraph(g, { tensorStyle: 'lossless' });
        const back = parseIR(text, { file: 'random.ir', tensorStyle: 'lossless' });
        verify(back);
        const diff = graphDiff(g, back);
        if (diff) expect.fail(`${diff}\n${text}`);
        expect(printGraph(back, { tensorStyle: 'lossless' })).to.equal(text);
      }),
      { numRuns: 300 },
    );
  });

  it("pytorch style: print -> parse -> print is identical (PyTorch's lossy tensor text included)", () => {
    fc.assert(
      fc.property(recipe(fc.oneof(TENSOR, TABLE_TENSOR)), (r) => {
        const g = build(r);
        const text = printGraph(g);
        const back = parseIR(text, { file: 'random.ir' });
        verify(back);
        expect(printGraph(back)).to.equal(text);
      }),
      { numRuns: 300 },
    );
  });

  it("reads PyTorch's table for small float tensors back to within the printed precision", () => {
    fc.assert(
      fc.property(TABLE_TENSOR, (t) => {
        const g = new IRGraph();
        g.registerOutput(g.insertNode(createConstant(g, t)).output());
        const text = printGraph(g);
        const back = parseIR(text).outputs[0].node.t('value');
        expect(back.shape).to.deep.equal(t.shape);
        // The values read may format differently (-0.99999 prints as -1.0000, read back as -1, which
        // prints as -1): the printer keeps the text it read while the values are unchanged.
        expect(printGraph(parseIR(text))).to.equal(text);
        const finite = t.toArray().map(Number).filter(Number.isFinite).map(Math.abs);
        const tolerance = 1e-4 * Math.max(1, ...finite);
        for (let i = 0; i < t.numel; i++) {
          const [a, b] = [t.getNumber(i), back.getNumber(i)];
          if (Number.isFinite(a)) expect(Math.abs(a - b)).to.be.at.most(tolerance + 1e-3 * Math.abs(a));
          else expect(Object.is(a, b)).to.equal(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
