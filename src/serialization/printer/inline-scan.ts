// Which nodes the printer writes inline into their single use instead of assigning a local. As in
// PyTorch: every constant, and a single-output node whose one use is exactly where re-parsing the
// expression tree would emit it again (walk each node's inputs right to left while stepping backwards
// over the nodes before it: while they line up, the producers fold into the expression).

import type { Block } from '../../ir/block.js';
import type { Node } from '../../ir/node.js';
import type { Value } from '../../ir/value.js';

const CALLS_WITH_SUBGRAPHS = new Set(['prim::fork', 'prim::rpc_async', 'prim::rpc_sync', 'prim::rpc_remote']);

/** True when `value` may be written as an expression at its use rather than through a local. */
function canInline(value: Value): boolean {
  const node = value.node;
  if (node.outputs.length !== 1) return false;
  const uses = value.uses();
  if (uses.length !== 1) return false;
  const use = uses[0];
  // A name from the source is kept, unless the value only goes straight to a return.
  if (value.hasDebugName && use.user.kind !== 'prim::Return') return false;
  if (node.blocks.length !== 0) return false;
  // Loop-carried inputs need a variable, or they could be evaluated out of order.
  if (use.user.kind === 'prim::Loop' && use.offset >= 2) return false;
  if (CALLS_WITH_SUBGRAPHS.has(use.user.kind)) return false;
  // isinstance inside an `if` would refine types a second time.
  if (node.kind === 'prim::isinstance') return false;
  return true;
}

/** Decides, for every node of `block` and its nested blocks, whether it prints inline. */
export class InlineScanner {
  readonly inline = new Set<Node>();

  scanBlock(block: Block): void {
    this.scanNode(block.returnNode);
    for (const node of block.nodesReversed()) this.scanNode(node);
  }

  /**
   * Walks `start`'s inputs right to left while stepping backwards from the node before it; a producer
   * met exactly there folds into the expression and its own inputs are walked next. Iterative (an
   * explicit stack), so a long chain of single-use expressions cannot overflow the call stack.
   * Returns the node the expression tree expects next.
   */
  private scanNode(start: Node): Node {
    if (this.inline.has(start)) return start;
    for (const b of start.blocks) this.scanBlock(b);
    const stack: Frame[] = [
      { node: start, next: start.inputs.length - 1, point: previousNonConstant(start) },
    ];
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame.next < 0) {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (!parent) return frame.point;
        // The finished frame was an input of its parent: it is inlined, and the parent continues from it.
        this.inline.add(frame.node);
        parent.point = frame.point;
        continue;
      }
      const value = frame.node.inputs[frame.next--];
      const producer = value.node;
      if (producer === frame.point && canInline(value)) {
        if (this.inline.has(producer)) this.inline.add(producer);
        // canInline refuses nodes with blocks, so there is nothing nested to scan first.
        else
          stack.push({
            node: producer,
            next: producer.inputs.length - 1,
            point: previousNonConstant(producer),
          });
      } else if (producer.kind === 'prim::Constant') {
        // Constants are always inlined: the importer de-duplicates them and hoists them to the top.
        this.inline.add(producer);
      }
    }
  }
}

/** One node whose inputs are being matched against the nodes before it. */
interface Frame {
  readonly node: Node;
  /** Index of the next input to look at (right to left). */
  next: number;
  /** The node the expression tree expects to produce that input. */
  point: Node;
}

// The block's node list is circular through its return node, so this stops there at the latest.
function previousNonConstant(node: Node): Node {
  let n = node.prev as Node;
  while (n.kind === 'prim::Constant') n = n.prev as Node;
  return n;
}
