// --disable-pass NAME: skips every invocation of the named passes (LLVM's -opt-disable idea), to see
// what a model looks like without one pass. Names are checked before the run.

import { injectable } from 'inversify';
import type { InstrumentationOptions, PassInstrument, PassInvocation, RunInfo } from './instrument.js';

/** Skips the passes named in `disabledPasses`. */
@injectable()
export class DisablePassInstrument implements PassInstrument {
  readonly name = 'disable-pass';
  private disabled = new Set<string>();

  isEnabled(options: InstrumentationOptions): boolean {
    return (options.disabledPasses?.length ?? 0) > 0;
  }

  beforePipeline(run: RunInfo): void {
    this.disabled = new Set(run.options.disabledPasses ?? []);
  }

  shouldRun(invocation: PassInvocation): boolean {
    return !this.disabled.has(invocation.pass.name);
  }
}
