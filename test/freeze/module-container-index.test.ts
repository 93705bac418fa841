// prim::ModuleContainerIndex (a ModuleList/ModuleDict indexed by a run-time key): the loader emits it for
// an annotated subscript of a module, the interpreter runs it, and freezing refuses it with PyTorch's message wherever a preserved method reaches it (directly,
// through the methods it calls, or as a preserved submodule method) and accepts it elsewhere.

import { expect } from 'chai';
import {
  FreezeError,
  Graph,
  StringType,
  Tensor,
  TensorTensor,
  moduleBuilder,
  type ClassType,
  type ScriptModule,
} from '../../src/index.js';
import { freeze } from '../../passes/index.js';
import { MODULE_CONTAINER_INDEX_MESSAGE } from '../../passes/freeze-check.js';
import { compileSource } from '../serialization/emit-test-helpers.js';

// What torch 1.13.1 saves for `value: ModuleInterface = self.d[key]` (and `self.l[idx]`).
const SOURCE = `
class ModuleDict(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
class ModuleInterface(ModuleInterface):
  def forward(self, inp: Tensor) -> Tensor:
    pass
class M(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  d : __torch__.ModuleDict
  def forward(self: __torch__.M, x: Tensor, key: str) -> Tensor:
    d = self.d
    value : __torch__.ModuleInterface = d[key]
    return (value).forward(x, )
`;

// forward(self, x, key) of a module: a call of `method(x, key)` on submodule `sub`, or just `x`.
function forwardCalling(sub: ScriptModule | null, method: string): (cls: ClassType) => Graph {
  return (cls) => {
    const g = new Graph();
    const self = g.addInput(cls, 'self');
    const x = g.addInput(TensorTensor, 'x');
    const key = g.addInput(StringType, 'key');
    if (!sub) {
      g.registerOutput(x);
      return g;
    }
    const s = g.insert('prim::GetAttr', [self], [sub.type]);
    s.setS('name', 'sub');
    const call = g.insert('prim::CallMethod', [s.output(), x, key], [TensorTensor]);
    call.setS('name', method);
    g.registerOutput(call.output());
    return g;
  };
}

// Inner.pick(self, x, key): `self.d[key].forward(x)` as PyTorch's loader emits it.
function innerModule(): ScriptModule {
  const leaf = moduleBuilder('Leaf')
    .method(
      'forward',
      'graph(%self : __torch__.Leaf, %x : Tensor):\n  %y : Tensor = aten::neg(%x)\n  return (%y)\n',
    )
    .build();
  const dict = moduleBuilder('Box').submodule('a', leaf).build();
  return moduleBuilder('Inner')
    .submodule('d', dict)
    .method('pick', (cls) => {
      const g = new Graph();
      const self = g.addInput(cls, 'self');
      const x = g.addInput(TensorTensor, 'x');
      const key = g.addInput(StringType, 'key');
      const d = g.insert('prim::GetAttr', [self], [dict.type]);
      d.setS('name', 'd');
      const value = g.insert('prim::ModuleContainerIndex', [d.output(), key], [leaf.type]);
      const call = g.insert('prim::CallMethod', [value.output(), x], [TensorTensor]);
      call.setS('name', 'forward');
      g.registerOutput(call.output());
      return g;
    })
    .build();
}

function outer(callsPick: boolean): ScriptModule {
  const inner = innerModule();
  return moduleBuilder('Outer')
    .submodule('sub', inner)
    .method('forward', forwardCalling(callsPick ? inner : null, 'pick'))
    .build()
    .eval();
}

function freezeError(fn: () => unknown): FreezeError {
  try {
    fn();
  } catch (e) {
    const cause = e instanceof FreezeError ? e : (e as Error).cause;
    expect(cause, String(e)).to.be.instanceOf(FreezeError);
    return cause as FreezeError;
  }
  return expect.fail('freezing did not fail');
}

describe('prim::ModuleContainerIndex', () => {
  it('is what the loader emits for an annotated subscript of a module, typed by the annotation', () => {
    const m = compileSource(SOURCE).type('M') as ClassType;
    const graph = m.getMethod('forward').graph.toString();
    expect(graph).to.include(
      '%value : InterfaceType<ModuleInterface> = prim::ModuleContainerIndex(%d, %key)',
    );
    // Without the annotation PyTorch looks for __getitem__ on the class, which a module does not have.
    const unannotated = SOURCE.replace('value : __torch__.ModuleInterface = d[key]', 'value = d[key]');
    expect(() => compileSource(unannotated).type('M')).to.throw(/has no method '__getitem__'/);
  });

  const x = (): Tensor => Tensor.fromArray('float32', [1, -2], [2]);

  it('runs: the key names the submodule', () => {
    const out = outer(true).call('forward', x(), 'a') as Tensor;
    expect(out.toArray()).to.deep.equal([-1, 2]);
  });

  it("in a method forward calls: freezing fails with PyTorch's message", () => {
    const err = freezeError(() => freeze(outer(true)));
    expect(err.code).to.equal('MODULE_CONTAINER_INDEX');
    expect(err.message).to.equal(MODULE_CONTAINER_INDEX_MESSAGE);
  });

  it('in a preserved submodule method: freezing fails', () => {
    const err = freezeError(() => freeze(outer(false), { preservedAttrs: ['sub.pick'] }));
    expect(err.code).to.equal('MODULE_CONTAINER_INDEX');
  });

  it('in a method nothing preserved reaches: freezing succeeds and drops it', () => {
    const frozen = freeze(outer(false));
    expect(frozen.hasAttr('sub')).to.equal(false);
    expect((frozen.call('forward', x(), 'a') as Tensor).toArray()).to.deep.equal([1, -2]);
  });
});
