// Factories for the pipeline's errors (stable codes, messages a user can act on), as Rollup's error.ts does.

import { PipelineError } from '../errors.js';
import { didYouMean, nearestName } from './edit-distance.js';
import { originOf } from './pipeline.js';

/** The 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `at column 7` (or `at line 2, column 7`) followed by the line and a caret under the column. */
export function pointAt(text: string, offset: number): string {
  const { line, column } = lineColumn(text, offset);
  const where = text.includes('\n') ? `at line ${line}, column ${column}` : `at column ${column}`;
  const lineText = text.split('\n')[line - 1] ?? '';
  return `${where}\n  ${lineText}\n  ${' '.repeat(column - 1)}^`;
}

/** Malformed pipeline text: names the column and shows it with a caret. Code `PIPELINE_SYNTAX`. */
export function pipelineSyntaxError(text: string, offset: number, reason: string): PipelineError {
  const { line, column } = lineColumn(text, offset);
  const where = text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  const lineText = text.split('\n')[line - 1] ?? '';
  const error = new PipelineError(
    'PIPELINE_SYNTAX',
    `pipeline syntax error at ${where}: ${reason}\n  ${lineText}\n  ${' '.repeat(column - 1)}^`,
  );
  return Object.assign(error, { line, column });
}

// ` (at column 7 ...caret)` when the element came from pipeline text.
function located(element: object | undefined): string {
  const origin = element ? originOf(element) : undefined;
  return origin ? ` ${pointAt(origin.text, origin.offset)}` : '';
}

/** An unknown pass or pipeline name: lists the known ones and the nearest match. Code `UNKNOWN_PASS`. */
export function unknownPassError(
  name: string,
  knownPasses: readonly string[],
  knownPipelines: readonly string[],
  element?: object,
  within?: string,
): PipelineError {
  const all = [...knownPasses, ...knownPipelines];
  const suggestion = didYouMean(name, all);
  const pipelines = knownPipelines.length
    ? `\nknown pipelines: ${[...knownPipelines].sort().join(', ')}`
    : '';
  const message =
    `unknown pass '${shorten(name)}'${within ? ` in ${within}` : ''}${suggestion}${located(element)}\n` +
    `known passes: ${knownPasses.length ? [...knownPasses].sort().join(', ') : '(none registered)'}${pipelines}`;
  return Object.assign(new PipelineError('UNKNOWN_PASS', message), { nearest: nearestName(name, all) });
}

// A name as messages show it: a hostile 1M-character name is cut, with its length.
function shorten(name: string): string {
  return name.length <= 100 ? name : `${name.slice(0, 60)}... (${name.length} characters)`;
}

/** An unknown option, a wrong option type or an unset pipeline option. Code `BAD_OPTION`. */
export function badOptionError(message: string, element?: object): PipelineError {
  return new PipelineError('BAD_OPTION', `${message}${located(element)}`);
}

/** An analysis nobody registered. Code `UNKNOWN_ANALYSIS`. */
export function unknownAnalysisError(
  name: string,
  known: readonly string[],
  requester: string,
): PipelineError {
  return new PipelineError(
    'UNKNOWN_ANALYSIS',
    `${requester} asks for analysis '${name}', which is not registered${didYouMean(name, known)}\n` +
      `known analyses: ${known.length ? [...known].sort().join(', ') : '(none registered)'}`,
  );
}
