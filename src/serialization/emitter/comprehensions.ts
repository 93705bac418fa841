// List and dict comprehensions (PyTorch's emitListComprehension / emitDictComprehension): the container is
// built before a loop that appends to it, in a scope whose variables do not leak into the function.

import { DictType, ListType, StringType, TensorTensor, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { DictComp, ListComp } from '../torchscript/ast.js';
import { emitBuiltinCall } from './calls.js';
import { emitExpr } from './expressions.js';
import type { FunctionEmitter } from './function-emitter.js';
import { emitForLoop } from './statements.js';

// Runs `fn` in a scope over the current block whose assignments are dropped afterwards.
function inComprehensionScope(em: FunctionEmitter, fn: () => void): void {
  em.withFrame(em.frame.block, 'comprehension', fn);
}

function onlyClause(em: FunctionEmitter, expr: ListComp | DictComp): ListComp['clauses'][number] {
  const [clause, ...rest] = expr.clauses;
  if (!clause || rest.length || clause.conditions.length) {
    throw em.unsupported(expr.range, 'a comprehension with several for clauses or an if clause');
  }
  return clause;
}

/** `[elt for target in iter]`: List[Tensor] until the first element's type is known (or the hint's type). */
export function emitListComp(em: FunctionEmitter, expr: ListComp, hint?: Type): Value {
  if (hint && !(hint instanceof ListType))
    throw em.error(expr.range, `expected list type annotation for list comprehension, found ${hint.str()}`);
  const clause = onlyClause(em, expr);
  const list = em.insert('prim::ListConstruct', [], [hint ?? new ListType(TensorTensor)]).output();
  let typed = hint !== undefined;
  inComprehensionScope(em, () => {
    emitForLoop(em, clause.target, clause.iter, expr.range, () => {
      const out = emitExpr(em, expr.element);
      if (!typed) {
        list.setType(new ListType(out.type));
        typed = true;
      }
      emitBuiltinCall(em, expr.range, 'aten::append', [{ value: out }], [], list);
    });
  });
  return list;
}

/** `{k: v for target in iter}`: Dict[str, Tensor] until the first entry's types are known. */
export function emitDictComp(em: FunctionEmitter, expr: DictComp, hint?: Type): Value {
  if (hint && !(hint instanceof DictType))
    throw em.error(expr.range, `expected Dict type annotation for dict comprehension, found ${hint.str()}`);
  const clause = onlyClause(em, expr);
  const dict = em
    .insert('prim::DictConstruct', [], [hint ?? new DictType(StringType, TensorTensor)])
    .output();
  let typed = hint !== undefined;
  inComprehensionScope(em, () => {
    emitForLoop(em, clause.target, clause.iter, expr.range, () => {
      const k = emitExpr(em, expr.key);
      const v = emitExpr(em, expr.value);
      if (!typed) {
        dict.setType(new DictType(k.type, v.type));
        typed = true;
      }
      emitBuiltinCall(em, expr.range, 'aten::_set_item', [{ value: dict }, { value: k }, { value: v }]);
    });
  });
  return dict;
}
