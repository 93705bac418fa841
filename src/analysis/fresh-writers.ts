// The writers an AliasDb would report for one value, found from the value's uses alone when that is
// possible. A value the analysis gives a memory location of its own (a module attribute read in frozen
// mode, a constant, a container literal, most operators' results) can only be written through itself or
// the aliases its uses make: when every use is one whose rule adds no escape, containment or unknown effect,
// the writes registered on that alias closure are all its writers. Freezing asks this for every attribute
// read, and analysing a whole graph for it costs far more than looking at the few uses of each read.
//
// Each case below mirrors a rule of AliasAnalyzer (alias-analyzer.ts) exactly; anything else answers
// undefined ("build the AliasDb"). test/analysis/fresh-writers.test.ts checks every answer against a full
// AliasDb on the fixture graphs.

import { toIValue } from '../ir/constants.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { isModuleType, mustBeNone, nonAliasing, type EntryLookup } from './alias-analyzer.js';
import { aliasTypeSet } from './alias-types.js';
import {
  CALLS,
  CREATORS,
  EXTRACTORS,
  isMutableValue,
  kindsWithRule,
  OWN_RULE_OF_KIND,
  schemaAliasPlan,
} from './alias-rules.js';

/**
 * The distinct nodes an AliasDb of `v`'s graph (built with `frozen`, default loops) would list in
 * `writersOf(v)`, in no particular order; undefined when only the whole analysis can tell (the value is not
 * a fresh location, or an alias of it escapes, is held by a container, or meets a rule not mirrored here).
 */
export function freshValueWriters(
  v: Value,
  entryOf: EntryLookup,
  frozen: boolean,
  /**
   * The caller knows no write marks a wildcard (wildcardsSurelyUnwritten): an alias that escapes or is held
   * by a container is then written only through the aliases followed here.
   */
  wildcardsUnwritten = false,
): Node[] | undefined {
  if (mustBeNone(v) || !isMutableValue(v)) return [];
  return aliasClosureWriters(v, entryOf, frozen, wildcardsUnwritten);
}

/**
 * freshValueWriters without its answer for None and immutable values (which have no writers, but may still
 * have an element that escapes): the writes to `v`'s fresh element, or undefined when it is not one that
 * only the aliases followed here reach.
 */
export function aliasClosureWriters(
  v: Value,
  entryOf: EntryLookup,
  frozen: boolean,
  wildcardsUnwritten: boolean,
  /** Receives the aliases followed (`v` first). */
  closure: Value[] = [v],
): Node[] | undefined {
  if (!isFreshLocation(v, entryOf, frozen) || !analysedInline(v.node)) return undefined;
  const writers: Node[] = [];
  const rules: UseRules = { entryOf, frozen, wildcardsUnwritten, closure };
  for (let c = 0; c < closure.length; c++) {
    const x = closure[c];
    for (const u of x.uses()) {
      const user = u.user;
      if (user.blocks.length || !analysedInline(user)) return undefined;
      const effect = useEffect(user, u.offset, x, rules);
      if (effect === Effect.Unknown) return undefined;
      if (effect === Effect.Writes && !writers.includes(user)) writers.push(user);
    }
  }
  return writers;
}

/**
 * Every value an AliasDb of `v`'s graph would say points to `v`'s fresh element (`v` first) when no alias
 * of `v` escapes or is held by a container: then nothing else holds or may be that memory (no graph output
 * outside these values contains it, and `v` is no wildcard). Undefined when the uses do not tell.
 */
export function freshAliases(v: Value, entryOf: EntryLookup, frozen: boolean): Value[] | undefined {
  const closure: Value[] = [v];
  return aliasClosureWriters(v, entryOf, frozen, false, closure) ? closure : undefined;
}

const enum Effect {
  None,
  Writes,
  Unknown,
}

interface UseRules {
  readonly entryOf: EntryLookup;
  readonly frozen: boolean;
  readonly wildcardsUnwritten: boolean;
  /** The aliases found so far; uses add the outputs that become aliases. */
  readonly closure: Value[];
}

// The analysis gives `v` an element that points nowhere, made for it alone (a Union-typed value's element
// points at its members' wildcards instead): outputs of creators (constants), container literals, norms and
// operators whose schema gives that output no alias set; in frozen mode, a module attribute read.
function isFreshLocation(v: Value, entryOf: EntryLookup, frozen: boolean): boolean {
  if (aliasTypeSet(v.type)?.length !== 1) return false;
  const node = v.node;
  const kind = node.kind;
  if (kind === 'prim::GetAttr') return frozen && isModuleType(node.inputs[0].type);
  if (FRESH_KINDS.has(kind)) return true;
  if (RULE_KINDS.has(kind) || node.blocks.length) return false;
  const entry = entryOf(node);
  if (!entry || entry.facts.aliasAnalysis === 'conservative') return false;
  const plan = schemaAliasPlan(entry.schema);
  // Outputs past the schema's returns get no element from the rule: they become wildcards.
  return v.offset < plan.returns.length && (plan.plain || plan.returns[v.offset] === null);
}

/** Kinds whose rule gives every (mutable) output a fresh element: analyzeCreator, analyzeContainerConstruct, analyzeNorm. */
const FRESH_KINDS = new Set(
  [...kindsWithRule('creator', 'containerConstruct', 'norm')].filter((k) => k !== 'prim::Closure'),
);

