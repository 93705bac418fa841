// Planning: turns a Pipeline into an executable tree before anything runs. Resolves names (passes and
// named pipelines), `$option` references, option types and defaults, `when` conditions and IR
// properties, so every mistake in a pipeline is reported before the IR is touched.

import { PipelineError } from '../errors.js';
import { currentLimits, LimitError } from '../limits.js';
import type {
  OptionDeclarations,
  OptionLiteral,
  OptionValue,
  Pass,
  PassDeclaration,
  PassOptions,
} from './contracts.js';
import { didYouMean } from './edit-distance.js';
import { badOptionError, unknownPassError } from './errors.js';
import { isTruthy, optionValuesEqual, resolveOptions } from './options.js';
import {
  DEFAULT_FIXPOINT_MAX,
  extensionPoints,
  isOptionRef,
  type AnchorKind,
  type OptionExpr,
  type PassElement,
  type PipelineElement,
} from './pipeline.js';
import { printPipelineText } from './pipeline-text.js';
import type { PassRegistry } from './registry.js';

/** Pipeline-option values visible to a part of a pipeline (the top level, or inside a named pipeline). */
export interface OptionScope {
  /** Whose options these are, for messages: `the pipeline` or `pipeline 'freeze'`. */
  readonly owner: string;
  readonly values: PassOptions;
  /** The named pipeline being planned, if any: its extension points take that pipeline's extensions. */
  readonly pipeline?: string;
}

/** A pass with resolved options. */
export interface PassStep {
  readonly kind: 'pass';
  readonly declaration: PassDeclaration;
  readonly instance: Pass;
  readonly options: PassOptions;
  readonly scope: OptionScope;
  /** `name{resolved options}`: what a reproducer runs. */
  readonly text: string;
}

/** A fixpoint group. */
export interface FixpointStep {
  readonly kind: 'fixpoint';
  readonly max: number;
  readonly body: readonly PlanStep[];
  readonly label: string;
}

/** A conditional group, its condition already evaluated. */
export interface WhenStep {
  readonly kind: 'when';
  readonly active: boolean;
  readonly body: readonly PlanStep[];
  readonly label: string;
}

/** A group run only when the latest run of pass `pass` changed the IR (decided while running). */
export interface WhenChangedStep {
  readonly kind: 'when-changed';
  readonly pass: string;
  readonly body: readonly PlanStep[];
  readonly label: string;
}

/** A named pipeline used inside another, with its own option scope. */
export interface PipelineStep {
  readonly kind: 'pipeline';
  readonly name: string;
  readonly body: readonly PlanStep[];
}

/** A group run on each of some methods or submodules in turn (`methods(forward: ...)`). */
export interface AnchorStep {
  readonly kind: 'anchor';
  readonly on: AnchorKind;
  readonly names: readonly string[];
  readonly body: readonly PlanStep[];
}

/** One step of an executable plan. */
export type PlanStep = PassStep | FixpointStep | WhenStep | WhenChangedStep | PipelineStep | AnchorStep;

/** Counts the steps of one plan: named pipelines used twice are expanded twice, so a diamond doubles. */
interface PlanBudget {
  steps: number;
}

/**
 * Builds the plan of `elements` in `scope`; `stack` holds the named pipelines being expanded (cycle check).
 * Refuses plans of more than maxPipelineSteps steps, or named pipelines nested past maxNestingDepth.
 */
export function buildPlan(
  registry: PassRegistry,
  elements: readonly PipelineElement[],
  scope: OptionScope,
  stack: readonly string[] = [],
  budget: PlanBudget = { steps: 0 },
): PlanStep[] {
  return elements.map((e): PlanStep => {
    if (++budget.steps > currentLimits().maxPipelineSteps) {
      throw new LimitError(
        'maxPipelineSteps',
        undefined,
        `the pipeline expands to more steps than allowed (named pipelines: ${stack.slice(0, 5).join(' -> ') || 'none'}${stack.length > 5 ? ' -> ...' : ''})`,
      );
    }
    switch (e.kind) {
      case 'pass':
        return planPass(registry, e, scope, stack, budget);
      case 'fixpoint':
        return {
          kind: 'fixpoint',
          max: e.max ?? DEFAULT_FIXPOINT_MAX,
          body: buildPlan(registry, e.body, scope, stack, budget),
          label: `fixpoint${e.max === undefined ? '' : `{max=${e.max}}`}`,
        };
      case 'when': {
        const value = lookup(scope, e.option, e);
        const active =
          e.equals === undefined ? isTruthy(value) : optionValuesEqual(value as OptionLiteral, e.equals);
        const label = printPipelineText({ elements: [{ ...e, body: [] }] }).replace(/\(\)$/, '');
        return { kind: 'when', active, body: buildPlan(registry, e.body, scope, stack, budget), label };
      }
      case 'when-changed': {
        if (!registry.pass(e.pass))
          throw unknownPassError(e.pass, registry.passNames(), [], e, `when{changed=${e.pass}}`);
        const label = `when{changed=${e.pass}}`;
        return {
          kind: 'when-changed',
          pass: e.pass,
          body: buildPlan(registry, e.body, scope, stack, budget),
          label,
        };
      }
      case 'anchor': {
        const step: AnchorStep = {
          kind: 'anchor',
          on: e.on,
          names: e.names,
          body: buildPlan(registry, e.body, scope, stack, budget),
        };
        if (e.on === 'methods') checkMethodsBody(step, step.body);
        return step;
      }
      case 'extension': {
        const inserted = registry.extensionsAt(scope.pipeline, e.name);
        return {
          kind: 'pipeline',
          name: `@${e.name}`,
          body: inserted.flatMap((x) => buildPlan(registry, x.elements, scope, stack, budget)),
        };
      }
    }
  });
}

