// AliasDb cases PyTorch's Graph.alias_db() cannot be asked about (frozen mode, calls, forks), its view of
// loops (unsound, followed on purpose: docs/freeze.md), and the queries passes build on.

import { expect } from 'chai';
import { AliasDb, OperatorRegistry, parseIR, type Graph, type Value } from '../../src/index.js';

const ops = new OperatorRegistry();

function analyse(
  text: string,
  frozen = false,
  loops?: 'fixpoint',
): { graph: Graph; db: AliasDb; v: (name: string) => Value } {
  const graph = parseIR(text);
  const db = new AliasDb(graph, ops, { frozen, loops });
  const values = new Map<string, Value>();
  for (const x of graph.inputs) values.set(x.debugName, x);
  for (const n of graph.allNodes()) {
    for (const b of n.blocks) for (const x of b.inputs) values.set(x.debugName, x);
    for (const x of n.outputs) values.set(x.debugName, x);
  }
  const v = (name: string): Value => {
    const found = values.get(name);
    if (!found) throw new Error(`no value %${name}`);
    return found;
  };
  return { graph, db, v };
}

describe('AliasDb', () => {
  it("loops as PyTorch 1.13: the body's carried inputs are the initial values only", () => {
    // The zeros made in the body move one slot per iteration and reach %a after five, where relu_ writes
    // them; PyTorch (and so freezing) does not see that write: only the initial %a0 is written.
    const carried = `graph(%x : Tensor, %n : int):
  %true : bool = prim::Constant[value=1]()
  %none : NoneType = prim::Constant()
  %three : int = prim::Constant[value=3]()
  %shape : int[] = prim::ListConstruct(%three)
  %a0 : Tensor = aten::mul(%x, %x)
  %ra : Tensor, %rb : Tensor, %rc : Tensor, %rd : Tensor, %re : Tensor, %rf : Tensor = prim::Loop(%n, %true, %a0, %a0, %a0, %a0, %a0, %a0)
    block0(%i : int, %a : Tensor, %b : Tensor, %c : Tensor, %d : Tensor, %e : Tensor, %f : Tensor):
      %w : Tensor = aten::relu_(%a)
      %z : Tensor = aten::zeros(%shape, %none, %none, %none, %none)
      -> (%true, %b, %c, %d, %e, %f, %z)
  return (%ra)
`;
    const { db, v } = analyse(carried);
    expect(db.hasWriters(v('a0'))).to.equal(true);
    expect(db.hasWriters(v('z'))).to.equal(false);
    expect(db.hasWriters(v('rf'))).to.equal(false);
    expect(db.mayAlias(v('a'), v('z'))).to.equal(false);
    expect(db.mayAlias(v('rf'), v('a0'))).to.equal(false);
    // loops: 'fixpoint' follows the zeros over all iterations: they reach %a and are written.
    const sound = analyse(carried, false, 'fixpoint');
    expect(sound.db.hasWriters(sound.v('z'))).to.equal(true);
    expect(sound.db.hasWriters(sound.v('rf'))).to.equal(true);
    expect(sound.db.mayAlias(sound.v('a'), sound.v('z'))).to.equal(true);
  });

  it("loops as PyTorch 1.13: a loop's results are the body's outputs only (not the initial values)", () => {
    const zeroTrip = `graph(%self : __torch__.M, %n : int):
  %true : bool = prim::Constant[value=1]()
  %one : int = prim::Constant[value=1]()
  %w : Tensor = prim::GetAttr[name="w"](%self)
  %r : Tensor = prim::Loop(%n, %true, %w)
    block0(%i : int, %cur : Tensor):
      %fresh : Tensor = aten::mul(%cur, %one)
      -> (%true, %fresh)
  %out : Tensor = aten::add_(%r, %one, %one)
  return (%out)
`;
    const { db, v } = analyse(zeroTrip, true);
    expect(db.hasWriters(v('fresh'))).to.equal(true);
    expect(db.hasWriters(v('w'))).to.equal(false);
    // loops: 'fixpoint': a loop that may not run returns %w, so the add_ on the result writes it.
    const sound = analyse(zeroTrip, true, 'fixpoint');
    expect(sound.db.hasWriters(sound.v('w'))).to.equal(true);
  });

  it('frozen: each read of a module attribute is its own location; unfrozen, attribute reads may alias', () => {
    const { db, v } = analyse(
      `graph(%self : __torch__.M, %x : Tensor):
  %one : int = prim::Constant[value=1]()
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %u : Tensor = prim::GetAttr[name="u"](%self)
  %w : Tensor = aten::add_(%t, %one, %one)
  return (%u)
`,
      true,
    );
    expect(db.hasWriters(v('t'))).to.equal(true);
    expect(db.hasWriters(v('u'))).to.equal(false);
    expect(db.mayAlias(v('t'), v('u'))).to.equal(false);
    const open = analyse(`graph(%self : __torch__.M, %x : Tensor):
  %one : int = prim::Constant[value=1]()
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %u : Tensor = prim::GetAttr[name="u"](%self)
  %w : Tensor = aten::add_(%t, %one, %one)
  return (%u)
`);
    expect(open.db.hasWriters(open.v('u'))).to.equal(true);
  });

  it('a call may write everything reachable from its arguments and returns an escaped value', () => {
    const { db, v } = analyse(`graph(%self : __torch__.M, %x : Tensor):
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::mul(%x, %x)
  %l : Tensor[] = prim::ListConstruct(%a)
  %r : Tensor = prim::CallMethod[name="f"](%self, %l)
  return (%r, %b)
`);
    expect(db.hasWriters(v('a'))).to.equal(true);
    expect(db.hasWriters(v('l'))).to.equal(true);
    expect(db.mayAliasWildcard(v('r'))).to.equal(true);
    expect(db.hasWriters(v('b'))).to.equal(false); // made here and never handed out: no call can reach it
  });

  it('fork: captured values escape; wait writes every escaped value and gives what the block returned', () => {
    const { db, v } = analyse(
      `graph(%self : __torch__.M, %x : Tensor):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = prim::GetAttr[name="a"](%self)
  %b : Tensor = prim::GetAttr[name="b"](%self)
  %c : Tensor = prim::GetAttr[name="c"](%self)
  %fut : Future[Tensor] = prim::fork(%a)
    block0():
      %y : Tensor = aten::mul(%a, %b)
      -> (%c)
  %r : Tensor = aten::wait(%fut)
  %s : Tensor = aten::add_(%r, %one, %one)
  return (%s)
`,
      true,
    );
    expect(db.hasWriters(v('a'))).to.equal(true); // captured: escaped, and wait writes what escaped
    expect(db.hasWriters(v('b'))).to.equal(false); // only read inside the fork
    expect(db.hasWriters(v('c'))).to.equal(true); // returned by the fork, written after wait
  });

  it('answers for the values it analysed after outputs are inserted or erased, and for no value made since', () => {
    const { db, v } = analyse(`graph(%x : Tensor):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::mul(%x, %x)
  %w : Tensor = aten::add_(%a, %one, %one)
  return (%w, %b)
`);
    const a = v('a');
    const locations = db.memoryLocations(a);
    expect(db.hasWriters(a)).to.equal(true);
    // %a moves to output slot 1 of its node: the AliasDb still knows it (it keys values, not slots).
    const added = a.node.insertOutput(0, a.type);
    expect(a.offset).to.equal(1);
    expect(db.hasWriters(a)).to.equal(true);
    expect(db.memoryLocations(a)).to.deep.equal(locations);
    expect(db.hasWriters(v('b'))).to.equal(false);
    // A value made after the analysis has no memory location, and so no writer and no alias.
    expect(db.hasWriters(added)).to.equal(false);
    expect(db.memoryLocations(added)).to.deep.equal([]);
    expect(db.mayAlias(added, a)).to.equal(false);
    a.node.eraseOutput(0);
    expect(db.hasWriters(a)).to.equal(true);
    expect(db.memoryLocations(a)).to.deep.equal(locations);
  });

  it('escapesScope and safeToChangeAliasingRelationship, as CSE and peephole ask them', () => {
    const { db, v } = analyse(`graph(%x : Tensor):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::mul(%x, %x)
  %c : Tensor = aten::mul(%x, %x)
  %w : Tensor = aten::add_(%c, %one, %one)
  return (%a)
`);
    expect(db.escapesScope([v('a')])).to.equal(true);
    expect(db.escapesScope([v('b')])).to.equal(false);
    expect(db.safeToChangeAliasingRelationship([v('a')], [v('b')])).to.equal(true);
    expect(db.safeToChangeAliasingRelationship([v('a')], [v('x')])).to.equal(false);
    expect(db.safeToChangeAliasingRelationship([v('b')], [v('c')])).to.equal(false);
  });
});