/** Every other kind with a rule of its own (the operator rule covers the rest). */
const RULE_KINDS = new Set([...OWN_RULE_OF_KIND.keys()].filter((k) => !FRESH_KINDS.has(k)));

// The node is analysed where it stands: in the graph's block or in blocks of Ifs and Loops (whose blocks
// analyzeBlock walks inline; other nodes' blocks are scopes whose inputs and outputs escape, or unwalked).
export function analysedInline(node: Node): boolean {
  for (let b = node.owningBlock; b; b = b.owningNode?.owningBlock ?? null) {
    const owner = b.owningNode;
    if (owner && owner.kind !== 'prim::If' && owner.kind !== 'prim::Loop') return false;
  }
  return true;
}

/**
 * What `user` does with `x` (an alias of the value asked about) at input `slot`: nothing to it, writes it,
 * or something only the whole analysis follows. Outputs that become aliases of `x` are added to `closure`.
 */
function useEffect(user: Node, slot: number, x: Value, rules: UseRules): Effect {
  const kind = user.kind;
  const closure = rules.closure;
  // Outputs fresh or wildcards of their own; inputs untouched (analyzeCreator, analyzeExtractor).
  if (CREATORS.has(kind) || EXTRACTORS.has(kind) || kind === 'prim::Print' || kind === 'prim::isinstance')
    return Effect.None;
  if (kind === 'prim::unchecked_cast' || kind === 'prim::profile' || kind === 'prim::Guard') {
    if (slot === 0) addIfPointer(user.outputs[0], x, closure);
    return Effect.None;
  }
  if (kind === 'prim::ConstantChunk') {
    if (slot === 0) for (const o of user.outputs) addIfPointer(o, x, closure);
    return Effect.None;
  }
  if (kind === 'prim::Return') return returnEffect(user, slot, x, closure);
  if (kind === 'aten::batch_norm' || kind === 'aten::instance_norm')
    return normEffect(user, slot, rules.frozen);
  // Escapes (its elements become wildcards, or it is held): harmless only when no wildcard is written.
  if (kind === 'prim::ListConstruct' || kind === 'prim::TupleConstruct' || kind === 'prim::DictConstruct')
    return rules.wildcardsUnwritten ? Effect.None : Effect.Unknown;
  if (
    CALLS.has(kind) ||
    kind === 'prim::If' ||
    kind === 'prim::Loop' ||
    kind === 'prim::fork' ||
    kind === 'aten::wait' ||
    kind === 'prim::SetAttr'
  )
    return Effect.Unknown;
  return schemaEffect(user, slot, x, rules);
}

// The graph's return is not analysed (outputs are no wildcards); an If's outputs point at what its blocks
// return (analyzeIf). Loop bodies' returns depend on the loop mode: not mirrored.
function returnEffect(ret: Node, slot: number, x: Value, closure: Value[]): Effect {
  const owner = ret.owningBlock?.owningNode;
  if (!owner) return Effect.None;
  if (owner.kind !== 'prim::If') return Effect.Unknown;
  if (slot < owner.outputs.length) addIfPointer(owner.outputs[slot], x, closure);
  return Effect.None;
}

// analyzeNorm: running stats (inputs 3 and 4) are written unless frozen batch_norm or `training` is False.
function normEffect(user: Node, slot: number, frozen: boolean): Effect {
  if (frozen && user.kind === 'aten::batch_norm') return Effect.None;
  const training = user.inputs[5];
  if (training && toIValue(training) === false) return Effect.None;
  return slot === 3 || slot === 4 ? Effect.Writes : Effect.None;
}

// analyzeFromSchema with bindArguments: `x` matters only if its argument binds an alias set.
function schemaEffect(user: Node, slot: number, x: Value, rules: UseRules): Effect {
  const entry = rules.entryOf(user);
  if (!entry || entry.facts.aliasAnalysis === 'conservative') return Effect.Unknown;
  const plan = schemaAliasPlan(entry.schema);
  if (plan.plain) return Effect.None;
  const inputs = user.inputs;
  const args = plan.arguments;
  const formal = slot < args.length ? args[slot] : null;
  const set = formal?.beforeSets[0];
  if (!formal || set === undefined) return Effect.None;
  // The set is bound by its first mutable annotated argument: a later one is not bound (nothing happens to it).
  for (let i = 0; i < slot && i < inputs.length; i++) {
    const earlier = args[i];
    if (earlier && earlier.beforeSets[0] === set && isMutableValue(inputs[i])) return Effect.None;
  }
  if (formal.isWildcardAfter && !rules.wildcardsUnwritten) return Effect.Unknown;
  let effect = formal.isWrite ? Effect.Writes : Effect.None;
  const outputs = user.outputs;
  const nOut = Math.min(outputs.length, plan.returns.length);
  for (let i = 0; i < nOut; i++) {
    const r = plan.returns[i];
    const o = outputs[i];
    if (!r || !isMutableValue(o) || r.isWildcardBefore || !r.beforeSets.includes(set)) continue;
    if (addIfPointer(o, x, rules.closure) && r.isWrite) effect = Effect.Writes;
  }
  return effect;
}

// AliasAnalyzer.makePointerTo(from, to) makes a pointer only between mutable values that are not None or
// never-read placeholders. Returns whether `from` now aliases `to`.
function addIfPointer(from: Value, to: Value, closure: Value[]): boolean {
  if (nonAliasing(from) || nonAliasing(to) || from === to || !isMutableValue(from)) return false;
  if (!closure.includes(from)) closure.push(from);
  return true;
}
