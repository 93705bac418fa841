// alias-analysis: which GetAttr outputs have writers, through views, containers, calls and control flow.

import { expect } from 'chai';
import { OperatorRegistry, parseIR, type Graph, type Node } from '../../src/index.js';
import { AliasDb, dumpAliasDb } from '../../passes/alias-analysis.js';

const ops = new OperatorRegistry();

function db(text: string): { graph: Graph; aliases: AliasDb; getAttr: (name: string) => Node } {
  const graph = parseIR(text);
  const aliases = new AliasDb(graph, ops, { frozen: true });
  const getAttr = (name: string): Node => {
    const n = graph.nodesOfKind('prim::GetAttr').find((x) => x.s('name') === name);
    if (!n) throw new Error(`no GetAttr ${name}`);
    return n;
  };
  return { graph, aliases, getAttr };
}

describe('passes/alias-analysis', () => {
  it('an in-place op on the attribute writes it; a read-only attribute has no writers', () => {
    const { aliases, getAttr } = db(`graph(%self : __torch__.M, %x : Tensor):
  %one : int = prim::Constant[value=1]()
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %u : Tensor = prim::GetAttr[name="u"](%self)
  %a : Tensor = aten::add_(%t, %one, %one)
  %b : Tensor = aten::add(%u, %x, %one)
  return (%b)
`);
    expect(aliases.hasOutputWriters(getAttr('t'))).to.equal(true);
    expect(aliases.hasOutputWriters(getAttr('u'))).to.equal(false);
  });

  it('a write through a view reaches the viewed attribute', () => {
    const { aliases, getAttr } = db(`graph(%self : __torch__.M):
  %one : int = prim::Constant[value=1]()
  %m1 : int = prim::Constant[value=-1]()
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %shape : int[] = prim::ListConstruct(%m1)
  %v : Tensor = aten::view(%t, %shape)
  %w : Tensor = aten::mul_(%v, %one)
  return (%w)
`);
    expect(aliases.hasOutputWriters(getAttr('t'))).to.equal(true);
  });

  it('appending to a list attribute writes the list', () => {
    const { aliases, getAttr } = db(`graph(%self : __torch__.M, %x : Tensor):
  %l : Tensor[] = prim::GetAttr[name="items"](%self)
  %r : Tensor[] = prim::GetAttr[name="readonly"](%self)
  %n : Tensor[] = aten::append(%l, %x)
  %k : int = aten::len(%r)
  return (%k)
`);
    expect(aliases.hasOutputWriters(getAttr('items'))).to.equal(true);
    expect(aliases.hasOutputWriters(getAttr('readonly'))).to.equal(false);
  });

  it('a tensor taken out of a constructed list and mutated writes the attribute it came from', () => {
    const { aliases, getAttr } = db(`graph(%self : __torch__.M):
  %zero : int = prim::Constant[value=0]()
  %one : int = prim::Constant[value=1]()
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %l : Tensor[] = prim::ListConstruct(%t)
  %e : Tensor = aten::__getitem__(%l, %zero)
  %w : Tensor = aten::add_(%e, %one, %one)
  return (%w)
`);
    expect(aliases.hasOutputWriters(getAttr('t'))).to.equal(true);
  });

  it('writes inside a prim::If branch count; values merged by the If alias both sides', () => {
    const { aliases, getAttr } = db(`graph(%self : __torch__.M, %c : bool):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = prim::GetAttr[name="a"](%self)
  %b : Tensor = prim::GetAttr[name="b"](%self)
  %y : Tensor = prim::If(%c)
    block0():
      -> (%a)
    block1():
      -> (%b)
  %z : Tensor = aten::relu_(%y)
  return (%z)
`);
    expect(aliases.hasOutputWriters(getAttr('a'))).to.equal(true);
    expect(aliases.hasOutputWriters(getAttr('b'))).to.equal(true);
  });

  it('an unknown call is conservative: its tensor arguments count as written', () => {
    const { aliases, getAttr } = db(`graph(%self : __torch__.M):
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %s : __torch__.Sub = prim::GetAttr[name="sub"](%self)
  %y : Tensor = prim::CallMethod[name="forward"](%s, %t)
  return (%y)
`);
    expect(aliases.hasOutputWriters(getAttr('t'))).to.equal(true);
  });

  it('dumpAliasDb prints the graph, the locations and who writes them', () => {
    const text = dumpAliasDb(
      parseIR(`graph(%self : __torch__.M):
  %one : int = prim::Constant[value=1]()
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %a : Tensor = aten::add_(%t, %one, %one)
  return (%a)
`),
      { ops, frozen: true },
    );
    expect(text).to.match(/graph\(%self/);
    expect(text).to.match(/%t : Tensor -> \{%t\} written by aten::add_ -> %a/);
    expect(text).to.match(/aten::add_ -> %a: %t/);
  });
});

describe('passes/alias-analysis (not frozen)', () => {
  it('attributes read from self may alias each other: a write through one reaches the other', () => {
    const graph = parseIR(`graph(%self : __torch__.M, %x : Tensor):
  %l : Tensor[] = prim::GetAttr[name="history"](%self)
  %n : Tensor[] = aten::append(%l, %x)
  %l2 : Tensor[] = prim::GetAttr[name="history"](%self)
  %k : int = aten::len(%l2)
  return (%k)
`);
    const aliases = new AliasDb(graph, ops);
    const second = graph.nodesOfKind('prim::GetAttr')[1];
    expect(aliases.hasOutputWriters(second)).to.equal(true);
    expect(new AliasDb(graph, ops, { frozen: true }).hasOutputWriters(second)).to.equal(false);
  });
});
