// The default logger: leveled lines written to an OutputSink (stderr unless the container says otherwise).

import type { Logger, LogLevel, OutputSink } from './contracts.js';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** A sink writing to the process's stderr. */
export const stderrSink: OutputSink = { write: (text) => void process.stderr.write(text) };

/** Writes `level: message` lines at or above `minLevel` to a sink. */
export class SinkLogger implements Logger {
  constructor(
    private readonly sink: OutputSink = stderrSink,
    private readonly minLevel: LogLevel = 'warn',
  ) {}

  log(level: LogLevel, message: string): void {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(this.minLevel)) return;
    this.sink.write(`${level}: ${message}\n`);
  }
  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warn', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
}

/** A sink that keeps what is written (tests, and the CLI capturing instrument output). */
export class BufferSink implements OutputSink {
  private readonly chunks: string[] = [];
  write(text: string): void {
    this.chunks.push(text);
  }
  get text(): string {
    return this.chunks.join('');
  }
  clear(): void {
    this.chunks.length = 0;
  }
}
