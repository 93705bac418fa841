// Crash reproducers (MLIR's pass-pipeline crash reproducer): when asked for, the input is snapshot as
// the pipeline starts; when a pass fails (or a pass cannot even be built), a reproducer file is written
// holding the expanded pipeline, pipeline options, plugins, checking flags and that input
// (src/pipeline/reproducer-format.ts). `tsfreeze opt --run-reproducer FILE` replays it; the error names
// the file. Never written unless `reproducer` is set: embedding has no side effects.

import { injectable } from 'inversify';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-file.js';
import { getModuleSaver, REPRODUCER_VERSION, type Reproducer } from '../reproducer-format.js';
import { isGraphTarget } from '../targets.js';
import {
  irText,
  type FailureInfo,
  type InstrumentationOptions,
  type PassInstrument,
  type PassInvocation,
  type RunInfo,
} from './instrument.js';

/** Writes a replayable reproducer file when a run fails. On when `reproducer` is true or `{ dir }`. */
@injectable()
export class ReproducerInstrument implements PassInstrument {
  readonly name = 'reproducer';
  private input: Reproducer['input'] = { kind: 'unavailable', reason: 'no snapshot' };
  private run: RunInfo | undefined;
  private static written = 0;

  isEnabled(options: InstrumentationOptions): boolean {
    return options.reproducer !== undefined && options.reproducer !== false;
  }

  beforePipeline(run: RunInfo): void {
    this.run = run;
    this.input = snapshot(run.target);
  }

  passFailed(invocation: PassInvocation, failure: FailureInfo): string | undefined {
    return this.write(failure.error, invocation.pass.name, invocation.label);
  }

  /** Also for failures before any pass ran (a plugin pass that cannot be built): called by the manager. */
  runFailed(run: RunInfo, error: unknown): string | undefined {
    this.run = run;
    this.input = snapshot(run.target);
    return this.write(error, undefined, undefined);
  }

  private write(error: unknown, pass: string | undefined, target: string | undefined): string | undefined {
    const run = this.run;
    if (!run) return undefined;
    try {
      const setting = run.options.reproducer;
      const dir =
        typeof setting === 'object' && setting.dir ? setting.dir : mkdtempSync(join(tmpdir(), 'tsfreeze-'));
      mkdirSync(dir, { recursive: true });
      const file = join(
        dir,
        `reproducer-${pass ?? 'pipeline'}-${process.pid}-${++ReproducerInstrument.written}.json`,
      );
      const o = run.options;
      const reproducer: Reproducer = {
        tsfreezeReproducer: REPRODUCER_VERSION,
        failure: {
          ...(pass ? { pass } : {}),
          ...(target ? { target } : {}),
          message: error instanceof Error ? error.message : String(error),
        },
        pipeline: run.expandedPipeline,
        pipelineOptions: { ...run.pipelineOptions },
        plugins: run.plugins.map((p) => ({ spec: p.spec, file: p.file })),
        instrumentation: {
          ...(o.verifyEach !== undefined ? { verifyEach: o.verifyEach } : {}),
          ...(o.disabledPasses?.length ? { disabledPasses: [...o.disabledPasses] } : {}),
          ...(o.optBisectLimit !== undefined ? { optBisectLimit: o.optBisectLimit } : {}),
          ...(o.verifyAnalysisInvalidation ? { verifyAnalysisInvalidation: true } : {}),
          ...(o.unreportedChanges ? { unreportedChanges: o.unreportedChanges } : {}),
        },
        input: this.input,
        rerun: `tsfreeze opt --run-reproducer ${file}`,
      };
      writeFileAtomic(file, [`${JSON.stringify(reproducer, null, 2)}\n`]);
      return file;
    } catch {
      // A reproducer is a courtesy: never let writing it hide the pass's own error.
      return undefined;
    }
  }
}

function snapshot(target: RunInfo['target']): Reproducer['input'] {
  try {
    // Lossless tensors: the reproducer must hold the exact constants, not PyTorch's 4-digit summary.
    if (isGraphTarget(target)) return { kind: 'graph', ir: irText(target, { tensorStyle: 'lossless' }) };
    const save = getModuleSaver();
    if (!save)
      return { kind: 'unavailable', reason: 'no module saver installed (import tsfreeze from its entry)' };
    return { kind: 'module', pt: Buffer.from(save(target)).toString('base64') };
  } catch (error) {
    return { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  }
}
