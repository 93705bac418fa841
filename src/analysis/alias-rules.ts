// Which rule of alias analysis a node falls under (PyTorch's AliasDb::analyzeImpl dispatch), and what
// the schema rule concludes about a node's arguments. Shared by the analyzer and by the shortcuts
// passes take to answer without analysing a whole graph (surelyWrittenInputs, surelyEscaped): those
// answers must be ones the AliasDb would give.

import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import type { OpFacts } from '../ops/facts.js';
import type { AliasInfo, FunctionSchema } from '../ops/schema.js';
import { aliasTypeSet } from './alias-types.js';

/** Ops whose list argument does not escape when the list is used only there (functionalNonEscapingListUse). */
export const NON_ESCAPING_LIST_USERS = new Set([
  'aten::cat',
  'aten::broadcast_tensors',
  'aten::stack',
  'aten::vstack',
  'aten::hstack',
  'aten::dstack',
]);

/** Kinds that make a fresh value from nothing (PyTorch's analyzeCreator list). */
export const CREATORS = new Set([
  'prim::Constant',
  'prim::AutogradZero',
  'prim::CreateObject',
  'prim::tolist',
  'prim::Uninitialized',
  'prim::Closure',
]);

/** Kinds that read something out of a composite: their outputs are wildcards (analyzeExtractor). */
export const EXTRACTORS = new Set([
  'prim::TupleUnpack',
  'prim::TupleIndex',
  'prim::TupleSlice',
  'prim::ListUnpack',
  'prim::PythonOp',
  'prim::GetAttr',
]);

/** Calls of code the analysis cannot see (analyzeConservative). */
export const CALLS = new Set(['prim::CallFunction', 'prim::CallMethod', 'prim::Enter', 'prim::Exit']);

/** The rule AliasAnalyzer.dispatch applies to a kind before asking the operator table (its analyze* method). */
export type OwnRule =
  | 'if'
  | 'loop'
  | 'fork'
  | 'wait'
  | 'norm'
  | 'creator'
  | 'containerConstruct'
  | 'getAttr'
  | 'extractor'
  | 'pointsToInput'
  | 'constantChunk'
  | 'setAttr'
  | 'nothing'
  | 'conservative';

/**
 * Every kind with a rule of its own, and which rule: the one table the analyzer dispatches on and the exact
 * shortcuts (fresh-writers.ts, wildcard-writes.ts) read, so a kind added here is seen by all of them.
 */
export const OWN_RULE_OF_KIND: ReadonlyMap<string, OwnRule> = new Map<string, OwnRule>([
  ['prim::If', 'if'],
  ['prim::Loop', 'loop'],
  ['prim::fork', 'fork'],
  ['aten::wait', 'wait'],
  ['aten::batch_norm', 'norm'],
  ['aten::instance_norm', 'norm'],
  ...[...CREATORS].map((k): [string, OwnRule] => [k, 'creator']),
  ['prim::ListConstruct', 'containerConstruct'],
  ['prim::TupleConstruct', 'containerConstruct'],
  ['prim::DictConstruct', 'containerConstruct'],
  ...[...EXTRACTORS].map((k): [string, OwnRule] => [k, k === 'prim::GetAttr' ? 'getAttr' : 'extractor']),
  ['prim::unchecked_cast', 'pointsToInput'],
  ['prim::profile', 'pointsToInput'],
  ['prim::Guard', 'pointsToInput'],
  ['prim::ConstantChunk', 'constantChunk'],
  ['prim::SetAttr', 'setAttr'],
  ['prim::Print', 'nothing'],
  ['prim::isinstance', 'nothing'],
  ...[...CALLS].map((k): [string, OwnRule] => [k, 'conservative']),
]);

/** The kinds of OWN_RULE_OF_KIND whose rule is one of `rules`. */
export function kindsWithRule(...rules: OwnRule[]): Set<string> {
  return new Set([...OWN_RULE_OF_KIND].filter(([, rule]) => rules.includes(rule)).map(([kind]) => kind));
}

/** The operator a node runs: its schema and facts (an OperatorEntry will do). */
export interface OperatorInfo {
  readonly schema: FunctionSchema;
  readonly facts: Pick<OpFacts, 'aliasAnalysis'>;
}

/** Values of this type may be written in place or hold such values: the analysis gives them elements. */
export function isMutableValue(v: Value): boolean {
  const t = v.type;
  switch (t.kind) {
    case 'Tensor':
      return true;
    // The scalar types asked most (without aliasTypeSet's table lookup).
    case 'int':
    case 'float':
    case 'bool':
    case 'str':
    case 'None':
    case 'Device':
      return false;
    default:
      return aliasTypeSet(t) !== undefined;
  }
}

