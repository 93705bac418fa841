// `tsfreeze show MODEL.pt`: the module tree of a TorchScript archive (classes, parameters and buffers with
// dtypes and shapes, attributes with values, methods); `--graph [METHOD]` prints a method's IR and
// `--code` the TorchScript source stored in the archive.

import { Command } from 'commander';
import { TsFreezeError } from '../errors.js';
import { printGraph } from '../ir/text/printer.js';
import { loadArchive, type LoadedArchive } from '../serialization/load/load-module.js';
import { defaultOperatorRegistry } from '../runtime/runtime.js';
import type { CliIO } from './io.js';
import { renderOps } from './show-ops.js';
import { renderModuleTree, renderTotals } from './show-format.js';

interface ShowFlags {
  graph?: string | boolean;
  code?: boolean;
  ops?: boolean;
  json?: boolean;
}

// Loading errors already name the file; other failures get it prefixed. `show` is where an archive is
// inspected, so it checks the CRC-32 of every record, tensor data included (loading does not by default).
function load(path: string): LoadedArchive {
  try {
    return loadArchive(path, { verifyChecksums: true });
  } catch (error) {
    if (error instanceof TsFreezeError && !error.message.includes(path)) {
      throw new TsFreezeError(error.code, `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The code files of the archive, in archive order, each under a `# <entry>` header. */
function archiveCode(loaded: LoadedArchive): string {
  // There is no code printer for graphs yet: this is the source torch.jit.save stored, not regenerated code.
  const files = loaded.archive.list('code/').filter((name) => name.endsWith('.py'));
  return files.map((name) => `# ${name}\n${loaded.archive.readText(name).replace(/\n?$/, '\n')}`).join('\n');
}

export function showCommand(io: CliIO): Command {
  return new Command('show')
    .description('show the module tree of a TorchScript model (.pt written by torch.jit.save)')
    .argument('<model>', 'a .pt file written by torch.jit.save')
    .option('--graph [method]', "print a method's graph as IR text (default: forward)")
    .option('--code', 'print the TorchScript source stored in the archive')
    .option('--ops', 'list the operators the model calls and which lack a kernel')
    .option('--json', 'with --ops: print the list as JSON')
    .action((path: string, flags: ShowFlags) => {
      const loaded = load(path);
      const module = loaded.module;
      if (flags.ops) {
        io.out(renderOps(path, module, defaultOperatorRegistry(), flags.json));
        return;
      }
      if (flags.graph !== undefined) {
        const name =
          typeof flags.graph === 'string'
            ? flags.graph
            : module.hasMethod('forward')
              ? 'forward'
              : module.methodNames()[0];
        if (name === undefined || !module.hasMethod(name)) {
          const known = module.methodNames();
          throw new TsFreezeError(
            'NO_METHOD',
            `${path}: ${module.type.qualifiedName} has no method '${name ?? 'forward'}' (it has: ${known.join(', ') || 'none'})`,
          );
        }
        io.out(printGraph(module.getMethod(name).graph));
        return;
      }
      if (flags.code) {
        io.out(archiveCode(loaded));
        return;
      }
      io.out(
        `${path}: TorchScript archive version ${loaded.version}, ${loaded.cu.types.length} classes, ${loaded.constants.length} constants\n`,
      );
      io.out(renderTotals(module));
      io.out(renderModuleTree(module));
    });
}
