// A graph compiled for the interpreter: every value gets a numbered slot in one frame array, every node a
// step with its input/output slot numbers and an opcode (no per-node closures or maps at run time), and
// every step the list of slots whose last use it is (the memory plan releases their buffers there).
// Plans are cached per graph and rebuilt when the graph changed (checked by a walk that compares nodes,
// inputs, outputs and types with what the plan was built from).

import type { Block } from '../ir/block.js';
import { constantValue } from '../ir/constants.js';
import type { Graph } from '../ir/graph.js';
import type { IValue } from '../ir/ivalue.js';
import type { Node } from '../ir/node.js';
import type { Type } from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { Tensor } from '../tensor/tensor.js';
import { findConvChain, type ConvChain, type SlottedConvChain } from './fusion.js';

/** Executes one operator node: inputs in, outputs out (an array when the node has several outputs). */
export type OpFn = (inputs: IValue[]) => IValue | IValue[];

/** Step opcodes: what the interpreter's switch dispatches on. */
export const OP = {
  constant: 0,
  getAttr: 1,
  containerIndex: 2,
  fork: 3,
  passThrough: 4,
  setAttr: 5,
  callMethod: 6,
  callFunction: 7,
  if: 8,
  loop: 9,
  tupleConstruct: 10,
  tupleUnpack: 11,
  tupleIndex: 12,
  tupleSlice: 13,
  listConstruct: 14,
  listUnpack: 15,
  dictConstruct: 16,
  raise: 17,
  none: 18,
  isInstance: 19,
  device: 20,
  dtype: 21,
  requiresGrad: 22,
  alwaysFalse: 23,
  detach: 24,
  print: 25,
  operator: 26,
  conv: 27,
  createObject: 28,
  isNested: 29,
  enter: 30,
  exit: 31,
} as const;

/** True for node kinds the interpreter executes itself; every other kind runs as an operator. */
export function isInterpretedKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPCODES, kind);
}

const OPCODES: Readonly<Record<string, number>> = {
  'prim::Constant': OP.constant,
  'prim::GetAttr': OP.getAttr,
  'prim::ModuleContainerIndex': OP.containerIndex,
  'prim::fork': OP.fork,
  'aten::wait': OP.passThrough,
  'prim::unchecked_cast': OP.passThrough,
  'prim::SetAttr': OP.setAttr,
  'prim::CallMethod': OP.callMethod,
  'prim::CallFunction': OP.callFunction,
  'prim::If': OP.if,
  'prim::Loop': OP.loop,
  'prim::TupleConstruct': OP.tupleConstruct,
  'prim::TupleUnpack': OP.tupleUnpack,
  'prim::TupleIndex': OP.tupleIndex,
  'prim::TupleSlice': OP.tupleSlice,
  'prim::ListConstruct': OP.listConstruct,
  'prim::ListUnpack': OP.listUnpack,
  'prim::DictConstruct': OP.dictConstruct,
  'prim::RaiseException': OP.raise,
  'prim::Uninitialized': OP.none,
  'prim::isinstance': OP.isInstance,
  'prim::device': OP.device,
  'prim::dtype': OP.dtype,
  'prim::requires_grad': OP.requiresGrad,
  'prim::is_cuda': OP.alwaysFalse,
  'prim::is_nested': OP.isNested,
  'prim::is_sparse': OP.alwaysFalse,
  'prim::is_quantized': OP.alwaysFalse,
  'prim::is_mkldnn': OP.alwaysFalse,
  'prim::is_meta': OP.alwaysFalse,
  'prim::data': OP.detach,
  'aten::detach': OP.detach,
  'prim::Print': OP.print,
  'prim::CreateObject': OP.createObject,
  'prim::Enter': OP.enter,
  'prim::Exit': OP.exit,
};

/** One executed node (or a fused group of nodes, see fusion.ts). */
export interface Step {
  readonly op: number;
  readonly node: Node;
  readonly ins: readonly number[];
  readonly outs: readonly number[];
  readonly blocks: readonly BlockPlan[];
  /** Slots whose last use is this step: released after it runs. */
  readonly release: readonly number[];
  /** The step may keep its tensors somewhere the slots do not count (containers, attributes). */
  readonly escapes: boolean;
  /** The value of a prim::Constant that can be shared between runs (not a mutable list). */
  readonly constant: IValue | undefined;
  /** A conv node and the nodes fused into it (OP.conv). */
  readonly conv: SlottedConvChain | undefined;
  /** The compiled operator, made on first execution (an op in an untaken branch never needs a kernel). */
  fn: OpFn | undefined;
}

