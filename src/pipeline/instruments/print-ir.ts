// --print-before / --print-after(-all) / --print-changed[=diff] / --print-after-failure: dumps the IR
// around passes, each dump under a `// -----// IR Dump After NAME on TARGET //----- //` line (MLIR's
// layout) so dumps split easily. --filter-print-methods narrows every dump to the named methods.

import { createTwoFilesPatch } from 'diff';
import { injectable } from 'inversify';
import type { OutputSink, PassResult } from '../contracts.js';
import {
  irText,
  type FailureInfo,
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
  /** For --print-changed=diff: the IR before the current pass. */
  private before = '';

  isEnabled(options: InstrumentationOptions): boolean {
    return (
      wants(options.printBefore) ||
      wants(options.printAfter) ||
      Boolean(options.printChanged) ||
      options.printAfterFailure === true
    );
  }

  beforePipeline(run: RunInfo): void {
    this.options = run.options;
    this.output = run.output;
    if (run.options.printChanged) this.dump('At Start', this.text(run.target));
  }

  beforePass(invocation: PassInvocation): void {
    if (!this.shown(invocation)) return;
    if (matches(this.options.printBefore, invocation.pass.name))
      this.dump(`Before ${describe(invocation)}`, this.text(invocation.target));
    if (this.options.printChanged === 'diff') this.before = this.text(invocation.target);
  }

  afterPass(invocation: PassInvocation, result: PassResult): void {
    if (!this.shown(invocation)) return;
    const what = `After ${describe(invocation)}`;
    if (matches(this.options.printAfter, invocation.pass.name)) {
      this.dump(what, this.text(invocation.target));
    } else if (this.options.printChanged) {
      if (!result.changed) this.output?.write(`${dumpHeader(`${what} omitted because no change`)}\n`);
      else if (this.options.printChanged === 'diff') this.dump(what, this.diff(invocation));
      else this.dump(what, this.text(invocation.target));
    }
  }

  passFailed(invocation: PassInvocation, failure: FailureInfo): undefined {
    if (this.options.printAfterFailure && this.shown(invocation)) {
      let text: string;
      try {
        text = this.text(invocation.target);
      } catch (error) {
        text = `// (the IR could not be printed: ${error instanceof Error ? error.message : String(error)})\n`;
      }
      const why =
        failure.error instanceof Error ? failure.error.message.split('\n')[0] : String(failure.error);
      this.dump(`After ${describe(invocation)} Failed (${why})`, text);
    }
    return undefined;
  }

  private shown(invocation: PassInvocation): boolean {
    const methods = this.options.printMethods;
    // A graph invocation on a module's method carries the method name as its label.
    return (
      !methods || !invocation.module || invocation.label === 'module' || methods.includes(invocation.label)
    );
  }

  private text(target: PassInvocation['target']): string {
    return irText(target, {}, this.options.printMethods);
  }

  private diff(invocation: PassInvocation): string {
    const after = this.text(invocation.target);
    const name = describe(invocation);
    const patch = createTwoFilesPatch(`before ${name}`, `after ${name}`, this.before, after, '', '', {
      context: 3,
    });
    // Drop the `===` banner jsdiff writes above the file headers.
    return patch.replace(/^=+\n/m, '');
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
