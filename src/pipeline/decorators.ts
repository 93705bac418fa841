// `@pass({...})` and `@analysis({...})`: declare a pass or analysis on its class, apart from its logic.
// Both also make the class injectable, so constructor parameters with `@inject(TOKEN)` are filled in.

import { injectable } from 'inversify';
import { PipelineError } from '../errors.js';
import type {
  AnalysisClass,
  AnalysisDeclaration,
  AnalysisDeclarationInput,
  PassClass,
  PassDeclaration,
  PassDeclarationInput,
  OptionDeclarations,
  OptionsOf,
  PassOptions,
} from './contracts.js';
import { checkOptionDeclarations } from './options.js';

// Symbol.for: a plugin that bundles its own copy of tsfreeze still writes metadata the host can read.
const PASS_META = Symbol.for('tsfreeze.pass.declaration');
const ANALYSIS_META = Symbol.for('tsfreeze.analysis.declaration');

/** Words that pipeline text reserves for groups; no pass may take them. */
export const RESERVED_NAMES: readonly string[] = ['fixpoint', 'when', 'methods', 'submodules'];

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks a pass/analysis/pipeline name is kebab-case and not reserved. */
export function checkName(kind: string, name: string): void {
  if (!KEBAB.test(name)) {
    throw new PipelineError(
      'BAD_DECLARATION',
      `${kind} name '${name}' is not kebab-case (like 'dead-code-elimination')`,
    );
  }
  if (RESERVED_NAMES.includes(name)) {
    throw new PipelineError('BAD_DECLARATION', `${kind} name '${name}' is reserved for pipeline groups`);
  }
}

function makeInjectable(target: object): void {
  try {
    injectable()(target as abstract new () => unknown);
  } catch (error) {
    // Already @injectable(): fine, the declaration still applies.
    if (!(error instanceof Error && /multiple times/.test(error.message))) throw error;
  }
}

/** @internal Checks a declaration and attaches it to `target` (what `@pass` and `definePass` share). */
export function declarePass(target: PassClass, declaration: PassDeclarationInput): PassDeclaration {
  checkName('pass', declaration.name);
  checkOptionDeclarations(`pass '${declaration.name}'`, declaration.options ?? {});
  const full: PassDeclaration = {
    name: declaration.name,
    summary: declaration.summary,
    target: declaration.target ?? 'graph',
    options: declaration.options ?? {},
    requires: declaration.requires ?? [],
    preserves: declaration.preserves ?? [],
    statistics: (declaration.statistics ?? []).map((s) => (typeof s === 'string' ? { name: s } : s)),
    requiresProperties: declaration.requiresProperties ?? [],
    establishesProperties: declaration.establishesProperties ?? [],
    invalidatesProperties: declaration.invalidatesProperties ?? [],
    required: declaration.required ?? false,
    passClass: target,
  };
  Object.defineProperty(target, PASS_META, { value: full, enumerable: false });
  return full;
}

// The options type a pass class's run() reads from its context, or `unknown` for untyped classes.
type ContextOptions<C> = C extends abstract new (...args: never[]) => {
  run(target: never, context: infer X): unknown;
}
  ? [X] extends [{ readonly options: infer O }]
    ? O
    : PassOptions
  : PassOptions;

type DeclaredOptions<D> = D extends { readonly options: infer O extends OptionDeclarations }
  ? OptionsOf<O>
  : Record<never, never>;

// True when the class's typed options are exactly the declared ones (untyped `PassOptions` always fits).
type OptionsFit<C, D> = string extends keyof ContextOptions<C>
  ? true
  : [ContextOptions<C>] extends [DeclaredOptions<D>]
    ? [DeclaredOptions<D>] extends [ContextOptions<C>]
      ? true
      : false
    : false;

/** What `@pass` accepts: the class, or an explanation when its options type differs from the declaration. */
export type CheckedPassClass<C, D> =
  OptionsFit<C, D> extends true
    ? C
    : { readonly 'run(context) options differ from the @pass({ options }) declaration': DeclaredOptions<D> };

/** The class decorator `@pass(declaration)` returns. */
export interface PassDecorator<D> {
  <C extends PassClass>(target: C & CheckedPassClass<C, D>): C;
}

/**
 * Declares a pass: name, summary, target, options, analyses required/preserved, statistics, IR properties.
 * Implies `@injectable()`; do not add it yourself. A class typed `GraphPass<OptionsOf<typeof X>>` must
 * declare `options: X`: another options object fails to compile.
 */
export function pass<const D extends PassDeclarationInput>(declaration: D): PassDecorator<D> {
  checkName('pass', declaration.name);
  checkOptionDeclarations(`pass '${declaration.name}'`, declaration.options ?? {});
  return ((target: PassClass) => {
    declarePass(target, declaration);
    makeInjectable(target);
    return target;
  }) as unknown as PassDecorator<D>;
}

/** Declares an analysis: a named, cached computation over a graph (default) or module. Implies `@injectable()`. */
export function analysis(declaration: AnalysisDeclarationInput): <C extends AnalysisClass>(target: C) => C {
  checkName('analysis', declaration.name);
  return <C extends AnalysisClass>(target: C): C => {
    const full: AnalysisDeclaration = {
      name: declaration.name,
      summary: declaration.summary ?? '',
      token: declaration.token,
      target: declaration.target ?? 'graph',
      analysisClass: target,
    };
    Object.defineProperty(target, ANALYSIS_META, { value: full, enumerable: false });
    makeInjectable(target);
    return target;
  };
}

/** The declaration of a pass class (own, not inherited), or undefined when it has no `@pass`. */
export function getPassDeclaration(passClass: unknown): PassDeclaration | undefined {
  if (typeof passClass !== 'function' || !Object.prototype.hasOwnProperty.call(passClass, PASS_META))
    return undefined;
  return (passClass as unknown as Record<symbol, PassDeclaration>)[PASS_META];
}

/** The declaration of an analysis class, or undefined when it has no `@analysis`. */
export function getAnalysisDeclaration(analysisClass: unknown): AnalysisDeclaration | undefined {
  if (
    typeof analysisClass !== 'function' ||
    !Object.prototype.hasOwnProperty.call(analysisClass, ANALYSIS_META)
  )
    return undefined;
  return (analysisClass as unknown as Record<symbol, AnalysisDeclaration>)[ANALYSIS_META];
}

/** The declaration of a pass class, or a PipelineError naming the class that lacks `@pass`. */
export function requirePassDeclaration(passClass: unknown): PassDeclaration {
  const decl = getPassDeclaration(passClass);
  if (!decl) {
    const name = typeof passClass === 'function' ? passClass.name || '(anonymous class)' : String(passClass);
    throw new PipelineError('BAD_DECLARATION', `${name} is not a pass: it has no @pass({...}) declaration`);
  }
  return decl;
}

/** The declaration of an analysis class, or a PipelineError naming the class that lacks `@analysis`. */
export function requireAnalysisDeclaration(analysisClass: unknown): AnalysisDeclaration {
  const decl = getAnalysisDeclaration(analysisClass);
  if (!decl) {
    const name =
      typeof analysisClass === 'function' ? analysisClass.name || '(anonymous class)' : String(analysisClass);
    throw new PipelineError(
      'BAD_DECLARATION',
      `${name} is not an analysis: it has no @analysis({...}) declaration`,
    );
  }
  return decl;
}
