// Numeric checks for pass tests: run a graph before and after a pipeline on seeded inputs through the
// interpreter and compare the outputs with explicit rtol/atol.

import { expect } from 'chai';
import { AliasAnalysis } from '../../passes/alias-analysis.js';
import { builtinPassesModule } from '../../passes/index.js';
import {
  analysesModule,
  BufferSink,
  createContainer,
  parseIR,
  Tensor,
  Tuple,
  type Graph,
  type IValue,
} from '../../src/index.js';
import { runGraph } from '../../src/runtime/runtime.js';
import { allClose, maxAbsDiff } from '../../src/tensor/allclose.js';
import { randn } from '../../src/tensor/random.js';
import { runPipeline } from '../../src/index.js';

/** Tolerances for comparing outputs. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** What a numeric check runs. */
export interface NumericCase {
  /** The graph as IR text (parsed twice: the reference and the one the pipeline rewrites). */
  readonly ir: string;
  readonly pipeline: string;
  /** The graph inputs for one seed. */
  readonly inputs: (seed: number) => IValue[];
  readonly seeds?: readonly number[];
  readonly tolerance?: Tolerance;
}

/** A seeded float32 normal tensor. */
export function seeded(shape: readonly number[], seed: number): Tensor {
  return randn(shape, { seed });
}

/** The analyses the passes under test request (the FileCheck runner's default container lacks them). */
export const testAnalysesModule = analysesModule([AliasAnalysis]);

/** A container with the built-in passes, their analyses and verify-each on, as the FileCheck runner makes it. */
export function testContainer(): ReturnType<typeof createContainer> {
  return createContainer({
    output: new BufferSink(),
    instrumentation: { verifyEach: true, reproducer: false },
    modules: [builtinPassesModule, testAnalysesModule],
  });
}

/** Compares two interpreter values: tensors within tolerance (same shape and dtype), the rest exactly. */
export function expectClose(actual: IValue, expected: IValue, tol: Tolerance, path = 'output'): void {
  if (expected instanceof Tensor) {
    expect(actual, path).to.be.instanceOf(Tensor);
    const a = actual as Tensor;
    expect(a.shape, `${path} shape`).to.deep.equal(expected.shape);
    expect(a.dtype, `${path} dtype`).to.equal(expected.dtype);
    expect(allClose(a, expected, tol), `${path}: max |diff| ${maxAbsDiff(a, expected)}`).to.equal(true);
  } else if (expected instanceof Tuple || Array.isArray(expected)) {
    const e = expected instanceof Tuple ? expected.items : expected;
    const a = actual instanceof Tuple ? actual.items : (actual as IValue[]);
    expect(a.length, `${path} length`).to.equal(e.length);
    e.forEach((item, i) => expectClose(a[i], item, tol, `${path}[${i}]`));
  } else {
    expect(actual, path).to.deep.equal(expected);
  }
}

/**
 * Runs `c.pipeline` on a copy of the graph, then both graphs on every seed's inputs, and checks the
 * outputs agree. Returns the rewritten graph (for structural assertions).
 */
export function checkPipelineKeepsOutputs(c: NumericCase): Graph {
  const before = parseIR(c.ir);
  const after = parseIR(c.ir);
  runPipeline(testContainer(), after, c.pipeline);
  const tol = c.tolerance ?? { rtol: 1e-5, atol: 1e-6 };
  for (const seed of c.seeds ?? [0, 1, 2]) {
    const expected = runGraph(before, c.inputs(seed));
    const actual = runGraph(after, c.inputs(seed));
    expect(actual.length).to.equal(expected.length);
    expected.forEach((e, i) => expectClose(actual[i], e, tol, `seed ${seed} output ${i}`));
  }
  return after;
}
