// Subscripts: tuple indexing (prim::TupleIndex / TupleSlice), list/str/dict indexing (aten::__getitem__),
// tensor indexing desugared into slice/select/unsqueeze/index, and subscripted assignment.

import {
  IntType,
  ListType,
  NoneType,
  OptionalType,
  TensorTensor,
  TupleType,
  type Type,
} from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { ClassType } from '../../module/class-type.js';
import type { Expr, Slice, SourceRange, Subscript } from '../torchscript/ast.js';
import { emitBuiltinCall, type NamedValue } from './calls.js';
import { constantOf } from './conversions.js';
import { emitExpr, emitSugaredExpr } from './expressions.js';
import type { FunctionEmitter } from './function-emitter.js';
import { asValue } from './sugared-ops.js';
import { callMethod } from './sugared-calls.js';
import { simple, type Sugared } from './sugared.js';

/** `value[index]` / `value[a:b]` / `tensor[i, :, None]`. */
export function emitSubscript(em: FunctionEmitter, expr: Subscript, hint?: Type): Sugared {
  const base = asValue(em, emitSugaredExpr(em, expr.value, 1), expr.value.range);
  const indices = expr.indices;
  if (indices.length !== 1) return simple(emitMultidimSlicing(em, expr.range, base, indices));
  const index = indices[0];
  if (index.kind === 'Slice') {
    if (base.type instanceof TupleType) return simple(emitTupleSlice(em, expr.range, base, index));
    const dim = base.type.kind === 'Tensor' ? em.constant(0, IntType) : undefined;
    return simple(emitSlice(em, expr.range, base, dim, index));
  }
  if (base.type.kind === 'Tensor') return simple(emitMultidimSlicing(em, expr.range, base, indices));
  const idx = emitExpr(em, index);
  if (base.type instanceof TupleType) return simple(emitTupleIndex(em, expr.range, base, idx));
  if (base.type instanceof ClassType) {
    // A ModuleList/ModuleDict indexed by a non-constant key, typed by the annotation (an interface), as
    // PyTorch's SimpleValue::getitem emits it.
    if (base.type.isModule && hint) {
      const node = em.insert('prim::ModuleContainerIndex', [base, idx], [hint]);
      return simple(node.output());
    }
    return simple(callMethod(em, base, '__getitem__', expr.range, [{ value: idx }], []));
  }
  return simple(emitBuiltinCall(em, expr.range, 'aten::__getitem__', [{ value: base }, { value: idx }]));
}

function emitTupleIndex(em: FunctionEmitter, range: SourceRange, tuple: Value, idx: Value): Value {
  const type = tuple.type as TupleType;
  if (idx.type.kind !== 'int') throw em.error(range, 'tuple index must be an integer');
  const c = constantOf(idx);
  let out: Type;
  if (c) {
    const i = Number(c.value);
    const adj = i < 0 ? type.elements.length + i : i;
    if (adj < 0 || adj >= type.elements.length) {
      throw em.error(
        range,
        `tuple index out of range. Tuple is length ${type.elements.length} and index is ${i}`,
      );
    }
    out = type.elements[adj];
  } else {
    const first = type.elements[0];
    if (!first || !type.elements.every((e) => e.equals(first))) {
      throw em.error(
        range,
        `cannot index into a ${type.str()} with a non-integer literal because we cannot resolve the output type`,
      );
    }
    out = first;
  }
  return em.insert('prim::TupleIndex', [tuple, idx], [out]).output();
}

function constantInt(em: FunctionEmitter, expr: Expr | null, range: SourceRange): number | undefined {
  if (!expr) return undefined;
  const c = constantOf(emitExpr(em, expr));
  if (!c || (typeof c.value !== 'number' && typeof c.value !== 'bigint'))
    throw em.error(range, 'tuple slice indices must be integer constants');
  return Number(c.value);
}

// Python's slice.indices for a sequence of length n: clamped begin/end and the number of elements.
function sliceIndices(
  n: number,
  begin: number | undefined,
  end: number | undefined,
  step: number,
): { begin: number; count: number } {
  const clamp = (i: number | undefined, lo: number, hi: number, fallback: number): number => {
    if (i === undefined) return fallback;
    const a = i < 0 ? i + n : i;
    return Math.max(lo, Math.min(a, hi));
  };
  const b = step > 0 ? clamp(begin, 0, n, 0) : clamp(begin, -1, n - 1, n - 1);
  const e = step > 0 ? clamp(end, 0, n, n) : clamp(end, -1, n - 1, -1);
  const count = step > 0 ? Math.max(0, Math.ceil((e - b) / step)) : Math.max(0, Math.ceil((b - e) / -step));
  return { begin: b, count };
}

