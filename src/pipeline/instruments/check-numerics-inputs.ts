// Inputs for the numerics check when the user gives none: synthesized from the method's input types, a
// tensor's shape read off the first use that reveals it (a conv's or linear's weight, a norm's shape,
// an embedding's table), following calls into submodules. Each input says where its shape came from.

import { PipelineError } from '../../errors.js';
import {
  isObjectValue,
  toIValue,
  type Graph,
  type IValue,
  type Node,
  type ObjectValue,
  type Type,
  type Value,
} from '../../ir/index.js';
import { Generator, randint, randn, Tensor } from '../../tensor/index.js';

/** Synthesized inputs and, per input, how it was made. */
export interface SynthesizedInputs {
  readonly values: IValue[];
  readonly descriptions: string[];
}

/** A shape and why. */
interface ShapeHint {
  readonly shape: number[];
  readonly dtype: 'float32' | 'int64';
  /** Exclusive upper bound of int64 values (embedding indices). */
  readonly high?: number;
  readonly why: string;
}

/** Where a graph runs while following a value into calls: its self object, and its inputs' caller values. */
interface Frame {
  readonly self: ObjectValue | undefined;
  readonly args: ReadonlyMap<Value, { readonly value: Value; readonly frame: Frame }>;
}

const SPATIAL: Record<number, number> = { 1: 64, 2: 64, 3: 16 };
const MAX_DEPTH = 12;

/**
 * Inputs for `graph` (a method graph when `self` is given: its first input is skipped). Throws a
 * PipelineError naming the input when nothing reveals what to give it.
 */
export function synthesizeInputs(graph: Graph, self: ObjectValue | undefined, seed = 0): SynthesizedInputs {
  const generator = new Generator(seed);
  const values: IValue[] = [];
  const descriptions: string[] = [];
  const params = self ? graph.inputs.slice(1) : graph.inputs;
  for (const input of params) {
    const made = synthesize(input, { self, args: new Map() }, generator);
    values.push(made.value);
    descriptions.push(`%${input.debugName}: ${made.description}`);
  }
  return { values, descriptions };
}

function synthesize(input: Value, frame: Frame, g: Generator): { value: IValue; description: string } {
  const type = input.type;
  if (type.kind === 'Tensor') {
    const sizes = (type as { info?: { sizes?: readonly (number | null)[] } }).info?.sizes;
    const hint: ShapeHint | undefined =
      sizes && sizes.every((s) => s !== null)
        ? { shape: sizes as number[], dtype: 'float32', why: 'from its type' }
        : shapeFromUses(input, frame, 0);
    if (!hint) {
      throw new PipelineError(
        'NUMERICS_INPUTS',
        `cannot synthesize input %${input.debugName} (Tensor): no use reveals its shape; give inputs as .npy files (--check-numerics=a.npy,...)`,
      );
    }
    const value =
      hint.dtype === 'int64'
        ? randint(0, hint.high ?? 2, hint.shape, { generator: g, dtype: 'int64' })
        : randn(hint.shape, { generator: g });
    return { value, description: `${hint.dtype}[${hint.shape.join(', ')}] random, shape ${hint.why}` };
  }
  const scalar = scalarFor(type);
  if (scalar === undefined) {
    throw new PipelineError(
      'NUMERICS_INPUTS',
      `cannot synthesize input %${input.debugName} of type ${type.str()}; give inputs as .npy files (--check-numerics=a.npy,...)`,
    );
  }
  return { value: scalar, description: `${type.str()} = ${scalar === null ? 'None' : String(scalar)}` };
}

function scalarFor(type: Type): IValue | undefined {
  switch (type.kind) {
    case 'int':
      return 1;
    case 'float':
      return 1.0;
    case 'bool':
      return false;
    case 'str':
      return '';
    case 'Optional':
    case 'None':
      return null;
    default:
      return undefined;
  }
}

// The first use of `v` (through shape-keeping ops and calls) that tells its shape.
function shapeFromUses(v: Value, frame: Frame, depth: number): ShapeHint | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const { user, offset } of v.uses()) {
    const hint = shapeFromUse(user, offset, frame, depth);
    if (hint) return hint;
    if (SHAPE_KEEPING.test(user.kind) && offset === 0 && user.outputs[0]) {
      const next = shapeFromUses(user.outputs[0], frame, depth + 1);
      if (next) return next;
    }
  }
  return undefined;
}

const SHAPE_KEEPING =
  /^aten::(relu|relu_|sigmoid|tanh|gelu|dropout|contiguous|clone|detach|hardtanh|hardswish|silu|leaky_relu|elu|abs|neg)$/;

