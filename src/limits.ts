// Resource limits for untrusted input, declared once with their defaults (docs/security.md lists them).
// Readers, parsers and passes ask `currentLimits()`; callers override per call with `withLimits` (the
// API's `limits` options and the CLI's --max-* flags use it). Every hit is a LimitError naming the limit.

import { TsFreezeError } from './errors.js';

/** Every limit tsfreeze enforces on what it reads and builds. */
export interface Limits {
  /** Largest .pt file read, in bytes. */
  readonly maxArchiveBytes: number;
  /** Total bytes inflated from the compressed entries of one archive. */
  readonly maxDecompressedBytes: number;
  /** Inflated bytes allowed per byte of archive file (plus 1 MiB): refuses zip bombs early. */
  readonly maxExpansionRatio: number;
  /** Nesting of IR blocks, IR types and values, pipelines and TorchScript source. */
  readonly maxNestingDepth: number;
  /** Nesting of pickled containers (a module nested N deep is about 2N levels). */
  readonly maxPickleDepth: number;
  /** Bytes of one tensor allocation. */
  readonly maxTensorBytes: number;
  /** Bytes of one tensor a pass may create by folding at freeze time (larger results stay computed). */
  readonly maxFoldedConstantBytes: number;
  /** Nodes one run of unroll-constant-loops may create. */
  readonly unrollBudget: number;
  /** Steps of one pipeline once named pipelines are expanded. */
  readonly maxPipelineSteps: number;
}

/** What a limit is about, for help texts and docs. */
export interface LimitDeclaration {
  readonly default: number;
  readonly unit: 'bytes' | 'levels' | 'nodes' | 'steps' | 'ratio';
  readonly description: string;
}

const GiB = 1024 ** 3;

/** The declarations: defaults and what each limit bounds. */
export const LIMIT_DECLARATIONS: { readonly [K in keyof Limits]: LimitDeclaration } = {
  maxArchiveBytes: {
    default: 4 * GiB - 1,
    unit: 'bytes',
    description:
      'largest .pt file read (4 GiB - 1: the most one Uint8Array holds in Node 20, and where zip needs zip64)',
  },
  maxDecompressedBytes: {
    default: GiB,
    unit: 'bytes',
    description: 'total bytes inflated from the compressed entries (code, pickles) of one archive',
  },
  maxExpansionRatio: {
    default: 200,
    unit: 'ratio',
    description: 'inflated bytes allowed per byte of archive file, plus 1 MiB (zip bombs)',
  },
  maxNestingDepth: {
    default: 500,
    unit: 'levels',
    description: 'nesting of IR blocks, IR types and values, pipelines and TorchScript source',
  },
  maxPickleDepth: {
    default: 5000,
    unit: 'levels',
    description: 'nesting of pickled containers (a submodule chain N deep needs about 2N)',
  },
  maxTensorBytes: {
    default: 4 * GiB,
    unit: 'bytes',
    description: 'one tensor allocation (declared shapes are checked before allocating)',
  },
  maxFoldedConstantBytes: {
    default: 64 * 1024 ** 2,
    unit: 'bytes',
    description: 'one tensor folded into a constant at freeze time; larger results stay computed',
  },
  unrollBudget: {
    default: 100_000,
    unit: 'nodes',
    description: 'nodes one run of unroll-constant-loops may create',
  },
  maxPipelineSteps: {
    default: 100_000,
    unit: 'steps',
    description: 'steps of a pipeline once named pipelines are expanded',
  },
};

/** The defaults, as one object. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(
  Object.fromEntries(Object.entries(LIMIT_DECLARATIONS).map(([k, d]) => [k, d.default])) as unknown as Limits,
);

let active: Readonly<Limits> = DEFAULT_LIMITS;

/** The limits in force now. */
export function currentLimits(): Readonly<Limits> {
  return active;
}

/** Runs `fn` with some limits overridden; the previous limits return afterwards (also on throw). */
export function withLimits<T>(overrides: Partial<Limits> | undefined, fn: () => T): T {
  if (!overrides || Object.keys(overrides).length === 0) return fn();
  const previous = active;
  active = Object.freeze({ ...previous, ...checkedOverrides(overrides) });
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/**
 * Changes the limits from now on (the CLI does this from its flags); returns the limits in force before,
 * for {@link restoreLimits}.
 */
export function setLimits(overrides: Partial<Limits>): Readonly<Limits> {
  const previous = active;
  active = Object.freeze({ ...active, ...checkedOverrides(overrides) });
  return previous;
}

/** Puts back limits returned by {@link setLimits} (or the defaults when given none). */
export function restoreLimits(limits: Readonly<Limits> = DEFAULT_LIMITS): void {
  active = limits;
}

function checkedOverrides(overrides: Partial<Limits>): Partial<Limits> {
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in LIMIT_DECLARATIONS))
      throw new TsFreezeError('BAD_OPTION', `unknown limit '${name}' (limits: ${limitNames().join(', ')})`);
    if (typeof value !== 'number' || !(value >= 0))
      throw new TsFreezeError(
        'BAD_OPTION',
        `limit ${name} must be a non-negative number, got ${String(value)}`,
      );
  }
  return overrides;
}

/** The names of all limits. */
export function limitNames(): (keyof Limits)[] {
  return Object.keys(LIMIT_DECLARATIONS) as (keyof Limits)[];
}

/** A limit was hit. `limit` names it; the message says what hit it and how to raise it. Code `LIMIT_EXCEEDED`. */
export class LimitError extends TsFreezeError {
  readonly max: number;
  constructor(
    readonly limit: keyof Limits,
    readonly actual: number | undefined,
    what: string,
    max = currentLimits()[limit],
  ) {
    super(
      'LIMIT_EXCEEDED',
      `${what}: exceeds the ${limit} limit (${max}${actual === undefined ? '' : `; found ${actual}`}); ` +
        `raise it with --${kebab(limit)} or the API's limits option if the input is trusted`,
    );
    this.max = max;
  }
}

/** Throws LimitError when `actual` is above limit `name`. */
export function checkLimit(name: keyof Limits, actual: number, what: string): void {
  if (actual > active[name]) throw new LimitError(name, actual, what);
}

/** `maxNestingDepth` -> `max-nesting-depth` (the CLI flag's name). */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
