// IR invariants and the mutation API: uses stay consistent, destroy refuses live outputs, verify catches breakage.

import { expect } from 'chai';
import { Graph as Dataflow } from '@dagrejs/graphlib';
import { Graph } from '../../src/ir/graph.js';
import { BoolType, FloatType, IntType, TensorTensor } from '../../src/ir/types.js';
import { insertConstant, constantValue } from '../../src/ir/constants.js';
import { collectProblems, verify } from '../../src/ir/verify.js';
import { cloneGraph, cloneNode, insertGraph } from '../../src/ir/clone.js';
import { isAcyclic, topologicalOrder } from '../../src/ir/algorithms.js';
import type { Node } from '../../src/ir/node.js';
import type { Value } from '../../src/ir/value.js';

/** x -> relu -> add(relu, x) -> return; the small graph most tests start from. */
function smallGraph(): { g: Graph; x: Value; relu: Node; add: Node } {
  const g = new Graph();
  const x = g.addInput(TensorTensor, 'x');
  const relu = g.insert('aten::relu', [x], [TensorTensor]);
  const one = insertConstant(g, 1);
  const add = g.insert('aten::add', [relu.output(), x, one], [TensorTensor]);
  g.registerOutput(add.output());
  return { g, x, relu, add };
}

describe('ir/graph', () => {
  it('records uses in order and finds them through the use store', () => {
    const { g, x, relu, add } = smallGraph();
    expect(x.uses().map((u) => [u.user.kind, u.offset])).to.deep.equal([
      ['aten::relu', 0],
      ['aten::add', 1],
    ]);
    expect(relu.output().uses()).to.have.length(1);
    expect(add.output().uses()[0].user).to.equal(g.returnNode);
    verify(g);
  });

  it('replaceAllUsesWith moves every use, including the return', () => {
    const { g, relu, add } = smallGraph();
    const neg = g.withInsertPoint(g.returnNode, () => g.insert('aten::neg', [add.output()], [TensorTensor]));
    add.output().replaceAllUsesAfterNodeWith(neg, neg.output());
    expect(g.outputs[0]).to.equal(neg.output());
    expect(
      add
        .output()
        .uses()
        .map((u) => u.user),
    ).to.deep.equal([neg]);
    relu.output().replaceAllUsesWith(g.inputs[0]);
    expect(relu.hasUses()).to.equal(false);
    relu.destroy();
    verify(g);
  });

  it('refuses to destroy a node whose output is used', () => {
    const { relu } = smallGraph();
    expect(() => relu.destroy()).to.throw(/still used by aten::add/);
  });

  it('removeInput renumbers the use slots of later inputs', () => {
    const { g, x, add } = smallGraph();
    add.removeInput(0);
    expect(add.inputs[0]).to.equal(x);
    expect(x.uses().find((u) => u.user === add)?.offset).to.equal(0);
    add.insertInput(0, x);
    expect(
      x
        .uses()
        .filter((u) => u.user === add)
        .map((u) => u.offset)
        .sort(),
    ).to.deep.equal([0, 1]);
    expect(collectProblems(g).filter((p) => !p.includes('dangling'))).to.deep.equal([]);
  });

  it('keeps unique names, moving an old holder to a fresh variant as PyTorch does', () => {
    const g = new Graph();
    const a = g.addInput(TensorTensor, 'x');
    const b = g.addInput(TensorTensor, 'y');
    b.setDebugName('x');
    expect(b.debugName).to.equal('x');
    expect(a.debugName).to.equal('x.1');
    expect(g.valueByName('x.1')).to.equal(a);
    const c = g.addInput(IntType);
    expect(c.debugName).to.match(/^\d+$/);
    verify(g);
  });

  it("gives the smallest free `base.N` from the name's own suffix, through renames and frees", () => {
    // The naive rule freshVariant implements with its hints: probe base.start, base.start+1, ... from 1
    // (or from one past the name's own numeric suffix).
    const naive = (g: Graph, name: string): string => {
      const m = /^(.*)\.(\d+)$/.exec(name);
      const base = m && !/^\d+$/.test(m[1]) ? m[1] : name;
      let n = m ? Number(m[2]) + 1 : 1;
      while (g.valueByName(`${base}.${n}`)) n++;
      return `${base}.${n}`;
    };
    const pool = ['x', 'x.1', 'x.2', 'x.3', 'x.7', 'x.12', 'y.2', 'y', '3.5', 'x.1.2', 'a\nb.4'];
    let seed = 7;
    const rand = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const g = new Graph();
    const nodes: Node[] = [];
    for (let step = 0; step < 3000; step++) {
      const name = pool[rand(pool.length)];
      expect(g.freshVariant(name), `step ${step}: ${name}`).to.equal(naive(g, name));
      const op = rand(3);
      if (op === 0 || nodes.length === 0) {
        nodes.push(g.insert('aten::n', [], [IntType]));
        nodes[nodes.length - 1].output().setDebugName(name);
      } else if (op === 1) {
        // Renaming frees the value's own name first, then moves the name's holder to a fresh variant.
        const node = nodes[rand(nodes.length)];
        const moved = g.valueByName(name);
        node.output().setDebugName(name);
        if (moved && moved !== node.output()) expect(moved.debugName).to.match(/\.\d+$/);
      } else {
        nodes.splice(rand(nodes.length), 1)[0].destroy();
      }
    }
    verify(g);
  });

  it('keeps numbered names (counter-made or given, kept in a table by number) unique and findable', () => {
    // Random counter names, renames to numbered, non-canonical and plain names, and destroys: every live
    // value's name is its own, valueByName finds it, valueCount counts it, and new counter names never
    // reuse a number a value was given.
    const pool = [
      '0',
      '1',
      '2',
      '5',
      '12',
      '007',
      '00',
      '999999999',
      '1000000000',
      'x',
      'x.1',
      '5.1',
      '12.3',
    ];
    let seed = 11;
    const rand = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const g = new Graph();
    const live: Value[] = [];
    for (let step = 0; step < 1500; step++) {
      const op = rand(4);
      if (op === 0 || live.length === 0) {
        const before = g.valueCount;
        live.push(g.insert('aten::n', [], [IntType]).output());
        const v = live[live.length - 1];
        expect(v.debugName, `step ${step}`).to.match(/^(0|[1-9]\d*)$/);
        expect(v.hasDebugName).to.equal(false);
        expect(g.valueCount).to.equal(before + 1);
      } else if (op === 1) {
        const v = live[rand(live.length)];
        const name = pool[rand(pool.length)];
        v.setDebugName(name);
        expect(v.debugName).to.equal(name);
        expect(v.hasDebugName).to.equal(!/^\d+$/.test(name));
      } else if (op === 2) {
        live.splice(rand(live.length), 1)[0].node.destroy();
      } else {
        const name = pool[rand(pool.length)];
        const holder = live.find((v) => v.debugName === name);
        expect(g.valueByName(name), `step ${step}: ${name}`).to.equal(holder);
      }
      const names = new Set(live.map((v) => v.debugName));
      const lost = live.filter((v) => g.valueByName(v.debugName) !== v).map((v) => v.debugName);
      expect([names.size, lost, g.valueCount], `step ${step}`).to.deep.equal([live.length, [], live.length]);
    }
    // The counter never hands out a number at or below one given as a name.
    const given = g.insert('aten::n', [], [IntType]).output().setDebugName('4321');
    const next = g.insert('aten::n', [], [IntType]).output();
    expect(Number(next.debugName)).to.be.greaterThan(4321);
    given.setDebugName(next.debugName);
    expect(next.debugName).to.equal(`${given.debugName}.1`);
    verify(g);
  });

  it('keeps the attributes of a copied node and its source apart (the map is shared until one changes)', () => {
    const g = new Graph();
    const a = g.insert('aten::op', [], [IntType]).setI('k', 1).setS('s', 'x');
    const b = cloneNode(g, a, new Map());
    const c = cloneNode(g, b, new Map());
    b.setI('k', 2);
    expect([a.i('k'), b.i('k'), c.i('k')]).to.deep.equal([1, 2, 1]);
    a.removeAttribute('s');
    expect([a.hasAttribute('s'), b.s('s'), c.s('s')]).to.deep.equal([false, 'x', 'x']);
    c.copyAttributes(g.create('aten::other', [], []).setF('f', 0.5));
    expect([a.attributeNames(), b.attributeNames(), c.attributeNames()]).to.deep.equal([
      ['k'],
      ['k', 's'],
      ['k', 's', 'f'],
    ]);
    expect(c.attributeCount).to.equal(3);
  });

  it('orders nodes across nested blocks and survives many inserts at one spot', () => {
    const g = new Graph();
    const cond = g.addInput(BoolType, 'c');
    const first = g.insert('prim::Constant', [], [IntType]);
    const iff = g.insert('prim::If', [cond], []);
    const b0 = iff.addBlock();
    iff.addBlock();
    const inner = g.withInsertPoint(b0, () => g.insert('aten::foo', [], []));
    const last = g.insert('aten::bar', [], []);
    expect(first.isBefore(inner)).to.equal(true);
    expect(inner.isBefore(last)).to.equal(true);
    expect(iff.isBefore(inner)).to.equal(true);
    // 200 inserts directly after `first` exhaust float midpoints and force renumbering.
    let anchor = iff;
    for (let i = 0; i < 200; i++) anchor = g.create('aten::x').insertBefore(anchor);
    const order = [...g.nodes()];
    for (let i = 1; i < order.length; i++) expect(order[i - 1].isBefore(order[i])).to.equal(true);
    verify(g);
  });

  it('keeps order through 20k inserts after one moving spot (local re-spacing)', () => {
    const g = new Graph();
    for (let i = 0; i < 2000; i++) g.insert('aten::a', [], []);
    let last = g.block.firstNode!;
    for (let i = 0; i < 20_000; i++) last = g.create('aten::b').insertAfter(last);
    const order = [...g.nodes()];
    expect(order).to.have.length(22_000);
    for (let i = 1; i < order.length; i++) expect(order[i - 1].position).to.be.lessThan(order[i].position);
  });

  it('iteration stays valid while erasing the current node', () => {
    const { g } = smallGraph();
    for (let i = 0; i < 5; i++) insertConstant(g, i);
    const seen: string[] = [];
    for (const n of g.nodes()) {
      seen.push(n.kind);
      if (n.kind === 'prim::Constant' && !n.hasUses()) n.destroy();
    }
    expect(seen.filter((k) => k === 'prim::Constant')).to.have.length(6);
    expect([...g.nodes()].filter((n) => n.kind === 'prim::Constant')).to.have.length(1);
    verify(g);
  });

  it('destroying a prim::If removes its blocks and their nodes from the use store', () => {
    const g = new Graph();
    const c = g.addInput(BoolType, 'c');
    const x = g.addInput(TensorTensor, 'x');
    const iff = g.insert('prim::If', [c], [TensorTensor]);
    for (const b of [iff.addBlock(), iff.addBlock()]) {
      const r = g.withInsertPoint(b, () => g.insert('aten::relu', [x], [TensorTensor]));
      b.registerOutput(r.output());
    }
    verify(g);
    expect(x.uses()).to.have.length(2);
    iff.destroy();
    expect(x.uses()).to.have.length(0);
    expect(g.vertexNodeCount).to.equal(2); // the top block's param and return
    verify(g);
  });

  it('constants round-trip their values through attribute kinds', () => {
    const g = new Graph();
    const cases: [unknown, string][] = [
      [true, 'bool'],
      [3, 'int'],
      [2n ** 63n - 1n, 'int'],
      ['s', 'str'],
      [null, 'None'],
    ];
    for (const [v, kind] of cases) {
      const out = insertConstant(g, v as never);
      expect(out.type.kind).to.equal(kind);
      expect(constantValue(out.node)).to.equal(v);
    }
    const f = insertConstant(g, 1, FloatType);
    expect(f.node.attribute('value')?.kind).to.equal('f');
  });
});

