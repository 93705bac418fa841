// `with a as x, b: body` (PyTorch's emitWith): each item's object gets a prim::Enter (its output is what
// __enter__ returns, bound to the `as` name), the body goes into a transient prim::With node whose second
// block holds the prim::Exit of every item, innermost first. TransformExits treats the With like the
// body it holds, so a return, break or continue inside the body still reaches the Exits; then
// flattenWithBlocks splices both blocks in place of the node, leaving Enter ... Exit in one block as
// torch.jit.load has them.

import type { Block } from '../../ir/block.js';
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { NoneType, TensorTensor } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import type { With } from '../torchscript/ast.js';
import { assignName } from './assignments.js';
import { emitExpr } from './expressions.js';
import type { FunctionEmitter } from './function-emitter.js';

/** The transient node kind holding a with statement's body (block 0) and its exits (block 1). */
export const WITH_KIND = 'prim::With';

/** Emits a with statement; `emitBody` emits the statements of its body at the current insert point. */
export function emitWith(em: FunctionEmitter, stmt: With, emitBody: () => void): void {
  const entered: Value[] = [];
  for (const item of stmt.items) {
    const object = emitExpr(em, item.context);
    const type = object.type;
    if (!(type instanceof ClassType))
      throw em.error(item.context.range, 'With item expression must return an object');
    const enter = type.findMethod('__enter__');
    const exit = type.findMethod('__exit__');
    if (!enter || !exit) {
      throw em.error(
        item.context.range,
        'Object returned by with item expression does not define __enter__ and __exit__ methods',
      );
    }
    em.host.ensureSignature?.(enter);
    em.host.ensureSignature?.(exit);
    if (enter.signature.arguments.length !== 1)
      throw em.error(item.context.range, '__enter__ must have only one argument and one return value');
    const exitArgs = exit.signature.arguments;
    if (exitArgs.length !== 4) throw em.error(item.context.range, '__exit__ must have four arguments');
    exitArgs.slice(1).forEach((arg, i) => {
      if (arg.type.kind !== 'Any') {
        throw em.error(
          item.context.range,
          `argument ${i + 1} of __exit__ must have Any type; TorchScript does not currently support passing exception type, value, or traceback to the __exit__ function.`,
        );
      }
    });
    // PyTorch's graphs carry no source range on Enter and Exit.
    const node = em.graph.insert('prim::Enter', [object], [enter.signature.returns[0] ?? NoneType]);
    entered.push(object);
    if (item.target) {
      if (item.target.kind !== 'Name')
        throw em.error(item.target.range, 'the target of `with ... as` must be a name');
      assignName(em, item.target.id, { kind: 'value', value: node.output() }, item.target.range);
    }
  }
  const holder = em.graph.insert(WITH_KIND, [], []);
  const body = holder.addBlock();
  const exits = holder.addBlock();
  em.withBodies.add(body);
  em.graph.withInsertPoint(body, emitBody);
  em.graph.withInsertPoint(exits, () => {
    for (let i = entered.length - 1; i >= 0; i--) em.graph.insert('prim::Exit', [entered[i]], [TensorTensor]);
  });
}

/** Replaces every prim::With by its body's nodes followed by its exits' (after TransformExits). */
export function flattenWithBlocks(graph: Graph): void {
  const holders: Node[] = [];
  // Read-only walks follow the node links directly (cheaper than iterators in cold code).
  const collect = (block: Block): void => {
    const end = block.returnNode;
    for (let node = end.next!; node !== end; node = node.next!) {
      if (node.kind === WITH_KIND) holders.push(node);
      const blocks = node.blocks;
      for (let i = 0; i < blocks.length; i++) collect(blocks[i]);
    }
  };
  collect(graph.block);
  for (const holder of holders) {
    for (const block of holder.blocks) {
      for (const node of [...block.nodes()]) node.moveBefore(holder);
    }
    holder.destroy();
  }
}

/** True when `graph` holds a with statement not yet flattened. */
export function hasWithBlocks(block: Block): boolean {
  const end = block.returnNode;
  for (let node = end.next!; node !== end; node = node.next!) {
    if (node.kind === WITH_KIND) return true;
    const blocks = node.blocks;
    for (let i = 0; i < blocks.length; i++) if (hasWithBlocks(blocks[i])) return true;
  }
  return false;
}
