// moveGraph (freeze's consume mode) retypes a graph in place instead of copying it: the result must be
// what cloneGraph makes (text, names, use-list order, and the names values made afterwards get), even
// when the graph was edited before (use lists out of program order, numbered values destroyed, variants).

import { expect } from 'chai';
import fc from 'fast-check';
import {
  cloneGraph,
  createConstant,
  FloatType,
  IntType,
  moveGraph,
  printGraph,
  type Block,
  type Graph,
  type Node,
  type Type,
  type Value,
} from '../../src/ir/index.js';
import { verify } from '../../src/ir/verify.js';
import { build, recipe, TENSOR, withoutScopes } from './text-arbitraries.js';

type Recipe = Parameters<typeof build>[0];

// Names, use lists (user by program-order index, slot) and text: everything but ids.
function fingerprint(g: Graph): unknown {
  const order = new Map<Node, number>();
  const walk = (b: Block): void => {
    for (const n of b.nodes()) {
      order.set(n, order.size);
      n.blocks.forEach(walk);
    }
    order.set(b.returnNode, order.size);
  };
  walk(g.block);
  const values: Value[] = [...g.inputs];
  for (const n of g.allNodes()) {
    values.push(...n.outputs);
    for (const b of n.blocks) values.push(...b.inputs);
  }
  return {
    text: printGraph(g, { tensorStyle: 'lossless' }),
    uses: values.map((v) => [v.debugName, v.type.str(), v.uses().map((u) => [order.get(u.user), u.offset])]),
  };
}

// Edits a freshly built graph the way loading and cleanup do: use lists out of program order, a numbered
// value past every other destroyed (the counter of a copy starts lower), a variant name taken and freed.
function edit(g: Graph): void {
  const first = g.block.firstNode ?? g.returnNode;
  const tmp = g.withInsertPoint(first, () => g.insertNode(createConstant(g, 0, IntType)).output());
  for (const n of [...g.allNodes()]) {
    for (const v of n.outputs) {
      const u = v.uses()[0];
      if (v === tmp || v.numUses < 2 || !u) continue;
      u.user.replaceInput(u.offset, tmp);
      u.user.replaceInput(u.offset, v);
    }
  }
  tmp.node.destroy();
  const dead = g.withInsertPoint(g.returnNode, () => g.insertNode(createConstant(g, 1, IntType)).output());
  dead.setDebugName('900');
  dead.node.destroy();
  const freed = g.withInsertPoint(g.returnNode, () => g.insertNode(createConstant(g, 2, IntType)).output());
  freed.setDebugName('x');
  freed.setDebugName('x.3');
  freed.node.destroy();
}

// What later passes do: new values with counter names and with a taken source name.
function addValues(g: Graph): void {
  g.insertNode(createConstant(g, 3, IntType));
  const named = g.insertNode(createConstant(g, 4, IntType)).output();
  named.setDebugName(g.inputs[0]?.debugName ?? 'x');
  g.insertNode(createConstant(g, 5, IntType))
    .output()
    .setDebugName('x');
  g.insertNode(createConstant(g, 6, IntType))
    .output()
    .setDebugName('x');
}

function prepared(r: Recipe): Graph {
  const g = build({ ...r, body: withoutScopes(r.body) });
  edit(g);
  return g;
}

describe('moveGraph', function () {
  this.timeout(120_000);

  it('leaves the graph as cloneGraph makes its copy, also for values made afterwards (fast-check)', () => {
    fc.assert(
      fc.property(recipe(TENSOR), (r) => {
        const copy = cloneGraph(prepared(r));
        const moved = moveGraph(prepared(r));
        verify(moved);
        expect(fingerprint(moved)).to.deep.equal(fingerprint(copy));
        addValues(copy);
        addValues(moved);
        verify(moved);
        expect(fingerprint(moved)).to.deep.equal(fingerprint(copy));
      }),
      { numRuns: 200 },
    );
  });

  it('maps every value type through mapType, as cloneGraph does, and counts as a change', () => {
    const toFloat = (t: Type): Type => (t === IntType ? FloatType : t);
    const r: Recipe = { inputs: [{ type: IntType, name: 'a' }], body: [], outs: [0] };
    const g = prepared(r);
    const before = g.epoch;
    const moved = moveGraph(g, toFloat);
    expect(moved).to.equal(g);
    expect(g.epoch).to.be.greaterThan(before);
    expect(g.inputs[0].type).to.equal(FloatType);
    expect(fingerprint(moved)).to.deep.equal(fingerprint(cloneGraph(prepared(r), { mapType: toFloat })));
  });
});
