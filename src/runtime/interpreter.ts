// The graph interpreter: runs any Graph over IValues. Graphs are compiled to plans (plan.ts: slots,
// opcodes, last uses) and cached; a run walks the plan's steps over one frame array. Control flow,
// containers, objects and method calls are handled here; operator nodes go through the host's compiled
// kernels. The memory plan: each slot holding a tensor whose buffer was allocated during the run counts
// as a reference to that buffer, and when the last one dies the buffer goes back to the pool
// (tensor/buffer-pool.ts) for the next allocation of the same size.

import { RuntimeError, TsFreezeError, UnsupportedError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { constantValue } from '../ir/constants.js';
import {
  Device,
  FunctionRef,
  Tuple,
  isObjectValue,
  type DictKey,
  type IValue,
  type ObjectValue,
} from '../ir/ivalue.js';
import type { Node } from '../ir/node.js';
import { isSubtypeOf, TupleType, type Type } from '../ir/types.js';
import {
  closeArena,
  escapeBuffer,
  holdBuffer,
  openArena,
  releaseBuffer,
  type Arena,
} from '../tensor/buffer-pool.js';
import { DTYPES } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { runConvChain } from './fusion.js';
import { isNestedTensor } from './kernels/nested-padded.js';
import {
  buildPlan,
  OP,
  planIsCurrent,
  type BlockPlan,
  type GraphPlan,
  type OpFn,
  type Step,
} from './plan.js';

export type { OpFn } from './plan.js';

/** Where the interpreter gets what it does not know itself. */
export interface InterpreterHost {
  /** Compiles an operator node (aten::*, and prim ops the interpreter does not handle) to a function. */
  compileOp(node: Node): OpFn;
  /** The graph of method `name` of `object`'s class. */
  methodGraph(object: ObjectValue, name: string): Graph;
  /** The graph of a free function. */
  functionGraph(fn: FunctionRef): Graph;
  /** A new object of a class with no attribute set yet (prim::CreateObject; `__init__` runs next). */
  createObject(type: Type): ObjectValue;
  /** The schema an operator node resolves to, for error messages. */
  schemaOf?(node: Node): string | undefined;
}

/** Raised by `raise` in TorchScript: carries PyTorch's exception class and message. */
export class ScriptException extends RuntimeError {
  constructor(
    readonly pythonClass: string,
    readonly scriptMessage: string,
  ) {
    super('SCRIPT_EXCEPTION', `${pythonClass.replace(/^builtins\./, '')}: ${scriptMessage}`);
  }
}

/** Plans by graph, shared by all interpreters (a plan records which operator compiler it used). */
const plans = new WeakMap<Graph, GraphPlan>();

/** One running graph: its value slots and the buffers they hold (for the memory plan). */
interface Frame {
  readonly plan: GraphPlan;
  readonly regs: IValue[];
  readonly held: ({ readonly buffer: ArrayBufferLike } | undefined)[];
  /** Objects of `with` statements entered and not yet exited, innermost last. */
  readonly entered: ObjectValue[];
}

/** Runs graphs. One instance may run many graphs. */
export class Interpreter {
  /** Depth of nested method calls, to report runaway recursion instead of overflowing the JS stack. */
  private depth = 0;
  private arena: Arena | null = null;
  private readonly compile: (node: Node) => OpFn;

  constructor(private readonly host: InterpreterHost) {
    this.compile = (node) => host.compileOp(node);
  }

  /** Runs `graph` on `inputs` (the first input is `self` for methods); returns its outputs. */
  run(graph: Graph, inputs: readonly IValue[]): IValue[] {
    if (inputs.length !== graph.inputs.length) {
      throw new RuntimeError(
        'BAD_ARITY',
        `graph expects ${graph.inputs.length} inputs, got ${inputs.length}`,
      );
    }
    const outer = this.depth === 0;
    if (outer) this.arena = openArena();
    try {
      const outs = this.runGraph(graph, inputs);
      // What leaves the interpreter is the caller's: never recycle it.
      if (outer) for (const v of outs) escapeDeep(v);
      return outs;
    } finally {
      if (outer) {
        closeArena(this.arena!);
        this.arena = null;
      }
    }
  }

  /** Calls method `name` of `object` with `args` (not counting self). */
  callMethod(object: ObjectValue, name: string, args: readonly IValue[]): IValue {
    const outs = this.run(this.host.methodGraph(object, name), [object, ...args]);
    return outs.length === 1 ? outs[0] : new Tuple(outs);
  }

  private planOf(graph: Graph): GraphPlan {
    let plan = plans.get(graph);
    if (plan === undefined || plan.compiler !== this.host.compileOp || !planIsCurrent(plan)) {
      plan = buildPlan(graph, this.host.compileOp);
      plans.set(graph, plan);
    }
    return plan;
  }

  // Runs one graph in a new frame; its outputs come back each holding one reference for the caller.
  private runGraph(graph: Graph, inputs: readonly IValue[]): IValue[] {
    if (++this.depth > 200) {
      this.depth = 0;
      throw new RuntimeError('RECURSION', 'method calls nest more than 200 deep');
    }
    try {
      const plan = this.planOf(graph);
      const frame: Frame = {
        plan,
        regs: new Array<IValue>(plan.slotCount),
        held: new Array<undefined>(plan.slotCount),
        entered: [],
      };
      const top = plan.block;
      for (let i = 0; i < inputs.length; i++) this.put(frame, top.inputs[i], inputs[i]);
      this.releaseAll(frame, top.startRelease);
      try {
        return this.runBlock(frame, top);
      } catch (e) {
        this.exitOnError(frame);
        throw e;
      }
    } finally {
      this.depth--;
    }
  }

  // Runs a block's steps; returns its outputs, each pinned (one extra reference) for whoever takes them.
  private runBlock(frame: Frame, block: BlockPlan): IValue[] {
    const steps = block.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      this.execute(step, frame);
      if (step.escapes) this.escapeStep(step, frame);
      const release = step.release;
      for (let k = 0; k < release.length; k++) this.release(frame, release[k]);
    }
    const outs = new Array<IValue>(block.outputs.length);
    for (let i = 0; i < outs.length; i++) {
      outs[i] = read(frame, block.outputs[i]);
      this.pin(outs[i]);
    }
    this.releaseAll(frame, block.endRelease);
    return outs;
  }

  // ---- the memory plan's bookkeeping ----------------------------------------------------------

  private put(frame: Frame, slot: number, v: IValue): void {
    if (frame.held[slot] !== undefined) this.release(frame, slot);
    frame.regs[slot] = v;
    if (v instanceof Tensor && holdBuffer(this.arena!, v.storage.data)) frame.held[slot] = v.storage.data;
  }

  // Stores a value that already carries a reference for this slot (a pinned block or call output).
  private adopt(frame: Frame, slot: number, v: IValue): void {
    if (frame.held[slot] !== undefined) this.release(frame, slot);
    frame.regs[slot] = v;
    if (v instanceof Tensor && this.arena!.owned.has(v.storage.data.buffer))
      frame.held[slot] = v.storage.data;
  }

  private pin(v: IValue): void {
    if (v instanceof Tensor) holdBuffer(this.arena!, v.storage.data);
  }

  private unpin(v: IValue): void {
    if (v instanceof Tensor) releaseBuffer(this.arena!, v.storage.data);
  }

  private release(frame: Frame, slot: number): void {
    const data = frame.held[slot];
    frame.regs[slot] = undefined as unknown as IValue;
    if (data === undefined) return;
    frame.held[slot] = undefined;
    releaseBuffer(this.arena!, data);
  }

  private releaseAll(frame: Frame, slots: readonly number[]): void {
    for (let i = 0; i < slots.length; i++) this.release(frame, slots[i]);
  }

  // A step that may store its tensors where no slot counts them: none of them is recycled.
  private escapeStep(step: Step, frame: Frame): void {
    for (const s of step.ins) escapeDeep(frame.regs[s]);
    for (const s of step.outs) escapeDeep(frame.regs[s]);
  }

  // ---- steps ------------------------------------------------------------------------------------

  private setOutputs(step: Step, frame: Frame, values: readonly IValue[]): void {
    for (let i = 0; i < step.outs.length; i++) this.put(frame, step.outs[i], values[i]);
  }

  private adoptOutputs(step: Step, frame: Frame, values: readonly IValue[]): void {
    for (let i = 0; i < step.outs.length; i++) this.adopt(frame, step.outs[i], values[i]);
  }

  private args(step: Step, frame: Frame): IValue[] {
    const ins = step.ins;
    const out = new Array<IValue>(ins.length);
    for (let i = 0; i < ins.length; i++) out[i] = read(frame, ins[i]);
    return out;
  }

  private execute(step: Step, frame: Frame): void {
    const node = step.node;
    switch (step.op) {
      case OP.constant:
        this.put(frame, step.outs[0], step.constant !== undefined ? step.constant : constantValue(node));
        return;
      case OP.getAttr:
        this.put(frame, step.outs[0], asObject(read(frame, step.ins[0]), node).getAttr(node.s('name')));
        return;
      // A ModuleList/ModuleDict indexed at run time: the submodule named by the index ("0", "1", ...) or key.
      case OP.containerIndex: {
        const container = asObject(read(frame, step.ins[0]), node);
        this.put(frame, step.outs[0], container.getAttr(String(read(frame, step.ins[1]))));
        return;
      }
      // fork runs its block now; the Future it returns is represented by the value itself, which
      // aten::wait returns (TorchScript allows a forked task to run synchronously).
      case OP.fork:
        this.adoptOutputs(step, frame, this.runBlock(frame, step.blocks[0]));
        return;
      case OP.passThrough:
        this.put(frame, step.outs[0], read(frame, step.ins[0]));
        return;
      case OP.setAttr:
        asObject(read(frame, step.ins[0]), node).setAttr(node.s('name'), read(frame, step.ins[1]));
        return;
      case OP.callMethod: {
        const args = this.args(step, frame);
        const graph = this.host.methodGraph(asObject(args[0], node), node.s('name'));
        this.adoptOutputs(step, frame, this.callGraph(graph, args, node));
        return;
      }
      case OP.callFunction: {
        const [fn, ...args] = this.args(step, frame);
        if (!(fn instanceof FunctionRef))
          throw new RuntimeError('BAD_CALL', 'prim::CallFunction on a non-function');
        this.adoptOutputs(step, frame, this.callGraph(this.host.functionGraph(fn), args, node));
        return;
      }
      case OP.createObject:
        this.put(frame, step.outs[0], this.host.createObject(node.output().type));
        return;
      // prim::Enter pushes the object on the entered stack, then calls its __enter__ (the `as` value).
      case OP.enter: {
        const object = asObject(read(frame, step.ins[0]), node);
        frame.entered.push(object);
        this.adoptOutputs(
          step,
          frame,
          this.callGraph(this.host.methodGraph(object, '__enter__'), [object], node),
        );
        return;
      }
      // prim::Exit calls __exit__(None, None, None) of the innermost entered object.
      case OP.exit: {
        const object = frame.entered.pop();
        if (!object) throw new RuntimeError('BAD_EXIT', 'prim::Exit without a matching prim::Enter');
        const outs = this.callGraph(
          this.host.methodGraph(object, '__exit__'),
          [object, null, null, null],
          node,
        );
        this.adoptOutputs(step, frame, outs.length ? outs : [null]);
        return;
      }
      case OP.if: {
        const cond = read(frame, step.ins[0]);
        this.adoptOutputs(step, frame, this.runBlock(frame, step.blocks[cond ? 0 : 1]));
        return;
      }
      case OP.loop:
        this.runLoop(step, frame);
        return;
      case OP.tupleConstruct: {
        const t = node.output().type;
        this.put(
          frame,
          step.outs[0],
          new Tuple(this.args(step, frame), t instanceof TupleType && t.names ? t : undefined),
        );
        return;
      }
      case OP.tupleUnpack:
        this.setOutputs(step, frame, asTuple(read(frame, step.ins[0]), node).items);
        return;
      case OP.tupleIndex: {
        const items = asTuple(read(frame, step.ins[0]), node).items;
        this.put(frame, step.outs[0], items[normalizeIndex(Number(read(frame, step.ins[1])), items.length)]);
        return;
      }
      case OP.tupleSlice: {
        const items = asTuple(read(frame, step.ins[0]), node).items;
        this.put(frame, step.outs[0], new Tuple(items.slice(Number(node.i('beg')), Number(node.i('end')))));
        return;
      }
      case OP.listConstruct:
        this.put(frame, step.outs[0], this.args(step, frame));
        return;
      case OP.listUnpack: {
        const list = read(frame, step.ins[0]);
        if (!Array.isArray(list) || list.length !== step.outs.length) {
          throw new RuntimeError('UNPACK', `expected ${step.outs.length} values to unpack`);
        }
        this.setOutputs(step, frame, list);
        return;
      }
      case OP.dictConstruct: {
        const args = this.args(step, frame);
        const dict = new Map<DictKey, IValue>();
        for (let i = 0; i < args.length; i += 2) dict.set(args[i] as DictKey, args[i + 1]);
        this.put(frame, step.outs[0], dict);
        return;
      }
      case OP.raise: {
        const [message, cls] = this.args(step, frame);
        throw new ScriptException(typeof cls === 'string' ? cls : 'builtins.RuntimeError', String(message));
      }
      case OP.none:
        this.put(frame, step.outs[0], null);
        return;
      case OP.isInstance:
        this.put(frame, step.outs[0], isInstance(read(frame, step.ins[0]), node.input().type, node));
        return;
      case OP.device: {
        const t = read(frame, step.ins[0]);
        this.put(frame, step.outs[0], Device.parse(t instanceof Tensor ? t.device : 'cpu'));
        return;
      }
      case OP.dtype:
        this.put(frame, step.outs[0], DTYPES[asTensor(read(frame, step.ins[0]), node).dtype].scalarType);
        return;
      case OP.requiresGrad:
        this.put(frame, step.outs[0], asTensor(read(frame, step.ins[0]), node).requiresGrad);
        return;
      case OP.alwaysFalse:
        this.put(frame, step.outs[0], false);
        return;
      case OP.isNested:
        this.put(frame, step.outs[0], isNestedTensor(read(frame, step.ins[0])));
        return;
      // A new tensor object on the same storage: `x.detach() is x` is False in TorchScript.
      case OP.detach:
        this.put(frame, step.outs[0], asTensor(read(frame, step.ins[0]), node).detach());
        return;
      case OP.print:
        return;
      case OP.conv: {
        const y = runConvChain(step.conv!, frame.regs, this.compile);
        for (let i = 0; i < step.outs.length; i++) this.put(frame, step.outs[i], y);
        return;
      }
      default: {
        let result: IValue | IValue[];
        try {
          const fn = (step.fn ??= this.host.compileOp(node));
          result = fn(this.args(step, frame));
        } catch (e) {
          throw withNodeContext(e, node, this.host);
        }
        // A schema with several returns gives a node with several outputs; one output takes the value as is.
        if (step.outs.length === 1) this.put(frame, step.outs[0], result as IValue);
        else if (step.outs.length > 1) this.setOutputs(step, frame, result as IValue[]);
      }
    }
  }

  // An exception leaving a frame runs __exit__ of the objects it entered, innermost first; what those
  // raise is dropped, as PyTorch's interpreter does, so the original error propagates.
  private exitOnError(frame: Frame): void {
    for (let object = frame.entered.pop(); object; object = frame.entered.pop()) {
      try {
        this.runGraph(this.host.methodGraph(object, '__exit__'), [object, null, null, null]);
      } catch {
        // the first error wins
      }
    }
  }

  // A call: an error inside gets the call site's source line appended, like a Python traceback.
  private callGraph(graph: Graph, args: readonly IValue[], node: Node): IValue[] {
    try {
      return this.runGraph(graph, args);
    } catch (e) {
      throw withCallSite(e, node);
    }
  }

  // prim::Loop(max_trip_count, initial_condition, carried...) with body (i, carried...) -> (cond, carried...).
  private runLoop(step: Step, frame: Frame): void {
    const maxTrip = read(frame, step.ins[0]);
    let cond = Boolean(read(frame, step.ins[1]));
    let carried: IValue[] = [];
    for (let k = 2; k < step.ins.length; k++) carried.push(read(frame, step.ins[k]));
    let pinned = false; // the initial values are the outer slots'; later ones carry a pin each
    const body = step.blocks[0];
    const limit = typeof maxTrip === 'bigint' ? Number.MAX_SAFE_INTEGER : Number(maxTrip);
    for (let i = 0; cond && i < limit; i++) {
      this.put(frame, body.inputs[0], i);
      for (let k = 0; k < carried.length; k++) this.put(frame, body.inputs[k + 1], carried[k]);
      if (pinned) for (const v of carried) this.unpin(v);
      this.releaseAll(frame, body.startRelease);
      const [next, ...rest] = this.runBlock(frame, body);
      this.unpin(next);
      cond = Boolean(next);
      carried = rest;
      pinned = true;
    }
    if (!pinned) for (const v of carried) this.pin(v);
    this.adoptOutputs(step, frame, carried);
  }
}

