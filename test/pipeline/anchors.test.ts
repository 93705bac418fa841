// Anchored pipelines: `methods(forward,helper: ...)` and `submodules(layer1.0: ...)` run their body on
// chosen parts of a module (MLIR's nested pass managers), in both forms, checked before anything runs.

import 'reflect-metadata';
import { join } from 'node:path';
import { expect } from 'chai';
import { createFreezeContainer } from '../../passes/index.js';
import {
  definePass,
  expandedPipelineText,
  getPassManager,
  loadModule,
  parsePipelineJson,
  parsePipelineText,
  pipelinesEqual,
  printPipelineJson,
  printPipelineText,
  registerPasses,
  registerPipelines,
  runPipeline,
  TsFreezeError,
  type Graph,
  type ModuleTarget,
  type ScriptModule,
} from '../../src/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { addRelu, MethodNames, smallGraph, testContainer } from './helpers.js';
import { thrownBy } from '../support/thrown.js';

const thrown = (run: () => unknown) => thrownBy(TsFreezeError, run);

const grow = definePass({
  name: 'test-grow',
  summary: 'adds a relu to each graph it runs on',
  run(graph) {
    addRelu(graph);
    return { changed: true };
  },
});

/** Changes a method graph a bounded number of times (so a fixpoint inside an anchor ends). */
const growTwice = definePass({
  name: 'test-grow-twice',
  summary: 'adds a relu while the graph has fewer than 4 nodes',
  run(graph) {
    if ([...graph.nodes()].length >= 4) return { changed: false };
    addRelu(graph);
    return { changed: true };
  },
});

const readModule = definePass({
  name: 'test-read-module',
  summary: 'reads the module analysis method-names from a graph pass',
  requires: [MethodNames],
  run(_graph, context) {
    context.getAnalysis(MethodNames, context.module);
    return { changed: false };
  },
});

function container() {
  const { container: c } = testContainer();
  registerPasses(c, [grow, growTwice, readModule]);
  return c;
}

function moduleOf(...names: string[]): ModuleTarget & { methods: { name: string; graph: Graph }[] } {
  return { methods: names.map((name) => ({ name, graph: smallGraph() })) };
}

const nodes = (g: Graph): number => [...g.nodes()].length;

describe('anchored pipelines: the two forms', () => {
  const cases: [string, string, unknown][] = [
    [
      'methods(forward,helper: cse,dce)',
      'methods(forward,helper:cse,dce)',
      { methods: ['forward', 'helper'], passes: ['cse', 'dce'] },
    ],
    [
      'submodules( layer1.0 , 0 : fixpoint(a), methods(forward: b{k=1}) )',
      'submodules(layer1.0,0:fixpoint(a),methods(forward:b{k=1}))',
      {
        submodules: ['layer1.0', '0'],
        passes: [
          { fixpoint: {}, passes: ['a'] },
          { methods: ['forward'], passes: [{ pass: 'b', options: { k: 1 } }] },
        ],
      },
    ],
    ['methods(forward:)', 'methods(forward:)', { methods: ['forward'], passes: [] }],
  ];
  for (const [text, canonical, json] of cases) {
    it(`${text} prints as ${canonical} and equals its JSON form`, () => {
      const parsed = parsePipelineText(text);
      expect(printPipelineText(parsed)).to.equal(canonical);
      const fromJson = parsePipelineJson({ passes: [json] }).pipeline;
      expect(pipelinesEqual(parsed, fromJson)).to.equal(true);
      expect(JSON.parse(printPipelineJson(parsed)).passes[0]).to.deep.equal(json);
    });
  }

  const textErrors: [string, string][] = [
    ['methods(forward cse)', "column 17: expected ',' or ':' after a method name, found 'c'"],
    ['methods(: cse)', "column 9: expected a method name in methods(...), found ':'"],
    ['methods(a.b: cse)', "column 9: 'a.b' is not a method name"],
    ['submodules(layer1..0: cse)', "column 12: 'layer1..0' is not a submodule path"],
    ['methods(forward,forward: cse)', "column 17: methods(...) names 'forward' twice"],
    ['methods{x=1}(forward: cse)', 'column 8: methods(...) takes no options'],
    ['methods(forward: cse', "missing ')' to close methods("],
    ['cse(forward: dce)', 'only fixpoint, when, methods and submodules take'],
  ];
  for (const [text, says] of textErrors) {
    it(`rejects ${text} naming the column`, () => {
      const e = thrown(() => parsePipelineText(text));
      expect(e.code).to.equal('PIPELINE_SYNTAX');
      expect(e.message).to.include(says);
    });
  }

  const jsonErrors: [unknown, string][] = [
    [{ methods: [], passes: [] }, 'passes[0].methods'],
    [{ methods: ['a-b'], passes: [] }, 'passes[0].methods[0]: not a method name'],
    [{ submodules: ['x', 'x'], passes: [] }, 'a name is listed twice'],
    [{ submodules: ['x'], passes: [], extra: 1 }, 'passes[0]'],
  ];
  for (const [element, says] of jsonErrors) {
    it(`rejects JSON ${JSON.stringify(element)}`, () => {
      const e = thrown(() => parsePipelineJson({ passes: [element] }));
      expect(e.code).to.equal('PIPELINE_SYNTAX');
      expect(e.message).to.include(says);
    });
  }

  it('methods and submodules are reserved: no pass may take those names', () => {
    const e = thrown(() => definePass({ name: 'methods', summary: 'x', run: () => ({ changed: false }) }));
    expect(e.message).to.include('reserved');
  });
});

