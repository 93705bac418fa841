/**
 * unroll-constant-loops: unrolls `for` loops whose trip count is a constant.
 *   %y = prim::Loop(%3, %true, %x)                  %c0 = prim::Constant[value=0]()
 *     block0(%i, %acc): %z = f(%acc, %i)      =>    %z1 = f(%x, %c0);  %i1 = aten::add(%c0, %1)
 *       -> (%true, %z)                              %z2 = f(%z1, %i1); %i2 = aten::add(%i1, %1); %z3 = f(%z2, %i2)
 * A `for` loop is a prim::Loop whose start and continue conditions are the constant True (a `while` is
 * not). With fewer than `maxRepeats` (64) iterations the body is copied that many times and the loop
 * removed; with more, the body is repeated `factor` (8) times inside the loop, which then runs
 * n // 8 times, and an epilogue copy of the old loop runs the n - (n // 8) * 8 rest. A loop counter the
 * body reads becomes a carried value (0, then + 1 per copy) for constant-propagation to fold. Inner
 * loops go first. Dead leftovers (the copied True constants) are for dead-code-elimination.
 * Only small bodies are unrolled (at most `maxBodySize` nodes, nested blocks counted), as PyTorch's
 * loop unroller does (kMaxBodySize 32): once an inner loop is unrolled its outer body is large and stays a
 * loop, so nested constant loops do not multiply out. The nodes one run may create are also bounded by
 * the unrollBudget limit (src/limits.ts); loops past it stay as they are, with a remark.
 * Mirrors torch/csrc/jit/passes/loop_unrolling.cpp (kUnrollFactor 8, kMaxBodyRepeats 64, kMaxBodySize 32).
 */

import {
  cloneNode,
  currentLimits,
  insertConstant,
  IntType,
  pass,
  toIValue,
  type Block,
  type Graph,
  type GraphPass,
  type Node,
  type OptionsOf,
  type PassContext,
  type PassResult,
  type Value,
} from '../src/index.js';

const OPTIONS = {
  maxRepeats: { type: 'integer', default: 64, description: 'loops with fewer iterations are fully unrolled' },
  factor: {
    type: 'integer',
    default: 8,
    description: 'body copies per iteration when a loop is only partly unrolled',
  },
  maxBodySize: {
    type: 'integer',
    default: 32,
    description: 'loops whose body has more nodes (nested blocks included) are not unrolled',
  },
} as const;

type Options = OptionsOf<typeof OPTIONS>;

/** The constant trip count of a `for` loop, or why the loop is not one to unroll. */
export function matchConstantForLoop(
  loop: Node,
): { ok: true; trips: number } | { ok: false; reason: string } {
  if (toIValue(loop.inputs[1]) !== true || toIValue(loop.blocks[0].outputs[0]) !== true) {
    return { ok: false, reason: 'a while loop: its conditions are not the constant True' };
  }
  const trips = toIValue(loop.inputs[0]);
  if (typeof trips !== 'number' && typeof trips !== 'bigint')
    return { ok: false, reason: 'the trip count is not a constant' };
  return { ok: true, trips: Number(trips) };
}

@pass({
  name: 'unroll-constant-loops',
  summary:
    'Unroll prim::Loop with a constant trip count (fully below 64 iterations, else by 8 with an epilogue)',
  options: OPTIONS,
  statistics: [
    { name: 'loops-unrolled', description: 'loops replaced by copies of their body' },
    { name: 'loops-partly-unrolled', description: 'loops whose body was repeated, with an epilogue loop' },
  ],
})
export class UnrollConstantLoops implements GraphPass<Options> {
  run(graph: Graph, context: PassContext<Options>): PassResult {
    return { changed: unrollIn(graph.block, context, { left: currentLimits().unrollBudget }) };
  }
}

