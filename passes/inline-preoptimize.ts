/**
 * The cleanup inline-submodules runs on each callee body before inlining it: PyTorch's preoptimizeGraph
 * (graph_executor.cpp) after Inline, i.e. what GraphFunction::optimized_graph holds: PeepholeOptimize
 * without shape facts (here its list and dict idioms, non-tensor rules and concat combining),
 * ConstantPropagationImmutableTypes (+ dead code elimination when it changed something), pooling.
 * PyTorch caches that graph per function and inlines it at every level, so a body nested D deep is
 * cleaned D times; tsfreeze does the same work (the frozen graph depends on it) but skips what cannot
 * change anything (see containerIdiomsCannotFire).
 */

import {
  emitter,
  surelyWrittenInputs,
  type Block,
  type Graph,
  type OperatorRegistry,
  type Value,
} from '../src/index.js';
import { aliasDbWhileUnchanged } from './alias-analysis.js';
import { combineConcats } from './peephole-concat.js';
import { optimizeContainerIdioms } from './peephole-containers.js';
import { applyRewrite, nonTensorRule, sweep } from './peephole-non-tensor.js';

const quiet = { count: (): void => undefined };

/** Cleans `body` (a callee with its own calls inlined) in place. */
export function preoptimize(body: Graph, ops: OperatorRegistry): void {
  const aliasDb = aliasDbWhileUnchanged(body, ops);
  let peepholed = false;
  if (!containerIdiomsCannotFire(body, ops)) {
    const idioms = optimizeContainerIdioms(body, aliasDb, (n) => ops.entryForNode(n));
    peepholed = idioms.lists + idioms.dicts > 0;
  }
  peepholed = sweep(body.block, nonTensorRule, (n, r) => applyRewrite(n, r, ops, quiet)) || peepholed;
  if (combineConcats(body, aliasDb) > 0 || peepholed) emitter.eliminateDeadCode(body, ops);
  if (emitter.constantPropagationImmutableTypes(body, ops)) emitter.eliminateDeadCode(body, ops);
  emitter.constantPooling(body);
}

/**
 * True when the list and dict idioms surely rewrite nothing: every prim::ListConstruct or
 * prim::DictConstruct that some node reads as its first input (the only place an idiom looks for one) is
 * written in place by one of its users (`features.append(x)` in densenet121's blocks). Each idiom rewrites
 * only a container AliasDb.hasWriters calls unwritten, and such a direct write makes hasWriters true, so
 * the idioms would build an AliasDb of the whole body (densenet121: 5 builds over 13.7k nodes) only to
 * hear "written" for each candidate.
 */
export function containerIdiomsCannotFire(graph: Graph, ops: OperatorRegistry): boolean {
  return everyReadContainerWritten(graph.block, ops, new Map<Value, boolean>());
}

// (A direct walk of the links: cheaper than the allNodes iterator in cold code.)
function everyReadContainerWritten(block: Block, ops: OperatorRegistry, known: Map<Value, boolean>): boolean {
  const end = block.returnNode;
  for (let node = end.next!; node !== end; node = node.next!) {
    const blocks = node.blocks;
    for (let i = 0; i < blocks.length; i++)
      if (!everyReadContainerWritten(blocks[i], ops, known)) return false;
    const container = node.inputs[0];
    if (container === undefined) continue;
    const made = container.node.kind;
    if (made !== 'prim::ListConstruct' && made !== 'prim::DictConstruct') continue;
    let written = known.get(container);
    if (written === undefined) known.set(container, (written = writtenItselfByAUser(container, ops)));
    if (!written) return false;
  }
  return true;
}

// Some user writes `v` itself as the AliasDb's schema rule registers it (`t[](a!) self`: v's own memory
// location, not the elements a `Tensor(a!)[]` annotates). Conservatively analysed nodes write contents
// and make wildcards, which says nothing certain about v: they do not count.
function writtenItselfByAUser(v: Value, ops: OperatorRegistry): boolean {
  for (const { user, offset } of v.uses()) {
    if (user.blocks.length > 0 || user.kind.startsWith('prim::')) continue;
    const entry = ops.entryForNode(user);
    if (!entry || entry.facts.aliasAnalysis === 'conservative') continue;
    // v must be bound at this one slot (a set bound earlier by another argument would skip it).
    if (user.inputs.indexOf(v) !== offset || user.inputs.lastIndexOf(v) !== offset) continue;
    const alias = entry.schema.arguments[offset]?.alias;
    if (!alias || !alias.isWrite || alias.beforeSets.length === 0) continue;
    if (surelyWrittenInputs(user, entry).includes(v)) return true;
  }
  return false;
}
