// PassRegistry: the passes, named pipelines and analyses bound in a container, looked up by name.
// Built fresh per resolution (transient), so it always reflects what is registered now. Passes and
// analyses are built on first use, one at a time: listing them never constructs anything.

import { inject, injectable, multiInject, optional } from 'inversify';
import type { Container } from 'inversify';
import { PipelineError } from '../errors.js';
import { buildBound, type AnalysisBinding, type PassBinding } from './bindings.js';
import type { Analysis, AnalysisDeclaration, Pass, PassDeclaration, PluginRecord } from './contracts.js';
import type { PipelineDefinition, PipelineExtension } from './pipeline.js';
import { ANALYSIS_BINDING, CONTAINER, EXTENSION, NAMED_PIPELINE, PASS_BINDING, PLUGIN } from './tokens.js';

/** A registered pass: its declaration and the instance the container builds (on first access). */
export interface RegisteredPass {
  readonly declaration: PassDeclaration;
  readonly instance: Pass;
}

/** An analysis the registry knows, built on first use. */
export interface RegisteredAnalysis {
  readonly declaration: AnalysisDeclaration;
  readonly instance: Analysis<never, unknown>;
}

/** Looks up passes and named pipelines by name; rejects duplicate names, naming both owners. */
@injectable()
export class PassRegistry {
  private readonly passMap = new Map<string, RegisteredPass>();
  private readonly pipelineMap = new Map<string, PipelineDefinition>();
  /** Every registered analysis, in registration order (same class bound twice: once). */
  readonly analyses: readonly RegisteredAnalysis[];
  /** The plugins loaded into the container (`--plugin`). */
  readonly plugins: readonly PluginRecord[];
  /** Passes inserted at extension points, in registration order. */
  readonly extensions: readonly PipelineExtension[];

  constructor(
    @inject(CONTAINER) container: Container,
    @multiInject(PASS_BINDING) @optional() passes: readonly PassBinding[] | undefined,
    @multiInject(NAMED_PIPELINE) @optional() pipelines: readonly PipelineDefinition[] | undefined,
    @multiInject(ANALYSIS_BINDING) @optional() analyses: readonly AnalysisBinding[] | undefined,
    @multiInject(PLUGIN) @optional() plugins: readonly PluginRecord[] | undefined,
    @multiInject(EXTENSION) @optional() extensions: readonly PipelineExtension[] | undefined,
  ) {
    this.plugins = plugins ?? [];
    this.extensions = extensions ?? [];
    for (const binding of passes ?? []) {
      const declaration = binding.declaration;
      const existing = this.passMap.get(declaration.name);
      if (existing) {
        if (existing.declaration.passClass === declaration.passClass) continue; // the same class bound twice
        throw duplicatePass(declaration.name, this.owner(existing.declaration), this.owner(declaration));
      }
      this.passMap.set(declaration.name, lazyPass(container, binding, this.pluginOf(declaration.name)));
    }
    for (const def of pipelines ?? []) {
      if (this.passMap.has(def.name)) {
        throw new PipelineError(
          'DUPLICATE_NAME',
          `pipeline '${def.name}' has the name of pass ${this.passMap.get(def.name)?.declaration.passClass.name}`,
        );
      }
      if (this.pipelineMap.has(def.name))
        throw new PipelineError('DUPLICATE_NAME', `pipeline '${def.name}' is registered twice`);
      this.pipelineMap.set(def.name, def);
    }
    const seen = new Set<unknown>();
    const list: RegisteredAnalysis[] = [];
    for (const binding of analyses ?? []) {
      if (seen.has(binding.declaration.analysisClass)) continue;
      seen.add(binding.declaration.analysisClass);
      list.push(lazyAnalysis(container, binding));
    }
    this.analyses = list;
  }

  /** What runs at extension point `point` of pipeline `pipeline` (undefined: an unnamed pipeline), in order. */
  extensionsAt(pipeline: string | undefined, point: string): PipelineExtension[] {
    return this.extensions.filter(
      (x) => x.point === point && (x.pipeline === undefined || x.pipeline === pipeline),
    );
  }

  /** The extensions registered for the named pipeline. */
  extensionsFor(pipeline: string): PipelineExtension[] {
    return this.extensions.filter((x) => x.pipeline === pipeline);
  }

  /** The plugin that registered the pass with this name, if any. */
  pluginOf(passName: string): PluginRecord | undefined {
    return this.plugins.find((p) => p.passes.includes(passName));
  }

  private owner(d: PassDeclaration): string {
    const plugin = this.pluginOf(d.name);
    return plugin ? `${d.passClass.name} (plugin ${plugin.spec})` : d.passClass.name;
  }

  /** The pass with this name, if registered. */
  pass(name: string): RegisteredPass | undefined {
    return this.passMap.get(name);
  }

  /** The named pipeline with this name, if registered. */
  pipeline(name: string): PipelineDefinition | undefined {
    return this.pipelineMap.get(name);
  }

  /** Registered pass names, sorted. */
  passNames(): string[] {
    return [...this.passMap.keys()].sort();
  }

  /** Registered pipeline names, sorted. */
  pipelineNames(): string[] {
    return [...this.pipelineMap.keys()].sort();
  }

  /** Every registered pass declaration, sorted by name. */
  declarations(): PassDeclaration[] {
    return this.passNames().map((n) => this.passMap.get(n)!.declaration);
  }

  /** Every named pipeline, sorted by name. */
  pipelines(): PipelineDefinition[] {
    return this.pipelineNames().map((n) => this.pipelineMap.get(n)!);
  }
}

function lazyPass(
  container: Container,
  binding: PassBinding,
  plugin: PluginRecord | undefined,
): RegisteredPass {
  let instance: Pass | undefined;
  const { declaration } = binding;
  return {
    declaration,
    get instance(): Pass {
      instance ??= buildBound<Pass>(
        container,
        binding.serviceId,
        `pass '${declaration.name}' (${declaration.passClass.name})`,
        plugin,
      );
      return instance;
    },
  };
}

function lazyAnalysis(container: Container, binding: AnalysisBinding): RegisteredAnalysis {
  let instance: Analysis<never, unknown> | undefined;
  const { declaration } = binding;
  return {
    declaration,
    get instance(): Analysis<never, unknown> {
      instance ??= buildBound<Analysis<never, unknown>>(
        container,
        binding.serviceId,
        `analysis '${declaration.name}' (${declaration.analysisClass.name})`,
        undefined,
      );
      return instance;
    },
  };
}

/** Two classes declare the same pass name. Code `DUPLICATE_PASS`. */
export function duplicatePass(name: string, first: string, second: string): PipelineError {
  return new PipelineError(
    'DUPLICATE_PASS',
    `pass name '${name}' is declared by both ${first} and ${second}; pass names must be unique`,
  );
}
