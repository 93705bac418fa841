// Crash reproducers: before each pass, the IR it receives is kept as text; when the pass fails, that
// IR and the pass (with its options) are written to a file `tsfreeze opt FILE` re-runs (MLIR's local
// reproducer). The PassFailure names the file.

import { injectable } from 'inversify';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  irText,
  type FailureInfo,
  type InstrumentationOptions,
  type PassInstrument,
  type PassInvocation,
  type RunInfo,
} from './instrument.js';

/** Writes the IR before a failing pass plus the pipeline text to a file. On unless `reproducer: false`. */
@injectable()
export class ReproducerInstrument implements PassInstrument {
  readonly name = 'reproducer';
  private snapshot: string | undefined;
  private snapshotError: string | undefined;
  private run: RunInfo | undefined;
  private static written = 0;

  isEnabled(options: InstrumentationOptions): boolean {
    return options.reproducer !== false;
  }

  beforePipeline(run: RunInfo): void {
    this.run = run;
  }

  beforePass(invocation: PassInvocation): void {
    try {
      // Lossless tensors: the reproducer must hold the exact constants, not PyTorch's 4-digit summary.
      this.snapshot = irText(invocation.target, { tensorStyle: 'lossless' });
      this.snapshotError = undefined;
    } catch (error) {
      this.snapshot = undefined;
      this.snapshotError = error instanceof Error ? error.message : String(error);
    }
  }

  passFailed(invocation: PassInvocation, failure: FailureInfo): string | undefined {
    try {
      const setting = this.run?.options.reproducer;
      const dir =
        typeof setting === 'object' && setting.dir ? setting.dir : mkdtempSync(join(tmpdir(), 'tsfreeze-'));
      mkdirSync(dir, { recursive: true });
      const file = join(
        dir,
        `reproducer-${invocation.pass.name}-${process.pid}-${++ReproducerInstrument.written}.ir`,
      );
      const why = failure.error instanceof Error ? failure.error.message : String(failure.error);
      const header = [
        `// tsfreeze reproducer: pass '${invocation.pass.name}' failed on ${invocation.label}`,
        ...why.split('\n').map((l) => `//   ${l}`),
        `// passes run before it: ${failure.passesBefore.join(',') || '(none)'}`,
        `// whole pipeline: ${this.run?.pipelineText ?? '(unknown)'}`,
        `// re-run with: tsfreeze opt ${file}`,
        `// RUN: ${invocation.text}`,
      ];
      const body =
        this.snapshot ?? `// (the IR could not be printed: ${this.snapshotError ?? 'no snapshot'})\n`;
      writeFileSync(file, `${header.join('\n')}\n${body}`);
      return file;
    } catch {
      // A reproducer is a courtesy: never let writing it hide the pass's own error.
      return undefined;
    }
  }
}
