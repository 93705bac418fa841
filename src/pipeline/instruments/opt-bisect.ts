// --opt-bisect-limit N: run only the first N optional pass invocations and say which ran, to find the
// pass that breaks a model by bisection (LLVM's -opt-bisect-limit). Required passes always run.

import { injectable } from 'inversify';
import type { OutputSink } from '../contracts.js';
import type { InstrumentationOptions, PassInstrument, PassInvocation, RunInfo } from './instrument.js';

/** Skips optional pass invocations past the limit, printing a BISECT line for each. */
@injectable()
export class OptBisectInstrument implements PassInstrument {
  readonly name = 'opt-bisect';
  private limit = -1;
  private counted = 0;
  private output: OutputSink | undefined;

  isEnabled(options: InstrumentationOptions): boolean {
    return options.optBisectLimit !== undefined && options.optBisectLimit >= 0;
  }

  beforePipeline(run: RunInfo): void {
    this.limit = run.options.optBisectLimit ?? -1;
    this.counted = 0;
    this.output = run.output;
  }

  shouldRun(invocation: PassInvocation): boolean {
    if (invocation.pass.required) return true;
    const n = ++this.counted;
    const run = this.limit < 0 || n <= this.limit;
    this.output?.write(
      `BISECT: ${run ? 'running' : 'NOT running'} pass (${n}) ${invocation.pass.name} on ${invocation.label}\n`,
    );
    return run;
  }
}
