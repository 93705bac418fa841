// Honest invalidation: the graphs' mutation epochs catch a pass that changed the IR but reported no
// change; analyses are dropped with the analyses they read; properties can be invalidated; and
// verifyAnalysisInvalidation recomputes what a changed pass kept and names the pass that kept a stale one.

import 'reflect-metadata';
import { expect } from 'chai';
import {
  analysis,
  definePass,
  getPassManager,
  PassFailure,
  registerAnalyses,
  registerPasses,
  runPipeline,
  TsFreezeError,
  type Analysis,
  type AnalysisContext,
  type Graph,
  type ModuleTarget,
} from '../../src/index.js';
import { withinCpuBudget } from '../support/cpu-budget.js';
import { addRelu, DoubleCount, MethodNames, NodeCount, smallGraph, testContainer } from './helpers.js';
import { thrownBy } from '../support/thrown.js';

const failure = (run: () => unknown) => thrownBy(PassFailure, run);

const pipelineError = (run: () => unknown) => thrownBy(TsFreezeError, run);

const silent = definePass({
  name: 'test-silent',
  summary: 'adds a relu, reports no change',
  run(graph) {
    addRelu(graph);
    return { changed: false };
  },
});

const scratch = definePass({
  name: 'test-scratch',
  summary: 'creates a node in the graph and destroys it again',
  run(graph) {
    graph.create('aten::relu', [graph.inputs[0]]).destroy();
    return { changed: false };
  },
});

const honestNoop = definePass({
  name: 'test-says-changed',
  summary: 'changes nothing, reports a change (conservative, allowed)',
  run: () => ({ changed: true }),
});

const dropMethod = definePass({
  name: 'test-drop-method',
  summary: 'removes the last method of a plain module target, reports no change',
  target: 'module',
  run(module) {
    (module.methods as { name: string }[]).pop();
    return { changed: false };
  },
});

const keepsDouble = definePass({
  name: 'test-keeps-double',
  summary: 'adds a relu; says double-count (which reads node-count) is still valid',
  preserves: [DoubleCount],
  run(graph) {
    addRelu(graph);
    return { changed: true };
  },
});

const readDouble = definePass({
  name: 'test-read-double',
  summary: 'reads double-count',
  requires: [DoubleCount],
  run(_graph, context) {
    context.getAnalysis(DoubleCount);
    return { changed: false };
  },
});

/** A graph analysis that reads a module analysis (a dependency across targets). */
@analysis({ name: 'methods-and-nodes' })
class MethodsAndNodes implements Analysis<Graph, string> {
  compute(graph: Graph, context: AnalysisContext): string {
    return `${context.getAnalysis(MethodNames).join('+')}:${[...graph.nodes()].length}`;
  }
}

const readMethodsAndNodes = definePass({
  name: 'test-read-man',
  summary: 'reads methods-and-nodes',
  requires: [MethodsAndNodes],
  run(_graph, context) {
    context.getAnalysis(MethodsAndNodes);
    return { changed: false };
  },
});

const renameModule = definePass({
  name: 'test-module-change',
  summary: 'a module pass that changes the module; claims methods-and-nodes preserved',
  target: 'module',
  preserves: [MethodsAndNodes],
  run(module) {
    const methods = module.methods as { name: string; graph: Graph }[];
    methods.push({ name: 'extra', graph: smallGraph() });
    return { changed: true };
  },
});

const addsMethod = definePass({
  name: 'test-adds-method',
  summary: 'adds a method; claims method-names preserved (stale)',
  target: 'module',
  preserves: [MethodNames],
  run(module) {
    (module.methods as { name: string; graph: Graph }[]).push({ name: 'extra', graph: smallGraph() });
    return { changed: true };
  },
});

const breaksInlined = definePass({
  name: 'test-outline',
  summary: 'pretends to outline a call: breaks inlined',
  invalidatesProperties: ['inlined'],
  run: () => ({ changed: false }),
});

const sometimesBreaksInlined = definePass({
  name: 'test-maybe-outline',
  summary: 'breaks inlined at run time',
  run: () => ({ changed: true, invalidatedProperties: ['inlined'] }),
});

const renames = definePass({
  name: 'test-rename',
  summary: 'renames the output (node count unchanged); preserves node-count honestly',
  preserves: [NodeCount],
  run(graph) {
    graph.outputs[0].setDebugName('renamed');
    return { changed: true };
  },
});

/** A result with a lazily filled memo: structurally different after use, semantically the same. */
class Memoized {
  readonly memo = new Map<string, number>();
  constructor(readonly nodes: number) {}
  ask(key: string): number {
    if (!this.memo.has(key)) this.memo.set(key, this.nodes);
    return this.memo.get(key)!;
  }
}