function read(frame: Frame, slot: number): IValue {
  const x = frame.regs[slot];
  if (x === undefined) {
    const name = frame.plan.values[slot].debugName;
    throw new RuntimeError('UNDEFINED_VALUE', `value %${name} is used before it has a value`);
  }
  return x;
}

// Marks every tensor reachable from `v` (through lists, tuples, dicts) as never to be recycled.
function escapeDeep(v: IValue, depth = 0): void {
  if (v instanceof Tensor) escapeBuffer(v.storage.data);
  else if (depth > 64) return;
  else if (Array.isArray(v)) for (const x of v as IValue[]) escapeDeep(x, depth + 1);
  else if (v instanceof Tuple) for (const x of v.items) escapeDeep(x, depth + 1);
  else if (v instanceof Map)
    for (const [k, x] of v) {
      escapeDeep(k, depth + 1);
      escapeDeep(x, depth + 1);
    }
}

function asObject(v: IValue, node: Node): ObjectValue {
  if (!isObjectValue(v))
    throw new RuntimeError('NOT_AN_OBJECT', `${node.kind} on a value that is not an object`);
  return v;
}

function asTuple(v: IValue, node: Node): Tuple {
  if (!(v instanceof Tuple))
    throw new RuntimeError('NOT_A_TUPLE', `${node.kind} on a value that is not a tuple`);
  return v;
}

