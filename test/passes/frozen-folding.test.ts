// The optimizeNumerics group (fold-conv-bn, fold-conv-add-sub, fold-conv-mul-div) on PyTorch's frozen graphs:
// every fixture's graph before run_frozen_optimizations, folded to a fixpoint, has the node counts and the
// node order of PyTorch's frozen graph; freeze() on the real weights gives PyTorch's folded parameters bit
// for bit; and a conv -> mul -> add -> batch_norm chain folds into one conv.

import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { scaleRows } from '../../passes/frozen-folding.js';
import { freeze } from '../../passes/index.js';
import { parseIR, runPipeline, Tensor, toIValue, type Graph, type Node } from '../../src/index.js';
import { loadModule } from '../../src/serialization/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';
import { lossyGraphDump } from '../support/lossy-graph-dump.js';

const FIXTURES = `${REPO_ROOT}test/fixtures/`;
const GROUP = 'fixpoint(fold-conv-bn,fold-conv-add-sub,fold-conv-mul-div,dead-code-elimination)';

interface FixtureCase {
  readonly settings: { readonly optimize_numerics: boolean };
  readonly expected: {
    readonly frozen_node_counts: Readonly<Record<string, number>>;
    readonly frozen_total_nodes: number;
  };
}

function counts(g: Graph): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of g.allNodes()) m.set(n.kind, (m.get(n.kind) ?? 0) + 1);
  return m;
}

const nonConstantKinds = (g: Graph): string[] =>
  [...g.allNodes()].map((n) => n.kind).filter((k) => k !== 'prim::Constant');

// What PyTorch folds in the cases that exercise folding (read off each case's frozen_graph.txt).
const FOLDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  conv_bn_relu: { 'fold-conv-bn': 3 },
  conv_bn_1d_3d: { 'fold-conv-bn': 2 },
  traced_conv_bn: { 'fold-conv-bn': 1 },
  conv_bn_not_foldable: {},
  conv_add_mul: { 'fold-conv-add-sub': 1 },
  conv_binary_variants: { 'fold-conv-add-sub': 2, 'fold-conv-mul-div': 3 },
  conv_int_operands: { 'fold-conv-add-sub': 2, 'fold-conv-mul-div': 2 },
  tv_resnet18_w8: { 'fold-conv-bn': 20 },
  tv_resnet18_full_graphs: { 'fold-conv-bn': 20 },
  tv_mobilenet_v2_w8: { 'fold-conv-bn': 52 },
  tv_squeezenet1_0_w4: {},
};

describe('optimizeNumerics folding on the PyTorch fixtures', () => {
  const cases = readdirSync(FIXTURES).filter(
    (c) =>
      existsSync(`${FIXTURES}${c}/frozen_unoptimized_graph.txt`) &&
      !lossyGraphDump(readFileSync(`${FIXTURES}${c}/frozen_unoptimized_graph.txt`, 'utf8')),
  );

  it('finds the fixtures', () => expect(cases.length).to.be.greaterThan(30));

  for (const name of cases) {
    it(`${name}: after remove-dropout and the folding group, node counts and order match PyTorch's frozen graph`, () => {
      const dir = `${FIXTURES}${name}/`;
      const meta = JSON.parse(readFileSync(`${dir}case.json`, 'utf8')) as FixtureCase;
      const graph = parseIR(readFileSync(`${dir}frozen_unoptimized_graph.txt`, 'utf8'), {
        file: `${name}/frozen_unoptimized_graph.txt`,
      });
      const pipeline = meta.settings.optimize_numerics
        ? `remove-dropout,${GROUP}`
        : 'remove-dropout,dead-code-elimination';
      const report = runPipeline(testContainer(), graph, pipeline);
      const ours = counts(graph);
      for (const [kind, n] of Object.entries(meta.expected.frozen_node_counts))
        expect(ours.get(kind) ?? 0, `${kind} count`).to.equal(n);
      expect(
        [...ours.values()].reduce((a, b) => a + b, 0),
        'total nodes',
      ).to.equal(meta.expected.frozen_total_nodes);
      const pytorch = parseIR(readFileSync(`${dir}frozen_graph.txt`, 'utf8'));
      expect(nonConstantKinds(graph), 'non-constant nodes in order').to.deep.equal(nonConstantKinds(pytorch));
      const expectedFolds = FOLDS[name];
      if (expectedFolds) {
        const folds: Record<string, number> = {};
        for (const pass of ['fold-conv-bn', 'fold-conv-add-sub', 'fold-conv-mul-div']) {
          const n = report.statistics[pass]?.folded;
          if (n) folds[pass] = n;
        }
        expect(folds, 'folds').to.deep.equal(expectedFolds);
      }
    });
  }

  it('conv_bn_not_foldable: remarks say why each batch_norm stays', () => {
    const graph = parseIR(
      readFileSync(`${FIXTURES}conv_bn_not_foldable/frozen_unoptimized_graph.txt`, 'utf8'),
    );
    const report = runPipeline(testContainer(), graph, 'fold-conv-bn');
    expect(report.remarks.map((r) => `${r.node ?? ''}: ${r.message}`)).to.deep.equal([
      'aten::batch_norm -> %58: not folded: conv output has other users',
      'aten::batch_norm -> %y0.1: not folded: conv output has other users',
      'aten::batch_norm -> %213: not folded: aten::conv_transpose2d is a transposed convolution',
    ]);
  });
});

