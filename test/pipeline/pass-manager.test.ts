// PassManager: targets, options, pipeline options and conditions, named pipelines, fixpoints,
// unknown names, IR properties, statistics, remarks and failures with reproducers.

import 'reflect-metadata';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  getPassManager,
  moduleBuilder,
  parseIR,
  PassFailure,
  registerPipelines,
  runPipeline,
  TsFreezeError,
  type RunReport,
  parseReproducer,
} from '../../src/index.js';
import { ModuleLevel, RecordMethods, RecordOptions, smallGraph, testContainer } from './helpers.js';
import { thrownBy } from '../support/thrown.js';

const error = (fn: () => unknown) => thrownBy(TsFreezeError, fn);

describe('PassManager: targets', () => {
  it('runs a graph pass on every method graph of a module, naming the method', () => {
    const { container } = testContainer();
    const module = {
      methods: [
        { name: 'forward', graph: smallGraph() },
        { name: 'helper', graph: smallGraph() },
      ],
    };
    RecordMethods.seen = [];
    const report = runPipeline(container, module, 'test-methods');
    expect(RecordMethods.seen).to.deep.equal(['forward', 'helper']);
    expect(report.executed.map((e) => e.label)).to.deep.equal(['forward', 'helper']);
  });

  it('runs on a real ScriptModule: graph passes per method, module passes on the module', () => {
    const { container } = testContainer();
    const m = moduleBuilder('M')
      .method(
        'forward',
        'graph(%self : __torch__.M, %x : Tensor):\n  %y : Tensor = aten::relu(%x)\n  return (%y)\n',
      )
      .method('other', 'graph(%self : __torch__.M, %x : Tensor):\n  return (%x)\n')
      .build();
    RecordMethods.seen = [];
    ModuleLevel.seen = [];
    runPipeline(container, m, 'test-methods,test-module');
    expect(RecordMethods.seen).to.deep.equal(['forward', 'other']);
    expect(ModuleLevel.seen).to.deep.equal(['forward', 'other']);
  });

  it('refuses a module pass on a single graph, and a target that is neither', () => {
    const { container } = testContainer();
    const e = error(() => runPipeline(container, smallGraph(), 'test-module'));
    expect(e.code).to.equal('WRONG_TARGET');
    expect(e.message).to.include("'test-module' runs on modules");
    expect(error(() => runPipeline(container, {} as never, 'test-read')).code).to.equal('BAD_TARGET');
  });
});

describe('PassManager: names and options', () => {
  it('an unknown pass lists the known ones and the nearest match, with the column', () => {
    const { container } = testContainer();
    const e = error(() => runPipeline(container, smallGraph(), 'test-read,test-pel'));
    expect(e.code).to.equal('UNKNOWN_PASS');
    expect(e.message).to.include("unknown pass 'test-pel'; did you mean 'test-peel'?");
    expect(e.message).to.include('at column 11');
    expect(e.message).to.include('known passes: test-break, test-clobber');
    expect((e as unknown as { nearest: string }).nearest).to.equal('test-peel');
  });

  it('an unknown pass far from every name suggests nothing', () => {
    const { container } = testContainer();
    const e = error(() => runPipeline(container, smallGraph(), 'no-such-pass'));
    expect(e.message).to.not.include('did you mean');
    expect(e.message).to.include('known passes:');
  });

  it('fills defaults and type-checks options; lists become lists', () => {
    const { container } = testContainer();
    runPipeline(container, smallGraph(), 'test-options');
    expect(RecordOptions.last).to.deep.equal({ flag: false, level: 3, ratio: 0.5, mode: 'fast', names: [] });
    runPipeline(container, smallGraph(), 'test-options{flag=true,level=7,ratio=2,mode=exact,names=version}');
    expect(RecordOptions.last).to.deep.equal({
      flag: true,
      level: 7,
      ratio: 2,
      mode: 'exact',
      names: ['version'],
    });
    runPipeline(container, smallGraph(), 'test-options{names=[a,"b c"]}');
    expect(RecordOptions.last?.names).to.deep.equal(['a', 'b c']);
  });

  const BAD: [string, string[]][] = [
    [
      'test-options{levle=1}',
      [
        "pass 'test-options' has no option 'levle'",
        "did you mean 'level'",
        'its options: flag, level',
        'column 1',
      ],
    ],
    ['test-options{level=1.5}', ["option 'level' of pass 'test-options' expects integer", '1.5']],
    ['test-options{level=high}', ['expects integer, got string "high"']],
    ['test-options{flag=1}', ['expects boolean']],
    ['test-options{mode=slow}', ['expects one of fast, exact, got "slow"']],
    ['test-options{names=[1]}', ['expects string[]', 'quote it']],
    ['test-read{x=1}', ["pass 'test-read' has no option 'x'", 'it has no options']],
    ['test-options{level=$lvl}', ["pipeline option 'lvl' is not set"]],
  ];
  for (const [text, words] of BAD) {
    it(`rejects ${text} with BAD_OPTION before running anything`, () => {
      const { container } = testContainer();
      const g = smallGraph();
      const before = g.toString();
      const e = error(() => runPipeline(container, g, `test-clobber,${text}`));
      expect(e.code).to.equal('BAD_OPTION');
      for (const w of words) expect(e.message).to.include(w.replace('column 1', 'column 14'));
      expect(g.toString()).to.equal(before);
    });
  }
});

