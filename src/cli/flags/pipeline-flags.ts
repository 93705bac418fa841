// --passes TEXT | --pipeline FILE.json, and --option NAME=VALUE: which pipeline runs, with which
// pipeline-level options. Without them each command runs its default (freeze: the freeze pipeline).

import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { PipelineError } from '../../errors.js';
import {
  isOptionRef,
  parsePipelineJson,
  parsePipelineText,
  type OptionLiteral,
  type ParsedPipelineJson,
} from '../../pipeline/index.js';
import type { PassManagerFlagGroup } from '../pass-manager-flags.js';
import { collect, listValue, stringValue } from './values.js';

export const pipelineFlags: PassManagerFlagGroup = {
  name: 'pipeline',
  options: (command) => [
    new Option(
      '--passes <pipeline>',
      `pipeline text, e.g. 'dead-code-elimination,fixpoint(constant-pooling)'${command.name === 'freeze' ? ' (default: freeze)' : ''}`,
    ),
    new Option('--pipeline <file.json>', 'pipeline JSON file (docs/pipelines.md)'),
    new Option('--option <name=value>', 'set a pipeline option ($name, when{option=name}); repeatable')
      .argParser(collect)
      .default([]),
  ],
  apply(values, run) {
    const passes = stringValue(values, 'passes');
    const file = stringValue(values, 'pipeline');
    if (passes !== undefined && file !== undefined)
      throw new PipelineError('USAGE', 'give either --passes or --pipeline, not both');
    if (passes !== undefined) run.pipeline = parsePipelineText(passes);
    if (file !== undefined) run.pipeline = readPipelineFile(file);
    Object.assign(run.pipelineOptions, parseOptionFlags(listValue(values, 'option')));
  },
};

/** Reads a pipeline JSON file; errors name the file. */
export function readPipelineFile(path: string): ParsedPipelineJson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PipelineError(
      'PIPELINE_FILE',
      `cannot read pipeline file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    return parsePipelineJson(text);
  } catch (error) {
    if (error instanceof PipelineError) throw new PipelineError(error.code, `${path}: ${error.message}`);
    throw error;
  }
}

/** `--option name=value`: the value is read as pipeline text reads option values (1, true, [a,b], "x"). */
export function parseOptionFlags(options: readonly string[]): Record<string, OptionLiteral> {
  const out: Record<string, OptionLiteral> = {};
  for (const o of options) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new PipelineError('BAD_OPTION', `--option expects name=value, got '${o}'`);
    const name = o.slice(0, eq);
    const parsed = parsePipelineText(`x{v=${o.slice(eq + 1)}}`).elements[0];
    const value = parsed.kind === 'pass' ? parsed.options.v : undefined;
    if (value === undefined || isOptionRef(value) || (Array.isArray(value) && value.some(isOptionRef))) {
      throw new PipelineError('BAD_OPTION', `--option ${name}: a value cannot reference another option`);
    }
    out[name] = value as OptionLiteral;
  }
  return out;
}
