// The process's output streams as a CliIO: kept apart from io.ts so `tsfreeze --help` loads nothing else.

/** What a subcommand needs to print; tests pass buffers instead of the process streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Called with the error a command failed with, before it is printed (embedders, the fuzzer). */
  readonly failed?: (error: unknown) => void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
