// definePass and createPassManager: passes as plain objects with a run function, typed from their
// definition; a pass manager without a container in sight; services injected by token.

import 'reflect-metadata';
import { expect } from 'chai';
import { builtinPasses } from '../../passes/index.js';
import {
  BufferSink,
  createPassManager,
  definePass,
  hasErrorCode,
  parseIR,
  serviceToken,
  type Graph,
} from '../../src/index.js';

const NEG_NEG = `graph(%x : Tensor):
  %a : Tensor = aten::neg(%x)
  %b : Tensor = aten::neg(%a)
  return (%b)
`;

/** fold-negs, written as a lambda: neg(neg(x)) => x. */
const foldNegs = definePass({
  name: 'fold-negs',
  summary: 'Fold neg(neg(x)) into x',
  options: { keep: { type: 'boolean', description: 'count but do not fold' } },
  statistics: ['folded'],
  run: (graph, context) => {
    let changed = false;
    for (const outer of graph.nodesOfKind('aten::neg')) {
      const inner = outer.inputs[0].node;
      if (inner.kind !== 'aten::neg') continue;
      context.count('folded');
      if (context.options.keep) continue;
      outer.output().replaceAllUsesWith(inner.input(0));
      changed = true;
    }
    return { changed };
  },
});

interface Limits {
  readonly maxFolds: number;
}
const LIMITS = serviceToken<Limits>('define-pass-test.Limits');

const limited = definePass({
  name: 'count-nodes',
  summary: 'Count nodes, up to an injected limit',
  statistics: ['nodes'],
  inject: { limits: LIMITS },
  run(graph: Graph, context, services) {
    context.count('nodes', Math.min(services.limits.maxFolds, [...graph.nodes()].length));
    return { changed: false };
  },
});

describe('definePass and createPassManager', () => {
  const quiet = { output: new BufferSink(), instrumentation: { verifyEach: true } };

  it('a lambda pass runs by name beside the built-ins, with its options and statistics', () => {
    const pm = createPassManager({ ...quiet, passes: [...builtinPasses, foldNegs] });
    const g = parseIR(NEG_NEG);
    const report = pm.run(g, 'fold-negs,dead-code-elimination');
    expect(report.statistics['fold-negs'].folded).to.equal(1);
    expect(g.toString()).to.equal('graph(%x : Tensor):\n  return (%x)\n');
    const kept = parseIR(NEG_NEG);
    expect(pm.run(kept, 'fold-negs{keep=true}').changed).to.equal(false);
    expect(kept.nodesOfKind('aten::neg')).to.have.length(2);
  });

  it('gets a readable class name and is listed with its declaration', () => {
    expect(foldNegs.name).to.equal('FoldNegs');
    const pm = createPassManager({ ...quiet, passes: [foldNegs] });
    expect(pm.registry.pass('fold-negs')!.declaration.summary).to.equal('Fold neg(neg(x)) into x');
  });

  it('services come from the container by token; a missing one is MISSING_BINDING naming pass and token', () => {
    const pm = createPassManager({ ...quiet, passes: [limited] });
    let error: unknown;
    try {
      pm.run(parseIR(NEG_NEG), 'count-nodes');
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'MISSING_BINDING')).to.equal(true);
    expect(String(error)).to.include("pass 'count-nodes' (CountNodes)");
    expect(String(error)).to.include('Symbol(define-pass-test.Limits)');
  });

  it('a bound service reaches run()', async () => {
    const { createContainer, registerPasses, runPipeline } = await import('../../src/index.js');
    const c = createContainer(quiet);
    c.bind(LIMITS).toConstantValue({ maxFolds: 1 });
    registerPasses(c, [limited]);
    expect(runPipeline(c, parseIR(NEG_NEG), 'count-nodes').statistics['count-nodes'].nodes).to.equal(1);
  });

  it('createPassManager registers only what it is given', () => {
    const pm = createPassManager({ ...quiet, passes: [foldNegs] });
    expect(pm.registry.passNames()).to.deep.equal(['fold-negs']);
    expect(() => pm.run(parseIR(NEG_NEG), 'dead-code-elimination')).to.throw(/unknown pass/);
  });
});
