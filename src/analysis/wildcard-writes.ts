// Whether any write the analysis of a graph registers can reach a wildcard (memory that escaped). When
// none can, a value that escapes is written only through its own aliases, and freshValueWriters may follow
// escapes and containers (transformer layers hand their weights to split/chunk, which makes them escape).
// Each case mirrors a rule of AliasAnalyzer; anything not mirrored answers false.

import { toIValue } from '../ir/constants.js';
import type { Block } from '../ir/block.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { nonAliasing, type EntryLookup } from './alias-analyzer.js';
import { CALLS, isMutableValue, kindsWithRule, schemaAliasPlan } from './alias-rules.js';
import { aliasClosureWriters, analysedInline } from './fresh-writers.js';

/**
 * True when every write the AliasDb of `graph` (built with `frozen`, default loops) registers is to values
 * whose memory locations are fresh elements that never escape: no wildcard is written. False when that is
 * not certain.
 */
export function wildcardsSurelyUnwritten(graph: Graph, entryOf: EntryLookup, frozen: boolean): boolean {
  const roots = new Map<Value, boolean>();
  const unescaped = (v: Value): boolean => locatedWithoutWildcards(v, entryOf, frozen, roots);
  return blockWritesNoWildcard(graph.block, entryOf, frozen, unescaped);
}

/**
 * Every value an AliasDb of `graph` (built with `frozen`, default loops) would say hasWriters of, when no
 * write reaches a wildcard (wildcardsSurelyUnwritten); undefined when that is not certain. Then each write
 * is to fresh elements whose aliases are all known (their alias closures), so a value has writers exactly
 * when it is in the closure of a written element. A snapshot of the graph as it is now: a pass that keeps
 * it while changing the graph gets the answers of an AliasDb built now (values made later have none).
 */
export function writtenValues(graph: Graph, entryOf: EntryLookup, frozen: boolean): Set<Value> | undefined {
  const roots = new Map<Value, boolean>();
  const written: Value[] = [];
  const unescaped = (v: Value): boolean => {
    written.push(v);
    return locatedWithoutWildcards(v, entryOf, frozen, roots);
  };
  if (!blockWritesNoWildcard(graph.block, entryOf, frozen, unescaped)) return undefined;
  const out = new Set<Value>();
  const seen = new Set<Value>();
  for (let i = 0; i < written.length; i++) addAliasesOfLocations(written[i], entryOf, frozen, seen, out);
  return out;
}

// Adds every alias of the fresh elements `v` is located at (v was found locatedWithoutWildcards): the
// closure of `v` itself when it is one, else those of what it points at, as locatedWithoutWildcards went.
function addAliasesOfLocations(
  v: Value,
  entryOf: EntryLookup,
  frozen: boolean,
  seen: Set<Value>,
  out: Set<Value>,
): void {
  if (seen.has(v)) return;
  seen.add(v);
  const closure: Value[] = [v];
  if (isMutableValue(v) && aliasClosureWriters(v, entryOf, frozen, false, closure) !== undefined) {
    for (let i = 0; i < closure.length; i++) out.add(closure[i]);
    return;
  }
  for (const p of pointees(v, entryOf)!) addAliasesOfLocations(p, entryOf, frozen, seen, out);
}

function blockWritesNoWildcard(
  block: Block,
  entryOf: EntryLookup,
  frozen: boolean,
  unescaped: (v: Value) => boolean,
): boolean {
  for (const n of block.nodes()) {
    const kind = n.kind;
    if (kind === 'prim::If' || kind === 'prim::Loop') {
      for (const b of n.blocks) if (!blockWritesNoWildcard(b, entryOf, frozen, unescaped)) return false;
      continue;
    }
    // Other blocks are scopes (their inputs and outputs escape) or unwalked: not mirrored.
    if (n.blocks.length) return false;
    if (kind === 'aten::wait' || kind === 'prim::SetAttr' || kind === 'prim::fork') return false;
    if (CALLS.has(kind)) {
      if (n.inputs.some(isMutableValue)) return false; // analyzeConservative writes their contents
      continue;
    }
    if (kind === 'aten::batch_norm' || kind === 'aten::instance_norm') {
      if (frozen && kind === 'aten::batch_norm') continue;
      const training = n.inputs[5];
      if (training && toIValue(training) === false) continue;
      for (const i of [3, 4]) {
        const v = n.inputs[i];
        if (v && isMutableValue(v) && !unescaped(v)) return false;
      }
      continue;
    }
    if (OWN_RULE_WITHOUT_WRITES.has(kind)) continue;
    if (!schemaWritesNoWildcard(n, entryOf, unescaped)) return false;
  }
  return true;
}

