// Per-operator facts the passes rely on: side effects, argument writes, nondeterminism, purity, and how
// alias analysis must treat the op. PyTorch-measured facts (data/schemas.ts) first, schema rules after.

import { OptionalType } from '../ir/types.js';
import {
  TORCH_NONDETERMINISTIC,
  TORCH_SCHEMAS,
  TORCH_SIDE_EFFECTS,
  TORCH_UNMEASURED,
} from './data/schemas.js';
import type { FunctionSchema } from './schema.js';

/** What kind of thing an op is; passes treat all but `operator` specially. */
export type OpCategory = 'operator' | 'constant' | 'attribute' | 'call' | 'control-flow' | 'container';

/**
 * How alias analysis must read the op (PyTorch's AliasAnalysisKind): from its schema's annotations;
 * by a rule of its own (containers, attributes, control flow, casts); or assume it may read and write
 * anything reachable from its inputs (calls of unknown code).
 */
export type AliasAnalysisKind = 'from-schema' | 'special-case' | 'conservative';

/** The facts of one operator overload. */
export interface OpFacts {
  readonly category: OpCategory;
  readonly aliasAnalysis: AliasAnalysisKind;
  /**
   * Effects beyond its outputs and argument writes: I/O, raising, storing an attribute, global state,
   * calling unknown code. PyTorch's `Node::hasSideEffects`; dead-code elimination never removes such a node.
   */
  readonly externalSideEffects: boolean;
  /** `externalSideEffects`, or it writes one of its arguments (`add_`, `out=`, `append`). */
  readonly hasSideEffects: boolean;
  /** Indices of the arguments it writes (`(a!)`, including elements of `Tensor(a!)[]`). */
  readonly writtenArgs: readonly number[];
  /** Random (`rand`, `bernoulli`, dropout with `train` not known to be False). */
  readonly nondeterministic: boolean;
  /**
   * Safe to evaluate ahead of time on constant inputs: no side effects, writes nothing, deterministic,
   * reads no state other than its inputs (not `prim::GetAttr`), and not control flow or a call.
   */
  readonly pure: boolean;
  /** Why it is not pure (for pass remarks); undefined when pure. */
  readonly impureReason?: string;
}

/** Facts a registration may state instead of letting them be derived. */
export interface FactOverrides {
  readonly category?: OpCategory;
  readonly aliasAnalysis?: AliasAnalysisKind;
  /** External side effects (see OpFacts.externalSideEffects). */
  readonly sideEffects?: boolean;
  readonly nondeterministic?: boolean;
  /** Force purity (e.g. false for an op reading hidden state). */
  readonly pure?: boolean;
  /** The reason given when `pure` is forced to false. */
  readonly impureReason?: string;
}

let measured:
  | { builtin: Set<string>; sideEffects: Set<string>; nondeterministic: Set<string>; unmeasured: Set<string> }
  | undefined;

function measuredFacts(): NonNullable<typeof measured> {
  measured ??= {
    builtin: new Set(TORCH_SCHEMAS),
    sideEffects: new Set(TORCH_SIDE_EFFECTS),
    nondeterministic: new Set(TORCH_NONDETERMINISTIC),
    unmeasured: new Set(TORCH_UNMEASURED),
  };
  return measured;
}

// Ops whose output is random unless `train` is False; they take no Generator, so name them.
const DROPOUT_FAMILY = new Set([
  'aten::dropout',
  'aten::dropout_',
  'aten::feature_dropout',
  'aten::feature_dropout_',
  'aten::alpha_dropout',
  'aten::alpha_dropout_',
  'aten::feature_alpha_dropout',
  'aten::feature_alpha_dropout_',
  'aten::native_dropout',
]);

/** True for the dropout ops whose `train` argument decides whether they are random or the identity. */
export function isDropoutFamily(kind: string): boolean {
  return DROPOUT_FAMILY.has(kind);
}

/**
 * Computes the facts of `schema`. For PyTorch's own schemas the side effects and nondeterminism
 * PyTorch reports are used; otherwise (and in addition, for randomness) schema rules apply: an op that
 * returns nothing and writes nothing must act on the outside world; one taking a Generator is random.
 */
export function computeFacts(schema: FunctionSchema, overrides: FactOverrides = {}): OpFacts {
  const m = measuredFacts();
  const text = schema.toString();
  const isMeasured = m.builtin.has(text) && !m.unmeasured.has(schema.key);
  const category = overrides.category ?? 'operator';
  const aliasAnalysis = overrides.aliasAnalysis ?? (category === 'call' ? 'conservative' : 'from-schema');
  const writtenArgs = schema.mutatedArgIndices;
  const returnsNothing = schema.returns.length === 0 && !schema.isVarret;
  const externalSideEffects =
    overrides.sideEffects ??
    (aliasAnalysis === 'conservative' ||
      (isMeasured ? m.sideEffects.has(schema.key) : returnsNothing && writtenArgs.length === 0));
  const nondeterministic =
    overrides.nondeterministic ??
    (m.nondeterministic.has(schema.key) ||
      isDropoutFamily(schema.name) ||
      schema.arguments.some(
        (a) => (a.type instanceof OptionalType ? a.type.elem : a.type).kind === 'Generator',
      ));
  let impureReason: string | undefined;
  if (externalSideEffects) impureReason = 'has side effects';
  else if (writtenArgs.length) impureReason = `writes argument '${schema.arguments[writtenArgs[0]].name}'`;
  else if (nondeterministic) impureReason = 'is nondeterministic';
  else if (category === 'control-flow') impureReason = 'is control flow: depends on its blocks';
  else if (category === 'call') impureReason = 'calls code that is not known here';
  else if (category === 'attribute') impureReason = 'reads or writes object state';
  if (overrides.pure === true) impureReason = undefined;
  else if (overrides.pure === false) impureReason ??= overrides.impureReason ?? 'declared impure';
  return {
    category,
    aliasAnalysis,
    externalSideEffects,
    hasSideEffects: externalSideEffects || writtenArgs.length > 0,
    writtenArgs,
    nondeterministic,
    pure: impureReason === undefined,
    impureReason,
  };
}
