// Local names in printed TorchScript source: which identifiers are off limits, how a value's debug
// name becomes an identifier, and the name generator whose counters PyTorch's printer shares per file.

import type { Value } from '../../ir/value.js';
import { KEYWORDS } from '../torchscript/tokens.js';

/** Valid identifiers and keywords the printer never uses as a local (the importer's environment + Python keywords). */
const RESERVED: ReadonlySet<string> = new Set([
  '_',
  'aten',
  'attribute',
  'CONSTANTS',
  'fork',
  'getattr',
  'inf',
  'nan',
  'infj',
  'nanj',
  'ops',
  '__torch__',
  'uninitialized',
  'unchecked_cast',
  ...KEYWORDS,
]);

/** True for ASCII identifiers (`foo_1`), the only names the printer writes as `a.b` / `b : T`. */
export function isValidIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Rewrites any name into an identifier: a leading digit gets `_`, other characters become `_` (`self.w` -> `self_w`). */
export function makeValidIdentifier(candidate: string): string {
  let out = candidate === '' || /^[0-9]/.test(candidate) ? '_' : '';
  for (const ch of candidate) out += /^[A-Za-z0-9_]$/.test(ch) ? ch : '_';
  return out;
}

/** A debug name without its uniquing suffix: `output.1` -> `output`; `self.linear.weight` stays. */
export function debugNameBase(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot >= 0 && dot + 1 < name.length && /^[0-9]+$/.test(name.slice(dot + 1))) return name.slice(0, dot);
  return name;
}

/**
 * Hands out local names. `used` is per function; the suffix counters live as long as the generator,
 * which is one per printed file, as in PyTorch (so `_5` in a second method of a class is expected).
 */
export class NameGenerator {
  private readonly nextId = new Map<string, number>();
  private used = new Set<string>();

  /** Starts a new function: its locals may reuse names of earlier functions. */
  resetLocals(): void {
    this.used = new Set();
  }

  /**
   * `candidate` if free, else the first free `candidate` + counter. The counter is looked up under the
   * name just tried, not the candidate: PyTorch's quirk, kept so printed names match its output.
   */
  generate(candidate: string): string {
    let name = candidate;
    while (this.used.has(name) || RESERVED.has(name)) {
      const id = this.nextId.get(name) ?? 0;
      this.nextId.set(name, id + 1);
      name = `${candidate}${id}`;
    }
    this.used.add(name);
    return name;
  }

  /** A name for `value`: its debug name made valid, or `_N` when it has none. */
  forValue(value: Value): string {
    return this.generate(value.hasDebugName ? makeValidIdentifier(debugNameBase(value.debugName)) : '_');
  }
}
