// Progress for long loads and freezes: a one-line status on a terminal, nothing when piped or in CI.

import pc from 'picocolors';
import type { CliIO } from './io.js';

/** Shows the current stage on stderr when it is a TTY; silent otherwise, so output stays parseable. */
export class Progress {
  private readonly active: boolean;
  private started = performance.now();

  constructor(
    private readonly io: CliIO,
    enabled: boolean,
  ) {
    this.active = enabled && Boolean(process.stderr.isTTY) && !process.env.CI;
  }

  stage(label: string): void {
    if (!this.active) return;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    this.io.err(`\r\x1b[2K${pc.cyan('⠿')} ${label} ${pc.dim(`${seconds}s`)}`);
  }

  done(): void {
    if (this.active) this.io.err('\r\x1b[2K');
    this.started = performance.now();
  }
}