function unrollIn(block: Block, context: PassContext<Options>, budget: { left: number }): boolean {
  let changed = false;
  for (const node of block.nodes()) {
    for (const b of node.blocks) changed = unrollIn(b, context, budget) || changed;
    if (node.kind !== 'prim::Loop') continue;
    const match = matchConstantForLoop(node);
    if (!match.ok) {
      context.remark(node, `not unrolled: ${match.reason}`);
      continue;
    }
    const { maxBodySize, maxRepeats, factor } = context.options;
    const size = blockSize(node.blocks[0], maxBodySize + 1);
    if (size > maxBodySize) {
      context.remark(node, `not unrolled: the body has more than ${maxBodySize} nodes`);
      continue;
    }
    const copies = match.trips < maxRepeats ? Math.max(0, match.trips) : factor;
    if (copies * (size + 1) > budget.left) {
      context.remark(node, 'not unrolled: the unrollBudget limit of this run is spent');
      continue;
    }
    budget.left -= copies * (size + 1);
    if (node.blocks[0].inputs[0].hasUses()) replaceLoopCounter(node);
    if (match.trips < maxRepeats) {
      unrollFully(node, match.trips);
      context.count('loops-unrolled');
    } else {
      unrollPartly(node, factor);
      context.count('loops-partly-unrolled');
    }
    changed = true;
  }
  return changed;
}

// Nodes in `block` and its nested blocks, counting no further than `limit`.
function blockSize(block: Block, limit: number): number {
  let size = 0;
  const work: Block[] = [block];
  for (let b = work.pop(); b && size < limit; b = work.pop()) {
    for (const n of b.nodes()) {
      if (++size >= limit) break;
      work.push(...n.blocks);
    }
  }
  return size;
}

// Transforms the body's use of the built-in counter into a carried value: 0 before, + 1 at each body end.
function replaceLoopCounter(loop: Node): void {
  const graph = loop.owningGraph;
  const body = loop.blocks[0];
  loop.insertInput(
    2,
    graph.withInsertPoint(loop, () => insertConstant(graph, 0)),
  );
  loop.insertOutput(0, IntType);
  const counter = body.insertInput(1, IntType);
  body.inputs[0].replaceAllUsesWith(counter);
  graph.withInsertPoint(body, () => {
    const next = graph.insert('aten::add', [counter, insertConstant(graph, 1)], [IntType]).output();
    body.insertOutput(1, next);
  });
}

// Copies `body` at the insert point with its inputs bound to `inputs`; returns what stands for its outputs.
function insertBlockCopy(graph: Graph, body: Block, inputs: readonly Value[]): Value[] {
  const map = new Map<Value, Value>();
  body.inputs.forEach((v, i) => map.set(v, inputs[i]));
  for (const n of body.nodes()) graph.insertNode(cloneNode(graph, n, map));
  return body.outputs.map((o) => map.get(o) ?? o);
}

// Transforms a loop of `trips` iterations into that many copies of its body before it.
function unrollFully(loop: Node, trips: number): void {
  const graph = loop.owningGraph;
  const body = loop.blocks[0];
  let carried = loop.inputs.slice(2);
  graph.withInsertPoint(loop, () => {
    for (let k = 0; k < trips; k++)
      carried = insertBlockCopy(graph, body, [body.inputs[0], ...carried]).slice(1);
  });
  loop.outputs.forEach((o, i) => o.replaceAllUsesWith(carried[i]));
  loop.destroy();
}

// Transforms a loop of n iterations into one of n // factor iterations over `factor` body copies, then an
// epilogue copy of the original loop for the remaining n - (n // factor) * factor.
function unrollPartly(loop: Node, factor: number): void {
  const graph = loop.owningGraph;
  const epilogue = cloneNode(graph, loop, new Map()).insertAfter(loop);
  loop.outputs.forEach((o, i) => {
    o.replaceAllUsesWith(epilogue.outputs[i]);
    epilogue.replaceInput(i + 2, o);
  });
  const body = loop.blocks[0];
  const repeated = loop.addBlock();
  for (const v of body.inputs) repeated.addInput(v.type);
  graph.withInsertPoint(repeated, () => {
    let io: Value[] = [...repeated.inputs];
    for (let k = 0; k < factor; k++) io = insertBlockCopy(graph, body, [repeated.inputs[0], ...io.slice(1)]);
    for (const v of io) repeated.registerOutput(v);
  });
  loop.eraseBlock(0);
  const trips = loop.inputs[0];
  graph.withInsertPoint(loop, () => {
    const by = insertConstant(graph, factor);
    const rounds = graph.insert('aten::__round_to_zero_floordiv', [trips, by], [IntType]).output();
    const done = graph.insert('aten::mul', [rounds, insertConstant(graph, factor)], [IntType]).output();
    loop.replaceInput(0, rounds);
    epilogue.replaceInput(0, graph.insert('aten::sub', [trips, done], [IntType]).output());
  });
}