describe("freeze() on real weights: folded parameters equal those in PyTorch 1.13's frozen.pt", () => {
  const convOrLinear = (g: Graph): Node[] =>
    [...g.allNodes()].filter((n) =>
      /^aten::(conv[123]d|_convolution|conv_transpose\w*|linear)$/.test(n.kind),
    );
  for (const name of [
    'conv_bn_relu',
    'conv_bn_1d_3d',
    'traced_conv_bn',
    'conv_add_mul',
    'conv_binary_variants',
    'conv_int_operands',
    'tv_resnet18_w8',
  ]) {
    it(`${name}: every conv/linear weight and bias is bit-identical`, () => {
      const ours = convOrLinear(freeze(loadModule(`${FIXTURES}${name}/module.pt`)).graph);
      const pytorch = convOrLinear(loadModule(`${FIXTURES}${name}/frozen.pt`).graph);
      expect(ours.map((n) => n.kind)).to.deep.equal(pytorch.map((n) => n.kind));
      ours.forEach((node, k) => {
        for (const i of [1, 2]) {
          const [a, b] = [toIValue(node.inputs[i]), toIValue(pytorch[k].inputs[i])];
          if (!(b instanceof Tensor)) {
            expect(a, `${node.kind} #${k} input ${i}`).to.equal(b);
            continue;
          }
          expect(a, `${node.kind} #${k} input ${i}`).to.be.instanceOf(Tensor);
          expect((a as Tensor).dtype).to.equal(b.dtype);
          expect((a as Tensor).shape).to.deep.equal(b.shape);
          const differing = b.toArray().filter((v, j) => !Object.is((a as Tensor).getNumber(j), v)).length;
          expect(differing, `${node.kind} #${k} input ${i}: elements differing`).to.equal(0);
        }
      });
    });
  }
});

describe('freeze() folds into new tensors: the input module keeps its weights', () => {
  const bytes = (t: Tensor): Buffer => {
    const d = t.storage.data;
    return Buffer.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  };
  for (const name of ['conv_bn_relu', 'tv_resnet18_w8']) {
    it(`${name}: every parameter and buffer of the input is the same tensor with the same bytes after freeze`, () => {
      const module = loadModule(`${FIXTURES}${name}/module.pt`);
      const tensors = [...module.namedParameters(), ...module.namedBuffers()];
      const before = tensors.map(([, t]) => bytes(t));
      const frozen = freeze(module);
      const after = [...module.namedParameters(), ...module.namedBuffers()];
      expect(after.map(([n]) => n)).to.deep.equal(tensors.map(([n]) => n));
      after.forEach(([n, t], i) => {
        expect(t, n).to.equal(tensors[i][1]);
        expect(bytes(t).equals(before[i]), `${n} bytes`).to.equal(true);
      });
      // The folds ran and wrote other values: a fold in place would have changed the input above.
      const folded = [...frozen.graph.allNodes()]
        .filter((n) => n.kind.startsWith('aten::conv'))
        .map((n) => toIValue(n.inputs[1]) as Tensor);
      expect(folded.length).to.be.greaterThan(0);
      const originals = new Set(tensors.map(([, t]) => t.storage.data.buffer));
      for (const w of folded)
        expect(originals.has(w.storage.data.buffer), 'folded weight storage').to.equal(false);
    });
  }
});