describe('ir/verify', () => {
  it('reports a use before its definition', () => {
    const { g, relu, add } = smallGraph();
    relu.moveAfter(add);
    expect(() => verify(g)).to.throw(/used before it is defined/);
  });

  it('reports a value used outside the block that defines it', () => {
    const g = new Graph();
    const c = g.addInput(BoolType, 'c');
    const iff = g.insert('prim::If', [c], []);
    const b0 = iff.addBlock();
    iff.addBlock();
    const inner = g.withInsertPoint(b0, () => insertConstant(g, 1));
    g.insert('aten::neg', [inner], [IntType]);
    expect(() => verify(g)).to.throw(/outside its block/);
  });

  it("reports block0 of a node using block1's inputs", () => {
    const g = new Graph();
    const n = g.addInput(IntType, 'n');
    const t = g.addInput(BoolType, 'c');
    const node = g.insert('prim::Fake', [n, t], []);
    const b0 = node.addBlock();
    const b1 = node.addBlock();
    const hidden = b1.addInput(IntType, 'hidden');
    g.withInsertPoint(b0, () => g.insert('aten::neg', [hidden], [IntType]));
    expect(() => verify(g)).to.throw(/used before it is defined or outside its block/);
  });

  it('reports malformed control flow and dangling nodes', () => {
    const g = new Graph();
    const c = g.addInput(BoolType, 'c');
    const iff = g.insert('prim::If', [c], [IntType]);
    iff.addBlock();
    expect(collectProblems(g)[0]).to.match(/prim::If needs 2 blocks/);
    const g2 = new Graph();
    g2.create('aten::relu');
    expect(() => verify(g2)).to.throw(/dangling/);
  });

  it('reports a custom schema check failure with the node', () => {
    const { g } = smallGraph();
    expect(() =>
      verify(g, { checkNode: (n) => (n.kind === 'aten::relu' ? 'bad input type' : undefined) }),
    ).to.throw(/bad input type[\s\S]*aten::relu/);
  });
});

