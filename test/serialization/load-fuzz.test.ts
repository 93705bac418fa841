// Mutated archives (code files edited at random, pickle bytes overwritten, with valid zip checksums) either
// load or fail with a typed TsFreezeError: never a raw TypeError/RangeError, never a hang.

import { join } from 'node:path';
import { expect } from 'chai';
import { cpuMillisSince } from '../support/cpu-budget.js';
import { TsFreezeError } from '../../src/errors.js';
import { loadModule } from '../../src/serialization/index.js';
import { buildArchive, readArchive } from '../../src/serialization/zip/index.js';
import { FIXTURES } from './zip-test-helpers.js';

const CASES = [
  'control_flow',
  'nested_submodules',
  'optional_attrs',
  'interface_submodule',
  'non_tensor_inputs',
];
const SNIPPETS = [
  '(',
  ')',
  ':',
  'None',
  'self',
  'torch.add(',
  ', ',
  'x',
  '1',
  '"s"',
  '[',
  ']',
  'if ',
  'else:',
  '\n    ',
  'return ',
  'unchecked_cast(',
  'Tensor',
  'int',
  'ops.prim.',
  '.',
  '=',
  'annotate(List[int], [])',
  'for i in range(3):',
  'while True:',
  'break',
  'continue',
  'self.training',
  '__torch__.',
  'CONSTANTS.c0',
];

// A small deterministic generator, so a failure names a reproducible iteration.
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function mutateText(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(rand() * out.length);
    const r = rand();
    if (r < 0.4) out = out.slice(0, at) + SNIPPETS[Math.floor(rand() * SNIPPETS.length)] + out.slice(at);
    else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 10));
    else {
      const from = Math.floor(rand() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 20) + out.slice(at);
    }
  }
  return out;
}

describe('load: fuzzed archives fail with typed errors only', () => {
  it('120 mutated archives', function () {
    this.timeout(120_000);
    const rand = generator(20251129);
    const outcomes = { loaded: 0, typed: 0 };
    for (let it = 0; it < 120; it++) {
      const name = CASES[Math.floor(rand() * CASES.length)];
      const archive = readArchive(join(FIXTURES, name, 'module.pt'));
      const names = archive.names();
      const targets = names.filter((n) => n.endsWith('.py') || n === 'data.pkl' || n === 'constants.pkl');
      const target = targets[Math.floor(rand() * targets.length)];
      let data: Uint8Array | string;
      if (target.endsWith('.py')) {
        data = mutateText(archive.readText(target), rand);
      } else {
        const bytes = Uint8Array.from(archive.read(target));
        for (let k = 0; k < 1 + Math.floor(rand() * 3); k++)
          bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        data = bytes;
      }
      const rebuilt = buildArchive(
        names.map((n) => ({ name: n, data: n === target ? data : archive.read(n) })),
        { folder: 'module' },
      );
      const start = process.cpuUsage();
      try {
        loadModule(rebuilt, { name: `${name}#${it}.pt` });
        outcomes.loaded++;
      } catch (error) {
        if (!(error instanceof TsFreezeError)) {
          throw new Error(
            `iteration ${it} (${name}, ${target}) escaped as ${(error as Error).name}: ${(error as Error).stack}`,
          );
        }
        outcomes.typed++;
      }
      expect(cpuMillisSince(start), `iteration ${it}`).to.be.below(30_000);
    }
    expect(outcomes.loaded + outcomes.typed).to.equal(120);
    expect(outcomes.typed).to.be.greaterThan(60);
  });
});
