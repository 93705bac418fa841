// Where a run's pipeline comes from: any accepted form normalised to a Pipeline with its declared
// options, and the registry seen through the run's own extension-point insertions.

import { PipelineError } from '../errors.js';
import type { ExtensionInput } from './container.js';
import type { PipelineSource } from './pass-manager.js';
import type { Pipeline, PipelineDefinition } from './pipeline.js';
import { parsePipelineText } from './pipeline-text.js';
import type { PassRegistry } from './registry.js';

// The registry seen through this run's extra extensions (a view: the container is not changed).
export function withExtensions(registry: PassRegistry, extra: readonly ExtensionInput[]): PassRegistry {
  if (!extra.length) return registry;
  const added = extra.map((x) => ({
    ...(x.pipeline === undefined ? {} : { pipeline: x.pipeline }),
    point: x.point,
    elements: (typeof x.passes === 'string' ? parsePipelineText(x.passes) : x.passes).elements,
  }));
  return Object.assign(Object.create(registry) as PassRegistry, {
    extensions: [...registry.extensions, ...added],
  });
}

/** The pipeline, its option declarations, and who owns them (for messages). */
export function normalizeSource(source: PipelineSource): {
  pipeline: Pipeline;
  declarations: PipelineDefinition['options'] | undefined;
  owner: string;
  name?: string;
} {
  if (typeof source === 'string')
    return { pipeline: parsePipelineText(source), declarations: undefined, owner: 'the pipeline' };
  if ('elements' in source) return { pipeline: source, declarations: undefined, owner: 'the pipeline' };
  if (!('pipeline' in source))
    throw new PipelineError('BAD_PIPELINE', 'expected pipeline text, a Pipeline or a pipeline definition');
  const owner = source.name ? `pipeline '${source.name}'` : 'the pipeline';
  return { pipeline: source.pipeline, declarations: source.options, owner, name: source.name };
}
