// Property: on random int/bool expression graphs (constants, inputs, arithmetic, comparisons, prim::If),
// constant-propagation, peephole, peephole-non-tensor, CSE and DCE keep every output the interpreter computes.

import 'reflect-metadata';
import { expect } from 'chai';
import fc from 'fast-check';
import { parseIR, runPipeline } from '../../src/index.js';
import { runGraph } from '../../src/runtime/runtime.js';
import { testContainer } from './numeric.js';

type Step = { op: 'add' | 'sub' | 'mul' | 'floordiv' | 'lt' | 'if'; a: number; b: number; c: number };

// Builds IR text: %v0..%v2 are inputs, %v3..%v6 constants (0, 1, 2, 5), then one value per step.
function program(steps: readonly Step[], constants: readonly number[]): string {
  const lines = ['graph(%v0 : int, %v1 : int, %v2 : int):'];
  constants.forEach((k, i) => lines.push(`  %v${i + 3} : int = prim::Constant[value=${k}]()`));
  const ints: string[] = ['%v0', '%v1', '%v2', ...constants.map((_, i) => `%v${i + 3}`)];
  let n = 3 + constants.length;
  for (const s of steps) {
    const a = ints[s.a % ints.length];
    const b = ints[s.b % ints.length];
    const out = `%v${n++}`;
    if (s.op === 'lt' || s.op === 'if') {
      lines.push(`  %c${n} : bool = aten::lt(${a}, ${b})`);
      const other = ints[s.c % ints.length];
      lines.push(
        `  ${out} : int = prim::If(%c${n})`,
        `    block0():`,
        `      -> (${s.op === 'if' ? a : other})`,
      );
      lines.push(`    block1():`, `      -> (${other})`);
    } else if (s.op === 'floordiv') {
      lines.push(`  ${out} : int = aten::floordiv(${a}, %v${3 + 3})`); // by the constant 5: never zero
    } else {
      lines.push(`  ${out} : int = aten::${s.op}(${a}, ${b})`);
    }
    ints.push(out);
  }
  lines.push(`  return (${ints.slice(-3).join(', ')})`);
  return `${lines.join('\n')}\n`;
}

const step = fc.record({
  op: fc.constantFrom('add', 'sub', 'mul', 'floordiv', 'lt', 'if'),
  a: fc.nat(40),
  b: fc.nat(40),
  c: fc.nat(40),
}) as fc.Arbitrary<Step>;

describe('scalar passes (property)', () => {
  it('keep the outputs of random int expression graphs', () => {
    const pipeline =
      'fixpoint(constant-propagation,peephole,peephole-non-tensor,common-subexpression-elimination,dead-code-elimination)';
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.tuple(
          fc.integer({ min: -9, max: 9 }),
          fc.integer({ min: -9, max: 9 }),
          fc.integer({ min: -9, max: 9 }),
        ),
        (steps, inputs) => {
          const ir = program(steps, [0, 1, 2, 5]);
          const after = parseIR(ir);
          runPipeline(testContainer(), after, pipeline);
          expect(runGraph(after, inputs), ir).to.deep.equal(runGraph(parseIR(ir), inputs));
        },
      ),
      { numRuns: 80, seed: 20241129 },
    );
  });
});
