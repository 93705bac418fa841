// Forms of saved code that torchvision's models use and the frontend once refused: objects built as
// `X.__new__(X)` then `__init__` (ImageList in every detection model; our own printer writes it too),
// `annotate(List[float], x.tolist())`, `isinstance(x, (list, tuple))`, and calls of torchvision's operators.

import { expect } from 'chai';
import { verify, type Graph, type Node } from '../../src/ir/index.js';
import { ClassType } from '../../src/module/index.js';
import { runFunction } from '../../src/runtime/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { compileSource } from './emit-test-helpers.js';

const SOURCE = `
class Box:
  data : Tensor
  sizes : List[int]
  def __init__(self: __torch__.Box, data: Tensor, sizes: List[int]) -> NoneType:
    self.data = data
    self.sizes = sizes
    return None
  def moved(self: __torch__.Box, k: Tensor) -> __torch__.Box:
    data = torch.add(self.data, k)
    _0 = __torch__.Box.__new__(__torch__.Box)
    _1 = (_0).__init__(data, self.sizes, )
    return _0
def make(x: Tensor) -> Tensor:
  _0 = __torch__.Box.__new__(__torch__.Box)
  _1 = (_0).__init__(x, [1, 2], )
  return (_0).moved(x, ).data
def bad_new(x: Tensor) -> __torch__.Box:
  return __torch__.Box.__new__(x)
def rows(x: Tensor) -> List[List[float]]:
  return annotate(List[List[float]], x.tolist())
def ids(x: Tensor) -> List[int]:
  return annotate(List[int], x.tolist())
def bad_tolist(x: Tensor) -> int:
  y = x.tolist()
  return 0
def is_seq(boxes: Union[Tensor, List[Tensor]]) -> bool:
  return isinstance(boxes, (list, tuple))
def is_list_static(boxes: List[Tensor]) -> bool:
  return isinstance(boxes, list)
def keep(b: Tensor, s: Tensor) -> Tensor:
  return ops.torchvision.nms(b, s, 0.5)
`;

function first(graph: Graph, kind: string): Node {
  const n = [...graph.allNodes()].find((x) => x.kind === kind);
  if (!n) throw new Error(`no ${kind} in\n${graph.toString()}`);
  return n;
}

const compiled = compileSource(SOURCE);

describe('emit: forms of torchvision saved code', () => {
  it('X.__new__(X) is prim::CreateObject followed by a call of __init__', () => {
    const graph = (compiled.type('Box') as ClassType).getMethod('moved').graph;
    verify(graph);
    const created = first(graph, 'prim::CreateObject');
    expect(created.output().type.str()).to.equal('__torch__.Box');
    const init = first(graph, 'prim::CallMethod');
    expect(init.s('name')).to.equal('__init__');
    expect(init.inputs[0]).to.equal(created.output());
  });

  it('objects built with __new__ run', () => {
    const out = runFunction(compiled.function('make'), [Tensor.fromArray('float32', [1, 2])]) as Tensor;
    expect(out.toArray()).to.deep.equal([2, 4]);
  });

  it('__new__ of something that is not a class is refused, naming what it got', () => {
    expect(() => compiled.function('bad_new').graph)
      .to.throw(/argument of __new__, got value of type Tensor/)
      .with.property('code', 'TS_COMPILE');
  });

  it('annotate(List[List[float]], x.tolist()) is prim::tolist(x, 2, float) and runs', () => {
    const fn = compiled.function('rows');
    const node = first(fn.graph, 'prim::tolist');
    expect(node.output().type.str()).to.equal('float[][]');
    const x = Tensor.fromArray('float32', [1.5, 2, 3, 4], [2, 2]);
    expect(runFunction(fn, [x])).to.deep.equal([
      [1.5, 2],
      [3, 4],
    ]);
  });

  it('tolist checks the annotation against the tensor, as PyTorch does', () => {
    const fn = compiled.function('ids');
    expect(runFunction(fn, [Tensor.fromArray('int64', [3n, -1n])])).to.deep.equal([3, -1]);
    expect(() => runFunction(fn, [Tensor.fromArray('float32', [1])])).to.throw(/element type/);
    expect(() => runFunction(fn, [Tensor.fromArray('int64', [1n], [1, 1])])).to.throw(/list dimension/);
  });

  it('tolist without an annotation is a compile error', () => {
    expect(() => compiled.function('bad_tolist').graph).to.throw(/needs a type annotation/);
  });

  it('isinstance(x, (list, tuple)) of a Union is prim::isinstance[types=[list, tuple]] checked at run time', () => {
    const fn = compiled.function('is_seq');
    const node = first(fn.graph, 'prim::isinstance');
    expect(fn.graph.toString()).to.contain('prim::isinstance[types=[list, tuple]]');
    expect(node.output().type.str()).to.equal('bool');
    expect(runFunction(fn, [[Tensor.fromArray('float32', [1])]])).to.equal(true);
    expect(runFunction(fn, [Tensor.fromArray('float32', [1])])).to.equal(false);
  });

  it('isinstance(x, list) of a list is folded to True', () => {
    const graph = compiled.function('is_list_static').graph;
    expect([...graph.allNodes()].some((n) => n.kind === 'prim::isinstance')).to.equal(false);
  });

  it('ops.torchvision.nms resolves to the torchvision::nms schema and runs', () => {
    const fn = compiled.function('keep');
    expect(first(fn.graph, 'torchvision::nms').inputs.length).to.equal(3);
    const boxes = Tensor.fromArray('float32', [0, 0, 10, 10, 1, 1, 10, 10, 20, 20, 30, 30], [3, 4]);
    const scores = Tensor.fromArray('float32', [0.9, 0.8, 0.7]);
    expect((runFunction(fn, [boxes, scores]) as Tensor).toArray()).to.deep.equal([0n, 2n]);
  });
});
