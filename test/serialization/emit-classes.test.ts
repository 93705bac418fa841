// Classes in archive code: attribute reads and writes (prim::GetAttr / prim::SetAttr), calls of methods
// of self and of submodules (prim::CallMethod, not inlined), Final constants folded in, free functions
// (prim::CallFunction), named tuples, and interfaces.

import { expect } from 'chai';
import { verify, type Graph, type Node } from '../../src/ir/index.js';
import { ClassType, InterfaceDecl } from '../../src/module/index.js';
import { compileSource } from './emit-test-helpers.js';

const SOURCE = `
class Point(NamedTuple):
  x : Tensor
  y : int
class Sub(Module):
  __parameters__ = ["weight", ]
  __buffers__ = ["running", ]
  weight : Tensor
  running : Tensor
  training : bool
  def forward(self: __torch__.Sub, x: Tensor) -> Tensor:
    return torch.mul(x, self.weight)
class Iface(ModuleInterface):
  def forward(self, x: Tensor) -> Tensor:
    pass
def helper(x: Tensor, k: int=2) -> Tensor:
  return torch.mul(x, k)
class M(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  count : int
  sub : __torch__.Sub
  other : __torch__.Iface
  k : Final[int] = 3
  def forward(self: __torch__.M, x: Tensor) -> Tuple[Tensor, int]:
    count = self.count
    self.count = torch.add(count, 1)
    y = (self.sub).forward(x, )
    z = (self.other).forward(y, )
    p = __torch__.Point(z, self.k)
    return (self).scale(p.x, ), p.y
  def scale(self: __torch__.M, x: Tensor) -> Tensor:
    return __torch__.helper(x, )
`;

function kinds(graph: Graph): string[] {
  return [...graph.allNodes()].map((n) => n.kind).filter((k) => k !== 'prim::Constant');
}

function first(graph: Graph, kind: string): Node {
  const n = [...graph.allNodes()].find((x) => x.kind === kind);
  if (!n) throw new Error(`no ${kind} in\n${graph.toString()}`);
  return n;
}

describe('emit: classes, methods and attributes', () => {
  const compiled = compileSource(SOURCE);
  const m = compiled.type('M') as ClassType;

  it('defines the class with its attribute kinds and constants', () => {
    expect(m).to.be.instanceOf(ClassType);
    expect(m.isModule).to.equal(true);
    const sub = compiled.type('Sub') as ClassType;
    expect(sub.attributes.map((a) => [a.name, a.kind])).to.deep.equal([
      ['weight', 'parameter'],
      ['running', 'buffer'],
      ['training', 'attribute'],
    ]);
    expect(m.getAttribute('sub').kind).to.equal('module');
    expect(m.getAttribute('other').kind).to.equal('module');
    expect(m.getAttribute('other').type).to.be.instanceOf(InterfaceDecl);
    expect(m.getConstant('k')).to.equal(3);
  });

  it('compiles forward with GetAttr, SetAttr, CallMethod and a named tuple, nothing inlined', () => {
    const graph = m.getMethod('forward').graph;
    verify(graph);
    expect(kinds(graph)).to.deep.equal([
      'prim::GetAttr',
      'aten::add',
      'prim::SetAttr',
      'prim::GetAttr',
      'prim::CallMethod',
      'prim::GetAttr',
      'prim::CallMethod',
      'prim::CallMethod',
      'prim::TupleConstruct',
    ]);
    expect(first(graph, 'prim::SetAttr').s('name')).to.equal('count');
    const calls = graph.nodesOfKind('prim::CallMethod');
    expect(calls.map((c) => c.s('name'))).to.deep.equal(['forward', 'forward', 'scale']);
    expect(calls[1].input(0).type.str()).to.equal('InterfaceType<Iface>');
    expect(calls[2].input(0)).to.equal(graph.inputs[0]);
    // The named tuple is built and read back directly: `p.x` is the constructor's input.
    expect(calls[2].input(1)).to.equal(calls[1].output());
    expect(graph.outputs[0].type.str()).to.equal('(Tensor, int)');
  });

  it('folds Final constants into the graph', () => {
    const graph = m.getMethod('forward').graph;
    const tuple = first(graph, 'prim::TupleConstruct');
    expect(tuple.input(1).node.kind).to.equal('prim::Constant');
    expect(tuple.input(1).node.i('value')).to.equal(3);
  });

  it('calls free functions through a Function constant, defaults filled in', () => {
    const graph = m.getMethod('scale').graph;
    const call = first(graph, 'prim::CallFunction');
    expect(call.input(0).node.s('name')).to.equal('__torch__.helper');
    expect(call.inputs).to.have.lengthOf(3);
    expect(call.input(2).node.i('value')).to.equal(2);
    const fn = compiled.cu.findFunction('__torch__.helper');
    expect(fn?.graph.nodesOfKind('aten::mul')).to.have.lengthOf(1);
  });

  it("keeps each method's source text", () => {
    expect(m.getMethod('scale').sourceCode).to.include('return __torch__.helper(x, )');
  });
});
