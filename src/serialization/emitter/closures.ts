// Nested functions and fork(): `def __forked_function(): ...` binds a closure; `fork(closure)` emits a
// prim::fork whose block holds the closure's body and whose output is the Future of its result.
// PyTorch lifts the body into a Subgraph attribute (`prim::fork_0` + `with prim::fork_0 = graph(...)`);
// tsfreeze keeps it as a block reading the outer values directly, so inlining and freezing see through
// it like any nested block. The captured outer values are also the fork's inputs, as in PyTorch, so alias
// analysis sees them escape into the forked task.

import type { Block } from '../../ir/block.js';
import type { Node } from '../../ir/node.js';
import { FutureType } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { Call } from '../torchscript/ast.js';
import type { FunctionDef, Stmt } from '../torchscript/ast-statements.js';
import { emitExpr, emitSugaredExpr } from './expressions.js';
import type { FunctionEmitter } from './function-emitter.js';
import { emitStatements } from './statements.js';
import { simple, type Sugared } from './sugared.js';

/** `def name(): body` inside a function: a closure, emitted where it is forked. */
export function bindClosure(em: FunctionEmitter, def: FunctionDef): void {
  // torch writes closures only for fork, without parameters (the captured values are read from outside).
  if (def.params.length > 0) throw em.unsupported(def.range, 'a nested function (closure) with parameters');
  em.frame.sugared.set(def.name, { kind: 'closure', def });
}

/** `fork(closure)`: a prim::fork running the closure's body; its output is a Future of the result. */
export function emitFork(em: FunctionEmitter, call: Call): Sugared {
  if (call.args.length !== 1 || call.keywords.length > 0)
    throw em.unsupported(call.range, 'fork() of anything but one nested function');
  const fn = emitSugaredExpr(em, call.args[0], 1);
  if (fn.kind !== 'closure') throw em.unsupported(call.range, 'fork() of anything but a nested function');
  const body = fn.def.body;
  const last = body[body.length - 1];
  // torch prints a forked subgraph as straight-line code ending in its one return.
  if (last?.kind !== 'Return' || body.slice(0, -1).some(hasReturn))
    throw em.unsupported(fn.def.range, 'a forked function whose only return is not its last statement');
  const fork = em.insert('prim::fork', [], []);
  const block = fork.addBlock();
  em.withFrame(block, 'closure', () => {
    emitStatements(em, body.slice(0, -1));
    block.registerOutput(last.value ? emitExpr(em, last.value) : em.none());
  });
  for (const v of captured(block, fork)) fork.addInput(v);
  return simple(fork.addOutput(new FutureType(block.outputs[0].type)));
}

function hasReturn(stmt: Stmt): boolean {
  switch (stmt.kind) {
    case 'Return':
      return true;
    case 'If':
      return stmt.body.some(hasReturn) || stmt.orelse.some(hasReturn);
    case 'For':
    case 'While':
    case 'With':
      return stmt.body.some(hasReturn);
    default:
      return false;
  }
}

// Values defined outside the fork that its block reads (constants aside), in first-use order: the
// inputs PyTorch's lifted subgraph would take.
function captured(block: Block, fork: Node): Value[] {
  const out = new Set<Value>();
  const isInside = (v: Value): boolean => {
    for (let b = v.node.owningBlock; b; b = b.owningNode?.owningBlock ?? null) if (b === block) return true;
    return false;
  };
  const take = (v: Value): void => {
    if (v.node !== fork && v.node.kind !== 'prim::Constant' && !isInside(v)) out.add(v);
  };
  const visit = (b: Block): void => {
    for (const n of b.nodes()) {
      n.inputs.forEach(take);
      n.blocks.forEach(visit);
    }
    b.outputs.forEach(take);
  };
  visit(block);
  return [...out];
}