// Inside methods(...) only graph passes run: a method has no submodules and is not a module.
function checkMethodsBody(anchor: AnchorStep, steps: readonly PlanStep[]): void {
  const where = `inside ${anchor.on}(${anchor.names.join(',')}: ...)`;
  for (const s of steps) {
    if (s.kind === 'pass' && s.declaration.target === 'module')
      throw new PipelineError(
        'WRONG_TARGET',
        `pass '${s.declaration.name}' runs on modules and cannot run ${where}, where only graph passes run on each method (run it outside, or on a submodule with submodules(...))`,
      );
    if (s.kind === 'anchor')
      throw new PipelineError(
        'WRONG_TARGET',
        `${s.on}(${s.names.join(',')}: ...) cannot be nested ${where}: a method has no methods or submodules of its own`,
      );
    if (s.kind !== 'pass') checkMethodsBody(anchor, s.body);
  }
}

/** Checks every extension registered for `pipeline` names a point it declares. */
export function checkExtensionPoints(
  registry: PassRegistry,
  pipeline: string,
  declared: readonly string[],
): void {
  for (const x of registry.extensionsFor(pipeline)) {
    if (!declared.includes(x.point)) {
      const known = declared.length
        ? `its points: ${declared.map((p) => `@${p}`).join(', ')}`
        : 'it declares none';
      throw new PipelineError(
        'UNKNOWN_EXTENSION_POINT',
        `an extension inserts passes at @${x.point} of pipeline '${pipeline}', which has no such point${didYouMean(x.point, declared)} (${known})`,
      );
    }
  }
}

function planPass(
  registry: PassRegistry,
  e: PassElement,
  scope: OptionScope,
  stack: readonly string[],
  budget: PlanBudget,
): PlanStep {
  const given = resolveExprs(e.options, scope, e);
  const registered = registry.pass(e.name);
  if (registered) {
    const decl = registered.declaration;
    const options = resolveOptions(`pass '${decl.name}'`, decl.options, given, e);
    const text = printPipelineText({ elements: [{ kind: 'pass', name: e.name, options: given }] });
    return { kind: 'pass', declaration: decl, instance: registered.instance, options, scope, text };
  }
  const def = registry.pipeline(e.name);
  if (!def) {
    const within = stack.length ? `pipeline '${stack[stack.length - 1]}'` : undefined;
    throw unknownPassError(e.name, registry.passNames(), registry.pipelineNames(), e, within);
  }
  if (stack.includes(def.name)) {
    throw new PipelineError(
      'PIPELINE_CYCLE',
      `named pipelines include each other in a cycle: ${[...stack, def.name].join(' -> ')}`,
    );
  }
  if (stack.length >= currentLimits().maxNestingDepth)
    throw new LimitError(
      'maxNestingDepth',
      stack.length + 1,
      `named pipelines nested too deeply (from '${stack[0]}')`,
    );
  const values = resolveOptions(`pipeline '${def.name}'`, def.options, given, e);
  const inner: OptionScope = { owner: `pipeline '${def.name}'`, values, pipeline: def.name };
  checkExtensionPoints(registry, def.name, extensionPoints(def.pipeline.elements));
  return {
    kind: 'pipeline',
    name: def.name,
    body: buildPlan(registry, def.pipeline.elements, inner, [...stack, def.name], budget),
  };
}

// Replaces `$name` references by the scope's values.
function resolveExprs(
  options: Readonly<Record<string, OptionExpr>>,
  scope: OptionScope,
  element: object,
): Record<string, OptionLiteral> {
  const out: Record<string, OptionLiteral> = {};
  for (const [k, v] of Object.entries(options)) out[k] = resolveExpr(v, scope, element);
  return out;
}

function resolveExpr(expr: OptionExpr, scope: OptionScope, element: object): OptionLiteral {
  if (isOptionRef(expr)) return lookup(scope, expr.ref, element) as OptionLiteral;
  if (Array.isArray(expr)) return (expr as readonly OptionExpr[]).map((x) => resolveExpr(x, scope, element));
  return expr as OptionLiteral;
}

function lookup(scope: OptionScope, name: string, element: object): OptionValue {
  if (Object.prototype.hasOwnProperty.call(scope.values, name)) return scope.values[name];
  const known = Object.keys(scope.values);
  const list = known.length ? `its options: ${known.join(', ')}` : 'no pipeline options are set';
  throw badOptionError(
    `pipeline option '${name}' is not set in ${scope.owner}${didYouMean(name, known)} (${list})`,
    element,
  );
}

/** The top-level scope: declared options type-checked with defaults filled, or the given values as they are. */
export function topScope(
  declarations: OptionDeclarations | undefined,
  given: Readonly<Record<string, OptionLiteral>>,
  owner = 'the pipeline',
  pipeline?: string,
): OptionScope {
  const named = pipeline === undefined ? {} : { pipeline };
  if (declarations && Object.keys(declarations).length)
    return { owner, values: resolveOptions(owner, declarations, given), ...named };
  return { owner, values: given as PassOptions, ...named };
}

/** Every pass step of a plan, depth-first (including inactive branches). */
export function* planPasses(steps: readonly PlanStep[]): IterableIterator<PassStep> {
  for (const s of steps) {
    if (s.kind === 'pass') yield s;
    else yield* planPasses(s.body);
  }
}
