// --verify-each: the IR verifier on the input and after every pass, so a pass that breaks an invariant
// is caught at that pass. Also catches a pass that changed the IR but reported `changed: false`.

import { inject, injectable } from 'inversify';
import { PipelineError, VerifyError } from '../../errors.js';
import type { Graph } from '../../ir/index.js';
import type { GraphVerifier, ModuleTarget, PassResult } from '../contracts.js';
import { graphsOf } from '../targets.js';
import { GRAPH_VERIFIER } from '../tokens.js';
import type { InstrumentationOptions, PassInstrument, PassInvocation, RunInfo } from './instrument.js';

/** Verifies the input and every pass's output; the manager turns a throw into a PassFailure. */
@injectable()
export class VerifyEachInstrument implements PassInstrument {
  readonly name = 'verify-each';
  private before: string | undefined;

  constructor(@inject(GRAPH_VERIFIER) private readonly verifier: GraphVerifier) {}

  isEnabled(options: InstrumentationOptions): boolean {
    return options.verifyEach === true;
  }

  beforePipeline(run: RunInfo): void {
    for (const g of graphsOf(run.target)) {
      try {
        this.verifier(g);
      } catch (error) {
        if (error instanceof VerifyError)
          throw new VerifyError(`the input IR is invalid before any pass ran: ${error.message}`);
        throw error;
      }
    }
  }

  beforePass(invocation: PassInvocation): void {
    this.before = fingerprint(invocation.target);
  }

  afterPass(invocation: PassInvocation, result: PassResult): void {
    for (const g of graphsOf(invocation.target)) this.verifier(g);
    if (!result.changed && this.before !== undefined) {
      const after = fingerprint(invocation.target);
      if (after !== undefined && after !== this.before) {
        throw new PipelineError(
          'CHANGED_NOT_REPORTED',
          `pass '${invocation.pass.name}' changed the IR of ${invocation.label} but reported { changed: false }`,
        );
      }
    }
  }
}

// The printed IR, or undefined when no printer is available (then the honesty check is skipped).
function fingerprint(target: Graph | ModuleTarget): string | undefined {
  try {
    return graphsOf(target)
      .map((g) => g.toString())
      .join('\n');
  } catch {
    return undefined;
  }
}