describe('PassManager: pipeline options, conditions and named pipelines', () => {
  it('forwards pipeline options into pass options with $name', () => {
    const { container } = testContainer();
    runPipeline(container, smallGraph(), 'test-options{names=$preservedAttrs,level=$lvl}', {
      options: { preservedAttrs: ['version'], lvl: 9 },
    });
    expect(RecordOptions.last).to.include({ level: 9 });
    expect(RecordOptions.last?.names).to.deep.equal(['version']);
    expect(RecordOptions.pipelineOptions).to.deep.equal({ preservedAttrs: ['version'], lvl: 9 });
  });

  it('runs a when group only when its option is truthy, or equals the value given', () => {
    const { container } = testContainer();
    const ran = (text: string, options: Record<string, boolean | string>): string[] =>
      runPipeline(container, smallGraph(), text, { options }).executed.map((e) => e.pass);
    expect(ran('when{option=optimizeNumerics}(test-read)', { optimizeNumerics: true })).to.deep.equal([
      'test-read',
    ]);
    expect(ran('when{option=optimizeNumerics}(test-read)', { optimizeNumerics: false })).to.deep.equal([]);
    expect(
      ran('when{option=optimizeNumerics,equals=false}(test-read)', { optimizeNumerics: false }),
    ).to.deep.equal(['test-read']);
    expect(ran('when{option=mode,equals=exact}(test-read),test-methods', { mode: 'fast' })).to.deep.equal([
      'test-methods',
    ]);
    const e = error(() => ran('when{option=optimiseNumerics}(test-read)', { optimizeNumerics: true }));
    expect(e.code).to.equal('BAD_OPTION');
    expect(e.message).to.include("did you mean 'optimizeNumerics'");
  });

  it('runs named pipelines by name, with typed options, defaults and nesting', () => {
    const { container } = testContainer();
    registerPipelines(container, [
      {
        name: 'inner',
        summary: 'records options',
        options: {
          numerics: { type: 'boolean', default: true, description: 'x' },
          keep: { type: 'string[]', description: 'kept' },
        },
        pipeline: 'test-options{names=$keep},when{option=numerics}(test-read)',
      },
      JSON.stringify({
        name: 'outer',
        passes: [{ pass: 'inner', options: { numerics: false, keep: 'w' } }, 'test-methods'],
      }),
    ]);
    const report = runPipeline(container, smallGraph(), 'outer');
    expect(report.executed.map((e) => e.pass)).to.deep.equal(['test-options', 'test-methods']);
    expect(RecordOptions.last?.names).to.deep.equal(['w']);
    expect(runPipeline(container, smallGraph(), 'inner').executed.map((e) => e.pass)).to.deep.equal([
      'test-options',
      'test-read',
    ]);
    expect(error(() => runPipeline(container, smallGraph(), 'inner{numerics=yes}')).message).to.include(
      "option 'numerics' of pipeline 'inner' expects boolean",
    );
    expect(error(() => runPipeline(container, smallGraph(), 'inner{other=1}')).message).to.include(
      "pipeline 'inner' has no option 'other'",
    );
  });

  it('an unknown pass inside a named pipeline names that pipeline', () => {
    const { container } = testContainer();
    registerPipelines(container, [JSON.stringify({ name: 'broken', passes: ['test-read', 'test-raed'] })]);
    const e = error(() => runPipeline(container, smallGraph(), 'test-methods,broken'));
    expect(e.code).to.equal('UNKNOWN_PASS');
    expect(e.message).to.include("unknown pass 'test-raed' in pipeline 'broken'; did you mean 'test-read'?");
  });

  it('runs a pipeline definition with declared options (defaults filled, types checked)', () => {
    const { container } = testContainer();
    const def = {
      name: 'd',
      summary: '',
      options: { on: { type: 'boolean' as const, default: true, description: '' } },
      pipeline: {
        elements: [
          {
            kind: 'when' as const,
            option: 'on',
            body: [{ kind: 'pass' as const, name: 'test-read', options: {} }],
          },
        ],
      },
    };
    const pm = getPassManager(container);
    expect(pm.run(smallGraph(), def).executed).to.have.length(1);
    expect(pm.run(smallGraph(), def, { options: { on: false } }).executed).to.have.length(0);
    expect(error(() => pm.run(smallGraph(), def, { options: { on: 'no' } })).code).to.equal('BAD_OPTION');
  });

  it('when{changed=PASS} runs its body only if the latest run of PASS changed the IR', () => {
    const { container } = testContainer();
    const ran = (text: string): string[] =>
      runPipeline(container, smallGraph(), text).executed.map((e) => e.pass);
    // test-peel changes nothing on a graph without relus; test-clobber always changes it.
    expect(ran('test-peel,when{changed=test-peel}(test-read)')).to.deep.equal(['test-peel']);
    expect(ran('test-clobber,test-peel,when{changed=test-peel}(test-read)')).to.deep.equal([
      'test-clobber',
      'test-peel',
      'test-read',
    ]);
    // The latest run counts: peel changed the IR, then changed nothing.
    expect(ran('test-clobber,test-peel,test-peel,when{changed=test-peel}(test-read)')).to.not.include(
      'test-read',
    );
    // A pass that has not run yet has not changed anything.
    expect(ran('when{changed=test-peel}(test-read)')).to.deep.equal([]);
    const e = error(() => runPipeline(container, smallGraph(), 'when{changed=test-pel}(test-read)'));
    expect(e.code).to.equal('UNKNOWN_PASS');
    expect(e.message).to.include("did you mean 'test-peel'");
  });

  it('rejects named pipelines that include each other, duplicate names, and names of passes', () => {
    const { container } = testContainer();
    registerPipelines(container, [
      { name: 'ping', pipeline: 'pong' },
      { name: 'pong', pipeline: 'ping' },
    ]);
    const e = error(() => runPipeline(container, smallGraph(), 'ping'));
    expect(e.code).to.equal('PIPELINE_CYCLE');
    expect(e.message).to.include('ping -> pong -> ping');
    expect(
      error(() => registerPipelines(container, [{ name: 'ping', pipeline: 'test-read' }])).code,
    ).to.equal('DUPLICATE_NAME');
    registerPipelines(container, [{ name: 'test-read', pipeline: 'test-peel' }]);
    expect(error(() => runPipeline(container, smallGraph(), 'test-peel')).message).to.include(
      'has the name of pass',
    );
  });
});

