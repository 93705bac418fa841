// --print-before / --print-after(-all) / --print-changed: dumps the IR around passes, each dump under a
// `// -----// IR Dump After NAME on TARGET //----- //` line (MLIR's layout) so dumps split easily.

import { injectable } from 'inversify';
import type { OutputSink, PassResult } from '../contracts.js';
import {
  irText,
  type InstrumentationOptions,
  type PassInstrument,
  type PassInvocation,
  type RunInfo,
} from './instrument.js';

/** The header line above a dump. */
export function dumpHeader(what: string): string {
  return `// -----// IR Dump ${what} //----- //`;
}

/** Prints the IR before/after passes as the run's instrumentation options ask. */
@injectable()
export class PrintIRInstrument implements PassInstrument {
  readonly name = 'print-ir';
  private options: InstrumentationOptions = {};
  private output: OutputSink | undefined;

  isEnabled(options: InstrumentationOptions): boolean {
    return wants(options.printBefore) || wants(options.printAfter) || options.printChanged === true;
  }

  beforePipeline(run: RunInfo): void {
    this.options = run.options;
    this.output = run.output;
    if (run.options.printChanged) this.dump('At Start', irText(run.target));
  }

  beforePass(invocation: PassInvocation): void {
    if (matches(this.options.printBefore, invocation.pass.name))
      this.dump(`Before ${describe(invocation)}`, irText(invocation.target));
  }

  afterPass(invocation: PassInvocation, result: PassResult): void {
    if (matches(this.options.printAfter, invocation.pass.name)) {
      this.dump(`After ${describe(invocation)}`, irText(invocation.target));
    } else if (this.options.printChanged) {
      if (result.changed) this.dump(`After ${describe(invocation)}`, irText(invocation.target));
      else this.output?.write(`${dumpHeader(`After ${describe(invocation)} omitted because no change`)}\n`);
    }
  }

  private dump(what: string, text: string): void {
    this.output?.write(`${dumpHeader(what)}\n${text}\n`);
  }
}

function describe(invocation: PassInvocation): string {
  return `${invocation.pass.name} on ${invocation.label}`;
}

function wants(option: boolean | readonly string[] | undefined): boolean {
  return option === true || (Array.isArray(option) && option.length > 0);
}

function matches(option: boolean | readonly string[] | undefined, name: string): boolean {
  return option === true || (Array.isArray(option) && option.includes(name));
}
