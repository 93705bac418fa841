// What the page shows for a pass, decided the same way in the page and in Node (which draws the first
// pictures ahead, so a big report opens without waiting for the layout engine).

import { classifyChanges, type Change } from './changes.js';
import { defaultExpansion, type Expansion } from './expansion.js';
import type { GraphView } from './graph-view.js';
import type { PassData, ReportData } from './report-data.js';

/** The invocation the page opens with: the first that changed the IR (none in a single-graph page). */
export function firstPass(data: ReportData): PassData | undefined {
  return data.passes.find((p) => p.changed);
}

/** Methods a pass touched, or every method current before it; `forward` first when there. */
export function methodsOf(data: ReportData, pass: PassData | undefined): string[] {
  const touched = pass ? [...new Set([...Object.keys(pass.after), ...Object.keys(pass.before)])] : [];
  const all = touched.length ? touched : Object.keys(statesBefore(data, pass));
  return all.includes('forward') ? ['forward', ...all.filter((m) => m !== 'forward')] : all;
}

/** The state of `method` before and after `pass` (after: only when the pass changed it). */
export function statesOf(
  data: ReportData,
  pass: PassData | undefined,
  method: string,
): { readonly before?: number; readonly after?: number } {
  const before = statesBefore(data, pass)[method];
  const after = pass?.after[method];
  return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

// method -> state current when `pass` starts (its recorded `before` where it has one).
function statesBefore(data: ReportData, pass: PassData | undefined): Record<string, number> {
  const current: Record<string, number> = { ...data.initial };
  for (const p of data.passes) {
    if (pass && p.number >= pass.number) break;
    for (const m of Object.keys(p.before)) if (p.after[m] === undefined) delete current[m];
    Object.assign(current, p.after);
  }
  return pass ? { ...current, ...pass.before } : current;
}

/** What changed between the two states (nothing when the pass left the method alone). */
export function changesOf(
  data: ReportData,
  states: { before?: number; after?: number },
): Map<number, Change> {
  if (states.after === undefined) return new Map();
  return classifyChanges(
    data.nodes,
    states.before === undefined ? undefined : data.states[states.before].graph,
    data.states[states.after].graph,
  );
}

/** The changes a picture highlights: the before picture what went away, the after picture what came. */
export function sideChanges(
  changes: ReadonlyMap<number, Change>,
  side: 'before' | 'after',
): Map<number, Change> {
  return new Map([...changes].filter(([, c]) => (side === 'before' ? c !== 'added' : c !== 'removed')));
}

/** Regions and nodes both pictures open at first: what fits, the changes first. */
export function initialExpansion(
  before: GraphView | undefined,
  after: GraphView | undefined,
  changes: ReadonlyMap<number, Change>,
): Expansion {
  const focus = new Set(changes.keys());
  const open: Expansion = new Set();
  for (const view of [after, before]) if (view) for (const id of defaultExpansion(view, focus)) open.add(id);
  return open;
}
