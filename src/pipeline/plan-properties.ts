// IR properties along a plan, checked before anything runs. Each step list is summarised once, bottom
// up, as what it needs from before it, what it establishes and what it invalidates (its effect on the
// properties holding is `(have - invalidated) ∪ established`). A fixpoint applies its body's summary
// twice (a second iteration starts from what the first left; the effect is idempotent, so a third adds
// nothing), without walking the body again: nested fixpoints stay linear in the plan's size.

import { PipelineError } from '../errors.js';
import type { PlanStep } from './plan.js';
import type { PassRegistry } from './registry.js';

/** What a step list needs from before it and how it changes the properties holding. */
interface Summary {
  /** property -> the first pass that needs it from before the list. */
  readonly needs: Map<string, string>;
  /** Properties established by the list and holding at its end. */
  readonly established: Set<string>;
  /** property -> the pass that invalidated it; not holding at the end of the list. */
  readonly invalidated: Map<string, string>;
}

/**
 * Checks the IR properties along the plan: each pass's `requiresProperties` must be established by the
 * input or an earlier pass and not invalidated since (`invalidatesProperties`). A `when{changed=...}` or
 * anchored group may not run everywhere: what follows gets only what holds whether it ran or not.
 * Returns the properties holding at the end.
 */
export function checkProperties(
  steps: readonly PlanStep[],
  initial: Iterable<string>,
  registry?: PassRegistry,
): Set<string> {
  const top: Summary = { needs: new Map(), established: new Set(initial), invalidated: new Map() };
  const fail = (pass: string, property: string, by?: string): never => {
    throw missingProperty(pass, property, registry, by);
  };
  // At the top, nothing is before the input: a need not met is an error at once.
  apply(top, summarize(steps, fail), fail, true);
  return top.established;
}

type Fail = (pass: string, property: string, invalidatedBy?: string) => never;

function summarize(steps: readonly PlanStep[], fail: Fail): Summary {
  const s: Summary = { needs: new Map(), established: new Set(), invalidated: new Map() };
  for (const step of steps) {
    switch (step.kind) {
      case 'pass': {
        const d = step.declaration;
        const own: Summary = {
          needs: new Map(d.requiresProperties.map((p) => [p, d.name])),
          established: new Set(d.establishesProperties),
          invalidated: new Map(
            d.invalidatesProperties
              .filter((p) => !d.establishesProperties.includes(p))
              .map((p) => [p, d.name]),
          ),
        };
        apply(s, own, fail);
        break;
      }
      case 'fixpoint': {
        const body = summarize(step.body, fail);
        apply(s, body, fail);
        apply(s, body, fail);
        break;
      }
      case 'when':
        if (step.active) apply(s, summarize(step.body, fail), fail);
        break;
      case 'pipeline':
        apply(s, summarize(step.body, fail), fail);
        break;
      default: {
        // May not run (when-changed) or runs on part of the IR only (anchors): establishes nothing after it.
        const body = summarize(step.body, fail);
        apply(s, { ...body, established: new Set() }, fail);
      }
    }
  }
  return s;
}

// Sequential composition: `next` runs after what `s` summarises; `s` becomes the summary of both.
function apply(s: Summary, next: Summary, fail: Fail, top = false): void {
  for (const [p, pass] of next.needs) {
    if (s.established.has(p)) continue;
    const by = s.invalidated.get(p);
    if (by !== undefined || top) fail(pass, p, by);
    if (!s.needs.has(p)) s.needs.set(p, pass);
  }
  for (const [p, by] of next.invalidated) {
    s.established.delete(p);
    s.invalidated.set(p, by);
  }
  for (const p of next.established) {
    s.established.add(p);
    s.invalidated.delete(p);
  }
}

/** A pass needs an IR property nothing established (or an earlier pass invalidated). Code `MISSING_PROPERTY`. */
export function missingProperty(
  pass: string,
  property: string,
  registry?: PassRegistry,
  invalidatedBy?: string,
): PipelineError {
  const providers = (registry?.declarations() ?? [])
    .filter((d) => d.establishesProperties.includes(property))
    .map((d) => d.name);
  const fix = providers.length
    ? `run ${providers.join(' or ')} before it`
    : 'no registered pass establishes it';
  const why = invalidatedBy
    ? `which pass '${invalidatedBy}' invalidated before it`
    : 'which neither the input nor an earlier pass establishes';
  return new PipelineError(
    'MISSING_PROPERTY',
    `pass '${pass}' requires the IR property '${property}', ${why}; ${fix}`,
  );
}
