// The run record: what the report reads. Checked on a real freeze (conv_bn_relu) and an opt pipeline.

import 'reflect-metadata';
import { expect } from 'chai';
import { freezeWithReport } from '../../passes/index.js';
import {
  BufferSink,
  loadModule,
  parseIR,
  runPipeline,
  RunRecorder,
  type RecordedBlock,
  type RunRecord,
} from '../../src/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { testContainer } from '../passes/numeric.js';

function kindsOf(record: RunRecord, block: RecordedBlock): string[] {
  return block.nodes.flatMap((i) => [
    record.nodes[i].kind,
    ...record.nodes[i].blocks.flatMap((b) => kindsOf(record, b)),
  ]);
}

describe('run record', () => {
  let record: RunRecord;
  let frozenText: string;
  before(() => {
    const recorder = new RunRecorder('conv_bn_relu');
    const module = loadModule(`${REPO_ROOT}test/fixtures/conv_bn_relu/module.pt`);
    const { module: frozen } = freezeWithReport(module, { instrumentation: { record: recorder } });
    record = recorder.record;
    frozenText = frozen.graph.toString();
  });

  it('lists every invocation in order with its groups, time and node counts', () => {
    expect(record.passes.map((p) => p.number)).to.deep.equal(record.passes.map((_, i) => i + 1));
    expect(record.pipelineText).to.include('fold-conv-bn');
    const fold = record.passes.find((p) => p.pass === 'fold-conv-bn' && p.changed)!;
    expect(fold.groups).to.deep.equal(['when{option=optimizeNumerics}', 'fixpoint{max=10} #1']);
    expect(fold.label).to.equal('forward');
    // Three new weight/bias constant pairs, the three batch_norms left for dead-code-elimination.
    expect(fold.nodesAfter - fold.nodesBefore).to.equal(3);
    for (const p of record.passes) expect(p.ms).to.be.at.least(0);
    expect(record.totalMs).to.be.greaterThan(0);
  });

  it("keeps each changing pass's graphs before and after; unchanged passes keep none", () => {
    const fold = record.passes.find((p) => p.pass === 'fold-conv-bn' && p.changed)!;
    const before = record.states[fold.before.forward];
    const after = record.states[fold.after.forward];
    expect(kindsOf(record, before.graph)).to.include('aten::batch_norm');
    expect(kindsOf(record, after.graph)).to.not.include('aten::batch_norm');
    expect(before.text).to.include('aten::batch_norm');
    expect(fold.statistics).to.deep.equal({ folded: 3 });
    // The conv node is the same node, in a new version (new weight and bias inputs).
    const conv = (s: typeof before): number =>
      s.graph.nodes.find((i) => record.nodes[i].kind === 'aten::conv2d')!;
    expect(record.nodes[conv(before)].key).to.equal(record.nodes[conv(after)].key);
    expect(conv(before)).to.not.equal(conv(after));
    for (const p of record.passes.filter((q) => !q.changed)) expect(p.after).to.deep.equal({});
    // Passes chain: each change starts from the state the previous change left.
    const changes = record.passes.filter((p) => p.after.forward !== undefined);
    for (let i = 1; i < changes.length; i++)
      expect(changes[i].before.forward).to.equal(changes[i - 1].after.forward);
  });

  it('ends with the frozen graph and shares unchanged node versions between states', () => {
    expect(record.states[record.final.forward].text).to.equal(frozenText);
    const recordedNodes = record.states.reduce((n, s) => n + s.nodeCount, 0);
    expect(record.nodes.length).to.be.lessThan(recordedNodes);
    expect(record.report?.statistics['fold-conv-bn']).to.deep.equal({ folded: 3 });
  });

  it('records remarks with the invocation that made them, and probes before a named pass', () => {
    const recorder = new RunRecorder().addProbe({
      pass: 'dead-code-elimination',
      title: 'node count',
      capture: (target) => `${[...(target as ReturnType<typeof parseIR>).allNodes()].length} nodes`,
    });
    const g = parseIR(`graph(%x : Tensor):
  %1 : int = prim::Constant[value=1]()
  %d : Tensor = aten::relu(%x)
  %y : Tensor = aten::add(%x, %x, %1)
  return (%y)
`);
    const { container } = { container: testContainer() };
    runPipeline(container, g, 'dead-code-elimination,fixpoint(constant-pooling)', {
      instrumentation: { record: recorder },
    });
    const r = recorder.record;
    expect(r.attachments).to.deep.equal([{ title: 'node count', text: '3 nodes', beforePass: 1 }]);
    expect(r.passes[0]).to.include({ pass: 'dead-code-elimination', label: 'graph', changed: true });
    expect(r.passes[0].nodesBefore).to.equal(3);
    expect(r.passes[0].nodesAfter).to.equal(2);
    expect(r.initial).to.deep.equal({ graph: 0 });
    expect(r.passes[0].before).to.deep.equal({ graph: 0 });
    expect(r.passes[0].after).to.deep.equal({ graph: 1 });
    expect(r.passes.slice(1).every((p) => !p.changed)).to.equal(true);
    expect(new BufferSink().text).to.equal('');
  });
});
