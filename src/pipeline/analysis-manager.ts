// AnalysisManager: computes analyses lazily, caches each result per graph/module, and drops cached
// results after a pass changed the IR unless the pass declared them preserved (MLIR's model). Each
// result records the analyses it read while computing; dropping one drops every result built on it
// (LLVM's invalidation of dependent analyses), whatever those declared preserved.

import { PipelineError } from '../errors.js';
import type { Graph } from '../ir/index.js';
import type {
  Analysis,
  AnalysisClass,
  AnalysisContext,
  AnalysisDeclaration,
  AnalysisRef,
  Logger,
  ModuleTarget,
} from './contracts.js';
import { requireAnalysisDeclaration } from './decorators.js';
import type { RegisteredAnalysis } from './registry.js';
import { unknownAnalysisError } from './errors.js';
import { isGraphTarget, methodGraphsOf, type PassTarget } from './targets.js';

interface Entry {
  readonly decl: AnalysisDeclaration;
  /** Built on first use (a broken analysis fails only the pipelines that use it). */
  readonly registered: RegisteredAnalysis;
}

/** One cached result, with the results computed from it (dropped with it). */
interface Cached {
  readonly name: string;
  readonly target: Graph | ModuleTarget;
  /** The module of a method graph's result (what nested module analyses default to). */
  readonly module: ModuleTarget | undefined;
  readonly value: unknown;
  readonly dependents: Set<Cached>;
  live: boolean;
}

/** A cached result as `cached()` lists it. */
export interface CachedAnalysis {
  readonly name: string;
  readonly target: Graph | ModuleTarget;
  readonly value: unknown;
}

/** Where an analysis request comes from: the current target and, for method graphs, their module. */
export interface AnalysisScope {
  readonly target: PassTarget;
  readonly module: ModuleTarget | undefined;
}

/** Lazy, cached, invalidated analyses for one pipeline run. */
export class AnalysisManager {
  private readonly byName = new Map<string, Entry>();
  private readonly byClass = new Map<AnalysisClass, Entry>();
  private readonly byToken = new Map<symbol, Entry>();
  private readonly cache = new WeakMap<object, Map<string, Cached>>();
  private readonly inProgress: string[] = [];
  /** The results being computed (innermost last): what they read becomes their dependencies. */
  private readonly computing: Set<Cached>[] = [];
  /** How many times each analysis was computed (not served from the cache) in this run. */
  readonly computations = new Map<string, number>();

  constructor(
    private readonly analyses: readonly RegisteredAnalysis[],
    private readonly logger: Logger,
  ) {
    for (const registered of analyses) {
      const decl = registered.declaration;
      const existing = this.byName.get(decl.name);
      if (existing && existing.decl.analysisClass !== decl.analysisClass) {
        throw new PipelineError(
          'DUPLICATE_ANALYSIS',
          `analysis name '${decl.name}' is declared by both ${existing.decl.analysisClass.name} and ${decl.analysisClass.name}`,
        );
      }
      const entry: Entry = { decl, registered };
      this.byName.set(decl.name, entry);
      this.byClass.set(decl.analysisClass, entry);
      if (decl.token) this.byToken.set(decl.token, entry);
    }
  }

  /** Registered analysis names. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The declared name of an analysis reference; throws `UNKNOWN_ANALYSIS` if not registered. */
  nameOf(ref: AnalysisRef, requester = 'a pass'): string {
    return this.entry(ref, requester).decl.name;
  }

  private entry(ref: AnalysisRef, requester: string): Entry {
    const entry =
      typeof ref === 'string'
        ? this.byName.get(ref)
        : typeof ref === 'symbol'
          ? this.byToken.get(ref)
          : this.byClass.get(ref);
    if (entry) return entry;
    const name =
      typeof ref === 'string'
        ? ref
        : typeof ref === 'symbol'
          ? `token ${String(ref)}`
          : requireAnalysisDeclaration(ref).name;
    throw unknownAnalysisError(name, this.names(), requester);
  }