function shapeFromUse(user: Node, offset: number, frame: Frame, depth: number): ShapeHint | undefined {
  const { kind, inputs } = user;
  const tensorAt = (i: number): Tensor | undefined => tensorBehind(inputs[i], frame);
  if (kind === 'prim::CallMethod') return intoCall(user, offset, frame, depth);
  if (offset !== 0 && !(kind === 'aten::embedding' && offset === 1)) return undefined;
  const conv = /^aten::(conv([123])d|conv_transpose([123])d|_convolution)$/.exec(kind);
  if (conv) {
    const w = tensorAt(1);
    if (!w || w.dim < 3) return undefined;
    const rank = w.dim - 2;
    const transposed =
      !!conv[3] || (kind === 'aten::_convolution' && constantBehind(inputs[6], frame) === true);
    // groups: conv{N}d and conv_transpose{N}d take it as argument 6, _convolution as argument 8.
    const groups = Number(constantBehind(inputs[kind === 'aten::_convolution' ? 8 : 6], frame) ?? 1) || 1;
    const channels = transposed ? w.shape[0] : w.shape[1] * groups;
    const kernel = Math.max(...w.shape.slice(2));
    const size = Math.max(SPATIAL[rank] ?? 16, 2 * kernel);
    return {
      shape: [1, channels, ...Array<number>(rank).fill(size)],
      dtype: 'float32',
      why: `from ${kind}'s weight [${w.shape.join(', ')}]`,
    };
  }
  if (kind === 'aten::linear' || kind === 'aten::matmul' || kind === 'aten::mm') {
    const w = tensorAt(1);
    if (!w || w.dim !== 2) return undefined;
    const features = kind === 'aten::linear' ? w.shape[1] : w.shape[0];
    return { shape: [2, features], dtype: 'float32', why: `from ${kind}'s weight [${w.shape.join(', ')}]` };
  }
  if (kind === 'aten::batch_norm' || kind === 'aten::instance_norm') {
    const w = tensorAt(1) ?? tensorAt(3);
    if (!w) return undefined;
    return {
      shape: [2, w.shape[0], 8],
      dtype: 'float32',
      why: `from ${kind}'s [${w.shape.join(', ')}] parameters`,
    };
  }
  if (kind === 'aten::layer_norm') {
    const shape = constantBehind(inputs[1], frame);
    if (!Array.isArray(shape)) return undefined;
    return { shape: [2, ...shape.map(Number)], dtype: 'float32', why: "from layer_norm's normalized_shape" };
  }
  if (kind === 'aten::embedding' && offset === 1) {
    const w = tensorAt(0);
    if (!w) return undefined;
    return {
      shape: [2, 8],
      dtype: 'int64',
      high: w.shape[0],
      why: `indices into an embedding of ${w.shape[0]} rows`,
    };
  }
  if (/^aten::(lstm|gru|rnn_tanh|rnn_relu)$/.test(kind)) {
    const params = inputs[2] ? listOfTensors(inputs[2], frame) : undefined;
    const w = params?.[0];
    if (!w) return undefined;
    const batchFirst = constantBehind(inputs[inputs.length - 1], frame) === true;
    const shape = batchFirst ? [2, 5, w.shape[1]] : [5, 2, w.shape[1]];
    return { shape, dtype: 'float32', why: `from ${kind}'s weight_ih [${w.shape.join(', ')}]` };
  }
  if (/^aten::(add|sub|mul|div)_?$/.test(kind)) {
    const other = tensorAt(1);
    if (other && other.dim > 0)
      return { shape: [...other.shape], dtype: 'float32', why: `from the other operand of ${kind}` };
  }
  return undefined;
}

// Follows x into the callee of a method call (x is argument `offset`), with the receiver as self.
function intoCall(call: Node, offset: number, frame: Frame, depth: number): ShapeHint | undefined {
  if (offset === 0) return undefined;
  const receiver = objectBehind(call.inputs[0], frame);
  const type = receiver?.type as { findMethod?: (n: string) => { graph: Graph } | undefined } | undefined;
  const method = type?.findMethod ? type.findMethod(call.s('name')) : undefined;
  if (!receiver || !method) return undefined;
  const params = method.graph.inputs;
  const args = new Map(params.map((p, i) => [p, { value: call.inputs[i], frame }] as const));
  return shapeFromUses(params[offset], { self: receiver, args }, depth + 1);
}

// A value seen through the call frames: the caller's value when it is an input of the callee.
function resolve(v: Value, frame: Frame): { value: Value; frame: Frame } {
  let at = { value: v, frame };
  for (let bound = frame.args.get(v); bound; bound = at.frame.args.get(at.value)) at = bound;
  return at;
}

function constantBehind(v: Value | undefined, frame: Frame): IValue | undefined {
  return v ? toIValue(resolve(v, frame).value) : undefined;
}

// The tensor a value holds when it is a constant or an attribute reached from self.
function tensorBehind(v: Value | undefined, frame: Frame): Tensor | undefined {
  if (!v) return undefined;
  const constant = constantBehind(v, frame);
  if (constant instanceof Tensor) return constant;
  const held = attributeBehind(v, frame);
  return held instanceof Tensor ? held : undefined;
}

function objectBehind(v: Value, frame: Frame): ObjectValue | undefined {
  const held = attributeBehind(v, frame);
  return held !== undefined && isObjectValue(held) ? held : undefined;
}

function listOfTensors(v: Value, frame: Frame): Tensor[] | undefined {
  const at = resolve(v, frame);
  if (at.value.node.kind !== 'prim::ListConstruct') return undefined;
  const out = at.value.node.inputs.map((i) => tensorBehind(i, at.frame));
  return out.every((t): t is Tensor => t !== undefined) ? out : undefined;
}

// Walks a prim::GetAttr chain back to its frame's self (or through call arguments) and reads the attribute.
function attributeBehind(v: Value, frame: Frame): IValue | undefined {
  const start = resolve(v, frame);
  const names: string[] = [];
  let at = start.value;
  while (at.node.kind === 'prim::GetAttr') {
    names.unshift(at.node.s('name'));
    at = at.node.inputs[0];
  }
  const base = resolve(at, start.frame);
  let obj: IValue | undefined;
  if (base.value === base.value.node.owningGraph.inputs[0]) obj = base.frame.self;
  else if (base.value !== at || base.frame !== start.frame) obj = attributeBehind(base.value, base.frame);
  for (const name of names) {
    if (obj === undefined || !isObjectValue(obj) || !obj.hasAttr(name)) return undefined;
    obj = obj.getAttr(name);
  }
  return obj;
}