/** A block: its steps, input and output slots, and what dies at its start and end. */
export interface BlockPlan {
  readonly steps: readonly Step[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Inputs nothing uses: released as soon as they are set. */
  readonly startRelease: readonly number[];
  /** Values of this block the block's outputs use: released once the outputs were taken. */
  readonly endRelease: readonly number[];
}

/** What the plan was built from, to notice later changes to the graph. */
interface Snapshot {
  readonly nodes: readonly Node[];
  readonly values: readonly Value[];
  readonly types: readonly Type[];
  readonly attrs: readonly unknown[];
}

/** A compiled graph. */
export interface GraphPlan {
  readonly graph: Graph;
  readonly block: BlockPlan;
  readonly slotCount: number;
  /** The value of each slot (for messages). */
  readonly values: readonly Value[];
  /** The operator compiler the steps' functions come from. */
  readonly compiler: unknown;
  readonly snapshot: Snapshot;
}

const END = -1;

// Types whose values never contain a tensor reference the slots cannot see.
function isPlain(t: Type): boolean {
  switch (t.kind) {
    case 'Tensor':
    case 'int':
    case 'float':
    case 'complex':
    case 'bool':
    case 'str':
    case 'None':
    case 'Device':
    case 'Number':
    case 'Layout':
    case 'ScalarType':
    case 'MemoryFormat':
      return true;
    case 'Optional':
      return isPlain(t.containedTypes()[0]);
    case 'List': {
      const k = t.containedTypes()[0].kind;
      return k === 'int' || k === 'float' || k === 'bool' || k === 'str';
    }
    default:
      return false;
  }
}

const NON_ESCAPING = new Set([
  OP.callMethod,
  OP.callFunction,
  OP.enter,
  OP.exit,
  OP.if,
  OP.loop,
  OP.fork,
  OP.passThrough,
]);

function escapes(node: Node, op: number): boolean {
  if (NON_ESCAPING.has(op as never)) return false;
  if (op === OP.setAttr || op === OP.listConstruct || op === OP.tupleConstruct || op === OP.dictConstruct)
    return true;
  return !node.inputs.every((v) => isPlain(v.type)) || !node.outputs.every((v) => isPlain(v.type));
}

function shareableConstant(node: Node): IValue | undefined {
  const v = constantValue(node);
  return Array.isArray(v) ? undefined : v;
}

class Builder {
  private readonly slots = new Map<Value, number>();
  private readonly home = new Map<Value, Block>();
  readonly snapshot: { nodes: Node[]; values: Value[]; types: Type[]; attrs: unknown[] } = {
    nodes: [],
    values: [],
    types: [],
    attrs: [],
  };

  slotCount(): number {
    return this.slots.size;
  }

  slotValues(): Value[] {
    return [...this.slots.keys()];
  }

  private slot(v: Value): number {
    let s = this.slots.get(v);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(v, s);
    }
    return s;
  }

  private record(node: Node): void {
    const snap = this.snapshot;
    snap.nodes.push(node);
    snap.values.push(...node.inputs, ...node.outputs);
    for (const v of node.inputs) snap.types.push(v.type);
    for (const v of node.outputs) snap.types.push(v.type);
    snap.attrs.push(node.kind === 'prim::Constant' ? node.attribute('value') : undefined);
  }