describe('optimizeNumerics folding group', () => {
  const CHAIN = `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 1, 1)>"AACAPwAAAEAAAEBAAACAQAAAoEAAAMBA"]()
  %b : Tensor = prim::Constant[value=tensor<Float(3)>"AACAPwAAAMAAAEBA"]()
  %m : Tensor = prim::Constant[value=tensor<Float(1, 3, 1, 1)>"AAAAPwAAgD8AAABA"]()
  %g : Tensor = prim::Constant[value=tensor<Float(3)>"AADAPwAAAD8AAIA/"]()
  %beta : Tensor = prim::Constant[value=tensor<Float(3)>"zczMPc3MTL6amZk+"]()
  %mean : Tensor = prim::Constant[value=tensor<Float(3)>"AAAAPwAAgL8AAAAA"]()
  %var : Tensor = prim::Constant[value=tensor<Float(3)>"AAAAQAAAgD8AAAA/"]()
  %a : float = prim::Constant[value=0.25]()
  %s : int[] = prim::Constant[value=[1, 1]]()
  %p : int[] = prim::Constant[value=[0, 0]]()
  %one : int = prim::Constant[value=1]()
  %false : bool = prim::Constant[value=0]()
  %momentum : float = prim::Constant[value=0.1]()
  %eps : float = prim::Constant[value=1.0000000000000001e-05]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %s, %p, %s, %one)
  %y1 : Tensor = aten::mul(%y, %m)
  %y2 : Tensor = aten::add(%y1, %a, %one)
  %y3 : Tensor = aten::batch_norm(%y2, %g, %beta, %mean, %var, %false, %momentum, %eps, %false)
  %r : Tensor = aten::relu(%y3)
  return (%r)
`;

  it('folds conv -> mul -> add -> batch_norm into one conv and keeps the outputs (rtol 1e-4, atol 1e-5)', () => {
    const after = checkPipelineKeepsOutputs({
      ir: CHAIN,
      pipeline: GROUP,
      inputs: (seed) => [seeded([2, 2, 4, 4], seed)],
      tolerance: { rtol: 1e-4, atol: 1e-5 },
    });
    expect(nonConstantKinds(after)).to.deep.equal(['aten::conv2d', 'aten::relu']);
  });

  it('needs three rounds: the batch_norm folds only once mul and add are gone, then a fourth finds nothing', () => {
    const graph = parseIR(CHAIN);
    const report = runPipeline(testContainer(), graph, GROUP);
    const changes = report.executed
      .filter((e) => e.pass.startsWith('fold-'))
      .map((e) => (e.changed ? e.pass : '-'));
    expect(changes).to.deep.equal([
      '-',
      '-',
      'fold-conv-mul-div',
      '-',
      'fold-conv-add-sub',
      '-',
      'fold-conv-bn',
      '-',
      '-',
      '-',
      '-',
      '-',
    ]);
    expect(report.statistics['fold-conv-bn']).to.deep.equal({ folded: 1 });
    expect(report.statistics['fold-conv-add-sub']).to.deep.equal({ folded: 1 });
    expect(report.statistics['fold-conv-mul-div']).to.deep.equal({ folded: 1 });
  });
});

describe('frozen-folding helpers', () => {
  it('scaleRows scales each output channel, also for strided and half-precision weights', () => {
    const contiguous = Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [2, 3]);
    const factor = Float64Array.from([10, 0.1]);
    const expected = [10, 20, 30, 0.4, 0.5, 0.6].map(Math.fround);
    expect(scaleRows(contiguous, factor, 'float32', 'mul').toArray()).to.deep.equal(expected);
    const strided = Tensor.fromArray('float32', [1, 4, 2, 5, 3, 6], [3, 2]).t(); // [[1, 2, 3], [4, 5, 6]], not contiguous
    expect(strided.isContiguous).to.equal(false);
    expect(scaleRows(strided, factor, 'float32', 'mul').toArray()).to.deep.equal(expected);
    const half = scaleRows(Tensor.fromArray('float16', [1, 2, 3, 4, 5, 6], [2, 3]), factor, 'float16', 'div');
    expect(half.dtype).to.equal('float16');
    expect(half.toArray()).to.deep.equal(
      [0.1, 0.2, 0.3, 40, 50, 60].map((v) => Tensor.fromArray('float16', [v], [1]).getNumber(0)),
    );
    const divided = scaleRows(Tensor.fromArray('float64', [1, 2, 3, 4], [2, 2]), factor, 'float64', 'div');
    expect(divided.toArray()).to.deep.equal([1 / 10, 2 / 10, 3 / 0.1, 4 / 0.1]);
  });

  it('scaleRows on a weight large enough for the WASM kernel equals the float32 arithmetic, factors rounded to float32', () => {
    const [rows, rowSize] = [70, 1001];
    const data = Float32Array.from({ length: rows * rowSize }, (_, i) => Math.sin(i) * 3);
    const factor = Float64Array.from({ length: rows }, (_, r) => (r === 3 ? 16777217 : 0.1 + r / 7));
    for (const op of ['mul', 'div'] as const) {
      const out = scaleRows(Tensor.fromStorage('float32', data, [rows, rowSize]), factor, 'float32', op);
      const differing = data.filter((x, i) => {
        const f = Math.fround(factor[Math.floor(i / rowSize)]);
        return !Object.is(out.getNumber(i), Math.fround(op === 'mul' ? x * f : x / f));
      }).length;
      expect(differing, op).to.equal(0);
    }
  });
});
