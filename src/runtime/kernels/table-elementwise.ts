// Kernel table entries for element-wise ops: arithmetic, comparison, logical/bitwise, unary math,
// clamp, activations and softmax, each in its Tensor, Scalar and in-place (`op_`) overloads.

import { RuntimeError } from '../../errors.js';
import type { Scalar } from '../../tensor/scalar.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as act from './activation.js';
import * as ar from './arith.js';
import type { Operand } from './ew-core.js';
import {
  optDtypeArg,
  optFloatArg,
  optScalarArg,
  optStrArg,
  optTensorArg,
  scalarArg,
  strArg,
  tensorArg,
  intArg,
  type KernelArg,
  type KernelTable,
} from './types.js';
import * as un from './unary.js';

type BinaryFn = (a: Operand, b: Operand, out?: Tensor) => Tensor;

/** Registers `aten::name.Tensor`, `.Scalar` and the in-place `aten::name_.Tensor` / `_.Scalar`. */
function binaryFamily(
  t: KernelTable,
  name: string,
  fn: BinaryFn,
  overloads: { tensor?: string; scalar?: string; inplace?: boolean } = {},
): void {
  const tensorName = overloads.tensor ?? 'Tensor';
  const scalarName = overloads.scalar ?? 'Scalar';
  const key = (base: string, ov: string): string => (ov === '' ? `aten::${base}` : `aten::${base}.${ov}`);
  t[key(name, tensorName)] = (a) => fn(tensorArg(a, 0), tensorArg(a, 1));
  t[key(name, scalarName)] = (a) => fn(tensorArg(a, 0), scalarArg(a, 1));
  if (overloads.inplace !== false) {
    t[key(`${name}_`, 'Tensor')] = (a) => fn(tensorArg(a, 0), tensorArg(a, 1), tensorArg(a, 0));
    t[key(`${name}_`, 'Scalar')] = (a) => fn(tensorArg(a, 0), scalarArg(a, 1), tensorArg(a, 0));
  }
}

function unaryFamily(
  t: KernelTable,
  name: string,
  fn: (x: Tensor, out?: Tensor) => Tensor,
  inplace = true,
): void {
  t[`aten::${name}`] = (a) => fn(tensorArg(a, 0));
  if (inplace) t[`aten::${name}_`] = (a) => fn(tensorArg(a, 0), tensorArg(a, 0));
}

function clampTensor(x: Tensor, min: Operand | null, max: Operand | null, out?: Tensor): Tensor {
  if (min === null && max === null)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      "torch.clamp: At least one of 'min' or 'max' must not be None",
    );
  let r: Tensor = x;
  // clamp is min(max(x, lo), hi): NaN in x stays NaN, and hi wins when lo > hi.
  if (min !== null) r = ar.maximum(r, min);
  if (max !== null) r = ar.minimum(r, max);
  if (out !== undefined) return out.copy_(r);
  return r;
}

