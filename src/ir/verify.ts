// The IR verifier: checks every structural invariant and names the offending node. Runs between passes
// when verification is on, so a pass that breaks the IR is caught at the pass, not three passes later.

import { VerifyError } from '../errors.js';
import type { Block } from './block.js';
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { UseRecord, Value } from './value.js';

/** Extra per-node checks, e.g. input types against the operator schema (supplied by the ops layer). */
export type NodeChecker = (node: Node) => string | undefined;

export interface VerifyOptions {
  /** Called for every node; a returned string is reported as an error on that node. */
  readonly checkNode?: NodeChecker;
}

function describe(node: Node): string {
  try {
    return node.toString().trimEnd();
  } catch {
    return `${node.kind} (node ${node.id})`;
  }
}

/** Throws VerifyError on the first broken invariant. */
export function verify(graph: Graph, options: VerifyOptions = {}): void {
  const problems = collectProblems(graph, options, 1);
  if (problems.length) throw new VerifyError(problems[0]);
}

/** Every broken invariant (up to `limit`), as messages naming the node. */
export function collectProblems(graph: Graph, options: VerifyOptions = {}, limit = Infinity): string[] {
  const problems: string[] = [];
  const report = (node: Node, what: string): boolean => {
    problems.push(`${what}\n  at: ${describe(node)}`);
    return problems.length >= limit;
  };
  const seenNodes = new Set<Node>();
  const seenValues = new Set<Value>();
  // Scope stack: values visible at the current point. One Set per open block.
  const scopes: Set<Value>[] = [];
  const inScope = (v: Value): boolean => scopes.some((s) => s.has(v));

  const checkValue = (v: Value, producer: Node): string | undefined => {
    if (v.node !== producer || producer.outputs[v.offset] !== v)
      return `value %${v.debugName} does not point back at its producer slot`;
    const listed = checkUseList(v);
    if (listed) return listed;
    if (graph.valueByName(v.debugName) !== v)
      return `value name %${v.debugName} is not registered to this value (names must be unique)`;
    if (seenValues.has(v)) return `value %${v.debugName} is defined twice`;
    seenValues.add(v);
    return undefined;
  };

  const checkInputs = (node: Node): boolean => {
    // The three views of a use agree: the graphlib edge label, the input slot's record, the value's list.
    const edges = graph.useEdgesInto(node);
    if (edges.length !== node.inputs.length) {
      return report(
        node,
        `use store has ${edges.length} uses into ${node.kind} but the node has ${node.inputs.length} inputs`,
      );
    }
    for (const e of edges) {
      if (node.inputs[e.offset] !== e.value || node.inputUse(e.offset) !== e || e.user !== node)
        return report(node, `use store slot ${e.offset} disagrees with input list`);
    }
    for (const [i, v] of node.inputs.entries()) {
      const use = node.inputUse(i);
      if (!use.live || !useListHolds(v, use))
        return report(node, `input ${i} (%${v.debugName}) is missing from the value's use list`);
    }
    for (const [i, v] of node.inputs.entries()) {
      if (v.node.destroyed)
        return report(node, `input ${i} (%${v.debugName}) is produced by a destroyed node`);
      if (!inScope(v))
        return report(
          node,
          `input ${i} (%${v.debugName}) is used before it is defined or outside its block (definitions must dominate uses)`,
        );
    }
    return false;
  };

  // Iterative walk: a work stack of block frames, so 100k-deep nesting cannot overflow the JS stack.
  interface Frame {
    block: Block;
    cursor: Node;
    lastPosition: number;
    /** Scopes open when the block starts running, not when it is queued: block0 must not see block1's inputs. */
    entered: boolean;
  }
  const open = (block: Block, expectedOwner: Node | null): Frame | undefined => {
    if (block.owningNode !== expectedOwner) {
      report(block.paramNode, 'block is attached to the wrong node');
      return undefined;
    }
    return { block, cursor: block.returnNode.next!, lastPosition: -Infinity, entered: false };
  };
  const enter = (frame: Frame): boolean => {
    frame.entered = true;
    const scope = new Set<Value>();
    scopes.push(scope);
    for (const v of frame.block.inputs) {
      const err = checkValue(v, frame.block.paramNode);
      if (err && report(frame.block.paramNode, err)) return true;
      scope.add(v);
    }
    return false;
  };

  const frames: Frame[] = [];
  const top = open(graph.block, null);
  if (top) frames.push(top);
  while (frames.length && problems.length < limit) {
    const frame = frames[frames.length - 1];
    if (!frame.entered && enter(frame)) break;
    const { block } = frame;
    const node = frame.cursor;
    if (node === block.returnNode) {
      if (checkInputs(node)) break;
      scopes.pop();
      frames.pop();
      // The owning node's outputs become visible only after all its blocks are done.
      const owner = block.owningNode;
      if (owner && owner.blocks[owner.blocks.length - 1] === block) {
        if (finishNode(owner)) break;
      }
      continue;
    }
    frame.cursor = node.next!;
    if (node.owner !== block) {
      report(node, 'node is linked into a block it does not name as its owner');
      break;
    }
    if (node.prev!.next !== node || node.next!.prev !== node) {
      report(node, 'broken node list links');
      break;
    }
    if (!(node.position > frame.lastPosition)) {
      report(node, 'node order positions are not increasing');
      break;
    }
    frame.lastPosition = node.position;
    seenNodes.add(node);
    if (checkInputs(node)) break;
    const structural = checkStructure(node);
    if (structural && report(node, structural)) break;
    const custom = options.checkNode?.(node);
    if (custom && report(node, custom)) break;
    if (node.blocks.length === 0) {
      if (finishNode(node)) break;
    } else {
      // Open the blocks in reverse so block0 is processed first.
      for (let i = node.blocks.length - 1; i >= 0; i--) {
        const f = open(node.blocks[i], node);
        if (!f) break;
        frames.push(f);
      }
    }
  }

  function finishNode(node: Node): boolean {
    const scope = scopes[scopes.length - 1];
    for (const v of node.outputs) {
      const err = checkValue(v, node);
      if (err) return report(node, err);
      scope.add(v);
    }
    return false;
  }

  if (problems.length < limit) {
    for (const vertex of graph.dataflow.nodes()) {
      const label = graph.dataflow.node(vertex);
      if (vertex.startsWith('b')) continue;
      const n = label as Node;
      if (n.kind === 'prim::Param' || n.kind === 'prim::Return') continue;
      if (
        !seenNodes.has(n) &&
        report(n, `${n.kind} was created but never inserted into a block (dangling node)`)
      )
        break;
    }
  }
  return problems;
}