describe('PassManager: fixpoints', () => {
  it('re-runs its body until nothing changes', () => {
    const { container } = testContainer();
    const g = smallGraph();
    for (let i = 0; i < 3; i++)
      g.withInsertPoint(g.block, () => g.insert('aten::relu', [g.inputs[0]], [g.inputs[0].type]));
    const report = runPipeline(container, g, 'fixpoint(test-peel)');
    expect(report.statistics['test-peel'].peeled).to.equal(3);
    expect(report.executed).to.have.length(4); // three changes, then one run that changes nothing
    expect(report.warnings).to.deep.equal([]);
    expect(report.changed).to.equal(true);
  });

  it('reports the iteration limit when hit: a warning, a remark and a statistic', () => {
    const { container, output } = testContainer();
    const g = smallGraph();
    for (let i = 0; i < 5; i++)
      g.withInsertPoint(g.block, () => g.insert('aten::relu', [g.inputs[0]], [g.inputs[0].type]));
    const report = runPipeline(container, g, 'fixpoint{max=2}(test-peel)');
    expect(report.statistics['test-peel'].peeled).to.equal(2);
    expect(report.statistics['pass-manager']['fixpoint-limit-reached']).to.equal(1);
    expect(report.warnings[0]).to.include('fixpoint{max=2}(test-peel) reached its limit of 2 iterations');
    expect(report.remarks.some((r) => r.message.includes('reached its limit'))).to.equal(true);
    expect(output.text).to.include('warn: fixpoint{max=2}(test-peel) reached its limit');
  });
});

