// Anchored groups: where `methods(...)` and `submodules(...)` run their bodies. A RunScope is one part
// of the input the manager runs steps on: the input itself, a submodule of it, or some of a module's
// methods. The same resolution checks a plan against the input before anything runs and picks the
// parts while running (a pass may have removed a submodule in between).

import { PipelineError } from '../errors.js';
import type { ModuleTarget } from './contracts.js';
import { didYouMean } from './edit-distance.js';
import type { AnchorStep, PlanStep } from './plan.js';
import { isGraphTarget, methodGraphsOf, type PassTarget } from './targets.js';

/** Where steps run: the input, or the part of it anchored groups chose. */
export interface RunScope {
  /** The graph or module passes run on (a submodule inside `submodules(...)`). */
  readonly target: PassTarget;
  /** The submodule's dotted path from the input; '' for the input itself. */
  readonly path: string;
  /** Inside `methods(...)`: the one method graph passes run on. */
  readonly method?: string;
  /** The modules enclosing `target`, outermost first: their analyses go stale when it changes. */
  readonly enclosing: readonly ModuleTarget[];
}

/** The scope of the whole input. */
export function inputScope(target: PassTarget): RunScope {
  return { target, path: '', enclosing: [] };
}

/** The label of an invocation: `forward`, `module`, or with a submodule path `layer1.0.forward`, `layer1.0`. */
export function invocationLabel(scope: RunScope, method?: string): string {
  if (method === undefined) return scope.path || 'module';
  return scope.path ? `${scope.path}.${method}` : method;
}

/** `methods(forward,helper)` / `submodules(layer1.0)`: an anchored group as messages show it. */
export function anchorLabel(step: Pick<AnchorStep, 'on' | 'names'>): string {
  return `${step.on}(${step.names.join(',')})`;
}

/**
 * The scopes an anchored group runs its body in, in the order named. Throws WRONG_TARGET when the scope
 * is a single graph, ANCHOR_NOT_FOUND naming what exists when a method or submodule does not.
 */
export function anchorScopes(step: Pick<AnchorStep, 'on' | 'names'>, scope: RunScope): RunScope[] {
  const { target } = scope;
  const where = scope.path ? `submodule '${scope.path}'` : 'the input module';
  if (isGraphTarget(target))
    throw new PipelineError(
      'WRONG_TARGET',
      `${anchorLabel(step)} runs on parts of a module, but the pipeline input is a single graph`,
    );
  if (step.on === 'methods') {
    const known = methodGraphsOf(target).map((m) => m.name);
    for (const name of step.names)
      if (!known.includes(name)) throw notFound(step, `method '${name}'`, where, name, known);
    return step.names.map((method) => ({ ...scope, method }));
  }
  return step.names.map((path) => {
    let module: ModuleTarget = target;
    const enclosing = [...scope.enclosing];
    let walked = scope.path;
    for (const atom of path.split('.')) {
      const children = childrenOf(module);
      const child = children.get(atom);
      if (!child) {
        const at = walked ? `submodule '${walked}'` : 'the input module';
        throw notFound(step, `submodule '${atom}'`, at, atom, [...children.keys()]);
      }
      enclosing.push(module);
      module = child;
      walked = walked ? `${walked}.${atom}` : atom;
    }
    return { target: module, path: walked, enclosing };
  });
}

/**
 * Checks every anchored group of a plan against the input: each named method or submodule exists where
 * the group is (groups inside inactive `when`s are not checked). Parts a pass creates while running
 * cannot be named; parts a pass removes before the group are reported when it is reached.
 */
export function checkAnchors(steps: readonly PlanStep[], scope: RunScope): void {
  for (const s of steps) {
    if (s.kind === 'pass' || (s.kind === 'when' && !s.active)) continue;
    if (s.kind === 'anchor') for (const inner of anchorScopes(s, scope)) checkAnchors(s.body, inner);
    else checkAnchors(s.body, scope);
  }
}

function childrenOf(module: ModuleTarget): Map<string, ModuleTarget> {
  const named = module.namedChildren;
  return new Map(typeof named === 'function' ? named.call(module) : []);
}

function notFound(
  step: Pick<AnchorStep, 'on' | 'names'>,
  what: string,
  where: string,
  name: string,
  known: readonly string[],
): PipelineError {
  const list = known.length ? `it has: ${known.join(', ')}` : `it has no ${step.on}`;
  return new PipelineError(
    'ANCHOR_NOT_FOUND',
    `${anchorLabel(step)}: ${where} has no ${what}${didYouMean(name, known)} (${list})`,
  );
}
