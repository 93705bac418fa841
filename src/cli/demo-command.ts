// `tsfreeze demo`: the README's first command. Freezes the bundled resnet18 (widths / 8), prints what
// changed, and checks the frozen model computes what the original does.

import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import pc from 'picocolors';
import { randn } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { createFreezeContainer, freeze } from '../../passes/freeze.js';
import { formatSummary } from './freeze-command.js';
import { loadModelFile, type CliIO } from './io.js';
import {
  InlinedSummaryInstrument,
  keptByFreeze,
  summarizeInlined,
  summaryInstrumentModule,
  summarizeModule,
} from './model-summary.js';

const DEFAULT_MODEL = fileURLToPath(new URL('../../../examples/resnet18_w8.pt', import.meta.url));

function maxAbsDiff(a: Tensor, b: Tensor): number {
  let worst = 0;
  for (let i = 0; i < a.numel; i++) worst = Math.max(worst, Math.abs(a.getNumber(i) - b.getNumber(i)));
  return worst;
}

export function demoCommand(io: CliIO): Command {
  return new Command('demo')
    .description('freeze the bundled example model and compare its outputs before and after')
    .option('--model <file>', 'another .pt to use', DEFAULT_MODEL)
    .action((flags: { model: string }) => {
      const t0 = performance.now();
      const module = loadModelFile(flags.model);
      const t1 = performance.now();
      // The summary before freezing: the freeze run's own inlined graph (see InlinedSummaryInstrument).
      const kept = keptByFreeze([]);
      const inlined = new InlinedSummaryInstrument(kept);
      const container = createFreezeContainer({ modules: [summaryInstrumentModule(inlined)] });
      const frozen = freeze(module, { container });
      const t2 = performance.now();
      io.out(
        formatSummary(
          flags.model,
          inlined.summary ?? summarizeInlined(module, kept),
          summarizeModule(frozen),
          {
            loadMs: t1 - t0,
            freezeMs: t2 - t1,
          },
        ),
      );
      const input = randn([1, 3, 64, 64], { seed: 0 });
      const before = module.forward(input) as Tensor;
      const after = frozen.forward(input) as Tensor;
      const diff = maxAbsDiff(before, after);
      io.out(
        `  outputs on a seeded 1x3x64x64 input: max |original - frozen| = ${diff.toExponential(2)} ${diff < 1e-3 ? pc.green('ok') : pc.red('MISMATCH')}\n`,
      );
      if (diff >= 1e-3) process.exitCode = 1;
    });
}
