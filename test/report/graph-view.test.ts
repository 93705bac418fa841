// The picture model: what is drawn (constants folded), If/Loop blocks as clusters, module groups as runs,
// the box budget of big graphs, the changes of a pass, and a full ELK layout to SVG in Node.

import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  buildView,
  classifyChanges,
  defaultExpansion,
  drawPicture,
  fullExpansion,
  layoutInput,
  parseIR,
  RunRecorder,
  visibleBoxes,
  type Graph,
} from '../../src/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

function recorded(graph: Graph): { recorder: RunRecorder; state: number } {
  const recorder = new RunRecorder();
  return { recorder, state: recorder.snapshotGraph('forward', graph) };
}

const CONTROL_FLOW = readFileSync(`${REPO_ROOT}test/fixtures/control_flow/graph.txt`, 'utf8');

describe('report pictures: the model', function () {
  this.timeout(120_000);

  it('folds constants and constant lists into labels and draws every other node once', () => {
    const g = parseIR(`graph(%x : Tensor, %w : Tensor):
  %1 : int = prim::Constant[value=1]()
  %l : int[] = prim::ListConstruct(%1, %1)
  %y : Tensor = aten::conv2d(%x, %w, %1, %l, %l, %l, %1)
  %z : Tensor = aten::relu(%y)
  return (%z)
`);
    const { recorder, state } = recorded(g);
    const r = recorder.record;
    const view = buildView(r.nodes, r.states[state].graph);
    expect([...view.nodes.values()].map((n) => n.kind)).to.deep.equal(['aten::conv2d', 'aten::relu']);
    expect(view.foldedCount).to.equal(2);
    expect(view.nodes.get(r.nodes[r.states[state].graph.nodes[2]].key)!.lines.join(' ')).to.include('[1, 1]');
    const all = buildView(r.nodes, r.states[state].graph, { foldConstants: false });
    expect(all.size).to.equal(4);
  });

  it('draws If and Loop as clusters holding their blocks, with one box per drawn node (control_flow)', async () => {
    const { recorder, state } = recorded(parseIR(CONTROL_FLOW));
    const r = recorder.record;
    const view = buildView(r.nodes, r.states[state].graph);
    const open = fullExpansion(view);
    const input = layoutInput(view, open);
    const kinds = [...input.boxes.values()].map((b) => b.kind);
    const controlFlow = [...view.nodes.values()].filter((n) => n.blocks.length);
    expect(kinds.filter((k) => k === 'cluster')).to.have.length(controlFlow.length);
    expect(input.drawnKeys).to.have.length(view.size);
    const picture = await drawPicture(view, open);
    expect(picture.svg.match(/data-node="/g)).to.have.length(view.size);
    expect(picture.svg.match(/class="edge"/g)!.length).to.be.greaterThan(view.size / 2);
    // Closed, a control-flow node is one box that says what it holds.
    const closed = layoutInput(view, new Set());
    const loop = [...closed.boxes.values()].find((b) => b.title === 'prim::Loop')!;
    expect(loop.kind).to.equal('node');
    expect(loop.lines.at(-1)).to.match(/\d+ nodes in 1 blocks/);
  });

  it('groups inlined nodes by module runs: a module used twice gives two groups', () => {
    const g = parseIR(`graph(%x : Tensor):
  %a : Tensor = aten::relu(%x)
  %b : Tensor = aten::tanh(%a)
  %c : Tensor = aten::relu(%b)
  return (%c)
`);
    const [relu1, tanh, relu2] = [...g.nodes()];
    relu1.inlinedFrom = 'block.relu';
    tanh.inlinedFrom = 'block.act';
    relu2.inlinedFrom = 'block.relu';
    const { recorder, state } = recorded(g);
    const view = buildView(recorder.record.nodes, recorder.record.states[state].graph);
    expect([...view.regions.values()].map((x) => x.label)).to.deep.equal([
      'block.relu',
      'block.act',
      'block.relu (call 2)',
      'block',
    ]);
  });

  it('opens a big graph within the box budget, regions holding the changes first', () => {
    const lines = ['graph(%x : Tensor):'];
    for (let i = 0; i < 2000; i++) lines.push(`  %v${i} : Tensor = aten::relu(${i ? `%v${i - 1}` : '%x'})`);
    lines.push('  return (%v1999)');
    const g = parseIR(`${lines.join('\n')}\n`);
    [...g.nodes()].forEach(
      (n, i) => (n.inlinedFrom = `stage${Math.floor(i / 200)}.block${Math.floor(i / 20) % 10}`),
    );
    const { recorder, state } = recorded(g);
    const r = recorder.record;
    const view = buildView(r.nodes, r.states[state].graph);
    const lastKey = r.nodes[r.states[state].graph.nodes[1999]].key;
    const open = defaultExpansion(view, new Set([lastKey]), 60);
    expect(visibleBoxes(view, open)).to.be.at.most(60);
    expect(open.has('m:top:stage9')).to.equal(true);
    expect(layoutInput(view, open).drawnKeys).to.include(lastKey);
  });

  it('classifies what a pass did: removed, added, rewritten, new inputs', () => {
    const g = parseIR(`graph(%x : Tensor):
  %a : Tensor = aten::relu(%x)
  %b : Tensor = aten::tanh(%a)
  %c : Tensor = aten::neg(%b)
  return (%c)
`);
    const recorder = new RunRecorder();
    const before = recorder.snapshotGraph('forward', g);
    const [relu, tanh, neg] = [...g.nodes()];
    neg.replaceInput(0, relu.output()); // neg reads relu now
    tanh.destroy();
    const sig = g.withInsertPoint(neg, () =>
      g.insert('aten::sigmoid', [relu.output()], [relu.output().type]),
    );
    relu.setS('note', 'x');
    const after = recorder.snapshotGraph('forward', g, before);
    const r = recorder.record;
    const key = (s: number, i: number): number => r.nodes[r.states[s].graph.nodes[i]].key;
    const changes = classifyChanges(r.nodes, r.states[before].graph, r.states[after].graph);
    expect(Object.fromEntries(changes)).to.deep.equal({
      [key(before, 0)]: 'rewritten',
      [key(before, 1)]: 'removed',
      [key(before, 2)]: 'rewired',
      [key(after, 1)]: 'added',
    });
    void sig;
  });
});
