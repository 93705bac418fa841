// `tsfreeze run MODEL.pt --input x.npy`: run a method (after an optional freeze), print its outputs and
// write them (outputs.json + .npy files) when asked.

import { mkdirSync } from 'node:fs';
import { Command } from 'commander';
import { freeze } from '../../passes/freeze.js';
import { loadModelFile, type CliIO } from './io.js';
import { parseInput, runOutputs } from './run-values.js';

interface RunFlags {
  input: string[];
  method: string;
  outputDir?: string;
  freeze?: boolean;
  preserve?: string[];
  optimizeNumerics: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const splitList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

export function runCommand(io: CliIO): Command {
  return new Command('run')
    .description(
      'run a method of a TorchScript model on .npy inputs and write its outputs (.npy + outputs.json)',
    )
    .argument('<model>', 'a .pt file written by torch.jit.save')
    .option(
      '--input <file|literal>',
      'an input: a .npy file, a value .json file, or a JSON literal (["a.npy","b.npy"] is a list of tensors); repeat in order',
      collect,
      [],
    )
    .option('--method <name>', 'the method to run', 'forward')
    .option('--output-dir <dir>', 'write outputs.json and output0.npy, output1.0.boxes.npy, ... here')
    .option('--freeze', 'freeze the model first')
    .option('--preserve <names>', 'with --freeze: attributes/methods to keep', splitList)
    .option('--no-optimize-numerics', 'with --freeze: skip the numerics-changing folds')
    .action((model: string, flags: RunFlags) => {
      let module = loadModelFile(model);
      if (flags.freeze)
        module = freeze(module, {
          preservedAttrs: flags.preserve ?? [],
          optimizeNumerics: flags.optimizeNumerics,
        });
      const inputs = flags.input.map(parseInput);
      const result = module.call(flags.method, ...inputs);
      const outputs = runOutputs(result, module.getMethod(flags.method).graph.outputs[0]?.type);
      io.out(outputs.lines.map((l) => `${l}\n`).join(''));
      if (flags.outputDir) {
        mkdirSync(flags.outputDir, { recursive: true });
        const written = outputs.write(flags.outputDir);
        io.out(`wrote ${written.length} files to ${flags.outputDir} (structure in outputs.json)\n`);
      }
    });
}
