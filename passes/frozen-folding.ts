// Shared by the frozen folding passes (fold-conv-bn, fold-conv-add-sub, fold-conv-mul-div, fold-linear-bn):
// match results, PyTorch's conv and constant-parameter checks, and per-channel arithmetic rounded like ATen's.

import {
  DTYPES,
  Tensor,
  type Float32Arena,
  bfloatToFloat,
  floatToBfloat,
  floatToHalf,
  halfToFloat,
  insertConstant,
  promoteTypes,
  scaleRowsFloat32,
  toIValue,
  type DType,
  type Graph,
  type Node,
  type PassContext,
  type PassResult,
  type Value,
} from '../src/index.js';

/** What a pure match function returns: the matched pieces, or why the pattern does not apply. */
export type Match<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A successful match. */
export function matched<T>(value: T): Match<T> {
  return { ok: true, value };
}

/** A failed match with the reason a remark will give. */
export function notMatched<T>(reason: string): Match<T> {
  return { ok: false, reason };
}

// aten::_convolution(input, weight, bias, stride, padding, dilation, transposed, ...): the `transposed` slot.
const CONVOLUTION_TRANSPOSED = 6;

/**
 * Why PyTorch's supportedConvNode rejects `node`, or undefined when it accepts it: aten::conv1d/2d/3d
 * (any overload) and aten::_convolution whose `transposed` input is the constant False.
 */
export function unsupportedConvReason(node: Node): string | undefined {
  if (node.kind === 'aten::conv1d' || node.kind === 'aten::conv2d' || node.kind === 'aten::conv3d')
    return undefined;
  if (node.kind === 'aten::_convolution') {
    const transposed =
      node.inputs.length > CONVOLUTION_TRANSPOSED ? toIValue(node.inputs[CONVOLUTION_TRANSPOSED]) : undefined;
    if (transposed === false) return undefined;
    return transposed === true
      ? 'aten::_convolution is transposed'
      : 'the `transposed` flag of aten::_convolution is not a constant';
  }
  if (node.kind.startsWith('aten::conv_transpose')) return `${node.kind} is a transposed convolution`;
  return `input comes from ${node.kind}, not from a convolution`;
}

/** True for every convolution kind, folded or not: a non-application after one is worth a remark. */
export function isConvolutionKind(kind: string): boolean {
  return kind.startsWith('aten::conv') || kind === 'aten::_convolution' || kind === 'aten::convolution';
}

/** PyTorch's nonConstantParameters: the first input after the data input that no prim::Constant produces. */
export function nonConstantParameter(node: Node): Value | undefined {
  return node.inputs.slice(1).find((v) => v.node.kind !== 'prim::Constant');
}

/** Says which parameter of `node` is not constant, or undefined when all are. */
export function nonConstantReason(node: Node, role: string): string | undefined {
  const v = nonConstantParameter(node);
  return v ? `${role} parameter %${v.debugName} is not a constant` : undefined;
}

/** The tensor a prim::Constant holds, or undefined (not a constant, or not a tensor). */
export function constantTensor(v: Value): Tensor | undefined {
  const value = toIValue(v);
  return value instanceof Tensor ? value : undefined;
}

