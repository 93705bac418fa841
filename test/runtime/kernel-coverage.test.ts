// Finding missing kernels before and while running: what the runtime does with each overload of the table,
// the operators a model's code uses (`tsfreeze show --ops`), and run-time errors that name the op, its
// schema and the source line (with the call sites that led there).

import { expect } from 'chai';
import { OperatorRegistry } from '../../src/ops/index.js';
import {
  kernelCoverage,
  kernelStatusOf,
  ModuleHost,
  opsUsed,
  refusalOf,
  runFunction,
  runGraph,
} from '../../src/runtime/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { compileSource } from '../serialization/emit-test-helpers.js';

const registry = new OperatorRegistry();
const status = (key: string): string => kernelStatusOf(registry.requireEntry(key)).state;

const SOURCE = `
def pairs(x: Tensor) -> Dict[str, Tensor]:
  d = torch.dict([("0", x), ("1", torch.add(x, 1))])
  e = torch.dict(d)
  _0 = torch._set_item(e, "2", x)
  return d
def inner(x: Tensor) -> Tensor:
  y = torch.relu(x)
  return torch._nested_from_padded(y, x)
def outer(x: Tensor) -> Tensor:
  z = torch.neg(x)
  return __torch__.inner(z, )
`;
const compiled = compileSource(SOURCE);

describe('kernel coverage', () => {
  it('classifies overloads: tensor kernels, scalar ops, interpreter prims, refusals with a reason', () => {
    expect(status('aten::conv2d')).to.equal('kernel');
    expect(status('torchvision::roi_align')).to.equal('kernel');
    expect(status('aten::add.int')).to.equal('scalar');
    expect(status('prim::min.self_int')).to.equal('scalar');
    expect(status('prim::If')).to.equal('interpreter');
    expect(status('aten::convolution_backward')).to.equal('refused');
    expect(refusalOf('aten::convolution_backward')).to.match(/training only/);
    expect(refusalOf('aten::add.out')).to.match(/out= tensor/);
    expect(refusalOf('aten::cudnn_convolution')).to.match(/one backend/);
    expect(refusalOf('aten::quantize_per_tensor')).to.match(/quantized/);
    expect(refusalOf('aten::conv2d')).to.equal(undefined);
  });

  it('covers the whole table, every overload once', () => {
    const all = kernelCoverage(registry);
    expect(all.length).to.equal(registry.entries().length);
    const kernels = all.filter((c) => c.status.state === 'kernel').length;
    expect(kernels).to.be.greaterThan(500);
  });

  it("lists a code's operators with counts, states and the first source line", () => {
    const graphs = ['pairs', 'inner', 'outer'].map((f) => compiled.function(f).graph);
    const uses = opsUsed(graphs, registry);
    const nested = uses.find((u) => u.key === 'aten::_nested_from_padded');
    expect(nested?.status.state).to.equal('refused');
    expect(nested?.firstUse).to.match(/^code\/__torch__\.py:9:\d+$/);
    expect(uses.find((u) => u.key === 'aten::dict.str')?.status.state).to.equal('scalar');
    expect(uses.find((u) => u.key === 'prim::CallFunction')?.status.state).to.equal('interpreter');
  });
});

describe('run-time errors name the op, its schema and the source line', () => {
  it('a refused kernel: op key, reason, schema, line, and the call site', () => {
    let message = '';
    try {
      const host = new ModuleHost();
      host.addCompilationUnit(compiled.cu);
      runGraph(compiled.function('outer').graph, [Tensor.fromArray('float32', [1, 2])], host);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.contain('no kernel for aten::_nested_from_padded (not supported: nested tensors');
    expect(message).to.contain(
      'aten::_nested_from_padded(Tensor padded, Tensor cpu_nested_shape_example, bool fuse_transform_0213=False) -> Tensor',
    );
    expect(message).to.match(/in aten::_nested_from_padded at code\/__torch__\.py:9:\d+/);
    expect(message).to.match(/called from code\/__torch__\.py:12:\d+/);
  });

  it('dict(pairs) and dict(d) build and copy (aten::dict overloads)', () => {
    const out = runFunction(compiled.function('pairs'), [Tensor.fromArray('float32', [1])]) as Map<
      string,
      Tensor
    >;
    expect([...out.keys()]).to.deep.equal(['0', '1']);
    expect(out.get('1')?.toArray()).to.deep.equal([2]);
  });
});
