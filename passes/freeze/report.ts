// The freeze report: for every attribute, whether freezing folded it into a constant or kept it, and why.
// Passes write it; `explainFreeze` and `tsfreeze freeze --explain` read it. One report per frozen module.

import type { ScriptModule } from '../../src/index.js';

/** Why an attribute ended up the way it did. */
export type AttributeFate =
  | { readonly kind: 'folded'; readonly constant: string }
  | { readonly kind: 'preserved'; readonly by: 'user' }
  | { readonly kind: 'mutated'; readonly method: string; readonly node: string }
  | { readonly kind: 'aliased'; readonly with: string }
  | { readonly kind: 'not-materializable'; readonly reason: string }
  | { readonly kind: 'submodule-kept'; readonly reason: string }
  | { readonly kind: 'removed'; readonly reason: string }
  | { readonly kind: 'kept'; readonly reason: string };

/** One line of the report. */
export interface AttributeExplanation {
  /** Dotted path from the root: `layer1.0.conv1.weight`. */
  readonly path: string;
  readonly fates: AttributeFate[];
}

/** Collected facts about one freeze. */
export class FreezeReport {
  private readonly entries = new Map<string, AttributeFate[]>();

  note(path: string, fate: AttributeFate): void {
    const list = this.entries.get(path) ?? [];
    if (!list.some((f) => JSON.stringify(f) === JSON.stringify(fate))) list.push(fate);
    this.entries.set(path, list);
  }

  /** Every attribute seen, sorted by path. */
  explanations(): AttributeExplanation[] {
    return [...this.entries].sort(([a], [b]) => a.localeCompare(b)).map(([path, fates]) => ({ path, fates }));
  }

  /** Human-readable lines: `weight: folded into constant %self.weight`. */
  format(): string {
    return this.explanations()
      .map((e) => `${e.path}: ${e.fates.map(describeFate).join('; ')}`)
      .join('\n');
  }
}

export function describeFate(f: AttributeFate): string {
  switch (f.kind) {
    case 'folded':
      return `folded into constant %${f.constant}`;
    case 'preserved':
      return 'kept: preserved by the user (preservedAttrs)';
    case 'mutated':
      return `kept: mutated in ${f.method} by ${f.node}`;
    case 'aliased':
      return `kept: shares memory with ${f.with}, which is kept`;
    case 'not-materializable':
      return `kept: cannot be a constant (${f.reason})`;
    case 'submodule-kept':
      return `kept: ${f.reason}`;
    case 'removed':
      return `removed: ${f.reason}`;
    case 'kept':
      return `kept: ${f.reason}`;
  }
}

const reports = new WeakMap<object, FreezeReport>();

/** The report of the freeze that produced `module`, created on first use. */
export function freezeReportOf(module: ScriptModule): FreezeReport {
  let r = reports.get(module);
  if (!r) {
    r = new FreezeReport();
    reports.set(module, r);
  }
  return r;
}
