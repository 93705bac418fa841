// One row of the operator table: a schema, its facts, and the slots the interpreter and shape
// inference fill (kernel, shape rule).

import { TsFreezeError } from '../errors.js';
import { computeFacts, type FactOverrides, type OpFacts } from './facts.js';
import type { FunctionSchema } from './schema.js';

/** An operator implementation over runtime values, in schema argument order. Typed by the runtime later. */
export type KernelFn = (args: readonly unknown[]) => unknown;

/** A shape/type rule: computes output types from inputs. Typed by shape inference later. */
export type ShapeRuleFn = (args: readonly unknown[]) => unknown;

/** What `OperatorRegistry.register` takes besides the schema: implementation slots and fact overrides. */
export interface OperatorOptions extends FactOverrides {
  readonly kernel?: KernelFn;
  readonly shapeRule?: ShapeRuleFn;
}

/** Errors of the operator table: UNKNOWN_OPERATOR, NO_MATCHING_OVERLOAD, SCHEMA_CONFLICT. */
export class OperatorError extends TsFreezeError {}

/** One overload in the table. */
export class OperatorEntry {
  /** The interpreter's implementation, once registered. */
  kernel: KernelFn | undefined;
  /** Output type rule, once registered. */
  shapeRule: ShapeRuleFn | undefined;
  private overrides: FactOverrides;
  private cachedFacts: OpFacts | undefined;
  private cachedDeterministic: OpFacts | undefined;

  constructor(
    readonly schema: FunctionSchema,
    overrides: FactOverrides,
    /** True for PyTorch's schemas and the hand-declared prim ops; false for ones registered at run time. */
    readonly builtin: boolean,
  ) {
    this.overrides = overrides;
  }

  /** `aten::add.Tensor`. */
  get key(): string {
    return this.schema.key;
  }

  /** The node kind: `aten::add`. */
  get name(): string {
    return this.schema.name;
  }

  get facts(): OpFacts {
    this.cachedFacts ??= computeFacts(this.schema, this.overrides);
    return this.cachedFacts;
  }

  /** The facts for a call known not to be random (dropout with a constant `train=False`). */
  get factsWhenDeterministic(): OpFacts {
    this.cachedDeterministic ??= computeFacts(this.schema, { ...this.overrides, nondeterministic: false });
    return this.cachedDeterministic;
  }

  /** Applies the slots and fact overrides of a later registration of the same schema. */
  update(options: OperatorOptions): void {
    const { kernel, shapeRule, ...facts } = options;
    if (kernel) this.kernel = kernel;
    if (shapeRule) this.shapeRule = shapeRule;
    const stated = Object.entries(facts).filter(([, v]) => v !== undefined);
    if (stated.length) {
      this.overrides = { ...this.overrides, ...Object.fromEntries(stated) };
      this.cachedFacts = undefined;
      this.cachedDeterministic = undefined;
    }
  }
}
