// The process's output streams as a CliIO: kept apart from io.ts so `tsfreeze --help` loads nothing else.

/** What a subcommand needs to print; tests pass buffers instead of the process streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Called with the error a command failed with, before it is printed (embedders, the fuzzer). */
  readonly failed?: (error: unknown) => void;
  /**
   * The width help text is wrapped to. Default: commander's (the terminal's columns, 80 when the output is
   * not a terminal); the help snapshot (help-snapshot.ts) records each width with it.
   */
  readonly helpWidth?: number;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