/** Kinds whose rule registers no write (analyzeCreator, analyzeExtractor, pointers, containers, Print). */
const OWN_RULE_WITHOUT_WRITES = kindsWithRule(
  'creator',
  'extractor',
  'getAttr',
  'containerConstruct',
  'pointsToInput',
  'constantChunk',
  'nothing',
);

// analyzeFromSchema / bindArguments: the `!` arguments it binds and the `!` results it registers.
function schemaWritesNoWildcard(n: Node, entryOf: EntryLookup, unescaped: (v: Value) => boolean): boolean {
  const inputs = n.inputs;
  const entry = entryOf(n);
  if (!entry || entry.facts.aliasAnalysis === 'conservative') return !inputs.some(isMutableValue);
  const plan = schemaAliasPlan(entry.schema);
  if (plan.plain) return true;
  const bound = new Map<string, Value>();
  const args = plan.arguments;
  for (let i = 0; i < Math.min(inputs.length, args.length); i++) {
    const formal = args[i];
    const actual = inputs[i];
    const set = formal?.beforeSets[0];
    if (!formal || set === undefined || !isMutableValue(actual) || bound.has(set)) continue;
    bound.set(set, actual);
    if (formal.isWrite && (formal.contents || !unescaped(actual))) return false;
  }
  const outputs = n.outputs;
  for (let i = 0; i < Math.min(outputs.length, plan.returns.length); i++) {
    const r = plan.returns[i];
    if (!r || !r.isWrite || !isMutableValue(outputs[i]) || r.isWildcardBefore) continue;
    if (r.contents) return false;
    // The result points at what its sets are bound to; an unbound set makes it a location of its own.
    // (A None or placeholder on either side gets no pointer: not mirrored.)
    if (nonAliasing(outputs[i])) return false;
    for (const set of r.beforeSets) {
      const to = bound.get(set);
      if (!to || nonAliasing(to) || !unescaped(to)) return false;
    }
  }
  return true;
}

/**
 * Every memory location of `v` is a fresh element no alias of which escapes: `v` is such an element, or
 * points only at such ones through the pointers its producer makes (a view's result, an If's output).
 */
function locatedWithoutWildcards(
  v: Value,
  entryOf: EntryLookup,
  frozen: boolean,
  memo: Map<Value, boolean>,
): boolean {
  const known = memo.get(v);
  if (known !== undefined) return known;
  memo.set(v, false); // a pointer cycle is not followed: not certain
  const result =
    (isMutableValue(v) && aliasClosureWriters(v, entryOf, frozen, false) !== undefined) ||
    pointees(v, entryOf)?.every((p) => locatedWithoutWildcards(p, entryOf, frozen, memo)) === true;
  memo.set(v, result);
  return result;
}

// What the rule of `v`'s producer makes `v` point at (every pointer, no fresh element besides), or
// undefined when that is not one of the simple cases.
function pointees(v: Value, entryOf: EntryLookup): Value[] | undefined {
  const node = v.node;
  const kind = node.kind;
  if (nonAliasing(v) || !isMutableValue(v) || !analysedInline(node)) return undefined;
  const points = (to: Value | undefined): boolean => !!to && !nonAliasing(to) && isMutableValue(to);
  if (kind === 'prim::unchecked_cast' || kind === 'prim::profile' || kind === 'prim::Guard') {
    return v.offset === 0 && points(node.inputs[0]) ? [node.inputs[0]] : undefined;
  }
  if (kind === 'prim::If') {
    const targets = node.blocks.map((b) => b.outputs[v.offset]);
    return targets.every(points) ? targets : undefined;
  }
  if (OWN_RULE_WITHOUT_WRITES.has(kind) || CALLS.has(kind) || node.blocks.length) return undefined;
  const entry = entryOf(node);
  if (!entry || entry.facts.aliasAnalysis === 'conservative') return undefined;
  const plan = schemaAliasPlan(entry.schema);
  const formal = v.offset < plan.returns.length ? plan.returns[v.offset] : null;
  if (!formal || formal.isWildcardBefore) return undefined;
  const inputs = node.inputs;
  const args = plan.arguments;
  const out: Value[] = [];
  for (const set of formal.beforeSets) {
    // The first mutable argument annotated with the set is what it is bound to (bindArguments).
    let to: Value | undefined;
    for (let i = 0; i < Math.min(inputs.length, args.length) && !to; i++)
      if (args[i]?.beforeSets[0] === set && isMutableValue(inputs[i])) to = inputs[i];
    if (!to || !points(to)) return undefined;
    out.push(to);
  }
  return out.length ? out : undefined;
}
