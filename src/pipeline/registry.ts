// PassRegistry: the passes, named pipelines and analyses bound in a container, looked up by name.
// Built fresh per resolution (transient), so it always reflects what is registered now.

import { injectable, multiInject, optional } from 'inversify';
import { PipelineError } from '../errors.js';
import type { Pass, PassDeclaration } from './contracts.js';
import { requirePassDeclaration } from './decorators.js';
import type { PipelineDefinition } from './pipeline.js';
import { ANALYSIS, NAMED_PIPELINE, PASS } from './tokens.js';

/** A registered pass: its declaration and the instance the container built (dependencies injected). */
export interface RegisteredPass {
  readonly declaration: PassDeclaration;
  readonly instance: Pass;
}

/** Looks up passes and named pipelines by name; rejects duplicate names, naming both owners. */
@injectable()
export class PassRegistry {
  private readonly passMap = new Map<string, RegisteredPass>();
  private readonly pipelineMap = new Map<string, PipelineDefinition>();
  /** Instances of every registered analysis. */
  readonly analyses: readonly object[];

  constructor(
    @multiInject(PASS) @optional() passes: readonly Pass[] | undefined,
    @multiInject(NAMED_PIPELINE) @optional() pipelines: readonly PipelineDefinition[] | undefined,
    @multiInject(ANALYSIS) @optional() analyses: readonly object[] | undefined,
  ) {
    for (const instance of passes ?? []) {
      const declaration = requirePassDeclaration(instance.constructor);
      const existing = this.passMap.get(declaration.name);
      if (existing) {
        if (existing.declaration.passClass === declaration.passClass) continue; // the same class bound twice
        throw duplicatePass(
          declaration.name,
          existing.declaration.passClass.name,
          declaration.passClass.name,
        );
      }
      this.passMap.set(declaration.name, { declaration, instance });
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
    this.analyses = analyses ?? [];
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

/** Two classes declare the same pass name. Code `DUPLICATE_PASS`. */
export function duplicatePass(name: string, first: string, second: string): PipelineError {
  return new PipelineError(
    'DUPLICATE_PASS',
    `pass name '${name}' is declared by both ${first} and ${second}; pass names must be unique`,
  );
}