describe('PassManager: properties, statistics, remarks', () => {
  it('checks required IR properties before running and names the pass that establishes them', () => {
    const { container } = testContainer();
    const e = error(() => runPipeline(container, smallGraph(), 'test-read,test-needs-inlined'));
    expect(e.code).to.equal('MISSING_PROPERTY');
    expect(e.message).to.include("'test-needs-inlined' requires the IR property 'inlined'");
    expect(e.message).to.include('run test-inline before it');
    const report = runPipeline(container, smallGraph(), 'test-inline,test-needs-inlined');
    expect(report.properties).to.deep.equal(['inlined']);
    runPipeline(container, smallGraph(), 'test-needs-inlined', { properties: ['inlined'] });
  });

  it('an undeclared statistic is a bug in the pass, reported as its failure', () => {
    const { container } = testContainer();
    const e = error(() => runPipeline(container, smallGraph(), 'test-undeclared-stat'));
    expect(e).to.be.instanceOf(PassFailure);
    expect((e.cause as Error).message).to.include("counted statistic 'not-declared'");
  });

  it('collects remarks with the node and target', () => {
    const { container } = testContainer();
    const report = runPipeline(container, smallGraph(), 'test-remark');
    expect(report.remarks.map((r) => r.node ?? '-')).to.deep.equal([
      'aten::relu -> %a',
      'aten::neg -> %b',
      '-',
    ]);
    expect(report.remarks[0]).to.include({ pass: 'test-remark', target: 'graph', message: 'seen' });
  });

  it('validates the whole pipeline before changing anything', () => {
    const { container } = testContainer();
    const g = smallGraph();
    const before = g.toString();
    expect(error(() => runPipeline(container, g, 'test-clobber,fixpoint(test-peel,nope)')).code).to.equal(
      'UNKNOWN_PASS',
    );
    expect(g.toString()).to.equal(before);
  });
});