function asTensor(v: IValue, node: Node): Tensor {
  if (!(v instanceof Tensor))
    throw new RuntimeError('NOT_A_TENSOR', `${node.kind} on a value that is not a tensor`);
  return v;
}

function normalizeIndex(i: number, length: number): number {
  const k = i < 0 ? i + length : i;
  if (k < 0 || k >= length) throw new RuntimeError('INDEX_ERROR', 'IndexError: tuple index out of range');
  return k;
}

// prim::isinstance[types=[...]]: checks the runtime value against the listed types.
function isInstance(v: IValue, staticType: Type, node: Node): boolean {
  const attr = node.attribute('types');
  if (!attr || attr.kind !== 'tys') throw new UnsupportedError('prim::isinstance without a types attribute');
  return attr.value.some((t) => {
    if (v === null) return t.kind === 'None';
    if (v instanceof Tensor) return t.kind === 'Tensor';
    if (typeof v === 'boolean') return t.kind === 'bool';
    if (typeof v === 'string') return t.kind === 'str';
    if (typeof v === 'number' || typeof v === 'bigint')
      return t.kind === 'int' || t.kind === 'float' ? isSubtypeOf(staticType, t) || t.kind === 'int' : false;
    if (Array.isArray(v)) return t.kind === 'List' || t.kind === 'AnyList';
    if (v instanceof Map) return t.kind === 'Dict';
    if (v instanceof Tuple) return t.kind === 'Tuple' || t.kind === 'AnyTuple';
    if (isObjectValue(v)) return v.type.equals(t);
    return false;
  });
}

