// AnalysisManager: computes analyses lazily, caches each result per graph/module, and drops cached
// results after a pass changed the IR unless the pass declared them preserved (MLIR's model).

import { PipelineError } from '../errors.js';
import type { Graph } from '../ir/index.js';
import type {
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
  private readonly cache = new WeakMap<object, Map<string, unknown>>();
  private readonly inProgress: string[] = [];
  /** How many times each analysis was computed (not served from the cache) in this run. */
  readonly computations = new Map<string, number>();

  constructor(
    analyses: readonly RegisteredAnalysis[],
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
    let results = this.cache.get(target);
    if (results?.has(decl.name)) return results.get(decl.name);
    if (this.inProgress.includes(decl.name)) {
      throw new PipelineError(
        'ANALYSIS_CYCLE',
        `analyses depend on each other in a cycle: ${[...this.inProgress, decl.name].join(' -> ')}`,
      );
    }
    this.inProgress.push(decl.name);
    let result: unknown;
    try {
      const inner: AnalysisScope = {
        target,
        module: isGraphTarget(target) ? scope.module : (target as ModuleTarget),
      };
      const context: AnalysisContext = {
        logger: this.logger,
        getAnalysis: (r: AnalysisRef, t?: Graph | ModuleTarget) =>
          this.get(r, inner, t, `analysis '${decl.name}'`),
      } as AnalysisContext;
      result = registered.instance.compute(target as never, context);
    } finally {
      this.inProgress.pop();
    }
    this.computations.set(decl.name, (this.computations.get(decl.name) ?? 0) + 1);
    // Re-read: analyses computed inside `compute` may have created the map meanwhile.
    results = this.cache.get(target);
    if (!results) {
      results = new Map();
      this.cache.set(target, results);
    }
    results.set(decl.name, result);
    return result;
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

  /**
   * Drops cached results made stale by a change to `changed`, keeping the preserved ones.
   * A changed graph also stales its module's analyses; a changed module stales every method graph's.
   */
  invalidate(
    changed: PassTarget,
    preserved: readonly AnalysisRef[] | 'all',
    module: ModuleTarget | undefined,
  ): void {
    if (preserved === 'all') return;
    const keep = new Set(preserved.map((r) => this.nameOf(r)));
    const targets: object[] = [changed];
    if (isGraphTarget(changed)) {
      if (module) targets.push(module);
    } else {
      for (const m of methodGraphsOf(changed)) targets.push(m.graph);
    }
    for (const t of targets) {
      const results = this.cache.get(t);
      if (!results) continue;
      for (const name of [...results.keys()]) if (!keep.has(name)) results.delete(name);
    }
  }
}
