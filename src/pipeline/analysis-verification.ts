// --verify-analysis-invalidation: after a pass changed the IR, every analysis result still cached for
// what it changed (those it preserved) is recomputed from scratch and compared with the cached one. A
// difference means the pass preserved an analysis it broke: STALE_ANALYSIS, naming the pass.

import { PipelineError } from '../errors.js';
import type { Graph } from '../ir/index.js';
import type { AnalysisManager } from './analysis-manager.js';
import { structuralForm } from './analysis-fingerprint.js';
import type { ModuleTarget } from './contracts.js';
import type { RunScope } from './anchors.js';
import type { PassInvocation } from './instruments/instrument.js';
import { isGraphTarget, methodGraphsOf } from './targets.js';

/** Where a pass's change may have left stale results: a target with a label for messages. */
export interface ChangedTarget {
  readonly target: Graph | ModuleTarget;
  readonly label: string;
}

/** Throws STALE_ANALYSIS for the first cached result that differs from a fresh computation. */
export function verifyPreservedAnalyses(
  analyses: AnalysisManager,
  targets: readonly ChangedTarget[],
  pass: string,
): void {
  for (const { target, label } of targets) {
    for (const cached of analyses.cached(target)) {
      const fresh = analyses.recompute(cached.name, target);
      const before = structuralForm(analyses.fingerprintOf(cached.name, cached.value));
      const after = structuralForm(analyses.fingerprintOf(cached.name, fresh));
      if (before === after) continue;
      throw new PipelineError(
        'STALE_ANALYSIS',
        `pass '${pass}' changed the IR of ${label} but kept analysis '${cached.name}' cached (it declared ` +
          `or returned it preserved), and recomputing it gives a different result\n${firstDifference(before, after)}`,
      );
    }
  }
}

// The first place two forms differ, with a little context, for the message.
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  const clip = (s: string): string =>
    `${from > 0 ? '…' : ''}${s.slice(from, i + 80)}${s.length > i + 80 ? '…' : ''}`;
  return `  cached: ${clip(a)}\n  fresh:  ${clip(b)}`;
}

// What a change to the invocation's target may have staled: the target, its module, or a module's
// graphs, and the modules enclosing a submodule.
export function changedTargets(invocation: PassInvocation, scope: RunScope): ChangedTarget[] {
  const { target, module, label } = invocation;
  const enclosing = scope.enclosing.map((m, i) => ({
    target: m,
    label: i === 0 ? 'the input module' : `the module enclosing ${label}`,
  }));
  if (isGraphTarget(target))
    return module
      ? [{ target, label }, { target: module, label: `the module of ${label}` }, ...enclosing]
      : [{ target, label }];
  return [
    { target, label },
    ...methodGraphsOf(target).map((m) => ({ target: m.graph, label: `${m.name} (in ${label})` })),
    ...enclosing,
  ];
}
