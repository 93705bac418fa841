// The numerics check: a deliberately wrong plugin pass is named as the first pass breaking the outputs;
// the built-in freeze pipeline keeps every fixture's outputs within tolerance of a float64 run.

import 'reflect-metadata';
import { expect } from 'chai';
import { createFreezeContainer, freezeWithReport } from '../../passes/index.js';
import {
  BufferSink,
  loadModule,
  parseIR,
  registerPasses,
  runPipeline,
  Tensor,
  type IValue,
} from '../../src/index.js';
import { decodeValue, listFixtureCases } from '../support/fixture-case.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { testContainer } from '../passes/numeric.js';
import { FoldMulTwo } from '../plugins/wrong-fold-mul-two.js';
import { scaledModule } from '../support/scaled-module.js';

describe('check-numerics', function () {
  this.timeout(300_000);

  it('names a wrong plugin pass as the first pass breaking the outputs (synthesized inputs, said so)', () => {
    const output = new BufferSink();
    const container = createFreezeContainer({ output });
    registerPasses(container, [FoldMulTwo]);
    const { report } = freezeWithReport(scaledModule(), {
      container,
      pipeline: 'freeze,fold-mul-two,dead-code-elimination',
      instrumentation: { checkNumerics: true },
    });
    const n = report.numerics!;
    expect(n.inputs.synthesized).to.equal(true);
    expect(n.inputs.descriptions).to.deep.equal([
      "%x: float32[2, 3] random, shape from aten::linear's weight [4, 3]",
    ]);
    expect(n.reference).to.equal('float64');
    expect(n.firstFailure).to.include({ pass: 'fold-mul-two', label: 'forward', output: 'output' });
    const before = n.passes.filter((p) => p.number < n.firstFailure!.number);
    expect(before.length).to.be.greaterThan(1);
    expect(before.every((p) => !p.exceeded)).to.equal(true);
    expect(output.text).to.match(/first pass breaking the outputs: fold-mul-two \(#\d+ on forward\)/);
    expect(output.text).to.include('synthesized inputs');
  });

  it('judges bare graphs too, on given inputs, and says a graph taking a module cannot run', () => {
    const graph = (): ReturnType<typeof parseIR> =>
      parseIR(`graph(%x : Tensor):
  %two : int = prim::Constant[value=2]()
  %y : Tensor = aten::mul(%x, %two)
  %d : Tensor = aten::relu(%x)
  return (%y)
`);
    const c = testContainer();
    registerPasses(c, [FoldMulTwo]);
    const x: IValue = Tensor.fromArray('float32', [1, -2, 3], [3]);
    const ok = runPipeline(c, graph(), 'dead-code-elimination', {
      instrumentation: { checkNumerics: { inputs: [x] } },
    });
    expect(ok.numerics!.inputs).to.deep.equal({ synthesized: false, descriptions: ['input 0: float32[3]'] });
    expect(ok.numerics!.passes).to.have.length(1);
    expect(ok.numerics!.firstFailure).to.equal(undefined);
    const bad = runPipeline(c, graph(), 'fold-mul-two', {
      instrumentation: { checkNumerics: { inputs: [x] } },
    });
    expect(bad.numerics!.firstFailure).to.include({ pass: 'fold-mul-two', maxAbs: 3 });
    const withSelf = parseIR(`graph(%self : __torch__.M, %x : Tensor):
  return (%x)
`);
    expect(() =>
      runPipeline(c, withSelf, 'dead-code-elimination', { instrumentation: { checkNumerics: true } }),
    ).to.throw(/takes a module \(%self\)/);
  });

  it('synthesizes image inputs from the first convolution, following calls into submodules', () => {
    const module = loadModule(`${REPO_ROOT}examples/resnet18_w8.pt`);
    const { report } = freezeWithReport(module, {
      instrumentation: { checkNumerics: true },
      container: createFreezeContainer({ output: new BufferSink() }),
    });
    const n = report.numerics!;
    expect(n.inputs.descriptions).to.deep.equal([
      "%x: float32[1, 3, 64, 64] random, shape from aten::conv2d's weight [8, 3, 7, 7]",
    ]);
    expect(n.firstFailure).to.equal(undefined);
    expect(n.passes.map((p) => p.pass)).to.include('fold-conv-bn');
    // Folding conv-bn changes rounding: the drift is visible but far inside the tolerance.
    const fold = n.passes.find((p) => p.pass === 'fold-conv-bn')!;
    expect(fold.outputs[0].drift).to.be.greaterThan(0);
    expect(fold.outputs[0].maxAbs).to.be.lessThan(n.outputs[0].tolerance);
  });

  describe('the built-in freeze pipeline keeps every fixture within tolerance (fixture inputs)', () => {
    // alias_audit_list_attr_of_tensors writes an element of a List[Tensor] attribute that freezing folds
    // into a constant (as PyTorch does): every run of the frozen graph writes that constant again, so runs
    // after freeze-attributes drift by design (the instrument copies attributes, not graph constants).
    // alias_loop_carried: with PyTorch's view of loops, constant propagation folds the zeros the body makes
    // while the next iteration's add_ still writes them; dead-code elimination drops that write later (as in
    // PyTorch, whose pipeline passes through the same state), so the passes in between drift by design.
    const WRITES_A_FOLDED_CONSTANT = new Set(['alias_audit_list_attr_of_tensors', 'alias_loop_carried']);
    const cases = listFixtureCases().filter(
      (c) =>
        c.modulePath &&
        c.frozenPath &&
        c.calls.some((k) => k.output !== undefined) &&
        !WRITES_A_FOLDED_CONSTANT.has(c.name),
    );
    for (const fixture of cases) {
      it(fixture.name, () => {
        const call = fixture.calls.find((k) => k.output !== undefined)!;
        const inputs = call.inputs.map((enc) => decodeValue(fixture.dir, enc));
        const { report } = freezeWithReport(loadModule(fixture.modulePath!), {
          preservedAttrs: fixture.freezeSettings.preservedAttrs ?? [],
          optimizeNumerics: fixture.freezeSettings.optimizeNumerics,
          instrumentation: { checkNumerics: { inputs, method: call.method } },
          container: createFreezeContainer({ output: new BufferSink() }),
        });
        const n = report.numerics!;
        expect(n.firstFailure, JSON.stringify(n.firstFailure)).to.equal(undefined);
        expect(n.passes.length).to.be.greaterThan(0);
      });
    }
  });
});
