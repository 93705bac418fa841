// The load-time dead code elimination (emitter cleanup): marking stops after a round that left no in-place
// write unmarked, and goes on when a write was passed before what it writes turned live.

import { expect } from 'chai';
import { defaultOperatorRegistry, emitter, parseIR } from '../../src/index.js';

const ops = defaultOperatorRegistry();
const kinds = (text: string): string[] => {
  const graph = parseIR(text);
  emitter.eliminateDeadCode(graph, ops);
  return [...graph.allNodes()].map((n) => n.kind);
};

describe('emitter cleanup: eliminateDeadCode', () => {
  it('keeps a write after a live read of the list (marked in a second round)', () => {
    // Reverse walk: append is passed before len makes %l live; only the next round marks it.
    expect(
      kinds(`graph(%x : Tensor, %y : Tensor):
  %l : Tensor[] = prim::ListConstruct(%x)
  %n : int = aten::len(%l)
  %w : Tensor[] = aten::append(%l, %y)
  return (%n)
`),
    ).to.deep.equal(['prim::ListConstruct', 'aten::len', 'aten::append']);
  });

  it('keeps a write to a list returned through an If, and drops one to a list nobody reads', () => {
    expect(
      kinds(`graph(%x : Tensor, %c : bool):
  %l : Tensor[] = prim::ListConstruct(%x)
  %w : Tensor[] = aten::append(%l, %x)
  %r : Tensor[] = prim::If(%c)
    block0():
      -> (%l)
    block1():
      -> (%l)
  %k : Tensor[] = prim::ListConstruct(%x)
  %v : Tensor[] = aten::append(%k, %x)
  return (%r)
`),
    ).to.deep.equal(['prim::ListConstruct', 'aten::append', 'prim::If']);
  });

  it('drops the dead arithmetic after a write marked in the first round', () => {
    expect(
      kinds(`graph(%x : Tensor, %y : Tensor):
  %l : Tensor[] = prim::ListConstruct(%x)
  %w : Tensor[] = aten::append(%l, %y)
  %n : int = aten::len(%l)
  %d : int = aten::mul(%n, %n)
  return (%n)
`),
    ).to.deep.equal(['prim::ListConstruct', 'aten::append', 'aten::len']);
  });
});
