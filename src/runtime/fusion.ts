// Interpreter-level fusion of a convolution with what directly follows it in a frozen graph: a residual
// `add`/`add_` of another tensor and an activation (relu, hardtanh/relu6, hardswish, hardsigmoid, silu,
// sigmoid). The graph is not changed: the plan runs the group as one step whose conv writes
// act(conv + bias + alpha * residual) in the pass that leaves its GEMM, and binds every node's output to
// that tensor. Only nodes whose input is the previous node's output and whose output nothing else reads
// are fused, so no one can observe the skipped intermediates. When the run-time values do not fit (not
// float, residual of another shape), the group falls back to running its nodes one by one.

import type { IValue } from '../ir/ivalue.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { Tensor } from '../tensor/tensor.js';
import { conv2dOutputShape, convolution, type Activation, type ConvEpilogue } from './kernels/conv.js';
import { kernelError } from './kernels/index.js';
import type { OpFn } from './plan.js';

const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  'aten::relu': 'relu',
  'aten::relu_': 'relu',
  'aten::relu6': 'relu6',
  'aten::relu6_': 'relu6',
  'aten::hardtanh': 'hardtanh',
  'aten::hardtanh_': 'hardtanh',
  'aten::hardswish': 'hardswish',
  'aten::hardswish_': 'hardswish',
  'aten::hardsigmoid': 'hardsigmoid',
  'aten::hardsigmoid_': 'hardsigmoid',
  'aten::silu': 'silu',
  'aten::silu_': 'silu',
  'aten::sigmoid': 'sigmoid',
  'aten::sigmoid_': 'sigmoid',
};

const ADDS = new Set(['aten::add', 'aten::add_']);

/** A conv node and the nodes fused after it, with slots resolved once the plan numbers values. */
export interface ConvChain {
  /** The conv first, then the fused nodes in program order. */
  readonly nodes: readonly Node[];
  /** The weight is a constant only convs read: its packed form may be cached across runs. */
  readonly constantWeight: boolean;
  readonly act: Activation;
  withSlots(slot: (v: Value) => number): SlottedConvChain;
}

/** A ConvChain as the interpreter runs it. */
export interface SlottedConvChain {
  readonly nodes: readonly Node[];
  readonly constantWeight: boolean;
  readonly act: Activation;
  /** Input slots of each node. */
  readonly nodeIns: readonly (readonly number[])[];
  /** Index in `nodes` of the residual add, or -1. */
  readonly addAt: number;
  /** The conv result is the add's second operand (the residual its first; fused only when alpha is 1). */
  readonly swapped: boolean;
  /** Index of the activation node, or -1. */
  readonly actAt: number;
  /** Operator functions of the nodes for the unfused fallback, compiled on first need. */
  readonly fallback: (OpFn | undefined)[];
}

// The only user of `v` is input `slot` of `next`.
function onlyFeeds(v: Value, next: Node | undefined, slot = 0): next is Node {
  if (next === undefined || next.inputs[slot] !== v) return false;
  const uses = v.uses();
  return uses.length === 1 && uses[0].user === next && uses[0].offset === slot;
}

// `v` is a conv's own new tensor (no other tensor shares its storage) and `user` is its only reader.
function freshAndOnlyFeeds(v: Value, user: Node): boolean {
  return v.node.kind === 'aten::conv2d' && onlyFeeds(v, user, 0);
}

// A constant weight is immutable and safe to cache in packed form when every use is a conv's weight.
function isConstantConvWeight(v: Value): boolean {
  return (
    v.node.kind === 'prim::Constant' &&
    v.uses().every((u) => u.user.kind === 'aten::conv2d' && u.offset === 1)
  );
}

