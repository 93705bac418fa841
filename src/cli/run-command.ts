// `tsfreeze run MODEL.pt --input x.npy`: run a method (after an optional freeze) and write .npy outputs.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { TsFreezeError } from '../errors.js';
import { Tuple, type IValue } from '../ir/ivalue.js';
import { loadNpy, saveNpy } from '../tensor/npy.js';
import { Tensor } from '../tensor/tensor.js';
import { freeze } from '../../passes/freeze.js';
import { loadModelFile, type CliIO } from './io.js';

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

/** An input: a .npy file is a tensor; anything else is read as a JSON literal (3, 2.5, true, ["a"]). */
export function parseInput(arg: string): IValue {
  if (arg.endsWith('.npy')) return loadNpy(arg);
  try {
    return toIValue(JSON.parse(arg) as unknown, arg);
  } catch (error) {
    if (error instanceof TsFreezeError) throw error;
    throw new TsFreezeError('BAD_INPUT', `input '${arg}' is neither a .npy file nor a JSON literal`);
  }
}

function toIValue(v: unknown, arg: string): IValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => toIValue(x, arg));
  throw new TsFreezeError('BAD_INPUT', `input '${arg}': objects are not supported`);
}

/** Tensors of a (possibly nested) result in order; scalars become 0-dim tensors, strings are skipped. */
export function flattenOutputs(
  v: IValue,
  out: { tensor?: Tensor; text: string }[] = [],
): { tensor?: Tensor; text: string }[] {
  if (v instanceof Tensor) out.push({ tensor: v, text: `Tensor ${v.dtype} [${v.shape.join(', ')}]` });
  else if (v instanceof Tuple) for (const x of v.items) flattenOutputs(x, out);
  else if (Array.isArray(v)) for (const x of v) flattenOutputs(x, out);
  else if (typeof v === 'number')
    out.push({
      tensor: Tensor.fromArray(
        Number.isInteger(v) ? 'int64' : 'float64',
        [Number.isInteger(v) ? BigInt(v) : v],
        [],
      ),
      text: `${Number.isInteger(v) ? 'int' : 'float'} ${v}`,
    });
  else if (typeof v === 'boolean') out.push({ tensor: Tensor.fromArray('bool', [v], []), text: `bool ${v}` });
  else out.push({ text: `${typeof v} ${String(v)}` });
  return out;
}

export function runCommand(io: CliIO): Command {
  return new Command('run')
    .description('run a method of a TorchScript model on .npy inputs and write .npy outputs')
    .argument('<model>', 'a .pt file written by torch.jit.save')
    .option(
      '--input <file|literal>',
      'an input: a .npy file or a JSON literal (repeat in order)',
      collect,
      [],
    )
    .option('--method <name>', 'the method to run', 'forward')
    .option('--output-dir <dir>', 'write output0.npy, output1.npy, ... here')
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
      const outputs = flattenOutputs(result);
      if (flags.outputDir) mkdirSync(flags.outputDir, { recursive: true });
      outputs.forEach((o, i) => {
        let written = '';
        if (flags.outputDir && o.tensor) {
          // saveNpy writes atomically: a failure never leaves a half-written file.
          const path = join(flags.outputDir, `output${i}.npy`);
          saveNpy(path, o.tensor);
          written = ` -> ${path}`;
        }
        io.out(`output${i}: ${o.text}${written}\n`);
      });
    });
}