  block(block: Block): BlockPlan {
    for (const v of block.inputs) this.home.set(v, block);
    this.snapshot.values.push(...block.inputs, ...block.outputs);
    const nodes = [...block.nodes()];
    const steps: { node: Node; chain: ConvChain | undefined; blocks: BlockPlan[] }[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const chain = node.kind === 'aten::conv2d' ? findConvChain(node, nodes, i) : undefined;
      const group = chain ? chain.nodes : [node];
      for (const n of group) {
        this.record(n);
        for (const o of n.outputs) this.home.set(o, block);
      }
      steps.push({ node, chain, blocks: node.blocks.map((b) => this.block(b)) });
      i += group.length - 1;
    }
    // Last use of each value homed here: the index of the step using it (directly or inside a nested
    // block), END for the block's outputs; values never used die where they are defined.
    const last = new Map<Value, number>();
    steps.forEach((s, i) => {
      for (const n of s.chain ? s.chain.nodes : [s.node]) {
        for (const o of n.outputs) last.set(o, i);
        this.forEachUse(n, (v) => {
          if (this.home.get(v) === block) last.set(v, i);
        });
      }
    });
    for (const v of block.outputs) if (this.home.get(v) === block) last.set(v, END);
    const release: number[][] = steps.map(() => []);
    const endRelease: number[] = [];
    const startRelease: number[] = [];
    for (const v of block.inputs) if (!last.has(v)) startRelease.push(this.slot(v));
    for (const [v, i] of last) (i === END ? endRelease : release[i]).push(this.slot(v));
    return {
      steps: steps.map((s, i) => this.step(s.node, s.chain, s.blocks, release[i])),
      inputs: block.inputs.map((v) => this.slot(v)),
      outputs: block.outputs.map((v) => this.slot(v)),
      startRelease,
      endRelease,
    };
  }

  // Every value a node reads, including inside its nested blocks (their inputs are defined there).
  private forEachUse(node: Node, fn: (v: Value) => void): void {
    for (const v of node.inputs) fn(v);
    for (const b of node.blocks) {
      for (const n of b.nodes()) this.forEachUse(n, fn);
      for (const v of b.outputs) fn(v);
    }
  }

  private step(
    node: Node,
    chain: ConvChain | undefined,
    blocks: BlockPlan[],
    release: readonly number[],
  ): Step {
    const op = chain ? OP.conv : (OPCODES[node.kind] ?? OP.operator);
    const last = chain ? chain.nodes[chain.nodes.length - 1] : node;
    return {
      op,
      node,
      ins: node.inputs.map((v) => this.slot(v)),
      // A fused group's outputs: the conv's, then each fused node's (all hold the same tensor).
      outs: chain
        ? chain.nodes.flatMap((n) => n.outputs.map((v) => this.slot(v)))
        : last.outputs.map((v) => this.slot(v)),
      blocks,
      release,
      escapes: !chain && escapes(node, op),
      constant: op === OP.constant ? shareableConstant(node) : undefined,
      conv: chain?.withSlots((v) => this.slot(v)),
      fn: undefined,
    };
  }
}

/** Compiles `graph` into a plan whose operator steps will be compiled by `compiler`. */
export function buildPlan(graph: Graph, compiler: unknown): GraphPlan {
  const b = new Builder();
  const block = b.block(graph.block);
  return { graph, block, slotCount: b.slotCount(), values: b.slotValues(), compiler, snapshot: b.snapshot };
}

/** True when the graph still has exactly the nodes, inputs, outputs and types the plan was built from. */
export function planIsCurrent(plan: GraphPlan): boolean {
  const snap = plan.snapshot;
  let n = 0;
  let v = 0;
  let t = 0;
  const walk = (block: Block): boolean => {
    for (const x of block.inputs) if (snap.values[v++] !== x) return false;
    for (const x of block.outputs) if (snap.values[v++] !== x) return false;
    for (let node = block.firstNode; node !== null; node = nextNode(node)) {
      if (snap.nodes[n] !== node) return false;
      if (snap.attrs[n++] !== (node.kind === 'prim::Constant' ? node.attribute('value') : undefined))
        return false;
      for (const x of node.inputs) if (snap.values[v++] !== x || snap.types[t++] !== x.type) return false;
      for (const x of node.outputs) if (snap.values[v++] !== x || snap.types[t++] !== x.type) return false;
      for (const b of node.blocks) if (!walk(b)) return false;
    }
    return true;
  };
  return walk(plan.graph.block) && n === snap.nodes.length && v === snap.values.length;
}

// The node after `node` in its block, or null at the end (the block's return node is not a step).
function nextNode(node: Node): Node | null {
  const next = node.next;
  return next === null || next === node.owningBlock?.returnNode ? null : next;
}

/** True if `v` is a tensor (used by the interpreter's memory accounting). */
export function isTensorValue(v: IValue): v is Tensor {
  return v instanceof Tensor;
}