describe('anchored pipelines: running on methods', () => {
  it('runs graph passes only on the named methods, the whole body on each method in turn', () => {
    const m = moduleOf('forward', 'helper', 'other');
    const report = runPipeline(container(), m, 'methods(helper,forward: test-grow,test-read)');
    expect(report.executed.map((e) => `${e.pass}@${e.label}`)).to.deep.equal([
      'test-grow@helper',
      'test-read@helper',
      'test-grow@forward',
      'test-read@forward',
    ]);
    expect(m.methods.map((x) => nodes(x.graph))).to.deep.equal([3, 3, 2]);
  });

  it('a fixpoint inside methods(...) iterates per method', () => {
    const m = moduleOf('forward', 'helper');
    const report = runPipeline(container(), m, 'methods(forward,helper: fixpoint(test-grow-twice))');
    // Per method: two changing iterations, one quiet one.
    expect(report.executed.map((e) => e.label)).to.deep.equal([
      'forward',
      'forward',
      'forward',
      'helper',
      'helper',
      'helper',
    ]);
    expect(m.methods.map((x) => nodes(x.graph))).to.deep.equal([4, 4]);
  });

  it('a module pass (directly or through a named pipeline) cannot run inside methods(...)', () => {
    const c = container();
    registerPipelines(c, [{ name: 'mod', summary: 'a module pass', pipeline: 'test-module' }]);
    for (const text of ['methods(forward: test-module)', 'methods(forward: fixpoint(mod))']) {
      const e = thrown(() => getPassManager(c).plan(text));
      expect(e.code).to.equal('WRONG_TARGET');
      expect(e.message).to.include(
        "pass 'test-module' runs on modules and cannot run inside methods(forward: ...)",
      );
    }
    const nested = thrown(() => getPassManager(c).plan('methods(forward: submodules(a: test-read))'));
    expect(nested.message).to.include('submodules(a: ...) cannot be nested inside methods(forward: ...)');
  });

  it('an unknown method is ANCHOR_NOT_FOUND before anything runs, with the nearest name', () => {
    const m = moduleOf('forward', 'helper');
    const e = thrown(() => runPipeline(container(), m, 'test-grow,methods(helpr: test-grow)'));
    expect(e.code).to.equal('ANCHOR_NOT_FOUND');
    expect(e.message).to.equal(
      "methods(helpr): the input module has no method 'helpr'; did you mean 'helper'? (it has: forward, helper)",
    );
    expect(m.methods.map((x) => nodes(x.graph))).to.deep.equal([2, 2]); // nothing ran
  });

  it('on a single graph an anchored group is WRONG_TARGET before anything runs', () => {
    const g = smallGraph();
    const e = thrown(() => runPipeline(container(), g, 'test-grow,methods(forward: test-grow)'));
    expect(e.code).to.equal('WRONG_TARGET');
    expect(e.message).to.include(
      'methods(forward) runs on parts of a module, but the pipeline input is a single graph',
    );
    expect(nodes(g)).to.equal(2);
  });

  it('what an anchored group establishes does not hold after it (it ran on part of the input)', () => {
    const e = thrown(() =>
      getPassManager(container()).plan('methods(forward: test-inline),test-needs-inlined'),
    );
    expect(e.code).to.equal('MISSING_PROPERTY');
    getPassManager(container()).plan('test-inline,methods(forward: test-needs-inlined)');
  });

  it('the expanded pipeline keeps anchors, with named pipelines inlined', () => {
    const c = container();
    registerPipelines(c, [{ name: 'tidy', summary: 'x', pipeline: 'test-grow,test-read' }]);
    const pm = getPassManager(c);
    const report = pm.run(moduleOf('forward'), 'methods(forward: tidy)', {
      instrumentation: { timePasses: true },
    });
    expect(report.executed).to.have.length(2);
    const plan = pm.plan('methods(forward: tidy)');
    expect(plan.text).to.equal('methods(forward:tidy)');
    // What --print-pipeline-passes and reproducers print, and what replays the same run.
    expect(expandedPipelineText(plan.steps)).to.equal('methods(forward:test-grow,test-read)');
  });
});

