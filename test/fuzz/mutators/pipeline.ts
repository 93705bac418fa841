// Pipeline inputs: random pipeline text and JSON from the grammar (real and misspelt pass names, options,
// fixpoint/when groups), token edits, and hostile shapes (deep groups, huge names, named-pipeline chains
// and diamonds that expand exponentially).

import type { Rng } from '../rng.js';
import { mutateTokens, nest } from './bytes.js';

const PASSES = [
  'dead-code-elimination',
  'common-subexpression-elimination',
  'constant-pooling',
  'peephole',
  'constant-propagation',
  'unroll-constant-loops',
  'eliminate-no-ops',
  'lower-simple-tuples',
  'peephole-non-tensor',
  'remove-dropout',
  'inline-submodules',
  'freeze',
  'dead-code-elimnation',
  'no-such-pass',
  'fold-conv-bn',
];

function element(rng: Rng, depth: number): string {
  const r = rng.int(10);
  if (r < 6 || depth > 3) {
    const name = rng.pick(PASSES);
    if (rng.chance(0.2))
      return `${name}{${rng.pick(['maxRepeats', 'factor', 'x', 'interfaces'])}=${rng.pick(['1', '0', '-5', 'true', '"s"', '[a,b]', '$opt', '99999999'])}}`;
    return name;
  }
  const body = Array.from({ length: rng.range(0, 3) }, () => element(rng, depth + 1)).join(',');
  if (r < 8) return `fixpoint${rng.chance(0.5) ? `{max=${rng.pick([1, 3, 0, 1000])}}` : ''}(${body})`;
  if (rng.chance(0.3))
    return `${rng.pick(['methods(forward', 'methods(forward,helper', 'submodules(layer1.0', 'submodules(x'])}: ${body})`;
  return `when{option=${rng.pick(['opt', 'missing'])}}(${body})`;
}

/** Random pipeline text. */
export function pipelineText(rng: Rng): string {
  const r = rng.int(10);
  if (r < 5) return Array.from({ length: rng.range(1, 5) }, () => element(rng, 0)).join(',');
  if (r < 8)
    return mutateTokens(rng, pipelineText(rng), [
      '(',
      ')',
      '{',
      '}',
      ',',
      '=',
      'fixpoint',
      'when',
      '$',
      '[',
      ']',
      '"',
    ]);
  const n = rng.pick([100, 999, 1001, 10000]);
  switch (rng.int(3)) {
    case 0:
      return nest('fixpoint(', 'peephole', ')', n);
    case 1:
      return `${'x'.repeat(rng.pick([1000, 100000, 1000000]))}`;
    default:
      return `peephole{v=${nest('[', '1', ']', n)}}`;
  }
}

function jsonElement(rng: Rng, depth: number): unknown {
  if (depth > 3 || rng.chance(0.6))
    return rng.chance(0.7)
      ? rng.pick(PASSES)
      : { pass: rng.pick(PASSES), options: { maxRepeats: rng.interestingInt().toString() } };
  const passes = Array.from({ length: rng.range(0, 3) }, () => jsonElement(rng, depth + 1));
  return rng.chance(0.5)
    ? { fixpoint: { max: rng.pick([1, 2, 0, -1]) }, passes }
    : { when: { option: 'opt' }, passes };
}

/** Random pipeline JSON: a pipeline, a set of named pipelines to run, or something hostile. */
export function pipelineJson(rng: Rng): string {
  const r = rng.int(10);
  if (r < 4)
    return JSON.stringify({ passes: Array.from({ length: rng.range(1, 4) }, () => jsonElement(rng, 0)) });
  if (r < 6)
    return mutateTokens(rng, pipelineJson(rng), [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"passes"',
      '"fixpoint"',
      'null',
      '1e999',
    ]);
  if (r < 8) return namedPipelines(rng.pick(['chain', 'diamond'] as const), rng.pick([5, 20, 100, 10000]));
  const n = rng.pick([100, 1000, 5000]);
  return `{"passes": [${nest('{"fixpoint": {}, "passes": [', '"peephole"', ']}', n)}]}`;
}

/**
 * Named pipelines p0..p(n-1): a chain (p_i runs p_(i+1)) or a diamond (p_i runs p_(i+1) twice, 2^n
 * expansion), run from p0.
 */
export function namedPipelines(shape: 'chain' | 'diamond', n: number): string {
  const pipelines = Array.from({ length: n }, (_, i) => ({
    name: `p${i}`,
    passes: i === n - 1 ? ['peephole'] : shape === 'chain' ? [`p${i + 1}`] : [`p${i + 1}`, `p${i + 1}`],
  }));
  return JSON.stringify({ pipelines, run: 'p0' });
}
