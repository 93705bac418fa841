// The pipeline JSON form, validated with zod: the same Pipeline object as the text form, plus an
// optional name, summary and pipeline-level option declarations. Its JSON Schema is in docs/.

import { z } from 'zod';
import { PipelineError } from '../errors.js';
import { currentLimits, LimitError } from '../limits.js';
import type { OptionDeclarations, OptionLiteral } from './contracts.js';
import { checkName } from './decorators.js';
import { checkOptionDeclarations, optionTypes } from './options.js';
import {
  isOptionRef,
  METHOD_NAME,
  SUBMODULE_PATH,
  type OptionExpr,
  type Pipeline,
  type PipelineDefinition,
  type PipelineElement,
} from './pipeline.js';

type JsonValue = string | number | boolean | { option: string } | JsonValue[];
type JsonLiteral = string | number | boolean | JsonLiteral[];
// `| undefined`: how TypeScript types a JSON module's object whose siblings have other keys (never in data).
type JsonElement =
  | string
  | { pass: string; options?: Record<string, JsonValue | undefined> }
  | { fixpoint: { max?: number }; passes: JsonElement[] }
  | { when: { option: string; equals?: JsonLiteral }; passes: JsonElement[] }
  | { when: { changed: string }; passes: JsonElement[] }
  | { extensionPoint: string }
  | { methods: string[]; passes: JsonElement[] }
  | { submodules: string[]; passes: JsonElement[] };

// The names of an anchored group: at least one, each once.
const anchorNames = (pattern: RegExp, what: string) =>
  z
    .array(z.string().regex(pattern, `not ${what}`))
    .min(1)
    .refine((names) => new Set(names).size === names.length, 'a name is listed twice');

const Literal: z.ZodType<JsonLiteral> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.array(Literal)]),
);
const Value: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z
      .strictObject({ option: z.string().describe('name of a pipeline-level option') })
      .describe('reference to a pipeline option ($name in text)'),
    z.array(Value),
  ]),
);
const Element: z.ZodType<JsonElement> = z.lazy(() =>
  z.union([
    z.string().describe('a pass (or named pipeline) without options'),
    z
      .strictObject({ pass: z.string(), options: z.record(z.string(), Value).optional() })
      .describe('a pass or named pipeline with options'),
    z
      .strictObject({
        fixpoint: z.strictObject({ max: z.int().min(1).optional() }),
        passes: z.array(Element),
      })
      .describe('re-run the passes until none changes the IR, at most max times'),
    z
      .strictObject({
        when: z.strictObject({ option: z.string(), equals: Literal.optional() }),
        passes: z.array(Element),
      })
      .describe('run the passes only when the pipeline option is truthy (or equals `equals`)'),
    z
      .strictObject({
        when: z.strictObject({ changed: z.string().describe('a pass earlier in the pipeline') }),
        passes: z.array(Element),
      })
      .describe('run the passes only when the latest run of pass `changed` changed the IR'),
    z
      .strictObject({ extensionPoint: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/) })
      .describe('a named point where plugins insert passes (@name in text)'),
    z
      .strictObject({ methods: anchorNames(METHOD_NAME, 'a method name'), passes: z.array(Element) })
      .describe('run the (graph) passes on each of these methods of the module in turn'),
    z
      .strictObject({
        submodules: anchorNames(SUBMODULE_PATH, 'a submodule path (names joined by dots)'),
        passes: z.array(Element),
      })
      .describe('run the passes on each of these submodules (dotted paths) in turn'),
  ]),
);
const OptionDecl = z.strictObject({
  type: z.enum(optionTypes as [string, ...string[]]),
  default: Literal.optional(),
  description: z.string(),
  choices: z.array(z.string()).optional(),
});

/** The zod schema of a pipeline JSON file. */
export const PipelineJsonSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().optional().describe('kebab-case name, when the file defines a named pipeline'),
    summary: z.string().optional(),
    options: z
      .record(z.string(), OptionDecl)
      .optional()
      .describe('pipeline-level options, referenced as $name'),
    passes: z.array(Element),
  })
  .meta({ title: 'tsfreeze pipeline', description: 'A tsfreeze pass pipeline (see docs/pipelines.md)' });

