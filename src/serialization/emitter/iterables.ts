// Iteration protocol of the loop emitter (PyTorch's SugaredValue::iter/len/getitem): ranges, lists, strings,
// tensors, dict keys, zip/enumerate trees, and tuples (whose loops are unrolled).

import { IntType, ListType, TupleType } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { SourceRange } from '../torchscript/ast.js';
import { emitBuiltinCall, tupleUnpack } from './calls.js';
import type { FunctionEmitter } from './function-emitter.js';
import { simple, type Sugared } from './sugared.js';

/** The largest int64: the trip count of while loops and of enumerate's counter. */
export const INT64_MAX = 9223372036854775807n;

/** What `for x in sv` iterates (SimpleValue::iter): dicts iterate their keys, tuples their elements. */
export function iterOf(em: FunctionEmitter, sv: Sugared, range: SourceRange): Sugared {
  switch (sv.kind) {
    case 'range':
    case 'tree':
    case 'tuple':
      return sv;
    case 'value': {
      const t = sv.value.type;
      if (t.kind === 'List' || t.kind === 'str' || t.kind === 'Tensor') return sv;
      if (t.kind === 'Dict') return simple(emitBuiltinCall(em, range, 'aten::keys', [{ value: sv.value }]));
      if (t instanceof TupleType) return { kind: 'tuple', items: tupleUnpack(em, sv.value).map(simple) };
      throw em.error(range, `'${t.str()}' object is not iterable`);
    }
    default:
      throw em.error(range, `'${sv.kind}' is not iterable`);
  }
}

/** The number of items when known at compile time (tuples; trees holding one). */
export function staticLength(sv: Sugared): number | undefined {
  if (sv.kind === 'tuple') return sv.items.length;
  if (sv.kind === 'tree') {
    const lens = sv.children.map(staticLength).filter((n): n is number => n !== undefined);
    return lens.length ? Math.min(...lens) : undefined;
  }
  if (sv.kind === 'range') return sv.staticLen;
  return undefined;
}

/** True when a loop over `sv` must be unrolled (heterogeneous tuples). */
export function shouldUnroll(sv: Sugared): boolean {
  if (sv.kind === 'tuple') return true;
  if (sv.kind === 'tree') return sv.children.some(shouldUnroll);
  return false;
}

/** The trip count of a loop over `sv`. */
export function lengthOf(em: FunctionEmitter, sv: Sugared, range: SourceRange): Value {
  switch (sv.kind) {
    case 'range':
      if (sv.staticLen !== undefined) return em.constant(sv.staticLen, IntType);
      if (sv.onlyEnd) return sv.end;
      return emitBuiltinCall(em, range, 'aten::__range_length', [
        { value: sv.start },
        { value: sv.end },
        { value: sv.step },
      ]);
    case 'tuple':
      return em.constant(sv.items.length, IntType);
    case 'tree': {
      const lens = baseIterables(sv).map((c) => lengthOf(em, c, range));
      const list = em.insert('prim::ListConstruct', lens, [new ListType(IntType)]).output();
      return emitBuiltinCall(em, range, 'prim::min', [{ value: list }]);
    }
    case 'value':
      return emitBuiltinCall(em, range, 'aten::len', [{ value: sv.value }]);
    default:
      throw em.error(range, `cannot take the length of ${sv.kind}`);
  }
}

function baseIterables(sv: Sugared): Sugared[] {
  return sv.kind === 'tree' ? sv.children.flatMap(baseIterables) : [sv];
}

/** Item `index` of an iterable (the loop target's value in iteration `index`). */
export function itemAt(em: FunctionEmitter, sv: Sugared, index: Value, range: SourceRange): Sugared {
  switch (sv.kind) {
    case 'range':
      if (sv.onlyEnd) return simple(index);
      return simple(
        emitBuiltinCall(em, range, 'aten::__derive_index', [
          { value: index },
          { value: sv.start },
          { value: sv.step },
        ]),
      );
    case 'tree':
      return { kind: 'tuple', items: sv.children.map((c) => itemAt(em, c, index, range)) };
    case 'tuple': {
      const node = index.node;
      const i = node.kind === 'prim::Constant' ? Number(node.i('value')) : NaN;
      const item = sv.items[i];
      if (!item) throw em.error(range, 'tuples can only be indexed by a constant in an unrolled loop');
      return item;
    }
    case 'value': {
      const v = sv.value;
      const t = v.type;
      if (t.kind === 'List' || t.kind === 'str' || t.kind === 'Dict') {
        return simple(emitBuiltinCall(em, range, 'aten::__getitem__', [{ value: v }, { value: index }]));
      }
      if (t.kind === 'Tensor') {
        return simple(
          emitBuiltinCall(em, range, 'aten::select', [
            { value: v },
            { value: em.constant(0, IntType) },
            { value: index },
          ]),
        );
      }
      throw em.error(range, `'${t.str()}' object is not subscriptable`);
    }
    default:
      throw em.error(range, `cannot index ${sv.kind}`);
  }
}
