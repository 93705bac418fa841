// The callee cleanup of inline-submodules: the container idioms are skipped (no AliasDb) only where the
// AliasDb would have called every candidate container written; the cleaned body is the same either way.

import 'reflect-metadata';
import { expect } from 'chai';
import { AliasDb, defaultOperatorRegistry, parseIR, type Graph } from '../../src/index.js';
import { containerIdiomsCannotFire, preoptimize } from '../../passes/inline-preoptimize.js';
import { optimizeContainerIdioms } from '../../passes/peephole-containers.js';

const ops = defaultOperatorRegistry();

// Every candidate container: the first input of some node, made by a list or dict construct.
function candidates(graph: Graph): { written: boolean }[] {
  const db = new AliasDb(graph, ops);
  return [...graph.allNodes()]
    .map((n) => n.inputs[0])
    .filter((v) => v && (v.node.kind === 'prim::ListConstruct' || v.node.kind === 'prim::DictConstruct'))
    .map((v) => ({ written: db.hasWriters(v) }));
}

const APPENDED = `graph(%x : Tensor, %y : Tensor):
  %1 : int = prim::Constant[value=1]()
  %l : Tensor[] = prim::ListConstruct(%x)
  %w : Tensor[] = aten::append(%l, %y)
  %n : int = aten::len(%l)
  %c : Tensor = aten::cat(%l, %1)
  return (%n, %c)
`;

describe('inline-preoptimize', () => {
  it('skips the idioms when every candidate list is appended to (AliasDb agrees: all written)', () => {
    const graph = parseIR(APPENDED);
    expect(candidates(graph).every((c) => c.written)).to.equal(true);
    expect(containerIdiomsCannotFire(graph, ops)).to.equal(true);
    const reference = parseIR(APPENDED);
    expect(optimizeContainerIdioms(reference, () => new AliasDb(reference, ops))).to.deep.equal({
      lists: 0,
      dicts: 0,
    });
    preoptimize(graph, ops);
    expect(graph.toString()).to.contain('aten::len(%l)');
  });

  it('runs them when one candidate is not written: its len folds', () => {
    const graph = parseIR(`graph(%x : Tensor, %y : Tensor):
  %l : Tensor[] = prim::ListConstruct(%x)
  %w : Tensor[] = aten::append(%l, %y)
  %k : Tensor[] = prim::ListConstruct(%y, %x)
  %n : int = aten::len(%l)
  %m : int = aten::len(%k)
  return (%n, %m)
`);
    expect(containerIdiomsCannotFire(graph, ops)).to.equal(false);
    preoptimize(graph, ops);
    const text = graph.toString();
    expect(text).to.contain('aten::len(%l)');
    expect(text).not.to.contain('aten::len(%k)');
    expect(text).to.match(/int = prim::Constant\[value=2\]\(\)/);
  });

  it('leaves a write to the elements, or a conservative use, to the AliasDb (no skip)', () => {
    // `Tensor(a!)[] self` writes the tensors the list holds, not the list's own location.
    const contents = parseIR(`graph(%x : Tensor, %s : float):
  %l : Tensor[] = prim::ListConstruct(%x)
  = aten::_foreach_add_(%l, %s)
  %n : int = aten::len(%l)
  return (%n)
`);
    expect(containerIdiomsCannotFire(contents, ops)).to.equal(false);
    const call = parseIR(`graph(%x : Tensor, %f : Function):
  %l : Tensor[] = prim::ListConstruct(%x)
  %r : Tensor = prim::CallFunction(%f, %l)
  %n : int = aten::len(%l)
  return (%n, %r)
`);
    expect(containerIdiomsCannotFire(call, ops)).to.equal(false);
  });

  it('is vacuously true without candidates, and false for a dict read but never written', () => {
    expect(containerIdiomsCannotFire(parseIR('graph(%x : Tensor):\n  return (%x)\n'), ops)).to.equal(true);
    const dict = parseIR(`graph(%x : Tensor):
  %k : str = prim::Constant[value="a"]()
  %d : Dict(str, Tensor) = prim::DictConstruct(%k, %x)
  %n : int = aten::len(%d)
  return (%n)
`);
    expect(containerIdiomsCannotFire(dict, ops)).to.equal(false);
    expect(candidates(dict)).to.deep.equal([{ written: false }]);
  });
});