/** The JSON Schema (draft 2020-12) of pipeline JSON files, generated from the zod schema. */
export function pipelineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PipelineJsonSchema) as Record<string, unknown>;
}

/** What a pipeline JSON file holds. `name` is set when it defines a named pipeline. */
export interface ParsedPipelineJson {
  readonly name?: string;
  readonly summary: string;
  readonly options: OptionDeclarations;
  readonly pipeline: Pipeline;
}

/**
 * Parses and validates pipeline JSON (a string or an already parsed value).
 * Throws PipelineError `PIPELINE_SYNTAX` naming the JSON path of the first problem.
 */
export function parsePipelineJson(input: string | unknown): ParsedPipelineJson {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      throw new PipelineError(
        'PIPELINE_SYNTAX',
        `invalid pipeline JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  checkJsonDepth(data);
  const result = PipelineJsonSchema.safeParse(data);
  if (!result.success)
    throw new PipelineError(
      'PIPELINE_SYNTAX',
      `invalid pipeline JSON: ${describeIssues(result.error.issues)}`,
    );
  const json = result.data;
  if (json.name !== undefined) checkName('pipeline', json.name);
  const options = (json.options ?? {}) as OptionDeclarations;
  checkOptionDeclarations(`pipeline '${json.name ?? '(unnamed)'}'`, options);
  const pipeline: Pipeline = { elements: json.passes.map(fromJson) };
  return json.name === undefined
    ? { summary: json.summary ?? '', options, pipeline }
    : { name: json.name, summary: json.summary ?? '', options, pipeline };
}

// Validation recurses (zod, then fromJson): refuse nesting past maxNestingDepth first, iteratively.
function checkJsonDepth(data: unknown): void {
  const max = currentLimits().maxNestingDepth;
  const stack: [unknown, number][] = [[data, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [value, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= max) throw new LimitError('maxNestingDepth', depth + 1, 'pipeline JSON: nested too deeply');
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

/** A pipeline JSON document with the shape the zod schema requires, as the TypeScript compiler sees it. */
export interface PipelineJsonDocument {
  readonly $schema?: string;
  readonly name?: string;
  readonly summary?: string;
  readonly options?: Record<
    string,
    { type: string; default?: JsonLiteral; description: string; choices?: string[] }
  >;
  readonly passes: JsonElement[];
}

/**
 * A named pipeline from JSON whose shape the TypeScript compiler has checked: a .json module of the
 * package imported with `with { type: 'json' }` (the built-in freeze pipeline). The same definition as
 * parsePipelineDefinition gives, without zod's run over it (~10 ms on its first use in a process); the
 * name, the option declarations and the nesting depth are still checked. Its callers' tests compare
 * the result with parsePipelineDefinition's. Input from users (files, text) goes through parsePipelineDefinition.
 */
export function pipelineDefinitionFromTypedJson(json: PipelineJsonDocument): PipelineDefinition {
  checkJsonDepth(json);
  if (json.name === undefined)
    throw new PipelineError('PIPELINE_SYNTAX', 'invalid pipeline JSON: a named pipeline needs "name"');
  checkName('pipeline', json.name);
  const options = (json.options ?? {}) as OptionDeclarations;
  checkOptionDeclarations(`pipeline '${json.name}'`, options);
  return {
    name: json.name,
    summary: json.summary ?? '',
    options,
    pipeline: { elements: json.passes.map(fromJson) },
  };
}

/** Parses JSON that must define a named pipeline (for `registerPipelines`). */
export function parsePipelineDefinition(input: string | unknown): PipelineDefinition {
  const parsed = parsePipelineJson(input);
  if (parsed.name === undefined)
    throw new PipelineError('PIPELINE_SYNTAX', 'invalid pipeline JSON: a named pipeline needs "name"');
  return { name: parsed.name, summary: parsed.summary, options: parsed.options, pipeline: parsed.pipeline };
}

function fromJson(e: JsonElement): PipelineElement {
  if (typeof e === 'string') return { kind: 'pass', name: e, options: {} };
  if ('pass' in e)
    return {
      kind: 'pass',
      name: e.pass,
      options: Object.fromEntries(
        Object.entries(e.options ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, valueFromJson(v)]])),
      ),
    };
  if ('extensionPoint' in e) return { kind: 'extension', name: e.extensionPoint };
  if ('methods' in e)
    return { kind: 'anchor', on: 'methods', names: e.methods, body: e.passes.map(fromJson) };
  if ('submodules' in e)
    return { kind: 'anchor', on: 'submodules', names: e.submodules, body: e.passes.map(fromJson) };
  if ('fixpoint' in e) {
    const body = e.passes.map(fromJson);
    return e.fixpoint.max === undefined
      ? { kind: 'fixpoint', body }
      : { kind: 'fixpoint', max: e.fixpoint.max, body };
  }
  const body = e.passes.map(fromJson);
  if ('changed' in e.when) return { kind: 'when-changed', pass: e.when.changed, body };
  return e.when.equals === undefined
    ? { kind: 'when', option: e.when.option, body }
    : { kind: 'when', option: e.when.option, equals: e.when.equals, body };
}

function valueFromJson(v: JsonValue): OptionExpr {
  if (Array.isArray(v)) return v.map(valueFromJson);
  if (typeof v === 'object') return { ref: v.option };
  return v;
}

/** Prints a pipeline (or a definition, with its name and options) as canonical JSON, 2-space indented. */
export function printPipelineJson(source: Pipeline | PipelineDefinition | ParsedPipelineJson): string {
  const pipeline = 'pipeline' in source ? source.pipeline : source;
  const out: Record<string, unknown> = {};
  if ('pipeline' in source) {
    if (source.name !== undefined) out.name = source.name;
    if (source.summary) out.summary = source.summary;
    if (Object.keys(source.options).length) out.options = source.options;
  }
  out.passes = pipeline.elements.map(toJson);
  return `${JSON.stringify(out, null, 2)}\n`;
}

function toJson(e: PipelineElement): JsonElement {
  switch (e.kind) {
    case 'pass': {
      const entries = Object.entries(e.options);
      return entries.length
        ? { pass: e.name, options: Object.fromEntries(entries.map(([k, v]) => [k, valueToJson(v)])) }
        : e.name;
    }
    case 'fixpoint':
      return { fixpoint: e.max === undefined ? {} : { max: e.max }, passes: e.body.map(toJson) };
    case 'when':
      return {
        when:
          e.equals === undefined
            ? { option: e.option }
            : { option: e.option, equals: e.equals as JsonLiteral },
        passes: e.body.map(toJson),
      };
    case 'when-changed':
      return { when: { changed: e.pass }, passes: e.body.map(toJson) };
    case 'extension':
      return { extensionPoint: e.name };
    case 'anchor':
      return e.on === 'methods'
        ? { methods: [...e.names], passes: e.body.map(toJson) }
        : { submodules: [...e.names], passes: e.body.map(toJson) };
  }
}

function valueToJson(v: OptionExpr): JsonValue {
  if (isOptionRef(v)) return { option: v.ref };
  if (Array.isArray(v)) return (v as readonly OptionExpr[]).map(valueToJson);
  return v as OptionLiteral as JsonValue;
}

// ---- readable errors --------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;

// zod reports every union branch; pick the branch the input most plausibly meant, recursively.
function describeIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): string {
  const issue = issues[0];
  if (!issue) return 'unknown problem';
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const best = [...issue.errors].sort((a, b) => branchScore(a) - branchScore(b))[0];
    return describeIssues(best, path);
  }
  return `${formatPath(path)}: ${issue.message}`;
}

function branchScore(issues: readonly Issue[]): number {
  let score = issues.length;
  for (const i of issues) {
    if (i.path.length === 0 && i.code === 'invalid_type') score += 100;
    if (i.path.length === 0 && i.code === 'unrecognized_keys') score += 10;
  }
  return score;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (!path.length) return '(top level)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
