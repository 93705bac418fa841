// The batched graphlib store (src/ir/use-store.ts): whenever it is read, it holds exactly what writing
// every change at once would have produced, and its edges are the uses of the IR, in use-list order.

import { expect } from 'chai';
import fc from 'fast-check';
import { Graph } from '../../src/ir/graph.js';
import type { Block } from '../../src/ir/block.js';
import type { Node } from '../../src/ir/node.js';
import { TensorTensor } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { verify } from '../../src/ir/verify.js';

type Step = readonly [op: number, a: number, b: number, c: number, read: boolean];

// Live nodes (no param/return) and the values they or the blocks define, in program order.
function live(g: Graph): { nodes: Node[]; values: Value[] } {
  const nodes = [...g.allNodes()];
  const values = [...g.inputs];
  for (const n of nodes) {
    values.push(...n.outputs);
    for (const b of n.blocks) values.push(...b.inputs);
  }
  return { nodes, values };
}

// One mutation chosen by numbers, so two graphs given the same steps change identically.
function apply(g: Graph, [op, a, b, c]: Step): void {
  const { nodes, values } = live(g);
  const value = (k: number): Value => values[k % values.length];
  const node = (k: number): Node | undefined => (nodes.length ? nodes[k % nodes.length] : undefined);
  const n = node(a);
  switch (op % 8) {
    case 0:
    case 1: {
      // A new node with up to three inputs, in the top block or inside a block of some node.
      const where = n?.blocks.length ? n.blocks[b % n.blocks.length] : g.block;
      const inputs = [value(a), value(b), value(c)].slice(0, c % 4);
      g.withInsertPoint(where, () => g.insert('aten::op', inputs, [TensorTensor]));
      break;
    }
    case 2: {
      const iff = g.insert('prim::If', [value(a)], []);
      iff.addBlock().addInput(TensorTensor);
      iff.addBlock();
      break;
    }
    case 3:
      if (n && n.inputs.length) n.replaceInput(b % n.inputs.length, value(c));
      break;
    case 4:
      if (n) n.insertInput(b % (n.inputs.length + 1), value(c));
      break;
    case 5:
      if (n && n.inputs.length) n.removeInput(b % n.inputs.length);
      break;
    case 6:
      if (n) {
        // Everything n and its blocks define stops being used (inputs may be used anywhere), then it goes.
        for (const v of definedBy(n)) v.replaceAllUsesWith(g.inputs[0]);
        n.destroy();
      }
      break;
    case 7: {
      const to = node(b);
      if (n && to && n !== to && !isInside(to, n)) n.moveBefore(to);
      break;
    }
  }
}

function definedBy(n: Node): Value[] {
  const out = [...n.outputs];
  for (const b of n.blocks) {
    out.push(...b.inputs);
    for (const m of b.nodes()) out.push(...definedBy(m));
  }
  return out;
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let o = node.owningBlock?.owningNode ?? null; o; o = o.owningBlock?.owningNode ?? null)
    if (o === ancestor) return true;
  return false;
}

// The store as plain data: vertices with parents and children in order, edges in order per vertex.
function snapshot(g: Graph): unknown {
  const d = g.dataflow;
  const id = (x: unknown): string => (x === undefined ? '-' : String((x as { id: number }).id));
  return {
    nodes: d.nodes().map((v) => [v, d.parent(v) ?? null, id(d.node(v)), d.children(v)]),
    edges: d.edges().map((e) => [e.v, e.w, e.name, d.edge(e).offset]),
    out: d.nodes().map((v) => (d.outEdges(v) ?? []).map((e) => e.name)),
    in: d.nodes().map((v) => (d.inEdges(v) ?? []).map((e) => e.name)),
  };
}

function run(steps: readonly Step[], readAfterEach: boolean): Graph {
  const g = new Graph();
  g.addInput(TensorTensor, 'x');
  for (const step of steps) {
    apply(g, step);
    if (readAfterEach || step[4]) void g.dataflow.nodeCount();
  }
  return g;
}

