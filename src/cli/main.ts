// The `tsfreeze` command: subcommands mounted on one commander program; errors become exit code 1.
// Only the subcommand being run is loaded (src/cli/commands.ts): `tsfreeze --help` loads commander alone.

import { Command, Help } from './commander.js';
import { COMMANDS, loadCommandRuntime } from './commands.js';
import { processIO, type CliIO } from './process-io.js';
import { reportError } from './report-error.js';
import { addLimitFlags, limitsFromFlags } from './limit-flags.js';
import { currentLimits, restoreLimits, setLimits } from '../limits.js';

export { processIO, type CliIO } from './process-io.js';

/**
 * Builds the program for `argv`: the subcommand it names (also `help <name>`) is loaded and mounted;
 * the others are listed by name and description and loaded when run.
 */
export async function buildProgram(io: CliIO, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('tsfreeze')
    .description('Freeze TorchScript modules and run optimization pipelines over TorchScript IR')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      ...(io.helpWidth === undefined ? {} : widthOf(io.helpWidth)),
    })
    // Unloaded subcommands are listed as the real ones would list themselves.
    .configureHelp({
      subcommandTerm: (cmd) =>
        COMMANDS.find((c) => c.name === cmd.name())?.term ?? new Help().subcommandTerm(cmd),
    })
    .showHelpAfterError();
  const words = argv.filter((a) => !a.startsWith('-'));
  const wanted = words[0] === 'help' ? words[1] : words[0];
  const entry = COMMANDS.find((c) => c.name === wanted);
  if (entry) await loadCommandRuntime();
  for (const c of COMMANDS) {
    // addCommand does not pass settings down: give each subcommand the program's output and exit handling.
    // Every subcommand takes the --max-* limit flags (docs/security.md); they hold for that command's run.
    // Only the loaded one can run or show its options, so only it gets them.
    const command =
      c === entry ? addLimitFlags((await c.load())(io)) : new Command(c.name).description(c.description);
    program.addCommand(command.copyInheritedSettings(program));
  }
  program.hook('preAction', (_program, action) => {
    setLimits(limitsFromFlags(action.opts()));
  });
  return program;
}

function widthOf(width: number): { getOutHelpWidth(): number; getErrHelpWidth(): number } {
  return { getOutHelpWidth: () => width, getErrHelpWidth: () => width };
}

/** Runs the CLI; returns the exit code. Known errors print their message only (no stack trace). */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const limits = currentLimits();
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, io);
  } finally {
    restoreLimits(limits);
  }
}

export { reportError } from './report-error.js';