// t[a:b:c] on a tuple: one prim::TupleIndex per element, then a new tuple (Graph::createTupleSlice).
function emitTupleSlice(em: FunctionEmitter, range: SourceRange, tuple: Value, slice: Slice): Value {
  const type = tuple.type as TupleType;
  const step = constantInt(em, slice.step, range) ?? 1;
  if (step === 0) throw em.error(range, 'slice step cannot be zero');
  const { begin, count } = sliceIndices(
    type.elements.length,
    constantInt(em, slice.lower, range),
    constantInt(em, slice.upper, range),
    step,
  );
  const items: Value[] = [];
  for (let k = 0, i = begin; k < count; k++, i += step) {
    items.push(em.insert('prim::TupleIndex', [tuple, em.constant(i, IntType)], [type.elements[i]]).output());
  }
  return em.insert('prim::TupleConstruct', items, [new TupleType(items.map((v) => v.type))]).output();
}

/** aten::slice on a tensor (with `dim`), list or string. */
function emitSlice(
  em: FunctionEmitter,
  range: SourceRange,
  base: Value,
  dim: Value | undefined,
  slice: Slice,
): Value {
  const start = slice.lower ? emitExpr(em, slice.lower) : undefined;
  const end = slice.upper ? emitExpr(em, slice.upper) : undefined;
  const step = slice.step ? emitExpr(em, slice.step) : undefined;
  const args: NamedValue[] = [{ value: base }];
  if (dim) args.push({ value: dim });
  // Bounds left out take the schema's defaults (None), so they are passed by name.
  const kwargs: NamedValue[] = [];
  if (start) kwargs.push({ name: 'start', value: start });
  if (end) kwargs.push({ name: 'end', value: end });
  kwargs.push({ name: 'step', value: step ?? em.constant(1, IntType) });
  return emitBuiltinCall(em, range, 'aten::slice', args, kwargs);
}

// PyTorch's emitIntAndSliceIndexing: ints select, slices slice, None unsqueezes, tensors index later.
function emitIntAndSliceIndexing(
  em: FunctionEmitter,
  range: SourceRange,
  base: Value,
  indices: readonly (Expr | Slice)[],
): { sliced: Value; tensorIndices: Value[] } {
  const dims: number[] = new Array<number>(indices.length).fill(0);
  const exprs: (Value | undefined)[] = new Array<Value | undefined>(indices.length).fill(undefined);
  const handle = (index: Expr | Slice, i: number, dim: number, reverse: boolean): number => {
    dims[i] = dim;
    if (index.kind === 'Slice') return reverse ? dim - 1 : dim + 1;
    let value = emitExpr(em, index, index.kind === 'None' ? NoneType : undefined);
    if (value.type instanceof ListType) {
      value = emitBuiltinCall(
        em,
        range,
        'aten::tensor',
        [{ value }],
        [{ name: 'dtype', value: em.constant(4, IntType) }],
      );
    }
    exprs[i] = value;
    if (value.type.kind === 'None') return reverse ? dim : dim + 1;
    if (value.type.kind === 'int') return reverse ? dim - 1 : dim;
    if (
      value.type.kind === 'Tensor' ||
      (value.type instanceof OptionalType && value.type.elem.kind === 'Tensor')
    ) {
      if (reverse) throw em.error(range, 'ellipses followed by tensor indexing is currently not supported');
      return dim + 1;
    }
    throw em.error(
      range,
      `unsupported operation: indexing tensor with unsupported index type '${value.type.str()}'. Only ints, slices, lists and tensors are supported`,
    );
  };
  let i = 0;
  let dim = 0;
  for (; i < indices.length; i++) {
    if (indices[i].kind === 'Ellipsis') break;
    dim = handle(indices[i], i, dim, false);
  }
  let rdim = -1;
  for (let r = indices.length - 1; r > i; r--) {
    if (indices[r].kind === 'Ellipsis')
      throw em.error(range, "an index can only have a single ellipsis ('...')");
    rdim = handle(indices[r], r, rdim, true);
  }
  let sliced = base;
  const tensorIndices: (Value | undefined)[] = [];
  indices.forEach((index, k) => {
    const value = exprs[k];
    const dimValue = (): Value => em.constant(dims[k], IntType);
    if (!value) {
      if (index.kind === 'Slice') sliced = emitSlice(em, range, sliced, dimValue(), index);
      return;
    }
    if (value.type.kind === 'None')
      sliced = emitBuiltinCall(em, range, 'aten::unsqueeze', [{ value: sliced }, { value: dimValue() }]);
    else if (value.type.kind === 'int')
      sliced = emitBuiltinCall(em, range, 'aten::select', [
        { value: sliced },
        { value: dimValue() },
        { value },
      ]);
    else tensorIndices[dims[k]] = value;
  });
  const filled: Value[] = [];
  for (let d = 0; d < tensorIndices.length; d++)
    filled.push(tensorIndices[d] ?? em.none(new OptionalType(TensorTensor)));
  return { sliced, tensorIndices: filled };
}

