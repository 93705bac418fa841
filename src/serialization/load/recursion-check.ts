// Refuses code whose methods or functions call themselves, directly or through others, as torch.jit.load
// does when it compiles them ("Recursive calls are not supported"): nothing could inline, run or save them.

import { toIValue } from '../../ir/constants.js';
import { FunctionRef } from '../../ir/ivalue.js';
import { ClassType } from '../../module/class-type.js';
import type { CompilationUnit } from '../../module/compilation-unit.js';
import type { Function } from '../../module/function.js';
import { loadError } from './load-errors.js';

// The methods and functions `fn` calls directly (nested blocks included).
function callees(fn: Function, cu: CompilationUnit): Function[] {
  const out: Function[] = [];
  for (const node of fn.graph.allNodes()) {
    if (node.kind === 'prim::CallMethod') {
      const receiver = node.inputs[0]?.type;
      const method = receiver instanceof ClassType ? receiver.findMethod(node.s('name')) : undefined;
      if (method) out.push(method);
    } else if (node.kind === 'prim::CallFunction') {
      const ref = node.inputs[0] ? toIValue(node.inputs[0]) : undefined;
      const callee = ref instanceof FunctionRef ? cu.findFunction(ref.qualifiedName) : undefined;
      if (callee) out.push(callee);
    }
  }
  return out;
}

/** Throws RECURSIVE_CALL, in PyTorch's words, when some call chain of `cu` reaches its own start. */
export function checkNoRecursion(cu: CompilationUnit, source: string): void {
  const all: Function[] = [...cu.freeFunctions];
  for (const t of cu.types) if (t instanceof ClassType) all.push(...t.methods);
  // Iterative depth-first search: 'open' while on the current call path, 'done' after.
  const state = new Map<Function, 'open' | 'done'>();
  for (const root of all) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    const path = [{ fn: root, next: callees(root, cu), at: 0 }];
    while (path.length) {
      const top = path[path.length - 1];
      if (top.at === top.next.length) {
        state.set(top.fn, 'done');
        path.pop();
        continue;
      }
      const callee = top.next[top.at++];
      const seen = state.get(callee);
      if (seen === 'open') {
        const what = callee.owner ? 'method' : 'function';
        throw loadError(
          'RECURSIVE_CALL',
          source,
          `${what} '${callee.name}' is called recursively. Recursive calls are not supported`,
        );
      }
      if (seen === undefined) {
        state.set(callee, 'open');
        path.push({ fn: callee, next: callees(callee, cu), at: 0 });
      }
    }
  }
}