const steps = fc.array(
  fc.tuple(fc.nat(15), fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.boolean()) as fc.Arbitrary<Step>,
  { maxLength: 120 },
);

describe('ir/use-store (graphlib written in batches)', () => {
  it('reads the same store as writing every change at once, after any mutations', () => {
    fc.assert(
      fc.property(steps, (s) => {
        expect(snapshot(run(s, false))).to.deep.equal(snapshot(run(s, true)));
      }),
      { numRuns: 150 },
    );
  });

  it('holds exactly the live uses, each value’s edges in use-list order', () => {
    fc.assert(
      fc.property(steps, (s) => {
        const g = run(s, false);
        const d = g.dataflow;
        const { values } = live(g);
        let uses = 0;
        for (const v of values) {
          const labels = (d.outEdges(v.node.vertex) ?? []).map((e) => d.edge(e)).filter((u) => u.value === v);
          expect(labels).to.deep.equal(v.uses());
          uses += v.uses().length;
        }
        expect(d.edgeCount()).to.equal(uses);
        // Vertices: every live node (with its blocks' param and return nodes) and block, nested as placed.
        const expected = new Map<string, string | undefined>();
        const addBlock = (b: Block): void => {
          for (const n of [b.paramNode, b.returnNode, ...b.nodes()]) {
            expected.set(n.vertex, b.owningNode ? b.vertex : undefined);
            for (const inner of n.blocks) {
              expected.set(inner.vertex, n.vertex);
              addBlock(inner);
            }
          }
        };
        expected.set(g.block.vertex, undefined);
        addBlock(g.block);
        expect(new Map(d.nodes().map((v) => [v, d.parent(v)]))).to.deep.equal(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('compacts its lists of made nodes only when half their entries are gone, blocks included', () => {
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    const store = g as unknown as { useStore: { nodesMade: Node[]; blocksMade: Block[] } };
    // A growing graph: every entry stays live, so nothing is ever compacted.
    let counted = 0;
    const made = store.useStore as unknown as { compactMade(): void };
    const compact = made.compactMade.bind(made);
    made.compactMade = () => {
      counted++;
      compact();
    };
    for (let i = 0; i < 20_000; i++) g.insert('aten::relu', [x], [TensorTensor]);
    expect(counted).to.equal(0);
    expect(store.useStore.nodesMade.length).to.equal(20_002);
    // Once half the entries are gone, the next node made compacts them (destroyed blocks count too).
    for (const n of [...g.nodes()]) n.destroy();
    g.insert('prim::If', [x], []).destroy();
    expect(counted).to.equal(1);
    // (The If was made, and kept, by that compaction: listed until the next one.)
    expect(store.useStore.nodesMade.length).to.equal(3);
    for (let i = 0; i < 3_000; i++) g.insert('prim::If', [x], []).addBlock();
    for (const n of [...g.nodes()]) n.destroy();
    g.insert('aten::relu', [x], [TensorTensor]);
    expect(counted).to.equal(2);
    expect(store.useStore.nodesMade.length).to.equal(3);
    expect(store.useStore.blocksMade.length).to.equal(1);
    verify(g);
    expect(g.vertexNodeCount).to.equal(3);
  });

  it('keeps a graph that is never read from growing its journal without bound', () => {
    const g = new Graph();
    const x = g.addInput(TensorTensor, 'x');
    for (let i = 0; i < 50_000; i++) g.insert('aten::relu', [x], [TensorTensor]).destroy();
    const store = (g as unknown as { useStore: { ops: unknown[]; nodesMade: unknown[] } }).useStore;
    expect(store.ops.length).to.be.below(4096);
    expect(store.nodesMade.length).to.be.below(4096);
    verify(g);
    expect(g.vertexNodeCount).to.equal(2);
    // Once read, the store is journaled: that journal stays bounded too.
    for (let i = 0; i < 50_000; i++) g.insert('aten::relu', [x], [TensorTensor]).destroy();
    expect(store.ops.length).to.be.below(4096);
    verify(g);
    expect(g.vertexNodeCount).to.equal(2);
  });
});