function emitMultidimSlicing(
  em: FunctionEmitter,
  range: SourceRange,
  base: Value,
  indices: readonly (Expr | Slice)[],
): Value {
  if (base.type.kind !== 'Tensor')
    throw em.error(
      range,
      'unsupported operation: attempted to use multidimensional indexing on a non-tensor type',
    );
  const { sliced, tensorIndices } = emitIntAndSliceIndexing(em, range, base, indices);
  if (tensorIndices.length === 0) return sliced;
  const list = em
    .insert('prim::ListConstruct', tensorIndices, [new ListType(new OptionalType(TensorTensor))])
    .output();
  return emitBuiltinCall(em, range, 'aten::index', [{ value: sliced }, { value: list }]);
}

/** `target[index] = value`: copy_/index_put_ into a tensor, aten::_set_item on lists and dicts. */
export function emitSubscriptAssign(
  em: FunctionEmitter,
  target: Subscript,
  rhs: Value,
  range: SourceRange,
): void {
  const base = emitExpr(em, target.value);
  if (base.type.kind === 'Tensor') {
    const { sliced, tensorIndices } = emitIntAndSliceIndexing(em, range, base, target.indices);
    let value = rhs;
    if (['Number', 'int', 'bool', 'float'].includes(rhs.type.kind)) {
      const dtype = emitBuiltinCall(em, range, 'prim::dtype', [{ value: sliced }]);
      const device = emitBuiltinCall(em, range, 'prim::device', [{ value: sliced }]);
      value = emitBuiltinCall(
        em,
        range,
        'aten::tensor',
        [{ value: rhs }],
        [
          { name: 'dtype', value: dtype },
          { name: 'device', value: device },
        ],
      );
    }
    if (tensorIndices.length === 0) {
      emitBuiltinCall(em, range, 'aten::copy_', [{ value: sliced }, { value }]);
    } else {
      const list = em
        .insert('prim::ListConstruct', tensorIndices, [new ListType(new OptionalType(TensorTensor))])
        .output();
      emitBuiltinCall(em, range, 'aten::index_put_', [{ value: sliced }, { value: list }, { value }]);
    }
    return;
  }
  const index = target.indices[0];
  if (target.indices.length !== 1 || index.kind === 'Slice') {
    throw em.error(range, 'sliced expression not yet supported for subscripted assignment');
  }
  if (base.type instanceof TupleType)
    throw em.error(range, `${base.type.str()} does not support subscripted assignment`);
  const idx = emitExpr(em, index);
  if (base.type instanceof ClassType) {
    callMethod(em, base, '__setitem__', range, [{ value: idx }, { value: rhs }], []);
    return;
  }
  emitBuiltinCall(em, range, 'aten::_set_item', [{ value: base }, { value: idx }, { value: rhs }]);
}

/** The element access part of `target[index] op= value` for lists and dicts, and the tensor slice for tensors. */
export function subscriptAugTarget(
  em: FunctionEmitter,
  target: Subscript,
  range: SourceRange,
): { base: Value; sliced?: Value; idx?: Value } {
  const base = emitExpr(em, target.value);
  if (base.type.kind === 'Tensor') {
    const { sliced, tensorIndices } = emitIntAndSliceIndexing(em, range, base, target.indices);
    if (tensorIndices.length)
      throw em.unsupported(range, 'augmented assignment with advanced tensor indexing');
    return { base, sliced };
  }
  const index = target.indices[0];
  if (target.indices.length !== 1 || index.kind === 'Slice')
    throw em.error(range, 'sliced expression not yet supported for augmented assignment');
  return { base, idx: emitExpr(em, index) };
}
