// currentAliasDb hands out its last AliasDb again only for the same graph, unchanged, and the same
// registry at the same version; lazyWriters answers hasWriters from uses and builds the AliasDb only when
// they leave a question open.

import { expect } from 'chai';
import { OperatorRegistry, parseIR } from '../../src/index.js';
import { AliasDb, currentAliasDb, lazyWriters } from '../../passes/alias-analysis.js';

const MYSTERY = `
graph(%x : Tensor):
  %y : Tensor = aten::mul(%x, %x)
  %z : Tensor = mylib::mystery(%y)
  return (%z)`;

describe('passes/alias-analysis currentAliasDb', () => {
  it('reuses the AliasDb of an unchanged graph, and rebuilds after an edit', () => {
    const ops = new OperatorRegistry();
    const graph = parseIR(MYSTERY);
    const first = currentAliasDb(graph, ops);
    expect(currentAliasDb(graph, ops)).to.equal(first);
    graph.setInsertPoint(graph.block.returnNode);
    graph.insert('aten::neg', [graph.inputs[0]]);
    expect(currentAliasDb(graph, ops)).to.not.equal(first);
  });

  it('rebuilds when an operator was registered since: the unknown op wrote its input, the known one does not', () => {
    const ops = new OperatorRegistry();
    const graph = parseIR(MYSTERY);
    const y = graph.block.nodes().next().value!.output();
    const before = currentAliasDb(graph, ops);
    expect(before.hasWriters(y)).to.equal(true); // an unknown op is conservative
    ops.register('mylib::mystery(Tensor x) -> Tensor');
    const after = currentAliasDb(graph, ops);
    expect(after).to.not.equal(before);
    expect(after.hasWriters(y)).to.equal(false);
  });
});

describe('passes/alias-analysis lazyWriters', () => {
  const ops = new OperatorRegistry();

  it('answers from uses without building the AliasDb, and agrees with it', () => {
    const graph = parseIR(`
graph(%x : Tensor):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::relu(%a)
  %c : Tensor = aten::mul(%x, %x)
  %d : Tensor = aten::add_(%c, %b, %one)
  return (%d)`);
    let builds = 0;
    const writers = lazyWriters(graph, ops, () => (builds++, new AliasDb(graph, ops)));
    const [, a, b, c] = [...graph.block.nodes()].map((n) => n.output());
    expect([a, b, c].map((v) => writers.hasWriters(v))).to.deep.equal([false, false, true]);
    expect(builds).to.equal(0);
    expect(writers.built).to.equal(false);
    const db = new AliasDb(graph, ops);
    expect([a, b, c].map((v) => db.hasWriters(v))).to.deep.equal([false, false, true]);
  });

  it('builds the AliasDb for the first question the uses leave open, and then asks it only', () => {
    const graph = parseIR(MYSTERY);
    let builds = 0;
    const writers = lazyWriters(graph, ops, () => (builds++, new AliasDb(graph, ops)));
    const y = graph.block.nodes().next().value!.output();
    expect(writers.hasWriters(y)).to.equal(true); // passed to an unknown op: only the AliasDb tells
    expect(builds).to.equal(1);
    expect(writers.built).to.equal(true);
    const a = parseIR('graph(%x : Tensor):\n  %a : Tensor = aten::relu(%x)\n  return (%a)')
      .block.nodes()
      .next().value!;
    expect(writers.hasWriters(a.output())).to.equal(false); // the AliasDb's answer: made after it
    expect(builds).to.equal(1);
  });

  it('surelyLocal: fresh values whose aliases are no graph output; not an output, a view of one, or an input', () => {
    const graph = parseIR(`
graph(%x : Tensor):
  %zero : int = prim::Constant[value=0]()
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::relu(%a)
  %v : Tensor = aten::unsqueeze(%b, %zero)
  %n : int = aten::dim(%a)
  return (%v)`);
    const writers = lazyWriters(graph, ops, () => {
      throw new Error('no AliasDb needed');
    });
    const [, a, b, v, n] = [...graph.block.nodes()].map((x) => x.output());
    expect(writers.surelyLocal([a, n])).to.equal(true);
    expect(writers.surelyLocal([b])).to.equal(false); // its view is the output
    expect(writers.surelyLocal([v])).to.equal(false);
    expect(writers.surelyLocal([graph.inputs[0]])).to.equal(false);
    const db = new AliasDb(graph, ops);
    expect(db.mayContainAlias([a, n], graph.outputs)).to.equal(false);
    expect(db.escapesScope([a, n])).to.equal(false);
    expect(db.mayContainAlias([b], graph.outputs)).to.equal(true);
  });
});