describe('ir/clone', () => {
  it('cloneGraph copies structure and names and is independent', () => {
    const { g } = smallGraph();
    const c = cloneGraph(g);
    verify(c);
    expect([...c.nodes()].map((n) => n.kind)).to.deep.equal([...g.nodes()].map((n) => n.kind));
    expect(c.inputs[0].debugName).to.equal('x');
    [...c.nodes()][0].output().replaceAllUsesWith(c.inputs[0]);
    expect([...g.nodes()][0].hasUses()).to.equal(true);
  });

  it('insertGraph inlines a callee at the insert point', () => {
    const { g: callee } = smallGraph();
    const g = new Graph();
    const y = g.addInput(TensorTensor, 'y');
    const [out] = insertGraph(g, callee, [y]);
    g.registerOutput(out);
    verify(g);
    expect([...g.nodes()].map((n) => n.kind)).to.deep.equal(['aten::relu', 'prim::Constant', 'aten::add']);
  });
});

describe('ir/algorithms', () => {
  it('topologically sorts a 100k-node chain without recursion', () => {
    const d = new Dataflow({ multigraph: true });
    const n = 100_000;
    for (let i = 1; i < n; i++) d.setEdge(`v${i - 1}`, `v${i}`, undefined, 'e');
    const order = topologicalOrder(d);
    expect(order).to.have.length(n);
    expect(order[0]).to.equal('v0');
    expect(order[n - 1]).to.equal(`v${n - 1}`);
  });

  it('detects a cycle', () => {
    const d = new Dataflow({ multigraph: true });
    d.setEdge('a', 'b');
    d.setEdge('b', 'a');
    expect(isAcyclic(d)).to.equal(false);
  });

  it('handles a 100k-node IR chain: build, verify, clone', () => {
    const g = new Graph();
    let v = g.addInput(TensorTensor, 'x');
    for (let i = 0; i < 100_000; i++) v = g.insert('aten::relu', [v], [TensorTensor]).output();
    g.registerOutput(v);
    verify(g);
    expect(cloneGraph(g).vertexNodeCount).to.equal(100_002);
  });
});