  /** The analysis result for the scope's target (or `explicit`), computing it on first request. */
  get(
    ref: AnalysisRef,
    scope: AnalysisScope,
    explicit?: Graph | ModuleTarget,
    requester = 'a pass',
  ): unknown {
    const { decl, registered } = this.entry(ref, requester);
    const target = explicit ?? this.targetFor(decl, scope, requester);
    const hit = this.cache.get(target)?.get(decl.name);
    if (hit) {
      this.computing[this.computing.length - 1]?.add(hit);
      return hit.value;
    }
    if (this.inProgress.includes(decl.name)) {
      throw new PipelineError(
        'ANALYSIS_CYCLE',
        `analyses depend on each other in a cycle: ${[...this.inProgress, decl.name].join(' -> ')}`,
      );
    }
    const module = isGraphTarget(target) ? scope.module : (target as ModuleTarget);
    const reads = new Set<Cached>();
    this.inProgress.push(decl.name);
    this.computing.push(reads);
    let value: unknown;
    try {
      const inner: AnalysisScope = { target, module };
      const context: AnalysisContext = {
        logger: this.logger,
        getAnalysis: (r: AnalysisRef, t?: Graph | ModuleTarget) =>
          this.get(r, inner, t, `analysis '${decl.name}'`),
      } as AnalysisContext;
      value = registered.instance.compute(target as never, context);
    } finally {
      this.inProgress.pop();
      this.computing.pop();
    }
    this.computations.set(decl.name, (this.computations.get(decl.name) ?? 0) + 1);
    const cached: Cached = { name: decl.name, target, module, value, dependents: new Set(), live: true };
    // A result read while computing another is a dependency of it: dropping it drops the other.
    for (const read of reads) if (read.live) read.dependents.add(cached);
    // Re-read: analyses computed inside `compute` may have created the map meanwhile.
    let results = this.cache.get(target);
    if (!results) {
      results = new Map();
      this.cache.set(target, results);
    }
    results.set(decl.name, cached);
    this.computing[this.computing.length - 1]?.add(cached);
    return value;
  }

  private targetFor(
    decl: AnalysisDeclaration,
    scope: AnalysisScope,
    requester: string,
  ): Graph | ModuleTarget {
    if (decl.target === 'module') {
      const module = isGraphTarget(scope.target) ? scope.module : scope.target;
      if (!module) {
        throw new PipelineError(
          'WRONG_TARGET',
          `${requester} asks for module analysis '${decl.name}', but the pipeline runs on a single graph`,
        );
      }
      return module;
    }
    if (!isGraphTarget(scope.target)) {
      throw new PipelineError(
        'WRONG_TARGET',
        `${requester} asks for graph analysis '${decl.name}' on a module: pass the method graph as the target`,
      );
    }
    return scope.target;
  }

  /** True when a result for this analysis and target is cached. */
  isCached(ref: AnalysisRef, target: Graph | ModuleTarget): boolean {
    return this.cache.get(target)?.has(this.nameOf(ref)) ?? false;
  }

  /** The results cached for `target`, in the order they were computed. */
  cached(target: Graph | ModuleTarget): CachedAnalysis[] {
    return [...(this.cache.get(target)?.values() ?? [])].map(({ name, value }) => ({ name, target, value }));
  }

  /**
   * Computes analysis `name` on `target` afresh, every analysis it reads afresh too, without touching
   * this cache (what --verify-analysis-invalidation compares the cached result with).
   */
  recompute(name: string, target: Graph | ModuleTarget): unknown {
    const cached = this.cache.get(target)?.get(name);
    const module = cached ? cached.module : isGraphTarget(target) ? undefined : target;
    return new AnalysisManager(this.analyses, this.logger).get(name, { target, module }, target);
  }

  /** A plain, comparable form of a result: the analysis's own `fingerprint`, or a structural walk. */
  fingerprintOf(name: string, value: unknown): unknown {
    const instance = this.entry(name, 'the analysis verifier').registered.instance as Analysis<
      never,
      unknown
    >;
    return instance.fingerprint ? instance.fingerprint(value as never) : value;
  }

  /**
   * Drops cached results made stale by a change to `changed`, keeping the preserved ones, and every
   * result computed from a dropped one. A changed graph also stales its module's analyses; a changed
   * module stales every method graph's; a changed submodule (or its graph) also stales the modules
   * enclosing it (`enclosing`: their own results, not their other graphs').
   */
  invalidate(
    changed: PassTarget,
    preserved: readonly AnalysisRef[] | 'all',
    module: ModuleTarget | undefined,
    enclosing: readonly ModuleTarget[] = [],
  ): void {
    if (preserved === 'all') return;
    const keep = new Set(preserved.map((r) => this.nameOf(r)));
    const targets: object[] = [changed, ...enclosing];
    if (isGraphTarget(changed)) {
      if (module) targets.push(module);
    } else {
      for (const m of methodGraphsOf(changed)) targets.push(m.graph);
    }
    for (const t of targets) {
      const results = this.cache.get(t);
      if (!results) continue;
      for (const cached of [...results.values()]) if (!keep.has(cached.name)) this.drop(cached);
    }
  }

  // Drops a result and, transitively, everything computed from it (iterative: chains may be long).
  private drop(first: Cached): void {
    const stack = [first];
    for (let c = stack.pop(); c; c = stack.pop()) {
      if (!c.live) continue;
      c.live = false;
      const results = this.cache.get(c.target);
      if (results?.get(c.name) === c) results.delete(c.name);
      stack.push(...c.dependents);
    }
  }
}
