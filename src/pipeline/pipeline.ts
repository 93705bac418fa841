// The pipeline as data: the one object both the text form and the JSON form parse to and print from.

import type { OptionDeclarations, OptionLiteral } from './contracts.js';

/** A reference to a pipeline-level option: `$preservedAttrs` in text, `{ "option": "preservedAttrs" }` in JSON. */
export interface OptionRef {
  readonly ref: string;
}

/** An option value in a pipeline: a literal, a reference to a pipeline option, or a list of those. */
export type OptionExpr = string | number | boolean | OptionRef | readonly OptionExpr[];

/** Runs a pass, or a named pipeline, with options. */
export interface PassElement {
  readonly kind: 'pass';
  readonly name: string;
  readonly options: Readonly<Record<string, OptionExpr>>;
}

/** Re-runs its body until no pass in it reports a change, at most `max` times (default 10). */
export interface FixpointElement {
  readonly kind: 'fixpoint';
  readonly max?: number;
  readonly body: readonly PipelineElement[];
}

/** Runs its body only when pipeline option `option` is truthy, or equals `equals` when given. */
export interface WhenElement {
  readonly kind: 'when';
  readonly option: string;
  readonly equals?: OptionLiteral;
  readonly body: readonly PipelineElement[];
}

/**
 * Runs its body only when the latest run of pass `pass` in this pipeline run changed the IR (decided
 * while running): PyTorch's `if (UnrollConstantLoops(graph)) { PeepholeOptimize(graph); ... }`.
 */
export interface WhenChangedElement {
  readonly kind: 'when-changed';
  readonly pass: string;
  readonly body: readonly PipelineElement[];
}

/**
 * A named extension point (`@after-inlining` in text, `{ "extensionPoint": "after-inlining" }` in JSON):
 * where plugins insert passes into a pipeline without copying it (`registerExtension`).
 */
export interface ExtensionPointElement {
  readonly kind: 'extension';
  readonly name: string;
}

/**
 * Runs its body on chosen parts of a module, like MLIR's nested pass managers
 * (`builtin.module(func.func(cse))`): `methods(forward,helper: cse,dce)` runs graph passes on those
 * methods only; `submodules(layer1.0: ...)` runs module and graph passes on that submodule (a dotted
 * path from the module the group is in). The whole body runs on each named part in turn, in order.
 */
export interface AnchorElement {
  readonly kind: 'anchor';
  readonly on: AnchorKind;
  readonly names: readonly string[];
  readonly body: readonly PipelineElement[];
}

/** What an anchored group selects. */
export type AnchorKind = 'methods' | 'submodules';

/** A method name in `methods(...)`. */
export const METHOD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A submodule path in `submodules(...)`: attribute names (ModuleList indices too) joined by dots. */
export const SUBMODULE_PATH = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;

/** One step of a pipeline. */
export type PipelineElement =
  PassElement | FixpointElement | WhenElement | WhenChangedElement | ExtensionPointElement | AnchorElement;

/** An ordered list of steps. Its canonical text is `printPipelineText(p)`. */
export interface Pipeline {
  readonly elements: readonly PipelineElement[];
}

/** A pipeline with a name and declared pipeline-level options: what `registerPipelines` and JSON files hold. */
export interface PipelineDefinition {
  readonly name: string;
  readonly summary: string;
  readonly options: OptionDeclarations;
  readonly pipeline: Pipeline;
}

/** Iterations of a fixpoint group when `max` is not given (as MLIR's canonicalizer). */
export const DEFAULT_FIXPOINT_MAX = 10;

/** True for `{ ref }` option references. */
export function isOptionRef(value: unknown): value is OptionRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as OptionRef).ref === 'string'
  );
}

// Where each element came from in a pipeline text, so later errors (unknown pass, bad option) can show a caret.
const origins = new WeakMap<object, { readonly text: string; readonly offset: number }>();

/** @internal records that `element` was parsed at `offset` of `text`. */
export function setOrigin(element: object, text: string, offset: number): void {
  origins.set(element, { text, offset });
}

/** Where `element` was written, if it came from pipeline text. */
export function originOf(element: object): { readonly text: string; readonly offset: number } | undefined {
  return origins.get(element);
}

/** Structural equality of two pipelines (what "the text and JSON forms parse to the same pipeline" means). */
export function pipelinesEqual(a: Pipeline, b: Pipeline): boolean {
  return JSON.stringify(normalize(a.elements)) === JSON.stringify(normalize(b.elements));
}

// A key-order-stable plain form for comparison (option order is kept: it is part of the canonical text).
function normalize(elements: readonly PipelineElement[]): unknown[] {
  return elements.map((e) => {
    switch (e.kind) {
      case 'pass':
        return ['pass', e.name, Object.entries(e.options)];
      case 'fixpoint':
        return ['fixpoint', e.max ?? null, normalize(e.body)];
      case 'when':
        return ['when', e.option, e.equals === undefined ? null : e.equals, normalize(e.body)];
      case 'when-changed':
        return ['when-changed', e.pass, normalize(e.body)];
      case 'extension':
        return ['extension', e.name];
      case 'anchor':
        return ['anchor', e.on, e.names, normalize(e.body)];
    }
  });
}

/** Every pass element, depth-first (names may be passes or named pipelines). */
export function* passElements(elements: readonly PipelineElement[]): IterableIterator<PassElement> {
  for (const e of elements) {
    if (e.kind === 'pass') yield e;
    else if (e.kind !== 'extension') yield* passElements(e.body);
  }
}

/** The names of the extension points a pipeline declares, in order (nested groups included). */
export function extensionPoints(elements: readonly PipelineElement[]): string[] {
  const out: string[] = [];
  for (const e of elements) {
    if (e.kind === 'extension') out.push(e.name);
    else if (e.kind !== 'pass') out.push(...extensionPoints(e.body));
  }
  return out;
}

/** Passes inserted at an extension point (LLVM's registerPipelineStartEPCallback idea, as data). */
export interface PipelineExtension {
  /** The named pipeline whose point this is (`freeze`); any pipeline declaring the point when omitted. */
  readonly pipeline?: string;
  /** The point's name, as declared (`after-inlining` for `@after-inlining`). */
  readonly point: string;
  /** What runs there. */
  readonly elements: readonly PipelineElement[];
}