/** The fusable group starting at the conv `nodes[i]` (possibly the conv alone). */
export function findConvChain(conv: Node, nodes: readonly Node[], i: number): ConvChain | undefined {
  if (conv.outputs.length !== 1 || conv.inputs.length !== 7) return undefined;
  const chain: Node[] = [conv];
  let addAt = -1;
  let actAt = -1;
  let swapped = false;
  let next: Node | undefined = nodes[i + 1];
  const c = conv.output();
  const isAdd = (n: Node): boolean =>
    ADDS.has(n.kind) &&
    n.inputs.length === 3 &&
    n.inputs[0].type.kind === 'Tensor' &&
    n.inputs[1].type.kind === 'Tensor';
  if (onlyFeeds(c, next) && isAdd(next) && next.inputs[1] !== c) {
    addAt = chain.length;
    chain.push(next);
    next = nodes[i + chain.length];
  } else if (onlyFeeds(c, next, 1) && isAdd(next) && freshAndOnlyFeeds(next.inputs[0], next)) {
    // out += conv(...): the sum lands in the conv's buffer instead of `out`'s, which is unobservable when
    // `out` is a fresh conv result that nothing else reads (no alias can see the in-place write).
    addAt = chain.length;
    swapped = true;
    chain.push(next);
    next = nodes[i + chain.length];
  }
  const last = chain[chain.length - 1];
  if (last.outputs.length === 1 && onlyFeeds(last.output(), next) && ACTIVATIONS[next.kind] !== undefined) {
    actAt = chain.length;
    chain.push(next);
  }
  const act = actAt < 0 ? 'none' : ACTIVATIONS[chain[actAt].kind];
  const constantWeight = isConstantConvWeight(conv.inputs[1]);
  return {
    nodes: chain,
    constantWeight,
    act,
    withSlots: (slot) => ({
      nodes: chain,
      constantWeight,
      act,
      nodeIns: chain.map((n) => n.inputs.map(slot)),
      addAt,
      swapped,
      actAt,
      fallback: chain.map(() => undefined),
    }),
  };
}

const num = (v: IValue): number => (typeof v === 'bigint' ? Number(v) : (v as number));
const ints = (v: IValue): number[] => (Array.isArray(v) ? (v as IValue[]).map(num) : [num(v)]);

/** Runs a fused group on the frame's values; `compile` makes the per-node functions of the fallback. */
export function runConvChain(
  chain: SlottedConvChain,
  regs: readonly IValue[],
  compile: (n: Node) => OpFn,
): IValue {
  const ci = chain.nodeIns[0];
  const x = regs[ci[0]];
  const w = regs[ci[1]];
  const b = regs[ci[2]];
  const epilogue: ConvEpilogue = { residual: null, alpha: 1, act: chain.act, lo: 0, hi: 0 };
  let fits = x instanceof Tensor && w instanceof Tensor && (b === null || b instanceof Tensor);
  const padding = regs[ci[4]];
  if (fits && chain.addAt >= 0) {
    const ai = chain.nodeIns[chain.addAt];
    const r = regs[ai[chain.swapped ? 0 : 1]];
    const alpha = regs[ai[2]];
    fits =
      r instanceof Tensor &&
      (typeof alpha === 'number' || typeof alpha === 'bigint') &&
      (!chain.swapped || num(alpha) === 1) &&
      r.dtype === (x as Tensor).dtype &&
      r.isContiguous &&
      sameShape(
        r.shape,
        conv2dOutputShape(
          x as Tensor,
          w as Tensor,
          ints(regs[ci[3]]),
          typeof padding === 'string' ? padding : ints(padding),
          ints(regs[ci[5]]),
        ),
      );
    if (fits) {
      epilogue.residual = r as Tensor;
      epilogue.alpha = num(alpha);
    }
  }
  if (fits && chain.act === 'hardtanh') {
    const hi = chain.nodeIns[chain.actAt];
    epilogue.lo = num(regs[hi[1]]);
    epilogue.hi = num(regs[hi[2]]);
  }
  if (fits && (x as Tensor).dtype !== 'float32' && (x as Tensor).dtype !== 'float64') fits = false;
  if (!fits) return runUnfused(chain, regs, compile);
  try {
    return convolution(
      x as Tensor,
      w as Tensor,
      b as Tensor | null,
      ints(regs[ci[3]]),
      typeof padding === 'string' ? padding : ints(padding),
      ints(regs[ci[5]]),
      num(regs[ci[6]]),
      epilogue,
      chain.constantWeight,
    );
  } catch (e) {
    throw kernelError(typeof padding === 'string' ? 'aten::conv2d.padding' : 'aten::conv2d', e);
  }
}

// The nodes one by one, each reading the previous result in place of its first input.
function runUnfused(chain: SlottedConvChain, regs: readonly IValue[], compile: (n: Node) => OpFn): IValue {
  let value: IValue = null;
  for (let k = 0; k < chain.nodes.length; k++) {
    const fn = (chain.fallback[k] ??= compile(chain.nodes[k]));
    const args = chain.nodeIns[k].map((s) => regs[s]);
    if (k > 0) args[k === chain.addAt && chain.swapped ? 1 : 0] = value;
    value = fn(args) as IValue;
  }
  return value;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
