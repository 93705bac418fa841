// The `tsfreeze` command: subcommands mounted on one commander program; errors become exit code 1.

import { Command, CommanderError } from 'commander';
import { TsFreezeError } from '../errors.js';
import { installCodePrinter } from '../serialization/printer/index.js';
import { demoCommand } from './demo-command.js';
import { freezeCommand } from './freeze-command.js';
import { irCommand } from './ir-command.js';
import { optCommand } from '../pipeline/cli-opt.js';
import { builtinContainerModules } from '../../passes/freeze.js';
import { runCommand } from './run-command.js';
import { showCommand } from './show-command.js';
import { processIO, type CliIO } from './io.js';

export { processIO, type CliIO } from './io.js';

/** Builds the program. Each subcommand registers itself from its own file. */
export function buildProgram(io: CliIO): Command {
  // `--code` and the run/demo commands print `module.code`: TorchScript source, as PyTorch does.
  installCodePrinter();
  const program = new Command('tsfreeze')
    .description('Freeze TorchScript modules and run optimization pipelines over TorchScript IR')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  program.addCommand(irCommand(io));
  program.addCommand(optCommand(io, { modules: builtinContainerModules() }));
  program.addCommand(freezeCommand(io));
  program.addCommand(runCommand(io));
  program.addCommand(demoCommand(io));
  program.addCommand(showCommand(io));
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

/** Prints an error the way a user should see it and picks the exit code. */
export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // commander already printed its message; help/version exit 0.
    return error.exitCode === 0 ? 0 : 1;
  }
  if (error instanceof TsFreezeError) {
    io.err(`error: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  io.err(`internal error (please report): ${message}\n`);
  return 2;
}