@analysis({ name: 'memoized' })
class MemoizedCount implements Analysis<Graph, Memoized> {
  compute(graph: Graph): Memoized {
    return new Memoized([...graph.nodes()].length);
  }
  fingerprint(result: Memoized): unknown {
    return result.nodes;
  }
}

const useMemo = definePass({
  name: 'test-use-memo',
  summary: 'fills the memo, then renames (preserving memoized)',
  preserves: [MemoizedCount],
  run(graph, context) {
    context.getAnalysis(MemoizedCount).ask('x');
    graph.outputs[0].setDebugName('renamed');
    return { changed: true };
  },
});

function container() {
  const { container: c } = testContainer();
  registerAnalyses(c, [MethodsAndNodes, MemoizedCount]);
  registerPasses(c, [
    silent,
    scratch,
    honestNoop,
    dropMethod,
    keepsDouble,
    readDouble,
    readMethodsAndNodes,
    renameModule,
    addsMethod,
    breaksInlined,
    sometimesBreaksInlined,
    renames,
    useMemo,
  ]);
  return c;
}

function moduleOf(...names: string[]): ModuleTarget {
  return { methods: names.map((name) => ({ name, graph: smallGraph() })) };
}

describe('honest invalidation: unreported changes', () => {
  it('a pass that changed the IR but reported no change fails, naming the pass and the method', () => {
    const f = failure(() => runPipeline(container(), moduleOf('forward'), 'test-silent'));
    expect((f.cause as TsFreezeError).code).to.equal('CHANGED_NOT_REPORTED');
    expect(f.message).to.include(
      "pass 'test-silent' changed the IR of forward but reported { changed: false }",
    );
  });

  it('a module pass that removed a method and reported no change fails too', () => {
    const f = failure(() => runPipeline(container(), moduleOf('forward', 'helper'), 'test-drop-method'));
    expect(f.message).to.include("pass 'test-drop-method' changed the IR of module");
  });

  it('a node created and destroyed again in the graph counts as a change (use a scratch graph instead)', () => {
    const f = failure(() => runPipeline(container(), smallGraph(), 'test-scratch'));
    expect((f.cause as TsFreezeError).code).to.equal('CHANGED_NOT_REPORTED');
  });

  it('reporting a change that did not happen is allowed (conservative)', () => {
    expect(runPipeline(container(), smallGraph(), 'test-says-changed').changed).to.equal(true);
  });

  it("unreportedChanges: 'warn' records a warning and treats the pass as changed, preserving nothing", () => {
    const report = runPipeline(container(), smallGraph(), 'test-read,test-silent,test-read', {
      instrumentation: { unreportedChanges: 'warn' },
    });
    expect(report.warnings).to.deep.equal([
      "pass 'test-silent' changed the IR of graph but reported { changed: false }; treated as changed, no analysis preserved",
    ]);
    expect(report.executed.map((e) => e.changed)).to.deep.equal([false, true, false]);
    expect(report.changed).to.equal(true);
    expect(report.statistics['pass-manager']['unreported-changes']).to.equal(1);
    // The cached node-count was dropped: computed again, and the reader saw the relu.
    expect(report.analysisComputations['node-count']).to.equal(2);
  });

  it('a fixpoint keeps iterating after an unreported (warned) change', () => {
    const report = runPipeline(container(), smallGraph(), 'fixpoint{max=3}(test-silent)', {
      instrumentation: { unreportedChanges: 'warn' },
    });
    expect(report.executed).to.have.length(3);
    expect(report.warnings.at(-1)).to.include('reached its limit of 3 iterations');
  });
});

describe('honest invalidation: analyses dropped with what they read', () => {
  it('a preserved analysis computed from a dropped one is dropped too', () => {
    const report = runPipeline(
      container(),
      smallGraph(),
      'test-read-double,test-keeps-double,test-read-double',
    );
    // double-count read node-count; test-keeps-double preserved only double-count.
    expect(report.analysisComputations).to.deep.equal({ 'double-count': 2, 'node-count': 2 });
  });

  it('the analysis read keeps its own result when it is the one preserved', () => {
    const pm = getPassManager(container());
    const report = pm.run(smallGraph(), 'test-read-double,test-preserve,test-read-double,test-read');
    // test-preserve keeps node-count; double-count, which it does not list, is recomputed from it.
    expect(report.analysisComputations).to.deep.equal({ 'double-count': 2, 'node-count': 1 });
  });

  it('across targets: a graph analysis that read a module analysis is dropped when the module changes', () => {
    const report = runPipeline(
      container(),
      moduleOf('forward'),
      'test-read-man,test-module-change,test-read-man',
    );
    // methods-and-nodes was declared preserved, but method-names (which it read) was not.
    expect(report.analysisComputations['method-names']).to.equal(2);
    expect(report.analysisComputations['methods-and-nodes']).to.equal(3); // forward twice, then extra
  });
});

