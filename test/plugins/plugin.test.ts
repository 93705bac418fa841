// The third-party-style plugin used from code: register(container), or registerPasses with the
// host binding the plugin's service (here rebinding it, to show the pass really uses what is injected).

import 'reflect-metadata';
import { expect } from 'chai';
import { injectable } from 'inversify';
import { builtinPassesModule } from '../../passes/index.js';
import {
  BufferSink,
  createContainer,
  getPassManager,
  parseIR,
  passesModule,
  registerPasses,
  runPipeline,
  TsFreezeError,
} from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import {
  FoldInvolutions,
  INVOLUTIONS,
  InvolutionTable,
  involutionsServiceModule,
  register,
} from './fold-involutions.js';
import { passes as miscPasses } from './misc-passes.js';

const NEG_NEG = `graph(%x : Tensor):
  %a : Tensor = aten::neg(%x)
  %b : Tensor = aten::neg(%a)
  %c : Tensor = aten::bitwise_not(%b)
  %d : Tensor = aten::bitwise_not(%c)
  return (%d)
`;

describeIRFile('test/plugins/fold-involutions.ir', {
  modules: [involutionsServiceModule, passesModule([FoldInvolutions])],
});

describe('plugin: fold-involutions', () => {
  const container = () =>
    createContainer({
      output: new BufferSink(),
      instrumentation: { verifyEach: true, reproducer: false },
      modules: [builtinPassesModule],
    });

  it('register(container) binds its service and its pass; the pass runs by name', () => {
    const c = container();
    register(c);
    const g = parseIR(NEG_NEG);
    const report = runPipeline(c, g, 'fixpoint(fold-involutions,dead-code-elimination)');
    expect(report.statistics['fold-involutions'].folded).to.equal(2);
    expect(g.toString()).to.equal('graph(%x : Tensor):\n  return (%x)\n');
    const instance = getPassManager(c).registry.pass('fold-involutions')!.instance;
    expect(instance).to.be.instanceOf(FoldInvolutions);
  });

  it('registerPasses with a host-provided service: the injected table decides what folds', () => {
    @injectable()
    class OnlyNeg extends InvolutionTable {
      override readonly kinds = ['aten::neg'];
    }
    const c = container();
    c.bind(INVOLUTIONS).to(OnlyNeg);
    registerPasses(c, [FoldInvolutions]);
    const g = parseIR(NEG_NEG);
    runPipeline(c, g, 'fold-involutions,dead-code-elimination');
    expect(g.nodesOfKind('aten::neg')).to.have.length(0);
    expect(g.nodesOfKind('aten::bitwise_not')).to.have.length(2);
  });

  it('without its service bound, only pipelines using the pass fail: MISSING_BINDING names the pass and the token', () => {
    const c = container();
    registerPasses(c, [FoldInvolutions]);
    const pm = getPassManager(c); // listing and other pipelines still work
    expect(pm.registry.passNames()).to.include('fold-involutions');
    runPipeline(c, parseIR(NEG_NEG), 'dead-code-elimination');
    expect(() => runPipeline(c, parseIR(NEG_NEG), 'fold-involutions'))
      .to.throw(TsFreezeError)
      .with.property('code', 'MISSING_BINDING');
    expect(() => pm.plan('fold-involutions')).to.throw(
      "pass 'fold-involutions' (FoldInvolutions) cannot be created: nothing is bound to Symbol(fold-involutions-plugin.Involutions), which it injects",
    );
  });

  it('a passes-array plugin registers through registerPasses as well', () => {
    const c = container();
    registerPasses(c, miscPasses);
    expect(getPassManager(c).registry.passNames()).to.include.members(['break-ir', 'explode']);
  });
});
