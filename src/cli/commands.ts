// The subcommands as `tsfreeze --help` lists them, each loaded only when it runs: listing them must not
// load the IR, the passes and the runtime (test/cli/commands.test.ts checks this table against them).

import type { Command } from 'commander';
import type { CliIO } from './process-io.js';

/** One subcommand: how the top-level help shows it, and how to build the real command. */
export interface CommandEntry {
  readonly name: string;
  /** The term `--help` lists (`name [options] <args>`), as commander prints it for the real command. */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<(io: CliIO) => Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'ir',
    term: 'ir',
    description: 'Read, check and print TorchScript IR text files',
    load: async () => (await import('./ir-command.js')).irCommand,
  },
  {
    name: 'opt',
    term: 'opt [options] [file]',
    description: 'run a pass pipeline on a TorchScript IR file or a .pt module and print or write the result',
    load: async () => (await import('./opt-command.js')).optCommand,
  },
  {
    name: 'freeze',
    term: 'freeze [options] <models...>',
    description: 'freeze a TorchScript model (.pt) as torch.jit.freeze does',
    load: async () => (await import('./freeze-command.js')).freezeCommand,
  },
  {
    name: 'run',
    term: 'run [options] <model>',
    description:
      'run a method of a TorchScript model on .npy inputs and write its outputs (.npy + outputs.json)',
    load: async () => (await import('./run-command.js')).runCommand,
  },
  {
    name: 'demo',
    term: 'demo [options]',
    description: 'freeze the bundled example model and compare its outputs before and after',
    load: async () => (await import('./demo-command.js')).demoCommand,
  },
  {
    name: 'show',
    term: 'show [options] <model>',
    description: 'show the module tree of a TorchScript model (.pt written by torch.jit.save)',
    load: async () => (await import('./show-command.js')).showCommand,
  },
  {
    name: 'viz',
    term: 'viz [options] <file>',
    description:
      'draw a graph (an IR file, or a method of a .pt model) as SVG or as a self-contained HTML page',
    load: async () => (await import('./viz-command.js')).vizCommand,
  },
];

/** Loads what every real command needs first: decorator metadata and the hooks of the entry point. */
export async function loadCommandRuntime(): Promise<void> {
  await import('reflect-metadata');
  const [{ installCodePrinter }, { installEntryHooks }] = await Promise.all([
    import('../serialization/printer/index.js'),
    import('../entry-hooks.js'),
  ]);
  // `--code` and the run/demo commands print `module.code`: TorchScript source, as PyTorch does.
  installCodePrinter();
  installEntryHooks();
}
