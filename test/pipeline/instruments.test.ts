// Instruments, through the API: timing tree, print-before/after/changed, verify-each, statistics, opt-bisect.

import 'reflect-metadata';
import { expect } from 'chai';
import { ConstantPooling, DeadCodeElimination } from '../../passes/index.js';
import {
  definePass,
  FloatType,
  PassFailure,
  passesModule,
  registerPasses,
  runPipeline,
  TsFreezeError,
  type Graph,
  type Type,
} from '../../src/index.js';
import { smallGraph, testContainer } from './helpers.js';
import { thrownBy } from '../support/thrown.js';

// A clock advancing 1 ms per reading, so timings are exact.
function fakeClock(): () => number {
  let t = 0;
  return () => t++;
}

function withDeadRelus(n: number): Graph {
  const g = smallGraph();
  for (let i = 0; i < n; i++)
    g.withInsertPoint(g.block, () => g.insert('aten::relu', [g.inputs[0]], [g.inputs[0].type]));
  return g;
}

const caught = (run: () => unknown) => thrownBy(PassFailure, run);

describe('instruments', () => {
  it('time-passes prints a tree: groups nest, repeated passes are summed, percentages of the total', () => {
    const { container, output } = testContainer({ clock: fakeClock() });
    runPipeline(
      container,
      withDeadRelus(2),
      'test-read,fixpoint(test-peel,test-read),when{option=on}(test-read)',
      {
        options: { on: true },
        instrumentation: { timePasses: true },
      },
    );
    const lines = output.text.split('\n');
    expect(lines[1]).to.include('Pass execution timing report');
    expect(output.text).to.match(/Total Execution Time: 0\.\d{4} seconds/);
    const names = lines
      .filter((l) => /^\s+\d+\.\d{4} \(\s*\d+\.\d%\)  /.test(l))
      .map((l) => l.replace(/^\s+\d+\.\d{4} \(\s*\d+\.\d%\)  /, ''));
    expect(names).to.deep.equal([
      'test-read',
      'fixpoint (3 iterations)',
      '  test-peel (x3)',
      '  test-read (x3)',
      'when{option=on}',
      '  test-read',
      'Total',
    ]);
    expect(output.text).to.include('(100.0%)  Total');
  });

  it('time-passes is silent unless asked', () => {
    const { container, output } = testContainer();
    runPipeline(container, smallGraph(), 'test-read');
    expect(output.text).to.equal('');
  });

  it('print-after-all dumps the IR after every pass, under a header naming the pass and target', () => {
    const { container, output } = testContainer();
    runPipeline(container, smallGraph(), 'test-read,test-clobber', { instrumentation: { printAfter: true } });
    const dumps = output.text.split(/^\/\/ -----\/\/ /m).filter(Boolean);
    expect(dumps).to.have.length(2);
    expect(dumps[0]).to.match(/^IR Dump After test-read on graph \/\/----- \/\/\ngraph\(%x : Tensor\):/);
    expect(dumps[0].match(/aten::relu/g)).to.have.length(1);
    expect(dumps[1]).to.match(/^IR Dump After test-clobber on graph/);
    expect(dumps[1].match(/aten::relu/g)).to.have.length(2);
  });

  it('print-after NAME and print-before NAME dump only around that pass; module methods are labelled', () => {
    const { container, output } = testContainer();
    const module = {
      methods: [
        { name: 'forward', graph: smallGraph() },
        { name: 'helper', graph: smallGraph() },
      ],
    };
    runPipeline(container, module, 'test-read,test-clobber,test-read', {
      instrumentation: { printAfter: ['test-clobber'], printBefore: ['test-clobber'] },
    });
    const headers = output.text.split('\n').filter((l) => l.startsWith('// -----//'));
    expect(headers).to.deep.equal([
      '// -----// IR Dump Before test-clobber on forward //----- //',
      '// -----// IR Dump After test-clobber on forward //----- //',
      '// -----// IR Dump Before test-clobber on helper //----- //',
      '// -----// IR Dump After test-clobber on helper //----- //',
    ]);
  });

  it('print-changed dumps the input, then only passes that changed the IR', () => {
    const { container, output } = testContainer();
    runPipeline(container, withDeadRelus(1), 'test-read,test-peel,test-peel', {
      instrumentation: { printChanged: true },
    });
    const headers = output.text.split('\n').filter((l) => l.startsWith('// -----//'));
    expect(headers).to.deep.equal([
      '// -----// IR Dump At Start //----- //',
      '// -----// IR Dump After test-read on graph omitted because no change //----- //',
      '// -----// IR Dump After test-peel on graph //----- //',
      '// -----// IR Dump After test-peel on graph omitted because no change //----- //',
    ]);
    const atStart = output.text.split('// -----// IR Dump After test-read')[0];
    const afterPeel = output.text
      .split('// -----// IR Dump After test-peel on graph //----- //\n')[1]
      .split('// -----//')[0];
    expect(atStart.match(/aten::relu/g)).to.have.length(2);
    expect(afterPeel.match(/aten::relu/g)).to.have.length(1);
  });

  it('verify-each catches the pass that breaks the IR, naming it and the broken node', () => {
    const { container } = testContainer({ instrumentation: { verifyEach: true, reproducer: false } });
    let failure: PassFailure | undefined;
    try {
      runPipeline(container, smallGraph(), 'test-read,test-break,test-read');
    } catch (e) {
      failure = e as PassFailure;
    }
    expect(failure).to.be.instanceOf(PassFailure);
    expect(failure!.passName).to.equal('test-break');
    expect(failure!.passesBefore).to.deep.equal(['test-read']);
    expect((failure!.cause as TsFreezeError).code).to.equal('IR_VERIFY');
    expect(failure!.message).to.include("pass 'test-break' failed");
    expect(failure!.message).to.include('aten::relu');
    // Without verify-each the broken IR goes unnoticed by the manager.
    const { container: loose } = testContainer();
    runPipeline(loose, smallGraph(), 'test-read,test-break,test-read');
  });

  it('verify-each rejects invalid input before any pass runs', () => {
    const { container } = testContainer({ instrumentation: { verifyEach: true } });
    const g = smallGraph();
    const nodes = [...g.nodes()];
    nodes[0].addInput(nodes[1].output());
    expect(() => runPipeline(container, g, 'test-read')).to.throw(
      TsFreezeError,
      'the input IR is invalid before any pass ran',
    );
  });

  it('verify-each also catches a change made around the IR API, which the graph epoch cannot see', () => {
    // Assigning Value.type directly (not setType) bumps no epoch; the printed IR still differs.
    const sneaky = definePass({
      name: 'test-sneaky',
      summary: 'retypes a value behind the IR API, reports no change',
      run(graph) {
        (graph.outputs[0] as { type: Type }).type = FloatType;
        return { changed: false };
      },
    });
    const { container } = testContainer({ instrumentation: { verifyEach: true } });
    registerPasses(container, [sneaky]);
    const failure = caught(() => runPipeline(container, smallGraph(), 'test-sneaky'));
    expect((failure.cause as TsFreezeError).code).to.equal('CHANGED_NOT_REPORTED');
    expect(failure.message).to.include(
      "pass 'test-sneaky' changed the IR of graph but reported { changed: false }",
    );
    // Without verify-each nothing prints the IR, so nothing sees it.
    const { container: plain } = testContainer();
    registerPasses(plain, [sneaky]);
    expect(runPipeline(plain, smallGraph(), 'test-sneaky').changed).to.equal(false);
  });

  it('stats prints every counted statistic by pass, after the run', () => {
    const { container, output } = testContainer({
      modules: [passesModule([DeadCodeElimination, ConstantPooling])],
    });
    runPipeline(container, withDeadRelus(3), 'test-peel,dead-code-elimination,fixpoint{max=1}(test-peel)', {
      instrumentation: { statistics: true },
    });
    expect(output.text).to.include('... Statistics Collected ...');
    const rows = output.text.split('\n').filter((l) => / - /.test(l));
    expect(rows).to.deep.equal(['  2 dead-code-elimination - nodes-removed', '  1 test-peel - peeled']);
    const { container: c2, output: o2 } = testContainer();
    runPipeline(c2, smallGraph(), 'test-read', { instrumentation: { statistics: true } });
    expect(o2.text).to.include('(no statistics counted)');
  });

  it('stats include the fixpoint limit the manager counted', () => {
    const { container, output } = testContainer();
    runPipeline(container, withDeadRelus(3), 'fixpoint{max=1}(test-peel)', {
      instrumentation: { statistics: true },
    });
    expect(output.text).to.include('  1 pass-manager - fixpoint-limit-reached');
  });

  it('opt-bisect runs only the first N optional invocations, says which ran, and never skips required passes', () => {
    const { container, output } = testContainer();
    const report = runPipeline(
      container,
      withDeadRelus(3),
      'test-peel,test-required,test-peel,test-peel,test-read',
      { instrumentation: { optBisectLimit: 2 } },
    );
    expect(output.text.trimEnd().split('\n')).to.deep.equal([
      'BISECT: running pass (1) test-peel on graph',
      'BISECT: running pass (2) test-peel on graph',
      'BISECT: NOT running pass (3) test-peel on graph',
      'BISECT: NOT running pass (4) test-read on graph',
    ]);
    expect(report.executed.map((e) => `${e.pass}:${e.skipped ? 'skipped' : 'ran'}`)).to.deep.equal([
      'test-peel:ran',
      'test-required:ran',
      'test-peel:ran',
      'test-peel:skipped',
      'test-read:skipped',
    ]);
    expect(report.statistics['test-peel'].peeled).to.equal(2);
  });

  it('opt-bisect limit 0 runs no optional pass; -1 runs everything silently', () => {
    const { container, output } = testContainer();
    expect(
      runPipeline(container, withDeadRelus(1), 'test-peel', { instrumentation: { optBisectLimit: 0 } })
        .changed,
    ).to.equal(false);
    expect(output.text).to.equal('BISECT: NOT running pass (1) test-peel on graph\n');
    output.clear();
    expect(
      runPipeline(container, withDeadRelus(1), 'test-peel', { instrumentation: { optBisectLimit: -1 } })
        .changed,
    ).to.equal(true);
    expect(output.text).to.equal('');
  });
});
