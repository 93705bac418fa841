// The reproducer file: everything needed to replay a failed run exactly — the expanded pipeline
// (named pipelines inlined, options resolved), pipeline options, plugins, the checking flags and the
// input as it was when the pipeline started (IR text, or the module as .pt bytes).
// `tsfreeze opt --run-reproducer FILE` replays it.

import { z } from 'zod';
import { PipelineError } from '../errors.js';
import type { ModuleTarget } from './contracts.js';

/** The reproducer format version this build writes and reads. */
export const REPRODUCER_VERSION = 1;

const Literal: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.array(Literal)]),
);

/** The zod schema of a reproducer file. */
export const ReproducerSchema = z.strictObject({
  tsfreezeReproducer: z.literal(REPRODUCER_VERSION),
  failure: z.strictObject({
    pass: z.string().optional(),
    target: z.string().optional(),
    message: z.string(),
  }),
  pipeline: z.string(),
  pipelineOptions: z.record(z.string(), Literal),
  plugins: z.array(z.strictObject({ spec: z.string(), file: z.string() })),
  instrumentation: z.strictObject({
    verifyEach: z.boolean().optional(),
    disabledPasses: z.array(z.string()).optional(),
    optBisectLimit: z.number().optional(),
    verifyAnalysisInvalidation: z.boolean().optional(),
    unreportedChanges: z.enum(['error', 'warn']).optional(),
  }),
  input: z.union([
    z.strictObject({ kind: z.literal('graph'), ir: z.string() }),
    z.strictObject({ kind: z.literal('module'), pt: z.string().describe('the .pt archive, base64') }),
    z.strictObject({ kind: z.literal('unavailable'), reason: z.string() }),
  ]),
  rerun: z.string(),
});

/** A parsed reproducer file. */
export type Reproducer = z.infer<typeof ReproducerSchema>;

/** Parses and validates a reproducer file's text; errors name the file and the problem. */
export function parseReproducer(text: string, file: string): Reproducer {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PipelineError('BAD_REPRODUCER', `${file}: not a reproducer file (${(error as Error).message})`);
  }
  const parsed = ReproducerSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PipelineError(
      'BAD_REPRODUCER',
      `${file}: not a tsfreeze reproducer (version ${REPRODUCER_VERSION}): ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Serializes a module for a reproducer (.pt bytes). Installed by the package entry (serialization lives above pipeline). */
export type ModuleSaver = (module: ModuleTarget) => Uint8Array;

let moduleSaver: ModuleSaver | undefined;

/** @internal Installs how reproducers save module inputs. */
export function installModuleSaver(saver: ModuleSaver): void {
  moduleSaver = saver;
}

/** @internal The installed module saver, if any. */
export function getModuleSaver(): ModuleSaver | undefined {
  return moduleSaver;
}