/** An argument's alias annotation as the schema rule reads it; `contents` when it annotates the elements. */
export interface EffectiveAlias {
  readonly info: AliasInfo;
  readonly contents: boolean;
}

// `Tensor(a)[]` annotates the elements, not the list: PyTorch binds the list to set `a` all the same.
export function effectiveAlias(alias: AliasInfo | null | undefined): EffectiveAlias | undefined {
  if (!alias) return undefined;
  if (alias.beforeSets.length) return { info: alias, contents: false };
  const inner = alias.contained.find((c) => c.beforeSets.length);
  return inner ? { info: inner, contents: true } : undefined;
}

/** An argument's or return's effective alias annotation, flattened for the analysis's hot loop. */
export interface PlannedAlias {
  readonly beforeSets: readonly string[];
  readonly isWrite: boolean;
  readonly isWildcardBefore: boolean;
  readonly isWildcardAfter: boolean;
  /** The annotation is on the elements (`Tensor(a)[]`). */
  readonly contents: boolean;
}

/** A schema's effective alias annotations, per argument and per return (null where there is none). */
export interface SchemaAliasPlan {
  readonly arguments: readonly (PlannedAlias | null)[];
  readonly returns: readonly (PlannedAlias | null)[];
  /** No argument or return is annotated: the schema rule makes every output fresh. */
  readonly plain: boolean;
}

/** The alias plan of `schema`, made once per schema. */
export function schemaAliasPlan(schema: FunctionSchema): SchemaAliasPlan {
  let plan = plans.get(schema);
  if (!plan) {
    const args = schema.arguments.map((a) => planned(a.alias));
    const returns = schema.returns.map((r) => planned(r.alias));
    plan = { arguments: args, returns, plain: !args.some(Boolean) && !returns.some(Boolean) };
    plans.set(schema, plan);
  }
  return plan;
}

const plans = new WeakMap<FunctionSchema, SchemaAliasPlan>();

function planned(alias: AliasInfo | null | undefined): PlannedAlias | null {
  const formal = effectiveAlias(alias);
  if (!formal) return null;
  const { info, contents } = formal;
  return {
    beforeSets: info.beforeSets,
    isWrite: info.isWrite,
    isWildcardBefore: info.isWildcardBefore,
    isWildcardAfter: info.isWildcardAfter,
    contents,
  };
}

/**
 * The schema rule's binding of actual arguments to alias sets: each annotated mutable argument binds its
 * set unless an earlier one did, and `bound` is called for it. Returns the set -> value map.
 */
export function bindArguments(
  node: Node,
  schema: FunctionSchema,
  bound: (actual: Value, formal: EffectiveAlias) => void,
): Map<string, Value> {
  const sets = new Map<string, Value>();
  const args = schema.arguments;
  for (let i = 0; i < args.length; i++) {
    const actual = node.inputs[i];
    const formal = effectiveAlias(args[i].alias);
    if (!actual || !formal || !isMutableValue(actual)) continue;
    const set = formal.info.beforeSets[0];
    if (set === undefined || sets.has(set)) continue;
    sets.set(set, actual);
    bound(actual, formal);
  }
  return sets;
}

/**
 * Inputs the analysis registers as written by `node` (`entry` found as the AliasDb finds it): the `!`
 * arguments of the schema rule, or every mutable input of a node analysed conservatively. Empty for
 * kinds with rules of their own (If, SetAttr, batch_norm, ...), which may still write.
 */
export function surelyWrittenInputs(node: Node, entry: OperatorInfo | undefined): Value[] {
  const kind = node.kind;
  const rule = OWN_RULE_OF_KIND.get(kind);
  if (rule !== undefined && rule !== 'conservative') return [];
  if (CALLS.has(kind) || node.blocks.length || !entry || entry.facts.aliasAnalysis === 'conservative')
    return node.inputs.filter(isMutableValue);
  const written: Value[] = [];
  bindArguments(node, entry.schema, (actual, formal) => {
    if (formal.info.isWrite) written.push(actual);
  });
  return written;
}

/**
 * `v` is surely a wildcard of the (non-frozen) analysis of its graph: a graph input or a value extracted
 * from a composite or an attribute. A node that writes it writes to a wildcard (writesToWildcard).
 */
export function surelyEscaped(v: Value): boolean {
  const producer = v.node;
  return (
    isMutableValue(v) && (EXTRACTORS.has(producer.kind) || producer === producer.owningGraph.block.paramNode)
  );
}