describe('anchored pipelines: running on submodules', () => {
  const load = (): ScriptModule => loadModule(join(FIXTURES_DIR, 'nested_submodules', 'module.pt'));
  const calls = (g: Graph): number => [...g.allNodes()].filter((n) => n.kind === 'prim::CallMethod').length;
  const freezeContainer = () => {
    const c = createFreezeContainer({ instrumentation: { reproducer: false } });
    registerPasses(c, [grow, readModule]);
    return c;
  };

  it('runs on the submodule at a dotted path: its methods, with the submodule as context.module', () => {
    const m = load();
    const mid = m.getSubmodule('mid');
    const before = { root: calls(m.getMethod('forward').graph), mid: calls(mid.getMethod('forward').graph) };
    expect(before.mid).to.be.greaterThan(0);
    const report = runPipeline(freezeContainer(), m, 'submodules(mid: inline-submodules)');
    expect(calls(mid.getMethod('forward').graph)).to.equal(0);
    expect(calls(m.getMethod('forward').graph)).to.equal(before.root); // the root is untouched
    expect(report.executed.map((e) => e.label)).to.deep.equal(['mid.forward', 'mid.helper']);
  });

  it('nested anchors compose: submodules(mid: submodules(layers.1: methods(forward: ...)))', () => {
    const m = load();
    const target = m.getSubmodule('mid.layers.1').getMethod('forward').graph;
    const n = nodes(target);
    const report = runPipeline(
      freezeContainer(),
      m,
      'submodules(mid: submodules(layers.1: methods(forward: test-grow)))',
    );
    expect(report.executed.map((e) => e.label)).to.deep.equal(['mid.layers.1.forward']);
    expect(nodes(target)).to.equal(n + 1);
  });

  it('a missing submodule is ANCHOR_NOT_FOUND naming where it was looked for and what is there', () => {
    const e = thrown(() => runPipeline(freezeContainer(), load(), 'submodules(mid.layers.7: test-grow)'));
    expect(e.code).to.equal('ANCHOR_NOT_FOUND');
    expect(e.message).to.include("submodules(mid.layers.7): submodule 'mid.layers' has no submodule '7'");
    expect(e.message).to.include('(it has: 0, 1, 2)');
  });

  it('a submodule a pass removed before the group is reported when the group is reached', () => {
    const m = load();
    const e = thrown(() => runPipeline(freezeContainer(), m.clone(), 'freeze,submodules(mid: test-grow)'));
    expect(e.code).to.equal('ANCHOR_NOT_FOUND');
    expect(e.message).to.include("the input module has no submodule 'mid'");
  });

  it("a change in a submodule's graph drops the enclosing module's analyses", () => {
    const report = runPipeline(
      freezeContainer(),
      load(),
      'test-read-module,submodules(mid: test-grow),test-read-module',
    );
    // test-read-module reads the root's method-names on each root method: computed twice, once per read.
    expect(report.analysisComputations['method-names']).to.equal(2);
    const kept = runPipeline(
      freezeContainer(),
      load(),
      'test-read-module,submodules(mid: test-read-module),test-read-module',
    );
    expect(kept.analysisComputations['method-names']).to.equal(2); // root once, mid once
  });
});
