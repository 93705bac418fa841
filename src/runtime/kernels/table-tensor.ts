// Kernel table entries for tensor plumbing: factories, dtype conversion and tensor facts (size, dim,
// item, ...), views, copies and in-place fills, shape ops, indexing, reductions and sorting.

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { cloneContiguous, contiguous, copy_, toDType } from '../../tensor/convert.js';
import * as cr from '../../tensor/creation.js';
import { rand, randint, randn } from '../../tensor/random.js';
import { FloatScalar, isScalar, scalarToNumber, type Scalar } from '../../tensor/scalar.js';
import { Tensor } from '../../tensor/tensor.js';
import * as v from '../../tensor/views.js';
import * as ix from './indexing.js';
import * as rd from './reduce.js';
import * as sh from './shape.js';
import { argsort, sort, topk } from './sort.js';
import {
  boolArg,
  dtypeArg,
  intArg,
  intListArg,
  optDtypeArg,
  optFloatArg,
  optIntArg,
  optIntListArg,
  optScalarArg,
  optTensorListArg,
  scalarArg,
  strArg,
  tensorArg,
  tensorListArg,
  type KernelArg,
  type KernelResult,
  type KernelTable,
} from './types.js';

const T = tensorArg;

/** aten::tensor_split.tensor_indices_or_sections: a 0-d int64 tensor gives sections, a 1-d one indices. */
function tensorSplitByTensor(t: Tensor, spec: Tensor, dim: number): Tensor[] {
  if (t.dim === 0)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `tensor_split expected at least a 1-dimensional tensor, but got a tensor with ${t.dim} dims`,
    );
  if (spec.dtype !== 'int64')
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `tensor_split expected tensor_indices_or_sections to have dtype of long, but got ${DTYPES[spec.dtype].irName}`,
    );
  if (spec.dim > 1)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with ${spec.dim} dims`,
    );
  const values = spec.toArray().map(Number);
  return spec.dim === 0 ? v.tensorSplitSections(t, values[0], dim) : v.tensorSplitIndices(t, values, dim);
}

/** The Python value of a one-element tensor: FloatScalar for floats, number (bigint past 2^53) for ints, boolean. */
export function itemOf(t: Tensor): Scalar {
  if (t.numel !== 1) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `a Tensor with ${t.numel} elements cannot be converted to Scalar`,
    );
  }
  const e = t.contiguous().getFlat(0);
  if (typeof e === 'boolean') return e;
  if (typeof e === 'bigint') return e >= -(2n ** 53n) && e <= 2n ** 53n ? Number(e) : e;
  return DTYPES[t.dtype].isFloatingPoint || DTYPES[t.dtype].isComplex ? new FloatScalar(e) : e;
}

function nested(value: KernelArg): cr.NestedArray {
  if (Array.isArray(value)) return value.map(nested);
  if (isScalar(value)) return value;
  if (value instanceof Tensor && value.numel === 1) return itemOf(value);
  throw new RuntimeError('KERNEL_ARG', 'tensor(): expected nested lists of numbers');
}

function creationKernels(t: KernelTable): void {
  const dt = (a: readonly KernelArg[], i: number, fallback: DType): DType => optDtypeArg(a, i) ?? fallback;
  t['aten::zeros'] = (a) => cr.zeros(intListArg(a, 0), { dtype: dt(a, 1, 'float32') });
  t['aten::ones'] = (a) => cr.ones(intListArg(a, 0), { dtype: dt(a, 1, 'float32') });
  t['aten::empty.memory_format'] = (a) => cr.zeros(intListArg(a, 0), { dtype: dt(a, 1, 'float32') });
  t['aten::full'] = (a) =>
    cr.full(intListArg(a, 0), scalarArg(a, 1), { dtype: optDtypeArg(a, 2) ?? undefined });
  t['aten::zeros_like'] = (a) => cr.zerosLike(T(a, 0), { dtype: optDtypeArg(a, 1) ?? undefined });
  t['aten::ones_like'] = (a) => cr.onesLike(T(a, 0), { dtype: optDtypeArg(a, 1) ?? undefined });
  t['aten::empty_like'] = (a) => cr.zerosLike(T(a, 0), { dtype: optDtypeArg(a, 1) ?? undefined });
  t['aten::full_like'] = (a) =>
    cr.fullLike(T(a, 0), scalarArg(a, 1), { dtype: optDtypeArg(a, 2) ?? undefined });
  t['aten::rand_like'] = (a) => rand(T(a, 0).shape, { dtype: dt(a, 1, T(a, 0).dtype) });
  t['aten::randn_like'] = (a) => randn(T(a, 0).shape, { dtype: dt(a, 1, T(a, 0).dtype) });
  t['aten::new_zeros'] = (a) => cr.zeros(intListArg(a, 1), { dtype: dt(a, 2, T(a, 0).dtype) });
  t['aten::new_ones'] = (a) => cr.ones(intListArg(a, 1), { dtype: dt(a, 2, T(a, 0).dtype) });
  t['aten::new_empty'] = (a) => cr.zeros(intListArg(a, 1), { dtype: dt(a, 2, T(a, 0).dtype) });
  t['aten::new_full'] = (a) => cr.full(intListArg(a, 1), scalarArg(a, 2), { dtype: dt(a, 3, T(a, 0).dtype) });
  t['aten::arange'] = (a) => cr.arange(scalarArg(a, 0), null, 1, { dtype: optDtypeArg(a, 1) ?? undefined });
  t['aten::arange.start'] = (a) =>
    cr.arange(scalarArg(a, 0), scalarArg(a, 1), 1, { dtype: optDtypeArg(a, 2) ?? undefined });
  t['aten::arange.start_step'] = (a) =>
    cr.arange(scalarArg(a, 0), scalarArg(a, 1), scalarArg(a, 2), { dtype: optDtypeArg(a, 3) ?? undefined });
  t['aten::linspace'] = (a) =>
    cr.linspace(scalarToNumber(scalarArg(a, 0)), scalarToNumber(scalarArg(a, 1)), intArg(a, 2), {
      dtype: dt(a, 3, 'float32'),
    });
  t['aten::eye'] = (a) => cr.eye(intArg(a, 0), intArg(a, 0), { dtype: dt(a, 1, 'float32') });
  t['aten::eye.m'] = (a) => cr.eye(intArg(a, 0), intArg(a, 1), { dtype: dt(a, 2, 'float32') });
  t['aten::rand'] = (a) => rand(intListArg(a, 0), { dtype: dt(a, 1, 'float32') });
  t['aten::randn'] = (a) => randn(intListArg(a, 0), { dtype: dt(a, 1, 'float32') });
  t['aten::randint'] = (a) => randint(0, intArg(a, 0), intListArg(a, 1), { dtype: dt(a, 2, 'int64') });
  t['aten::randint.low'] = (a) =>
    randint(intArg(a, 0), intArg(a, 1), intListArg(a, 2), { dtype: dt(a, 3, 'int64') });
  t['aten::scalar_tensor'] = (a) => cr.scalarTensor(scalarArg(a, 0), { dtype: dt(a, 1, 'float32') });
  const scalarTensor =
    (kind: DType) =>
    (a: readonly KernelArg[]): Tensor =>
      cr.scalarTensor(scalarArg(a, 0), { dtype: optDtypeArg(a, 1) ?? kind });
  t['aten::tensor.float'] = scalarTensor('float32');
  t['aten::tensor.int'] = scalarTensor('int64');
  t['aten::tensor.bool'] = scalarTensor('bool');
  t['aten::tensor'] = (a) => cr.tensor(nested(a[0]), { dtype: optDtypeArg(a, 1) ?? undefined });
  t['aten::as_tensor'] = (a) => toDType(T(a, 0), optDtypeArg(a, 1) ?? T(a, 0).dtype);
  t['aten::as_tensor.list'] = (a) => cr.tensor(nested(a[0]), { dtype: optDtypeArg(a, 1) ?? undefined });
}

function conversionKernels(t: KernelTable): void {
  const to = (self: Tensor, dtype: DType | null, copy: boolean): Tensor =>
    toDType(self, dtype ?? self.dtype, copy);
  t['aten::to.dtype'] = (a) => to(T(a, 0), dtypeArg(a, 1), boolArg(a, 3));
  t['aten::to.device'] = (a) => to(T(a, 0), dtypeArg(a, 2), boolArg(a, 4));
  t['aten::to.other'] = (a) => to(T(a, 0), T(a, 1).dtype, boolArg(a, 3));
  t['aten::to.dtype_layout'] = (a) => to(T(a, 0), optDtypeArg(a, 1), boolArg(a, 6));
  t['aten::to.prim_Device'] = (a) => to(T(a, 0), optDtypeArg(a, 2), boolArg(a, 4));
  t['aten::to.prim_dtype'] = (a) => to(T(a, 0), optDtypeArg(a, 1), boolArg(a, 3));
  t['aten::to.prim_other'] = (a) => to(T(a, 0), null, boolArg(a, 2));
  t['aten::type_as'] = (a) => toDType(T(a, 0), T(a, 1).dtype);
  t['aten::contiguous'] = (a) => contiguous(T(a, 0));
  t['aten::clone'] = (a) => cloneContiguous(T(a, 0));
  t['aten::detach'] = (a) => T(a, 0).detach();
  t['aten::alias'] = (a) => T(a, 0).detach();
  t['aten::copy_'] = (a) => copy_(T(a, 0), T(a, 1));
  t['aten::fill_.Scalar'] = (a) => copy_(T(a, 0), cr.scalarTensor(scalarArg(a, 1), { dtype: T(a, 0).dtype }));
  t['aten::fill_.Tensor'] = (a) => {
    if (T(a, 1).dim !== 0)
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `fill_ only supports 0-dimension value tensor but got tensor with ${T(a, 1).dim} dimensions.`,
      );
    return copy_(T(a, 0), T(a, 1));
  };
  t['aten::zero_'] = (a) => copy_(T(a, 0), cr.scalarTensor(0, { dtype: T(a, 0).dtype }));
  t['aten::size'] = (a) => [...T(a, 0).shape];
  t['aten::size.int'] = (a) => {
    const x = T(a, 0);
    if (x.dim === 0)
      throw new RuntimeError(
        'DIM_OUT_OF_RANGE',
        `dimension specified as ${intArg(a, 1)} but tensor has no dimensions`,
      );
    return x.shape[wrap(intArg(a, 1), x.dim)];
  };
  t['aten::dim'] = (a) => T(a, 0).dim;
  t['aten::numel'] = (a) => T(a, 0).numel;
  t['aten::len.Tensor'] = (a) => {
    const x = T(a, 0);
    if (x.dim === 0) throw new RuntimeError('INVALID_ARGUMENT', 'len() of a 0-d tensor');
    return x.shape[0];
  };
  t['aten::is_floating_point'] = (a) => DTYPES[T(a, 0).dtype].isFloatingPoint;
  t['aten::is_complex'] = (a) => DTYPES[T(a, 0).dtype].isComplex;
  t['aten::is_contiguous'] = (a) => T(a, 0).isContiguous;
  t['aten::element_size'] = (a) => DTYPES[T(a, 0).dtype].itemSize;
  t['aten::item'] = (a) => itemOf(T(a, 0));
  t['aten::Int.Tensor'] = (a) => {
    const s = itemOf(T(a, 0));
    return typeof s === 'bigint' ? s : Math.trunc(scalarToNumber(s));
  };
  t['aten::Float.Tensor'] = (a) => scalarToNumber(itemOf(T(a, 0)));
  t['aten::Bool.Tensor'] = (a) => scalarToNumber(itemOf(T(a, 0))) !== 0;
}

function wrap(dim: number, ndim: number): number {
  if (dim < -ndim || dim >= ndim) dimError(dim, ndim);
  return dim < 0 ? dim + ndim : dim;
}

function dimError(dim: number, ndim: number): never {
  throw new RuntimeError(
    'DIM_OUT_OF_RANGE',
    `Dimension out of range (expected to be in range of [${-ndim}, ${ndim - 1}], but got ${dim})`,
  );
}

function viewKernels(t: KernelTable): void {
  t['aten::view'] = (a) => v.view(T(a, 0), intListArg(a, 1));
  t['aten::view_as'] = (a) => v.view(T(a, 0), T(a, 1).shape);
  t['aten::reshape'] = (a) => v.reshape(T(a, 0), intListArg(a, 1));
  t['aten::reshape_as'] = (a) => v.reshape(T(a, 0), T(a, 1).shape);
  t['aten::_reshape_alias'] = (a) => v.asStrided(T(a, 0), intListArg(a, 1), intListArg(a, 2));
  t['aten::expand'] = (a) => v.expand(T(a, 0), intListArg(a, 1));
  t['aten::expand_as'] = (a) => v.expand(T(a, 0), T(a, 1).shape);
  t['aten::permute'] = (a) => v.permute(T(a, 0), intListArg(a, 1));
  t['aten::transpose.int'] = (a) => v.transpose(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::t'] = (a) => v.t2d(T(a, 0));
  t['aten::numpy_T'] = (a) => v.permute(T(a, 0), [...Array(T(a, 0).dim).keys()].reverse());
  t['aten::select.int'] = (a) => v.select(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::slice.Tensor'] = (a) =>
    v.slice(T(a, 0), intArg(a, 1), optIntArg(a, 2), optIntArg(a, 3), intArg(a, 4));
  t['aten::narrow'] = (a) => v.narrow(T(a, 0), intArg(a, 1), intArg(a, 2), intArg(a, 3));
  t['aten::narrow.Tensor'] = (a) =>
    v.narrow(T(a, 0), intArg(a, 1), scalarToNumber(itemOf(T(a, 2))), intArg(a, 3));
  t['aten::squeeze'] = (a) => v.squeeze(T(a, 0));
  t['aten::squeeze.dim'] = (a) => v.squeeze(T(a, 0), intArg(a, 1));
  t['aten::unsqueeze'] = (a) => v.unsqueeze(T(a, 0), intArg(a, 1));
  t['aten::flatten.using_ints'] = (a) => v.flatten(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::unflatten.int'] = (a) => v.unflatten(T(a, 0), intArg(a, 1), intListArg(a, 2));
  t['aten::split.Tensor'] = (a) => v.split(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::split.sizes'] = (a) => v.splitWithSizes(T(a, 0), intListArg(a, 1), intArg(a, 2));
  t['aten::split'] = (a) => v.splitWithSizes(T(a, 0), intListArg(a, 1), intArg(a, 2));
  t['aten::split_with_sizes'] = (a) => v.splitWithSizes(T(a, 0), intListArg(a, 1), intArg(a, 2));
  t['aten::chunk'] = (a) => v.chunk(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::unbind.int'] = (a) => v.unbind(T(a, 0), intArg(a, 1));
  t['aten::tensor_split.sections'] = (a) => v.tensorSplitSections(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::tensor_split.indices'] = (a) => v.tensorSplitIndices(T(a, 0), intListArg(a, 1), intArg(a, 2));
  t['aten::tensor_split.tensor_indices_or_sections'] = (a) =>
    tensorSplitByTensor(T(a, 0), T(a, 1), intArg(a, 2));
  t['aten::as_strided'] = (a) => v.asStrided(T(a, 0), intListArg(a, 1), intListArg(a, 2), optIntArg(a, 3));
  t['aten::diagonal'] = (a) => v.diagonal(T(a, 0), intArg(a, 1), intArg(a, 2), intArg(a, 3));
  t['aten::movedim.int'] = (a) => v.movedim(T(a, 0), intArg(a, 1), intArg(a, 2));
  t['aten::view.dtype'] = (a) => {
    const x = T(a, 0);
    const d = dtypeArg(a, 1);
    if (DTYPES[d].itemSize !== DTYPES[x.dtype].itemSize)
      throw new RuntimeError('UNSUPPORTED', 'view(dtype) between dtypes of different sizes is not supported');
    if (d === x.dtype) return x.detach();
    throw new RuntimeError(
      'UNSUPPORTED',
      `view(dtype=${d}) reinterpretation of ${x.dtype} storage is not supported`,
    );
  };
}

function shapeKernels(t: KernelTable): void {
  t['aten::cat'] = (a) => sh.cat(tensorListArg(a, 0), intArg(a, 1));
  t['aten::stack'] = (a) => sh.stack(tensorListArg(a, 0), intArg(a, 1));
  t['aten::meshgrid'] = (a) => sh.meshgrid(tensorListArg(a, 0));
  t['aten::meshgrid.indexing'] = (a) => sh.meshgrid(tensorListArg(a, 0), strArg(a, 1));
  t['aten::repeat'] = (a) => sh.repeat(T(a, 0), intListArg(a, 1));
  t['aten::tile'] = (a) => sh.tile(T(a, 0), intListArg(a, 1));
  t['aten::flip'] = (a) => sh.flip(T(a, 0), intListArg(a, 1));
  t['aten::roll'] = (a) => sh.roll(T(a, 0), intListArg(a, 1), intListArg(a, 2));
  t['aten::triu'] = (a) => sh.triangle(T(a, 0), true, intArg(a, 1));
  t['aten::tril'] = (a) => sh.triangle(T(a, 0), false, intArg(a, 1));
  t['aten::pad'] = (a) => sh.pad(T(a, 0), intListArg(a, 1), strArg(a, 2), optFloatArg(a, 3));
  t['aten::constant_pad_nd'] = (a) =>
    sh.pad(T(a, 0), intListArg(a, 1), 'constant', scalarToNumber(scalarArg(a, 2)));
  t['aten::index_select'] = (a) => ix.indexSelect(T(a, 0), intArg(a, 1), T(a, 2));
  t['aten::gather'] = (a) => ix.gather(T(a, 0), intArg(a, 1), T(a, 2));
  t['aten::scatter.src'] = (a) => ix.scatter(T(a, 0), intArg(a, 1), T(a, 2), T(a, 3), 'none');
  t['aten::scatter.value'] = (a) => ix.scatter(T(a, 0), intArg(a, 1), T(a, 2), scalarArg(a, 3), 'none');
  t['aten::scatter_add'] = (a) => ix.scatter(T(a, 0), intArg(a, 1), T(a, 2), T(a, 3), 'add');
  t['aten::scatter_.src'] = (a) => ix.scatter(T(a, 0), intArg(a, 1), T(a, 2), T(a, 3), 'none', true);
  t['aten::scatter_.value'] = (a) =>
    ix.scatter(T(a, 0), intArg(a, 1), T(a, 2), scalarArg(a, 3), 'none', true);
  t['aten::scatter_add_'] = (a) => ix.scatter(T(a, 0), intArg(a, 1), T(a, 2), T(a, 3), 'add', true);
  t['aten::index.Tensor'] = (a) => ix.index(T(a, 0), optTensorListArg(a, 1));
  t['aten::index.Tensor_hacked_twin'] = (a) => ix.index(T(a, 0), tensorListArg(a, 1));
  t['aten::index_put_'] = (a) => ix.indexPut(T(a, 0), optTensorListArg(a, 1), T(a, 2), boolArg(a, 3));
  t['aten::index_put_.hacked_twin'] = (a) =>
    ix.indexPut(T(a, 0), tensorListArg(a, 1), T(a, 2), boolArg(a, 3));
  t['aten::index_put'] = (a) =>
    ix.indexPut(cloneContiguous(T(a, 0)), optTensorListArg(a, 1), T(a, 2), boolArg(a, 3));
  t['aten::index_put.hacked_twin'] = (a) =>
    ix.indexPut(cloneContiguous(T(a, 0)), tensorListArg(a, 1), T(a, 2), boolArg(a, 3));
  t['aten::masked_fill.Scalar'] = (a) => ix.maskedFill(T(a, 0), T(a, 1), scalarArg(a, 2));
  t['aten::masked_fill.Tensor'] = (a) => ix.maskedFill(T(a, 0), T(a, 1), T(a, 2));
  t['aten::masked_fill_.Scalar'] = (a) => ix.maskedFillInPlace(T(a, 0), T(a, 1), scalarArg(a, 2));
  t['aten::masked_fill_.Tensor'] = (a) => ix.maskedFillInPlace(T(a, 0), T(a, 1), T(a, 2));
  t['aten::masked_select'] = (a) => ix.maskedSelect(T(a, 0), T(a, 1));
  t['aten::where.self'] = (a) => ix.where(T(a, 0), T(a, 1), T(a, 2));
  t['aten::where.ScalarOther'] = (a) => ix.where(T(a, 0), T(a, 1), scalarArg(a, 2));
  t['aten::where.ScalarSelf'] = (a) => ix.where(T(a, 0), scalarArg(a, 1), T(a, 2));
  t['aten::where.Scalar'] = (a) => ix.where(T(a, 0), scalarArg(a, 1), scalarArg(a, 2));
  t['aten::where'] = (a) => ix.nonzero(T(a, 0)).unbind(1);
  t['aten::nonzero'] = (a) => ix.nonzero(T(a, 0));
  t['aten::sort'] = (a) => sort(T(a, 0), intArg(a, 1), boolArg(a, 2));
  t['aten::sort.stable'] = (a) => sort(T(a, 0), intArg(a, 2), boolArg(a, 3));
  t['aten::argsort'] = (a) => argsort(T(a, 0), intArg(a, 1), boolArg(a, 2));
  t['aten::topk'] = (a) => topk(T(a, 0), intArg(a, 1), intArg(a, 2), boolArg(a, 3));
}

function reduceKernels(t: KernelTable): void {
  const dims = (a: readonly KernelArg[], i: number): number[] | null => optIntListArg(a, i);
  t['aten::sum'] = (a) => rd.sum(T(a, 0), null, false, optDtypeArg(a, 1));
  t['aten::sum.dim_IntList'] = (a) => rd.sum(T(a, 0), dims(a, 1), boolArg(a, 2), optDtypeArg(a, 3));
  t['aten::mean'] = (a) => rd.mean(T(a, 0), null, false, optDtypeArg(a, 1));
  t['aten::mean.dim'] = (a) => rd.mean(T(a, 0), dims(a, 1), boolArg(a, 2), optDtypeArg(a, 3));
  t['aten::prod'] = (a) => rd.prod(T(a, 0), null, false, optDtypeArg(a, 1));
  t['aten::prod.dim_int'] = (a) => rd.prod(T(a, 0), [intArg(a, 1)], boolArg(a, 2), optDtypeArg(a, 3));
  for (const op of ['max', 'min'] as const) {
    t[`aten::${op}`] = (a) => rd.extreme(T(a, 0), op);
    t[`aten::${op}.dim`] = (a) => rd.extremeDim(T(a, 0), op, intArg(a, 1), boolArg(a, 2));
    t[`aten::a${op}`] = (a) => rd.extreme(T(a, 0), op, intListArg(a, 1), boolArg(a, 2));
    t[`aten::arg${op}`] = (a) => rd.argExtreme(T(a, 0), op, optIntArg(a, 1), boolArg(a, 2));
  }
  for (const [name, sqrt] of [
    ['var', false],
    ['std', true],
  ] as const) {
    const one = (a: readonly KernelArg[], d: number[] | null, corr: number, keep: boolean): Tensor =>
      rd.varMean(T(a, 0), d, corr, keep, sqrt)[0];
    t[`aten::${name}`] = (a) => one(a, null, boolArg(a, 1) ? 1 : 0, false);
    t[`aten::${name}.dim`] = (a) => one(a, dims(a, 1), boolArg(a, 2) ? 1 : 0, boolArg(a, 3));
    t[`aten::${name}.correction`] = (a) => one(a, dims(a, 1), optIntArg(a, 2) ?? 1, boolArg(a, 3));
    const both = (a: readonly KernelArg[], d: number[] | null, corr: number, keep: boolean): KernelResult =>
      rd.varMean(T(a, 0), d, corr, keep, sqrt);
    t[`aten::${name}_mean`] = (a) => both(a, null, boolArg(a, 1) ? 1 : 0, false);
    t[`aten::${name}_mean.dim`] = (a) => both(a, dims(a, 1), boolArg(a, 2) ? 1 : 0, boolArg(a, 3));
    t[`aten::${name}_mean.correction`] = (a) => both(a, dims(a, 1), optIntArg(a, 2) ?? 1, boolArg(a, 3));
  }
  for (const op of ['all', 'any'] as const) {
    t[`aten::${op}`] = (a) => rd.allAny(T(a, 0), op);
    t[`aten::${op}.dim`] = (a) => rd.allAny(T(a, 0), op, [intArg(a, 1)], boolArg(a, 2));
  }
  const p = (a: readonly KernelArg[], i: number): number => {
    const s = optScalarArg(a, i);
    return s === null ? 2 : scalarToNumber(s);
  };
  t['aten::norm.Scalar'] = (a) => rd.norm(T(a, 0), p(a, 1));
  t['aten::norm.ScalarOpt_dim'] = (a) => rd.norm(T(a, 0), p(a, 1), intListArg(a, 2), boolArg(a, 3));
  t['aten::norm.ScalarOpt_dim_dtype'] = (a) =>
    rd.norm(T(a, 0), p(a, 1), intListArg(a, 2), boolArg(a, 3), dtypeArg(a, 4));
  t['aten::norm.ScalarOpt_dtype'] = (a) => rd.norm(T(a, 0), p(a, 1), null, false, dtypeArg(a, 2));
  t['aten::linalg_vector_norm'] = (a) =>
    rd.norm(T(a, 0), p(a, 1), dims(a, 2), boolArg(a, 3), optDtypeArg(a, 4));
  t['aten::frobenius_norm'] = (a) => rd.norm(T(a, 0), 2);
  t['aten::frobenius_norm.dim'] = (a) => rd.norm(T(a, 0), 2, intListArg(a, 1), boolArg(a, 2));
  t['aten::logsumexp'] = (a) => rd.logsumexp(T(a, 0), intListArg(a, 1), boolArg(a, 2));
  t['aten::cumsum'] = (a) => rd.cumulative(T(a, 0), intArg(a, 1), 'sum', optDtypeArg(a, 2));
  t['aten::cumprod'] = (a) => rd.cumulative(T(a, 0), intArg(a, 1), 'prod', optDtypeArg(a, 2));
}

/** Tensor plumbing kernels by schema name. */
export function tensorKernels(): KernelTable {
  const t: KernelTable = {};
  creationKernels(t);
  conversionKernels(t);
  viewKernels(t);
  shapeKernels(t);
  reduceKernels(t);
  return t;
}
