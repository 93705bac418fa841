// The `tsfreeze` command: subcommands mounted on one commander program; errors become exit code 1.

import { Command } from 'commander';
import { installCodePrinter } from '../serialization/printer/index.js';
import { installEntryHooks } from '../entry-hooks.js';
import { demoCommand } from './demo-command.js';
import { freezeCommand } from './freeze-command.js';
import { irCommand } from './ir-command.js';
import { optCommand } from './opt-command.js';
import { reportError } from './report-error.js';
import { runCommand } from './run-command.js';
import { showCommand } from './show-command.js';
import { vizCommand } from './viz-command.js';
import { processIO, type CliIO } from './io.js';

export { processIO, type CliIO } from './io.js';

/** Builds the program. Each subcommand registers itself from its own file. */
export function buildProgram(io: CliIO): Command {
  // `--code` and the run/demo commands print `module.code`: TorchScript source, as PyTorch does.
  installCodePrinter();
  installEntryHooks();
  const program = new Command('tsfreeze')
    .description('Freeze TorchScript modules and run optimization pipelines over TorchScript IR')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  // addCommand does not pass settings down: give each subcommand the program's output and exit handling.
  for (const command of [
    irCommand,
    optCommand,
    freezeCommand,
    runCommand,
    demoCommand,
    showCommand,
    vizCommand,
  ])
    program.addCommand(command(io).copyInheritedSettings(program));
  return program;
}

/** Runs the CLI; returns the exit code. Known errors print their message only (no stack trace). */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

export { reportError } from './report-error.js';
