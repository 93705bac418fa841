// fork(): the loader reads torch's `def __forked_function(): ...` + `fork(__forked_function)` into a
// prim::fork whose block is the function's body (inputs: the captured values; output: a Future),
// the interpreter runs it at the fork and aten::wait returns its value, and freezing folds inside the
// block while an attribute the forked code hands out and the caller mutates stays an attribute.

import { expect } from 'chai';
import { Tensor, moduleBuilder, type ClassType, type ScriptModule } from '../../src/index.js';
import { freeze } from '../../passes/index.js';
import { compileSource } from '../serialization/emit-test-helpers.js';

// As torch 1.13.1 saves `fut = torch.jit.fork(self.sub, x); y = torch.jit.wait(fut)`.
const SOURCE = `
class Sub(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.Sub, x: Tensor) -> Tensor:
    return torch.neg(x)
class M(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  sub : __torch__.Sub
  def forward(self: __torch__.M, x: Tensor) -> Tensor:
    sub = self.sub
    def __forked_function():
      y = torch.mul(x, 2)
      return (sub).forward(y, )
    fut = fork(__forked_function)
    return torch.wait(fut)
`;

function compileError(source: string): { code: string; message: string } {
  try {
    compileSource(source).type('M');
  } catch (e) {
    return e as { code: string; message: string };
  }
  return expect.fail('compiled');
}

// forward returns the buffer a forked block reads, after adding x to it in place when `mutate`.
function bufferModule(mutate: boolean): ScriptModule {
  const use = mutate ? '%z : Tensor = aten::add_(%y, %x, %one)' : '%z : Tensor = aten::add(%y, %x, %one)';
  return moduleBuilder('M')
    .buffer('buf', Tensor.fromArray('float32', [1, 1], [2]))
    .method(
      'forward',
      `graph(%self : __torch__.M, %x : Tensor):
  %one : int = prim::Constant[value=1]()
  %fut : Future[Tensor] = prim::fork(%self)
    block0():
      %b : Tensor = prim::GetAttr[name="buf"](%self)
      -> (%b)
  %y : Tensor = aten::wait(%fut)
  ${use}
  return (%z)
`,
    )
    .build()
    .eval();
}

describe('fork', () => {
  it('loads as prim::fork: the captured values are its inputs, the body its block, a Future its output', () => {
    const graph = (compileSource(SOURCE).type('M') as ClassType).getMethod('forward').graph.toString();
    // Inputs in the order the body first reads them.
    expect(graph).to.include('%fut : Future[Tensor] = prim::fork(%x, %sub)');
    expect(graph).to.match(
      /block0\(\):\n\s+%y : Tensor = aten::mul\(%x, %\d+\)( # \S+)?\n\s+%\d+ : Tensor = prim::CallMethod\[name="forward"\]\(%sub, %y\)/,
    );
    expect(graph).to.include('aten::wait(%fut)');
  });

  it('refuses the closures torch never writes for fork, saying so', () => {
    const early = SOURCE.replace(
      '      y = torch.mul(x, 2)\n',
      '      if bool(x):\n        return x\n      y = x\n',
    );
    const err = compileError(early);
    expect(err.code).to.equal('TS_UNSUPPORTED');
    expect(err.message).to.include('only return is not its last statement');
    const args = SOURCE.replace('def __forked_function():', 'def __forked_function(z: Tensor):');
    expect(compileError(args).message).to.include('closure');
  });

  it('runs the forked block, and wait gives its value', () => {
    const m = bufferModule(false);
    const out = m.call('forward', Tensor.fromArray('float32', [1, 2], [2])) as Tensor;
    expect(out.toArray()).to.deep.equal([2, 3]);
  });

  it('freezing folds an attribute the forked block only reads', () => {
    const frozen = freeze(bufferModule(false));
    expect(frozen.hasAttr('buf')).to.equal(false);
    expect(
      (frozen.call('forward', Tensor.fromArray('float32', [1, 2], [2])) as Tensor).toArray(),
    ).to.deep.equal([2, 3]);
  });

  it('freezing keeps an attribute the forked block returns and the caller mutates after wait', () => {
    const frozen = freeze(bufferModule(true));
    expect(frozen.hasAttr('buf')).to.equal(true);
    const x = (): Tensor => Tensor.fromArray('float32', [1, 2], [2]);
    expect((frozen.call('forward', x()) as Tensor).toArray()).to.deep.equal([2, 3]);
    expect((frozen.call('forward', x()) as Tensor).toArray()).to.deep.equal([3, 5]);
    expect((frozen.getAttr('buf') as Tensor).toArray()).to.deep.equal([3, 5]);
  });
});
