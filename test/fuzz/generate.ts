// Turns (target, seed, index) into one input, reproducibly: the runner, its workers and the minimizer all
// regenerate the same bytes from the same numbers.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { irCase } from './mutators/ir.js';
import { npyCase } from './mutators/npy.js';
import { pipelineJson, pipelineText } from './mutators/pipeline.js';
import { PT_MUTATIONS } from './mutators/pt.js';
import { Rng } from './rng.js';
import type { TargetName } from './targets.js';

/** One generated input and the mutation that made it (for the summary). */
export interface GeneratedCase {
  readonly target: TargetName;
  readonly mutation: string;
  readonly data: Uint8Array | string;
}

interface Seeds {
  readonly pt: readonly Uint8Array[];
  readonly ir: readonly string[];
}

let seeds: Seeds | undefined;

/** Small real inputs from the test fixtures: .pt archives under 20 KB and their printed graphs. */
function loadSeeds(): Seeds {
  if (seeds) return seeds;
  const root = join(REPO_ROOT, 'test/fixtures');
  const pt: Uint8Array[] = [];
  const ir: string[] = [];
  for (const dir of readdirSync(root).sort()) {
    const module = join(root, dir, 'module.pt');
    try {
      // Copies: a Buffer's slice() is a view, and the mutators must never edit a seed in place.
      if (statSync(module).size < 20_000) pt.push(new Uint8Array(readFileSync(module)));
      ir.push(readFileSync(join(root, dir, 'graph.txt'), 'utf8'));
    } catch {
      // Not every fixture folder has both.
    }
  }
  seeds = { pt, ir };
  return seeds;
}

/** Case `index` of a run seeded `seed` on `target`. */
export function generateCase(target: TargetName, seed: number, index: number): GeneratedCase {
  const rng = Rng.forCase(seed, index);
  switch (target) {
    case 'pt': {
      const s = loadSeeds().pt;
      const kinds = Object.keys(PT_MUTATIONS);
      const mutation = rng.pick(kinds);
      return { target, mutation, data: PT_MUTATIONS[mutation](rng, rng.pick(s)) };
    }
    case 'ir':
      return { target, mutation: 'ir', data: irCase(rng, loadSeeds().ir) };
    case 'pipeline':
      return { target, mutation: 'pipeline-text', data: pipelineText(rng) };
    case 'pipeline-json':
      return { target, mutation: 'pipeline-json', data: pipelineJson(rng) };
    case 'npy':
      return { target, mutation: 'npy', data: npyCase(rng) };
  }
}
