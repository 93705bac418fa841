// `tsfreeze ir print FILE` and `tsfreeze ir verify FILE`: read IR text, check it, print it back.

import { Command } from 'commander';
import { verify } from '../ir/verify.js';
import { parseIRFile, printGraph } from '../ir/text/index.js';
import type { CliIO } from './io.js';

export function irCommand(io: CliIO): Command {
  const ir = new Command('ir').description('Read, check and print TorchScript IR text files');
  ir.command('print')
    .description('parse an IR file and print it back (PyTorch print(graph) format)')
    .argument('<file>', 'IR text file')
    .option('--lossless', 'print tensor constants in the exact, re-parseable form')
    .option('--no-verify', 'skip the verifier')
    .action((file: string, opts: { lossless?: boolean; verify: boolean }) => {
      const graph = parseIRFile(file);
      if (opts.verify) verify(graph);
      io.out(printGraph(graph, { tensorStyle: opts.lossless ? 'lossless' : 'pytorch' }));
    });
  ir.command('verify')
    .description('parse an IR file and run the verifier')
    .argument('<file>', 'IR text file')
    .action((file: string) => {
      const graph = parseIRFile(file);
      verify(graph);
      let nodes = 0;
      for (const _ of graph.allNodes()) nodes++;
      io.out(
        `${file}: ok (${nodes} nodes, ${graph.inputs.length} inputs, ${graph.outputs.length} outputs)\n`,
      );
    });
  return ir;
}