// Errors already annotated with the failing node, and how many call sites they list.
const ANNOTATED = new WeakSet<Error>();
const CALL_LINES = new WeakMap<Error, number>();
const MAX_CALL_LINES = 12;

/**
 * An error from running an operator node, annotated once with the op, its schema and the source line it
 * was emitted from (`code/__torch__/torchvision/ops/boxes.py:138:9`), so a missing or failing kernel can be
 * found in the model's code.
 */
function withNodeContext(e: unknown, node: Node, host: InterpreterHost): unknown {
  if (!(e instanceof TsFreezeError) || ANNOTATED.has(e)) return e;
  ANNOTATED.add(e);
  const schema = host.schemaOf?.(node);
  const op = schema && !e.message.includes(schema) ? `${node.kind} (${schema})` : node.kind;
  e.message += `\n  in ${op}${node.sourceRange ? ` at ${node.sourceRange}` : ''}`;
  return e;
}

// A method or function call an error passed through, as a traceback line.
function withCallSite(e: unknown, node: Node): unknown {
  if (!(e instanceof TsFreezeError) || !node.sourceRange) return e;
  const lines = CALL_LINES.get(e) ?? 0;
  if (lines < MAX_CALL_LINES) e.message += `\n  called from ${node.sourceRange}`;
  CALL_LINES.set(e, lines + 1);
  return e;
}