// Walks the value's use list both ways: every record points back at a slot of its user holding the value.
function checkUseList(v: Value): string | undefined {
  let count = 0;
  let prev: UseRecord | null = null;
  for (let u = v.firstUse; u; u = u.nextUse) {
    if (u.prevUse !== prev || u.value !== v || !u.live)
      return `use list of %${v.debugName} is broken at ${u.user.kind}`;
    if (u.user.destroyed || u.user.inputs[u.offset] !== v || u.user.inputUse(u.offset) !== u)
      return `use list of %${v.debugName} names ${u.user.kind} input ${u.offset}, which is not that use`;
    prev = u;
    count++;
  }
  if (prev !== v.lastUse || count !== v.numUses)
    return `use list of %${v.debugName} has a wrong tail or count`;
  return undefined;
}

// Holds when `use` is linked into the use list of `v` (its neighbour, or the head, points at it).
function useListHolds(v: Value, use: UseRecord): boolean {
  return use.value === v && (use.prevUse !== null ? use.prevUse.nextUse === use : v.firstUse === use);
}

/** Arity of prim nodes passes take apart: [min inputs, max inputs, min outputs, max outputs, blocks]. */
const PRIM_SHAPES: Readonly<Record<string, readonly [number, number, number, number, number]>> = {
  'prim::TupleUnpack': [1, 1, 0, Infinity, 0],
  'prim::ListUnpack': [1, 1, 0, Infinity, 0],
  'prim::TupleConstruct': [0, Infinity, 1, 1, 0],
  'prim::ListConstruct': [0, Infinity, 1, 1, 0],
  'prim::DictConstruct': [0, Infinity, 1, 1, 0],
  'prim::TupleIndex': [2, 2, 1, 1, 0],
  'prim::GetAttr': [1, 1, 1, 1, 0],
  'prim::SetAttr': [2, 2, 0, 0, 0],
  'prim::CallMethod': [1, Infinity, 0, Infinity, 0],
  'prim::CallFunction': [1, Infinity, 0, Infinity, 0],
  'prim::unchecked_cast': [1, 1, 1, 1, 0],
  'prim::Uninitialized': [0, 0, 1, 1, 0],
};

// Control-flow node shapes, as PyTorch's Graph::lint checks them, and the arity of prim nodes.
function checkStructure(node: Node): string | undefined {
  const shape = PRIM_SHAPES[node.kind];
  if (shape) {
    const [minIn, maxIn, minOut, maxOut, blocks] = shape;
    const range = (lo: number, hi: number): string =>
      lo === hi ? `${lo}` : hi === Infinity ? `at least ${lo}` : `${lo} to ${hi}`;
    if (node.inputs.length < minIn || node.inputs.length > maxIn)
      return `${node.kind} takes ${range(minIn, maxIn)} inputs, has ${node.inputs.length}`;
    if (node.outputs.length < minOut || node.outputs.length > maxOut)
      return `${node.kind} has ${range(minOut, maxOut)} outputs, has ${node.outputs.length}`;
    if (node.blocks.length !== blocks) return `${node.kind} has no blocks, has ${node.blocks.length}`;
  }
  if (node.kind === 'prim::If') {
    if (node.inputs.length !== 1) return `prim::If takes 1 condition input, has ${node.inputs.length}`;
    if (node.blocks.length !== 2) return `prim::If needs 2 blocks, has ${node.blocks.length}`;
    for (const [i, b] of node.blocks.entries()) {
      if (b.inputs.length !== 0) return `prim::If block${i} must have no inputs`;
      if (b.outputs.length !== node.outputs.length) {
        return `prim::If block${i} returns ${b.outputs.length} values for ${node.outputs.length} outputs`;
      }
    }
  } else if (node.kind === 'prim::Loop') {
    if (node.inputs.length < 2) return 'prim::Loop needs a trip count and an initial condition';
    if (node.blocks.length !== 1) return `prim::Loop needs 1 block, has ${node.blocks.length}`;
    const carried = node.inputs.length - 2;
    const body = node.blocks[0];
    if (node.outputs.length !== carried)
      return `prim::Loop carries ${carried} values but has ${node.outputs.length} outputs`;
    if (body.inputs.length !== carried + 1)
      return `prim::Loop body takes ${body.inputs.length} inputs, expected ${carried + 1} (counter + carried)`;
    if (body.outputs.length !== carried + 1)
      return `prim::Loop body returns ${body.outputs.length} values, expected ${carried + 1} (condition + carried)`;
  } else if (node.kind === 'prim::Constant') {
    if (node.inputs.length !== 0) return 'prim::Constant takes no inputs';
    if (node.outputs.length !== 1) return 'prim::Constant has exactly one output';
  }
  return undefined;
}