describe('honest invalidation: IR properties', () => {
  it('a declared invalidation is checked before anything runs, naming the pass that broke the property', () => {
    const e = pipelineError(() =>
      runPipeline(container(), smallGraph(), 'test-inline,test-outline,test-needs-inlined'),
    );
    expect(e.code).to.equal('MISSING_PROPERTY');
    expect(e.message).to.include(
      "pass 'test-needs-inlined' requires the IR property 'inlined', which pass 'test-outline' invalidated before it",
    );
    // Re-establishing it in between is fine.
    runPipeline(container(), smallGraph(), 'test-inline,test-outline,test-inline,test-needs-inlined');
  });

  it('inside a fixpoint, a property broken late in the body is missing for the next iteration', () => {
    const e = pipelineError(() =>
      runPipeline(container(), smallGraph(), 'test-inline,fixpoint(test-needs-inlined,test-outline)'),
    );
    expect(e.code).to.equal('MISSING_PROPERTY');
  });

  it('nested fixpoints are checked in linear time, and a break deep inside is still found', () => {
    const nest = (depth: number, body: string): string =>
      'fixpoint('.repeat(depth) + body + ')'.repeat(depth);
    // Walking each fixpoint body twice would be 2^300 walks.
    withinCpuBudget(5000, () =>
      runPipeline(container(), smallGraph(), `test-inline,${nest(300, 'test-needs-inlined')}`),
    );
    const e = pipelineError(() =>
      runPipeline(container(), smallGraph(), `test-inline,${nest(300, 'test-needs-inlined,test-outline')}`),
    );
    expect(e.message).to.include("which pass 'test-outline' invalidated before it");
  });

  it('a when{changed=...} group may not run: what follows keeps only what holds either way', () => {
    // The group's invalidation counts (it may run) ...
    const e = pipelineError(() =>
      runPipeline(
        container(),
        smallGraph(),
        'test-inline,when{changed=test-inline}(test-outline),test-needs-inlined',
      ),
    );
    expect(e.message).to.include("which pass 'test-outline' invalidated before it");
    // ... its establishment does not (it may not run).
    const e2 = pipelineError(() =>
      runPipeline(container(), smallGraph(), 'when{changed=test-read}(test-inline),test-needs-inlined'),
    );
    expect(e2.message).to.include('which neither the input nor an earlier pass establishes');
    runPipeline(container(), smallGraph(), 'test-inline,when{changed=test-inline}(test-needs-inlined)');
  });

  it('an invalidation returned at run time stops the next pass that needs the property', () => {
    const e = pipelineError(() =>
      runPipeline(container(), smallGraph(), 'test-inline,test-maybe-outline,test-needs-inlined'),
    );
    expect(e.code).to.equal('MISSING_PROPERTY');
    expect(e.message).to.include("which pass 'test-maybe-outline' invalidated before it");
    const report = runPipeline(container(), smallGraph(), 'test-inline,test-maybe-outline');
    expect(report.properties).to.deep.equal([]);
  });
});

describe('verifyAnalysisInvalidation', () => {
  const verify = { instrumentation: { verifyAnalysisInvalidation: true } } as const;

  it('names the pass that kept a stale analysis, with the cached and fresh results', () => {
    const f = failure(() => runPipeline(container(), smallGraph(), 'test-read,test-preserve', verify));
    const cause = f.cause as TsFreezeError;
    expect(cause.code).to.equal('STALE_ANALYSIS');
    expect(f.message).to.include(
      "pass 'test-preserve' changed the IR of graph but kept analysis 'node-count' cached",
    );
    expect(f.message).to.include('cached: 2');
    expect(f.message).to.include('fresh:  3');
    // Off by default: the stale count is served.
    runPipeline(container(), smallGraph(), 'test-read,test-preserve');
  });

  it('passes a pass that preserved honestly', () => {
    runPipeline(container(), smallGraph(), 'test-read,test-rename,test-read', verify);
  });

  it("compares an analysis's fingerprint when it declares one (a memo filled by use is not staleness)", () => {
    runPipeline(container(), smallGraph(), 'test-use-memo', verify);
    expect(new MemoizedCount().fingerprint(new Memoized(3))).to.equal(3);
  });

  it('checks the module analyses a module pass kept', () => {
    const f = failure(() =>
      runPipeline(container(), moduleOf('forward'), 'test-module,test-adds-method', verify),
    );
    expect(f.message).to.include(
      "pass 'test-adds-method' changed the IR of module but kept analysis 'method-names' cached",
    );
    expect(f.message).to.match(/cached: \["forward"\]/);
  });
});