describe('PassManager: failures', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tsfreeze-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('PassFailure names the pass, the passes before it, the cause, and the reproducer it wrote', () => {
    const { container } = testContainer({ instrumentation: { reproducer: { dir } } });
    const g = smallGraph();
    let failure: PassFailure | undefined;
    try {
      runPipeline(container, g, 'test-read,test-preserve,test-options{level=4},test-fail,test-read');
    } catch (e) {
      failure = e as PassFailure;
    }
    expect(failure).to.be.instanceOf(PassFailure);
    expect(failure!.code).to.equal('PASS_FAILED');
    expect(failure!.passName).to.equal('test-fail');
    expect(failure!.passesBefore).to.deep.equal(['test-read', 'test-preserve', 'test-options']);
    expect((failure!.cause as Error).message).to.equal('boom: the pass exploded');
    expect(failure!.message).to.include("pass 'test-fail' failed: boom: the pass exploded");
    expect(failure!.message).to.include('passes run before it: test-read,test-preserve,test-options');
    const path = failure!.reproducerPath!;
    expect(path.startsWith(dir)).to.equal(true);
    expect(failure!.message).to.include(`reproducer: ${path}`);
    const repro = parseReproducer(readFileSync(path, 'utf8'), path);
    expect(repro.failure).to.deep.equal({
      pass: 'test-fail',
      target: 'graph',
      message: 'boom: the pass exploded',
    });
    expect(repro.pipeline).to.equal('test-read,test-preserve,test-options{level=4},test-fail,test-read');
    // The input as the pipeline received it (test-preserve had not added its relu yet).
    expect(repro.input.kind).to.equal('graph');
    expect(repro.input.kind === 'graph' && repro.input.ir).to.equal(smallGraph().toString());
    expect(repro.rerun).to.equal(`tsfreeze opt --run-reproducer ${path}`);
  });

  it('a reproducer keeps tensor constants exactly, so parsing it gives the same values', () => {
    const { container } = testContainer({ instrumentation: { reproducer: { dir } } });
    const g = parseIR(
      'graph(%x : Tensor):\n  %w : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 0.123456  0.654321  1.5 [ CPUFloatType{3} ]]()\n  %one : int = prim::Constant[value=1]()\n  %y : Tensor = aten::add(%x, %w, %one)\n  return (%y)\n',
    );
    const original = g.nodesOfKind('prim::Constant')[0].t('value').toArray();
    let failure: PassFailure | undefined;
    try {
      runPipeline(container, g, 'test-fail');
    } catch (e) {
      failure = e as PassFailure;
    }
    const repro = parseReproducer(readFileSync(failure!.reproducerPath!, 'utf8'), 'repro');
    const ir = repro.input.kind === 'graph' ? repro.input.ir : '';
    expect(ir).to.include('tensor<');
    expect(parseIR(ir).nodesOfKind('prim::Constant')[0].t('value').toArray()).to.deep.equal(original);
  });

  it('writes no reproducer unless asked (no side effect when embedding); `true` writes one in the temp dir', () => {
    const { container } = testContainer({ instrumentation: {} });
    let failure: PassFailure | undefined;
    try {
      runPipeline(container, smallGraph(), 'test-fail');
    } catch (e) {
      failure = e as PassFailure;
    }
    expect(failure!.reproducerPath).to.equal(undefined);
    try {
      runPipeline(container, smallGraph(), 'test-fail', { instrumentation: { reproducer: true } });
    } catch (e) {
      failure = e as PassFailure;
    }
    expect(failure!.reproducerPath!.startsWith(tmpdir())).to.equal(true);
    expect(existsSync(failure!.reproducerPath!)).to.equal(true);
    rmSync(join(failure!.reproducerPath!, '..'), { recursive: true, force: true });
    try {
      runPipeline(container, smallGraph(), 'test-fail', { instrumentation: { reproducer: false } });
    } catch (e) {
      failure = e as PassFailure;
    }
    expect(failure!.reproducerPath).to.equal(undefined);
    expect(failure!.message).to.not.include('reproducer:');
  });

  it('a report lists every invocation', () => {
    const { container } = testContainer();
    const report: RunReport = runPipeline(container, smallGraph(), 'test-read,test-preserve');
    expect(report.executed).to.deep.equal([
      { pass: 'test-read', label: 'graph', changed: false, skipped: false },
      { pass: 'test-preserve', label: 'graph', changed: true, skipped: false },
    ]);
    expect(report.changed).to.equal(true);
  });
});
