// Test helpers for the folding passes: run a PyTorch golden through a pipeline and compare the folded
// weight and bias with PyTorch 1.13's bit for bit, and check the graph's outputs before and after.

import { expect } from 'chai';
import {
  parseIR,
  runPipeline,
  Tensor,
  toIValue,
  type Graph,
  type IValue,
  type Node,
  type RunReport,
} from '../../src/index.js';
import { FOLD_GOLDENS } from './fold-goldens.js';
import { checkPipelineKeepsOutputs, seeded, testContainer } from './numeric.js';

/** Reads a tensor written in the IR's lossless form (`tensor<Float(2)>"..."`). */
export function losslessTensor(text: string): Tensor {
  const value = toIValue(
    parseIR(`graph():\n  %t : Tensor = prim::Constant[value=${text}]()\n  return (%t)\n`).outputs[0],
  );
  if (!(value instanceof Tensor)) throw new Error(`not a tensor literal: ${text.slice(0, 40)}`);
  return value;
}

/** Asserts two tensors have the same dtype, shape and bits. */
export function expectSameBits(actual: IValue | undefined, expected: Tensor, what: string): void {
  expect(actual, what).to.be.instanceOf(Tensor);
  const a = actual as Tensor;
  expect(a.dtype, `${what} dtype`).to.equal(expected.dtype);
  expect(a.shape, `${what} shape`).to.deep.equal(expected.shape);
  const differing: number[] = [];
  for (let i = 0; i < expected.numel; i++)
    if (!Object.is(a.getNumber(i), expected.getNumber(i))) differing.push(i);
  expect(differing, `${what}: elements differing from PyTorch`).to.deep.equal([]);
}

/** The node a golden folds into (the conv or linear). */
function foldTarget(graph: Graph): Node {
  const node = [...graph.allNodes()].find(
    (n) => n.kind.startsWith('aten::conv') || n.kind === 'aten::linear',
  );
  if (!node) throw new Error('no conv or linear left');
  return node;
}

/** Runs `pipeline` on golden `name`; checks only the conv/linear remains and its weight and bias are PyTorch's. */
export function expectFoldedLikePyTorch(name: string, pipeline: string): RunReport {
  const golden = FOLD_GOLDENS[name];
  const graph = parseIR(golden.ir);
  const report = runPipeline(testContainer(), graph, `${pipeline},dead-code-elimination`);
  const kinds = [...graph.allNodes()].map((n) => n.kind).filter((k) => k !== 'prim::Constant');
  expect(kinds, 'nodes left').to.have.length(1);
  const target = foldTarget(graph);
  expectSameBits(toIValue(target.inputs[1]), losslessTensor(golden.weight), `${name} weight`);
  if (golden.bias === null) expect(toIValue(target.inputs[2]), `${name} bias`).to.equal(null);
  else expectSameBits(toIValue(target.inputs[2]), losslessTensor(golden.bias), `${name} bias`);
  return report;
}

/** Runs golden `name` before and after `pipeline` on seeded inputs and compares within rtol 1e-4, atol 1e-5. */
export function expectGoldenKeepsOutputs(name: string, pipeline: string): Graph {
  const golden = FOLD_GOLDENS[name];
  return checkPipelineKeepsOutputs({
    ir: golden.ir,
    pipeline,
    inputs: (seed) => [seeded(golden.input, seed).to(golden.dtype)],
    seeds: [0, 1, 2],
    tolerance: { rtol: 1e-4, atol: 1e-5 },
  });
}
