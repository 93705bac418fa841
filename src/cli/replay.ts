// `tsfreeze opt --run-reproducer FILE`: replays a reproducer exactly — its plugins, checking flags,
// pipeline options, expanded pipeline and input (IR or module) — so it fails the way the run did.

import { existsSync, readFileSync } from 'node:fs';
import { PipelineError } from '../errors.js';
import { parseIR, type Graph } from '../ir/index.js';
import type { ScriptModule } from '../module/script-module.js';
import { parsePipelineText, parseReproducer, type OptionLiteral } from '../pipeline/index.js';
import { loadModule } from '../serialization/index.js';
import type { PassManagerRun } from './pass-manager-flags.js';
import { loadPlugin } from './plugins.js';

/** What a replay runs: the input rebuilt from the file; `run` gets the pipeline, options, flags and plugins. */
export async function prepareReplay(file: string, run: PassManagerRun): Promise<Graph | ScriptModule> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PipelineError('BAD_REPRODUCER', `cannot read reproducer ${file}: ${(error as Error).message}`);
  }
  const r = parseReproducer(text, file);
  for (const p of r.plugins) await loadPlugin(run.container, existsSync(p.file) ? p.file : p.spec);
  run.pipeline ??= parsePipelineText(r.pipeline);
  for (const [k, v] of Object.entries(r.pipelineOptions)) run.pipelineOptions[k] ??= v as OptionLiteral;
  // The checking flags decide whether and where it fails: the recorded ones win over the defaults.
  Object.assign(run.instrumentation, r.instrumentation);
  switch (r.input.kind) {
    case 'graph':
      return parseIR(r.input.ir, { file: `${file} (input)` });
    case 'module':
      return loadModule(new Uint8Array(Buffer.from(r.input.pt, 'base64')));
    case 'unavailable':
      throw new PipelineError(
        'BAD_REPRODUCER',
        `${file}: the input could not be saved when the run failed (${r.input.reason}); re-run the original command`,
      );
  }
}