/** The number an int/float prim::Constant holds (bools are not numbers here), or undefined. */
export function constantNumber(v: Value): number | undefined {
  const value = toIValue(v);
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** True when `v` is the None constant (an absent optional tensor). */
export function isNone(v: Value): boolean {
  return v.type.kind === 'None';
}

/** True for float16/bfloat16/float32/float64: the dtypes the folding arithmetic can round to. */
export function isFloatDType(dtype: DType): boolean {
  return DTYPES[dtype].isFloatingPoint;
}

/** Promotes dtypes as torch.promote_types does, left to right. */
export function promoteAll(first: DType, ...rest: DType[]): DType {
  return rest.reduce((a, b) => promoteTypes(a, b), first);
}

/**
 * Rounds a JS number to `dtype`: ATen computes each element-wise step in the tensors' dtype, so the
 * folded weights match PyTorch's bit for bit in float32/float64 (one rounding per step).
 */
export function rounding(dtype: DType): (x: number) => number {
  switch (dtype) {
    case 'float32':
      return Math.fround;
    case 'float16':
      return (x) => halfToFloat(floatToHalf(x));
    case 'bfloat16':
      return (x) => bfloatToFloat(floatToBfloat(x));
    default:
      return (x) => x;
  }
}

/** Every element as a number, row-major (fast for contiguous float32/float64). */
export function numbers(t: Tensor): Float64Array {
  const n = t.numel;
  const out = new Float64Array(n);
  if (t.isContiguous && (t.dtype === 'float32' || t.dtype === 'float64')) {
    out.set(t.storage.data.subarray(t.offset, t.offset + n) as Float32Array | Float64Array);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = t.getNumber(i);
  return out;
}

/** A new contiguous tensor of `dtype` holding `values` (cast as Tensor.to would). */
export function tensorOf(dtype: DType, values: Float64Array, shape: readonly number[]): Tensor {
  if (dtype === 'float32') return Tensor.fromStorage(dtype, new Float32Array(values), shape);
  if (dtype === 'float64') return Tensor.fromStorage(dtype, new Float64Array(values), shape);
  return Tensor.fromArray(dtype, Array.from(values), shape);
}

// Below this many elements the JS loop costs less than compiling the WASM kernel once (2-7 ms, the first
// WebAssembly module of a process): densenet121 folds a single 9408-element weight. Once this process has
// scaled that many elements in JS, or a pass announced that many (expectScaling), the kernel pays for
// itself on any later weight of WASM_ANY_ELEMENTS or more: the loop runs as cold (interpreted) code at
// 60-300 ns an element under the CLI's raised tier-up budget, while a kernel call costs a few us.
const WASM_MIN_ELEMENTS = 1 << 16;
const WASM_ANY_ELEMENTS = 1 << 7;
let scaledInJs = 0;

// Whether a float32 weight of `n` elements goes through the WASM kernel (same bits either way).
function worthWasm(n: number): boolean {
  if (n >= WASM_MIN_ELEMENTS || (n >= WASM_ANY_ELEMENTS && scaledInJs >= WASM_MIN_ELEMENTS)) return true;
  scaledInJs += n;
  return false;
}

/**
 * Tells scaleRows that a pass is about to scale about `floats` float32 elements (mobilenet_v3_large's
 * batch norms: 1.4M in ~50 weights, most small): when that is enough to pay for compiling the WASM kernel,
 * every weight but the tiniest takes it from the first on instead of the cold JS loop.
 */
export function expectScaling(floats: number): void {
  if (floats >= WASM_MIN_ELEMENTS) scaledInJs = Math.max(scaledInJs, WASM_MIN_ELEMENTS);
}

/** Whether the WASM kernels are worth taking for small per-channel work too (see expectScaling). */
export function wasmKernelsPayOff(): boolean {
  return scaledInJs >= WASM_MIN_ELEMENTS;
}

/** The per-channel operation of scaleRows. */
export type RowOp = 'mul' | 'div';

/**
 * `x * factor[row]` (or `x / factor[row]`) for every element x of `t`, whose rows (leading dim) are the
 * output channels: the per-channel scaling of a weight, computed in `compute` (never narrower than `t`'s
 * dtype) and cast to `t`'s dtype. The factors are first rounded to `compute`, as ATen casts an operand
 * to the common dtype (an int64 16777217 multiplies a float32 weight as 16777216; a Float32Array of
 * factors is float32 already). Float32 weights computed in float32 take the WebAssembly SIMD kernel
 * (scaleRowsFloat32, bit-identical to the JS loops), their result in `arena` when it has room; other
 * contiguous float32/float64 tensors a JS loop where the store into the result array is the one
 * rounding ATen does (written out per operation: a callback per element kept resnet50's 25M weights in
 * a slow call for ~0.3 s). With `inPlace` (the caller checked nothing else holds `t`'s storage: see
 * fold-in-place.ts) a contiguous float32/float64 `t` covering its whole storage is scaled where it lies
 * and the result is a new tensor on the same storage: the same values, no fresh memory.
 */
export function scaleRows(
  t: Tensor,
  factor: Float32Array | Float64Array,
  compute: DType,
  op: RowOp,
  arena?: Float32Arena | null,
  inPlace = false,
): Tensor {
  const n = t.numel;
  const rowSize = n / factor.length;
  const r = rounding(compute);
  const factors = compute === 'float32' && factor instanceof Float32Array ? factor : factor.map(r);
  if (
    t.isContiguous &&
    (t.dtype === 'float32' || t.dtype === 'float64') &&
    (compute === 'float32' || compute === 'float64')
  ) {
    const src = t.storage.data.subarray(t.offset, t.offset + n) as Float32Array | Float64Array;
    if (inPlace && t.offset === 0 && n === t.storage.numel) {
      const wasm =
        src instanceof Float32Array &&
        compute === 'float32' &&
        worthWasm(n) &&
        scaleRowsFloat32(src, src, factors, rowSize, op === 'div');
      if (!wasm) scaleRowsJs(src, src, factors, rowSize, op);
      return new Tensor(t.storage, [...t.shape]);
    }
    if (src instanceof Float32Array && compute === 'float32') {
      const out = arena?.take(n) ?? new Float32Array(n);
      const divide = op === 'div';
      const wasm =
        worthWasm(n) &&
        (arena
          ? arena.scaleRows(src, out, factors, rowSize, divide)
          : scaleRowsFloat32(src, out, factors, rowSize, divide));
      if (!wasm) scaleRowsJs(src, out, factors, rowSize, op);
      return Tensor.fromStorage(t.dtype, out, t.shape);
    }
    const out = t.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    scaleRowsJs(src, out, factors, rowSize, op);
    return Tensor.fromStorage(t.dtype, out, t.shape);
  }
  const values = numbers(t);
  for (let i = 0; i < n; i++) {
    const f = factors[Math.floor(i / rowSize)];
    values[i] = r(op === 'mul' ? values[i] * f : values[i] / f);
  }
  return tensorOf(t.dtype, values, t.shape);
}

/** The JS form of scaleRows' fast path (the reference the WASM kernel is tested against). */
export function scaleRowsJs(
  src: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  factor: Float32Array | Float64Array,
  rowSize: number,
  op: RowOp,
): void {
  if (op === 'mul') multiplyRows(src, out, factor, rowSize);
  else divideRows(src, out, factor, rowSize);
}

function multiplyRows(
  src: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  factor: Float32Array | Float64Array,
  rowSize: number,
): void {
  for (let row = 0, i = 0; row < factor.length; row++) {
    const f = factor[row];
    for (const end = i + rowSize; i < end; i++) out[i] = src[i] * f;
  }
}

function divideRows(
  src: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  factor: Float32Array | Float64Array,
  rowSize: number,
): void {
  for (let row = 0, i = 0; row < factor.length; row++) {
    const f = factor[row];
    for (const end = i + rowSize; i < end; i++) out[i] = src[i] / f;
  }
}

/**
 * Inserts a constant holding `tensor` right before `user`, named `<old name>_<suffix>` as PyTorch names
 * it (`self.conv.weight_fused_bn`), and makes input `index` of `user` read it. The old constant is left
 * for dead-code-elimination.
 */
export function replaceInputWithConstant(user: Node, index: number, tensor: Tensor, suffix: string): Value {
  const old = user.inputs[index];
  const graph = user.owningGraph;
  const fresh = graph.withInsertPoint(user, () => insertConstant(graph, tensor));
  fresh.setDebugName(`${old.debugName}_${suffix}`);
  user.replaceInput(index, fresh);
  return fresh;
}

/** The constant other operand of a conv → binary op: a tensor, or a Python number (the Scalar overloads). */
export type Operand =
  { readonly kind: 'tensor'; readonly tensor: Tensor } | { readonly kind: 'number'; readonly value: number };

/** A conv followed by an element-wise op with a constant operand PyTorch 1.13 would fold. */
export interface ConvOperand {
  readonly conv: Node;
  readonly op: Node;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly operand: Operand;
}

/**
 * PyTorch 1.13's checkConvAndBroadcastingOpPreConditions for `op` (whose overload the caller checked):
 * input 0 comes from a supported convolution whose output has no other use; every other input of
 * both nodes is a constant; the weight is floating point; a tensor operand has at most the weight's
 * rank and every dim 1 except dim 1, which may equal the output channels (so (1, C, 1, 1), (1, C),
 * single elements and 0-dim tensors fold, (C, 1, 1) and (C,) do not); an integral operand must not
 * promote the weight's dtype.
 */
export function matchConvOperand(op: Node): Match<ConvOperand> {
  const conv = op.inputs[0].node;
  const unsupported = unsupportedConvReason(conv);
  if (unsupported) return notMatched(unsupported);
  const nonConstant = nonConstantReason(conv, 'conv') ?? nonConstantReason(op, op.kind);
  if (nonConstant) return notMatched(nonConstant);
  if (conv.output().uses().length > 1) return notMatched('conv output has other users');
  const weight = constantTensor(conv.inputs[1]);
  if (!weight || weight.dim < 1) return notMatched('conv weight is not a tensor');
  if (!isFloatDType(weight.dtype)) return notMatched(`conv weight is ${weight.dtype}, not floating point`);
  const bias = isNone(conv.inputs[2]) ? null : constantTensor(conv.inputs[2]);
  if (
    bias === undefined ||
    (bias && (bias.dim !== 1 || bias.shape[0] !== weight.shape[0] || !isFloatDType(bias.dtype)))
  ) {
    return notMatched('conv bias is not a floating-point tensor of one value per output channel');
  }
  const other = op.inputs[1];
  if (other.type.kind !== 'Tensor') {
    const value = constantNumber(other);
    return value === undefined
      ? notMatched('the operand is not a number')
      : matched({ conv, op, weight, bias, operand: { kind: 'number', value } });
  }
  const tensor = constantTensor(other);
  if (!tensor) return notMatched('the operand is not a tensor');
  const channels = weight.shape[0];
  const perChannel =
    tensor.dim <= weight.dim && tensor.shape.every((size, i) => size === 1 || (i === 1 && size === channels));
  if (!perChannel) {
    return notMatched(
      `operand of shape [${tensor.shape.join(', ')}] is not per-channel: PyTorch 1.13 folds [1, ${channels}, 1, ...] and single elements`,
    );
  }
  if (!isFloatDType(tensor.dtype) && promoteTypes(tensor.dtype, weight.dtype) !== weight.dtype) {
    return notMatched(`a ${tensor.dtype} operand would change the ${weight.dtype} result's dtype`);
  }
  return matched({ conv, op, weight, bias, operand: { kind: 'tensor', tensor } });
}

/**
 * The operand as one value per output channel and the dtype it computes in: PyTorch's
 * resizeConstantScalarOrTensorToShape (a number becomes a tensor of `numberDType`, a single element is
 * expanded, a [1, C, 1, ...] tensor is viewed as [C]).
 */
export function operandPerChannel(
  operand: Operand,
  channels: number,
  numberDType: DType,
): { values: Float64Array; dtype: DType } {
  if (operand.kind === 'number')
    return {
      values: new Float64Array(channels).fill(rounding(numberDType)(operand.value)),
      dtype: numberDType,
    };
  const values = numbers(operand.tensor);
  return {
    values: values.length === 1 ? new Float64Array(channels).fill(values[0]) : values,
    dtype: operand.tensor.dtype,
  };
}

/**
 * The loop both conv→binary-op folds share: for every node of `kinds` whose first operand is a
 * convolution, match it and rewrite it; remark on why a candidate does not fold. Counts `folded`.
 */
export function foldBinaryOpsAfterConv<T>(
  graph: Graph,
  context: PassContext,
  kinds: readonly string[],
  match: (node: Node) => Match<T>,
  rewrite: (m: T) => void,
): PassResult {
  let folded = 0;
  for (const node of graph.allNodes()) {
    if (!kinds.includes(node.kind)) continue;
    if (!isConvolutionKind(node.inputs[0]?.node.kind ?? '')) {
      if (node.inputs.slice(1).some((v) => isConvolutionKind(v.node.kind)))
        context.remark(node, 'not folded: the conv output is not the first operand');
      continue;
    }
    const m = match(node);
    if (!m.ok) {
      context.remark(node, `not folded: ${m.reason}`);
      continue;
    }
    rewrite(m.value);
    folded++;
  }
  if (folded) context.count('folded', folded);
  return { changed: folded > 0 };
}
