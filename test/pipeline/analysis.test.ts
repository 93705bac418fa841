// AnalysisManager through the pass manager: lazy, cached per target, invalidated unless preserved.

import 'reflect-metadata';
import { expect } from 'chai';
import {
  analysis,
  getPassManager,
  pass,
  PassFailure,
  registerAnalyses,
  registerPasses,
  runPipeline,
  TsFreezeError,
  type Analysis,
  type AnalysisContext,
  type Graph,
  type GraphPass,
  type PassContext,
  type PassResult,
} from '../../src/index.js';
import { ReadCount, smallGraph, testContainer } from './helpers.js';
import { thrownBy } from '../support/thrown.js';

describe('analyses', () => {
  it('are computed once across passes that preserve them, and again after one that does not', () => {
    const { container } = testContainer();
    const report = runPipeline(
      container,
      smallGraph(),
      'test-read,test-preserve,test-read,test-read,test-clobber,test-read,test-read',
    );
    // test-preserve changed the IR but preserves node-count: still cached. test-clobber preserves nothing.
    expect(report.analysisComputations['node-count']).to.equal(2);
  });

  it('a pass that changes nothing invalidates nothing, whatever it declares', () => {
    const { container } = testContainer();
    const report = runPipeline(container, smallGraph(), 'test-read,test-methods,test-read');
    expect(report.analysisComputations['node-count']).to.equal(1);
  });

  it('are lazy: nothing is computed unless a pass asks', () => {
    const { container } = testContainer();
    const report = runPipeline(container, smallGraph(), 'test-clobber,test-preserve');
    expect(report.analysisComputations).to.deep.equal({});
  });

  it('are cached per graph: each method graph of a module gets its own result', () => {
    const { container } = testContainer();
    const module = {
      methods: [
        { name: 'forward', graph: smallGraph() },
        { name: 'helper', graph: smallGraph() },
      ],
    };
    const report = runPipeline(container, module, 'test-read,test-read');
    expect(report.analysisComputations['node-count']).to.equal(2);
  });

  it('serve the cached value, and the fresh one after invalidation', () => {
    const { container } = testContainer();
    const pm = getPassManager(container);
    const reader = pm.registry.pass('test-read')!.instance as ReadCount;
    pm.run(smallGraph(), 'test-read,test-preserve,test-read,test-clobber,test-read');
    // 2 nodes; test-preserve's relu is hidden by the (declared) preserved count; after test-clobber: 4.
    expect(reader.seen).to.deep.equal([2, 2, 4]);
  });

  it('a module pass gets module analyses; a changed method graph invalidates them', () => {
    const { container } = testContainer();
    const module = { methods: [{ name: 'forward', graph: smallGraph() }] };
    const report = runPipeline(container, module, 'test-module,test-module,test-clobber,test-module');
    expect(report.analysisComputations['method-names']).to.equal(2);
  });

  it('may depend on other analyses (computed through the same cache), by class or by name', () => {
    const { container } = testContainer();
    @pass({
      name: 'test-ask',
      summary: 'asks for analyses by name',
      options: { name: { type: 'string', description: 'analysis' } },
    })
    class Ask implements GraphPass<{ name: string }> {
      run(graph: Graph, context: PassContext<{ name: string }>): PassResult {
        context.getAnalysis(context.options.name);
        return { changed: false };
      }
    }
    registerPasses(container, [Ask]);
    // double-count (registered because test-clobber requires it) asks for node-count.
    const report = runPipeline(container, smallGraph(), 'test-ask{name=double-count},test-read');
    expect(report.analysisComputations).to.deep.equal({ 'double-count': 1, 'node-count': 1 });
    const e = error(() => runPipeline(container, smallGraph(), 'test-ask{name=node-cuont}'));
    expect(e).to.be.instanceOf(PassFailure);
    const cause = e.cause as TsFreezeError;
    expect(cause.code).to.equal('UNKNOWN_ANALYSIS');
    expect(cause.message).to.include("pass 'test-ask' asks for analysis 'node-cuont'");
    expect(cause.message).to.include("did you mean 'node-count'");
    expect(cause.message).to.include('known analyses: double-count, method-names, node-count');
    // A graph pass on a single graph asking for a module analysis.
    expect(
      (
        error(() => runPipeline(container, smallGraph(), 'test-ask{name=method-names}'))
          .cause as TsFreezeError
      ).code,
    ).to.equal('WRONG_TARGET');
  });

  it('may be requested by a declared token instead of the class', () => {
    const { container } = testContainer();
    const TOKEN = Symbol.for('test.TokenCount');
    @analysis({ name: 'token-count', token: TOKEN })
    class TokenCount implements Analysis<Graph, number> {
      compute(graph: Graph): number {
        return [...graph.nodes()].length;
      }
    }
    let seen: unknown;
    @pass({ name: 'test-token', summary: 'asks by token', requires: [TokenCount] })
    class AskToken implements GraphPass {
      run(_g: Graph, context: PassContext): PassResult {
        seen = context.getAnalysis(TOKEN);
        return { changed: false };
      }
    }
    registerPasses(container, [AskToken]);
    runPipeline(container, smallGraph(), 'test-token');
    expect(seen).to.equal(2);
  });

  it('two analysis classes with one name are rejected, naming both', () => {
    const { container } = testContainer();
    @analysis({ name: 'node-count' })
    class Impostor implements Analysis<Graph, number> {
      compute(): number {
        return 0;
      }
    }
    expect(() => registerAnalyses(container, [Impostor])).to.throw(
      TsFreezeError,
      'declared by both NodeCount and Impostor',
    );
  });

  it('cyclic analyses are reported, not overflowed', () => {
    const { container } = testContainer();
    @analysis({ name: 'chicken' })
    class Chicken implements Analysis<Graph, number> {
      compute(g: Graph, c: AnalysisContext): number {
        return c.getAnalysis('egg', g) as number;
      }
    }
    @analysis({ name: 'egg' })
    class Egg implements Analysis<Graph, number> {
      compute(g: Graph, c: AnalysisContext): number {
        return c.getAnalysis(Chicken, g);
      }
    }
    @pass({ name: 'test-cycle', summary: 'asks for chicken', requires: [Chicken, Egg] })
    class AskCycle implements GraphPass {
      run(_g: Graph, context: PassContext): PassResult {
        context.getAnalysis(Chicken);
        return { changed: false };
      }
    }
    registerPasses(container, [AskCycle]);
    const cause = error(() => runPipeline(container, smallGraph(), 'test-cycle')).cause as TsFreezeError;
    expect(cause.code).to.equal('ANALYSIS_CYCLE');
    expect(cause.message).to.include('chicken -> egg -> chicken');
  });

  it('a pass requiring an analysis that is not registered is rejected before running', () => {
    const { container } = testContainer();
    @pass({ name: 'test-needs-ghost', summary: 'requires a missing analysis', requires: ['ghost'] })
    class NeedsGhost implements GraphPass {
      run(): PassResult {
        return { changed: false };
      }
    }
    registerPasses(container, [NeedsGhost]);
    const e = error(() => runPipeline(container, smallGraph(), 'test-needs-ghost'));
    expect(e.code).to.equal('UNKNOWN_ANALYSIS');
    expect(e.message).to.include("pass 'test-needs-ghost' asks for analysis 'ghost'");
  });
});

function error(fn: () => unknown): TsFreezeError {
  return thrownBy(TsFreezeError, fn);
}