/** Element-wise kernels by schema name. */
export function elementwiseKernels(): KernelTable {
  const t: KernelTable = {};
  const add =
    (alphaIndex: number) =>
    (a: readonly KernelArg[], self: Operand, o: Operand, out?: Tensor): Tensor =>
      ar.add(self, o, scalarArg(a, alphaIndex), out);
  t['aten::add.Tensor'] = (a) => add(2)(a, tensorArg(a, 0), tensorArg(a, 1));
  t['aten::add.Scalar'] = (a) => add(2)(a, tensorArg(a, 0), scalarArg(a, 1));
  t['aten::add_.Tensor'] = (a) => add(2)(a, tensorArg(a, 0), tensorArg(a, 1), tensorArg(a, 0));
  t['aten::add_.Scalar'] = (a) => add(2)(a, tensorArg(a, 0), scalarArg(a, 1), tensorArg(a, 0));
  t['aten::sub.Tensor'] = (a) => ar.sub(tensorArg(a, 0), tensorArg(a, 1), scalarArg(a, 2));
  t['aten::sub.Scalar'] = (a) => ar.sub(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2));
  t['aten::sub_.Tensor'] = (a) => ar.sub(tensorArg(a, 0), tensorArg(a, 1), scalarArg(a, 2), tensorArg(a, 0));
  t['aten::sub_.Scalar'] = (a) => ar.sub(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2), tensorArg(a, 0));
  t['aten::rsub.Tensor'] = (a) => ar.rsub(tensorArg(a, 0), tensorArg(a, 1), scalarArg(a, 2));
  t['aten::rsub.Scalar'] = (a) => ar.rsub(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2));
  binaryFamily(t, 'mul', ar.mul);
  binaryFamily(t, 'div', (x, y, out) => ar.div(x, y, null, out));
  t['aten::div.Tensor_mode'] = (a) => ar.div(tensorArg(a, 0), tensorArg(a, 1), optStrArg(a, 2));
  t['aten::div.Scalar_mode'] = (a) => ar.div(tensorArg(a, 0), scalarArg(a, 1), optStrArg(a, 2));
  t['aten::div_.Tensor_mode'] = (a) =>
    ar.div(tensorArg(a, 0), tensorArg(a, 1), optStrArg(a, 2), tensorArg(a, 0));
  t['aten::div_.Scalar_mode'] = (a) =>
    ar.div(tensorArg(a, 0), scalarArg(a, 1), optStrArg(a, 2), tensorArg(a, 0));
  binaryFamily(t, 'true_divide', (x, y) => ar.div(x, y, null), { inplace: false });
  binaryFamily(t, 'floor_divide', ar.floorDivide, { tensor: '' });
  binaryFamily(t, 'remainder', ar.remainder);
  t['aten::remainder.Scalar_Tensor'] = (a) => ar.remainder(scalarArg(a, 0), tensorArg(a, 1));
  binaryFamily(t, 'fmod', ar.fmod);
  t['aten::pow.Tensor_Tensor'] = (a) => ar.pow(tensorArg(a, 0), tensorArg(a, 1));
  t['aten::pow.Tensor_Scalar'] = (a) => ar.pow(tensorArg(a, 0), scalarArg(a, 1));
  t['aten::pow.Scalar'] = (a) => ar.pow(scalarArg(a, 0), tensorArg(a, 1));
  t['aten::pow_.Tensor'] = (a) => ar.pow(tensorArg(a, 0), tensorArg(a, 1), tensorArg(a, 0));
  t['aten::pow_.Scalar'] = (a) => ar.pow(tensorArg(a, 0), scalarArg(a, 1), tensorArg(a, 0));
  t['aten::atan2'] = (a) => ar.atan2(tensorArg(a, 0), tensorArg(a, 1));
  t['aten::maximum'] = (a) => ar.maximum(tensorArg(a, 0), tensorArg(a, 1));
  t['aten::minimum'] = (a) => ar.minimum(tensorArg(a, 0), tensorArg(a, 1));
  t['aten::max.other'] = (a) => ar.maximum(tensorArg(a, 0), tensorArg(a, 1));
  t['aten::min.other'] = (a) => ar.minimum(tensorArg(a, 0), tensorArg(a, 1));
  for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
    binaryFamily(t, op, (x, y, out) => ar.compare(op, x, y, out));
  }
  for (const op of ['and', 'or', 'xor'] as const) {
    t[`aten::logical_${op}`] = (a) => ar.logical(op, tensorArg(a, 0), tensorArg(a, 1));
    t[`aten::logical_${op}_`] = (a) => ar.logical(op, tensorArg(a, 0), tensorArg(a, 1), tensorArg(a, 0));
    binaryFamily(t, `bitwise_${op}`, (x, y, out) => ar.bitwise(op, x, y, out));
    t[`aten::bitwise_${op}.Scalar_Tensor`] = (a) => ar.bitwise(op, scalarArg(a, 0), tensorArg(a, 1));
    binaryFamily(t, `__${op}__`, (x, y) => ar.bitwise(op, x, y), { inplace: false });
    t[`aten::__i${op}__.Tensor`] = (a) => ar.bitwise(op, tensorArg(a, 0), tensorArg(a, 1), tensorArg(a, 0));
    t[`aten::__i${op}__.Scalar`] = (a) => ar.bitwise(op, tensorArg(a, 0), scalarArg(a, 1), tensorArg(a, 0));
  }
  binaryFamily(t, '__lshift__', (x, y) => ar.bitwise('left_shift', x, y), { inplace: false });
  binaryFamily(t, '__rshift__', (x, y) => ar.bitwise('right_shift', x, y), { inplace: false });
  unaryFamily(t, 'logical_not', un.logicalNot);
  unaryFamily(t, 'bitwise_not', un.bitwiseNot);

  // Unary math.
  for (const name of Object.keys(un.FLOAT_UNARY)) {
    unaryFamily(t, name, (x, out) => un.floatUnary(name, x, out));
  }
  unaryFamily(t, 'neg', un.neg);
  unaryFamily(t, 'negative', un.neg);
  unaryFamily(t, 'abs', un.abs);
  unaryFamily(t, 'absolute', un.abs);
  unaryFamily(t, 'sign', un.sign);
  unaryFamily(t, 'square', un.square);
  for (const op of ['ceil', 'floor', 'round', 'trunc', 'frac'] as const)
    unaryFamily(t, op, (x, out) => un.rounding(op, x, out));
  t['aten::round.decimals'] = (a) => un.roundDecimals(tensorArg(a, 0), intArg(a, 1));
  t['aten::round_.decimals'] = (a) => un.roundDecimals(tensorArg(a, 0), intArg(a, 1), tensorArg(a, 0));
  for (const op of ['isnan', 'isinf', 'isfinite', 'isposinf', 'isneginf'] as const)
    t[`aten::${op}`] = (a) => un.numberTest(op, tensorArg(a, 0));
  t['aten::nan_to_num'] = (a) =>
    un.nanToNum(tensorArg(a, 0), optFloatArg(a, 1), optFloatArg(a, 2), optFloatArg(a, 3));
  t['aten::nan_to_num_'] = (a) =>
    un.nanToNum(tensorArg(a, 0), optFloatArg(a, 1), optFloatArg(a, 2), optFloatArg(a, 3), tensorArg(a, 0));

  // Clamp.
  const sc = (a: readonly KernelArg[], i: number): Scalar | null => optScalarArg(a, i);
  const tn = (a: readonly KernelArg[], i: number): Tensor | null => optTensorArg(a, i);
  for (const name of ['clamp', 'clip']) {
    t[`aten::${name}`] = (a) => clampTensor(tensorArg(a, 0), sc(a, 1), sc(a, 2));
    t[`aten::${name}.Tensor`] = (a) => clampTensor(tensorArg(a, 0), tn(a, 1), tn(a, 2));
    t[`aten::${name}_`] = (a) => clampTensor(tensorArg(a, 0), sc(a, 1), sc(a, 2), tensorArg(a, 0));
    t[`aten::${name}_.Tensor`] = (a) => clampTensor(tensorArg(a, 0), tn(a, 1), tn(a, 2), tensorArg(a, 0));
  }
  t['aten::clamp_min'] = (a) => clampTensor(tensorArg(a, 0), scalarArg(a, 1), null);
  t['aten::clamp_min.Tensor'] = (a) => clampTensor(tensorArg(a, 0), tensorArg(a, 1), null);
  t['aten::clamp_min_'] = (a) => clampTensor(tensorArg(a, 0), scalarArg(a, 1), null, tensorArg(a, 0));
  t['aten::clamp_max'] = (a) => clampTensor(tensorArg(a, 0), null, scalarArg(a, 1));
  t['aten::clamp_max.Tensor'] = (a) => clampTensor(tensorArg(a, 0), null, tensorArg(a, 1));
  t['aten::clamp_max_'] = (a) => clampTensor(tensorArg(a, 0), null, scalarArg(a, 1), tensorArg(a, 0));

  // Activations.
  unaryFamily(t, 'relu', act.relu);
  unaryFamily(t, 'relu6', act.relu6);
  unaryFamily(t, 'silu', act.silu);
  unaryFamily(t, 'mish', act.mish);
  unaryFamily(t, 'hardswish', act.hardswish);
  unaryFamily(t, 'hardsigmoid', act.hardsigmoid);
  unaryFamily(t, 'selu', act.selu);
  t['aten::hardtanh'] = (a) => act.hardtanh(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2));
  t['aten::hardtanh_'] = (a) =>
    act.hardtanh(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2), tensorArg(a, 0));
  t['aten::gelu'] = (a) => act.gelu(tensorArg(a, 0), strArg(a, 1));
  t['aten::gelu_'] = (a) => act.gelu(tensorArg(a, 0), strArg(a, 1), tensorArg(a, 0));
  t['aten::leaky_relu'] = (a) => act.leakyRelu(tensorArg(a, 0), scalarArg(a, 1));
  t['aten::leaky_relu_'] = (a) => act.leakyRelu(tensorArg(a, 0), scalarArg(a, 1), tensorArg(a, 0));
  t['aten::elu'] = (a) => act.elu(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2), scalarArg(a, 3));
  t['aten::elu_'] = (a) =>
    act.elu(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2), scalarArg(a, 3), tensorArg(a, 0));
  t['aten::celu'] = (a) => act.celu(tensorArg(a, 0), scalarArg(a, 1));
  t['aten::celu_'] = (a) => act.celu(tensorArg(a, 0), scalarArg(a, 1), tensorArg(a, 0));
  t['aten::softplus'] = (a) => act.softplus(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2));
  t['aten::threshold'] = (a) => act.threshold(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2));
  t['aten::threshold_'] = (a) =>
    act.threshold(tensorArg(a, 0), scalarArg(a, 1), scalarArg(a, 2), tensorArg(a, 0));
  t['aten::log_sigmoid'] = (a) => act.logSigmoid(tensorArg(a, 0));
  t['aten::prelu'] = (a) => act.prelu(tensorArg(a, 0), tensorArg(a, 1));
  t['aten::glu'] = (a) => act.glu(tensorArg(a, 0), intArg(a, 1));
  t['aten::softmax.int'] = (a) => act.softmax(tensorArg(a, 0), intArg(a, 1), optDtypeArg(a, 2));
  t['aten::log_softmax.int'] = (a) => act.softmax(tensorArg(a, 0), intArg(a, 1), optDtypeArg(a, 2), true);
  t['aten::_softmax'] = (a) => act.softmax(tensorArg(a, 0), intArg(a, 1));
  t['aten::_log_softmax'] = (a) => act.softmax(tensorArg(a, 0), intArg(a, 1), null, true);
  return t;
}
