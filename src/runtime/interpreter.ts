// The graph interpreter: runs any Graph over IValues. Control flow, containers, objects and method calls
// are handled here; every aten:: node goes through the operator dispatcher to a kernel.

import { RuntimeError, UnsupportedError } from '../errors.js';
import type { Block } from '../ir/block.js';
import { constantValue } from '../ir/constants.js';
import type { Graph } from '../ir/graph.js';
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
import type { Value } from '../ir/value.js';
import { DTYPES } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Executes one non-prim node: inputs in, outputs out (an array when the node has several outputs). */
export type OpFn = (inputs: IValue[]) => IValue | IValue[];

/** Where the interpreter gets what it does not know itself. */
export interface InterpreterHost {
  /** Compiles an operator node (aten::*, and prim ops the interpreter does not handle) to a function. */
  compileOp(node: Node): OpFn;
  /** The graph of method `name` of `object`'s class. */
  methodGraph(object: ObjectValue, name: string): Graph;
  /** The graph of a free function. */
  functionGraph(fn: FunctionRef): Graph;
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

type Env = Map<Value, IValue>;

/** Runs graphs. One instance may run many graphs; compiled operator functions are cached per node. */
export class Interpreter {
  private readonly compiled = new WeakMap<Node, OpFn>();
  /** Depth of nested method calls, to report runaway recursion instead of overflowing the JS stack. */
  private depth = 0;

  constructor(private readonly host: InterpreterHost) {}

  /** Runs `graph` on `inputs` (the first input is `self` for methods); returns its outputs. */
  run(graph: Graph, inputs: readonly IValue[]): IValue[] {
    if (inputs.length !== graph.inputs.length) {
      throw new RuntimeError(
        'BAD_ARITY',
        `graph expects ${graph.inputs.length} inputs, got ${inputs.length}`,
      );
    }
    if (++this.depth > 200) {
      this.depth = 0;
      throw new RuntimeError('RECURSION', 'method calls nest more than 200 deep');
    }
    try {
      const env: Env = new Map();
      graph.inputs.forEach((v, i) => env.set(v, inputs[i]));
      return this.runBlock(graph.block, env);
    } finally {
      this.depth--;
    }
  }

  /** Calls method `name` of `object` with `args` (not counting self). */
  callMethod(object: ObjectValue, name: string, args: readonly IValue[]): IValue {
    const outs = this.run(this.host.methodGraph(object, name), [object, ...args]);
    return outs.length === 1 ? outs[0] : new Tuple(outs);
  }

  private runBlock(block: Block, env: Env): IValue[] {
    for (const node of block.nodes()) this.execute(node, env);
    return block.outputs.map((v) => read(env, v));
  }

  private execute(node: Node, env: Env): void {
    const inputs = (): IValue[] => node.inputs.map((v) => read(env, v));
    const set = (values: readonly IValue[]): void => node.outputs.forEach((o, i) => env.set(o, values[i]));
    switch (node.kind) {
      case 'prim::Constant':
        env.set(node.output(), constantValue(node));
        return;
      case 'prim::GetAttr': {
        const obj = read(env, node.input());
        env.set(node.output(), asObject(obj, node).getAttr(node.s('name')));
        return;
      }
      // A ModuleList/ModuleDict indexed at run time: the submodule named by the index ("0", "1", ...) or key.
      case 'prim::ModuleContainerIndex': {
        const [container, key] = inputs();
        env.set(node.output(), asObject(container, node).getAttr(String(key)));
        return;
      }
      // fork runs its block now; the Future it returns is represented by the value itself, which
      // aten::wait returns (TorchScript allows a forked task to run synchronously).
      case 'prim::fork':
        set(this.runBlock(node.blocks[0], env));
        return;
      case 'aten::wait':
        env.set(node.output(), read(env, node.input()));
        return;
      case 'prim::SetAttr': {
        const [obj, value] = inputs();
        asObject(obj, node).setAttr(node.s('name'), value);
        return;
      }
      case 'prim::CallMethod': {
        const [obj, ...args] = inputs();
        set(this.run(this.host.methodGraph(asObject(obj, node), node.s('name')), [obj, ...args]));
        return;
      }
      case 'prim::CallFunction': {
        const [fn, ...args] = inputs();
        if (!(fn instanceof FunctionRef))
          throw new RuntimeError('BAD_CALL', 'prim::CallFunction on a non-function');
        set(this.run(this.host.functionGraph(fn), args));
        return;
      }
      case 'prim::If': {
        const cond = read(env, node.input());
        set(this.runBlock(node.blocks[cond ? 0 : 1], env));
        return;
      }
      case 'prim::Loop':
        set(this.runLoop(node, env));
        return;
      case 'prim::TupleConstruct': {
        const t = node.output().type;
        env.set(node.output(), new Tuple(inputs(), t instanceof TupleType && t.names ? t : undefined));
        return;
      }
      case 'prim::TupleUnpack':
        set(asTuple(read(env, node.input()), node).items);
        return;
      case 'prim::TupleIndex': {
        const [t, i] = inputs();
        const items = asTuple(t, node).items;
        env.set(node.output(), items[normalizeIndex(Number(i), items.length)]);
        return;
      }
      case 'prim::TupleSlice': {
        const items = asTuple(read(env, node.input()), node).items;
        env.set(node.output(), new Tuple(items.slice(Number(node.i('beg')), Number(node.i('end')))));
        return;
      }
      case 'prim::ListConstruct':
        env.set(node.output(), inputs());
        return;
      case 'prim::ListUnpack': {
        const list = read(env, node.input());
        if (!Array.isArray(list) || list.length !== node.outputs.length) {
          throw new RuntimeError('UNPACK', `expected ${node.outputs.length} values to unpack`);
        }
        set(list);
        return;
      }
      case 'prim::DictConstruct': {
        const args = inputs();
        const dict = new Map<DictKey, IValue>();
        for (let i = 0; i < args.length; i += 2) dict.set(args[i] as DictKey, args[i + 1]);
        env.set(node.output(), dict);
        return;
      }
      case 'prim::RaiseException': {
        const [message, cls] = inputs();
        throw new ScriptException(typeof cls === 'string' ? cls : 'builtins.RuntimeError', String(message));
      }
      case 'prim::Uninitialized':
        env.set(node.output(), null);
        return;
      case 'prim::unchecked_cast':
        env.set(node.output(), read(env, node.input()));
        return;
      case 'prim::isinstance':
        env.set(node.output(), isInstance(read(env, node.input()), node.input().type, node));
        return;
      case 'prim::device': {
        const t = read(env, node.input());
        env.set(node.output(), Device.parse(t instanceof Tensor ? t.device : 'cpu'));
        return;
      }
      case 'prim::dtype':
        env.set(node.output(), DTYPES[asTensor(read(env, node.input()), node).dtype].scalarType);
        return;
      case 'prim::requires_grad':
        env.set(node.output(), asTensor(read(env, node.input()), node).requiresGrad);
        return;
      case 'prim::is_cuda':
      case 'prim::is_nested':
      case 'prim::is_sparse':
      case 'prim::is_quantized':
      case 'prim::is_mkldnn':
      case 'prim::is_meta':
        env.set(node.output(), false);
        return;
      case 'prim::data':
      // A new tensor object on the same storage: `x.detach() is x` is False in TorchScript.
      case 'aten::detach':
        env.set(node.output(), asTensor(read(env, node.input()), node).detach());
        return;
      case 'prim::Print':
        return;
      default: {
        let fn = this.compiled.get(node);
        if (!fn) {
          fn = this.host.compileOp(node);
          this.compiled.set(node, fn);
        }
        const result = fn(inputs());
        // A schema with several returns gives a node with several outputs; one output takes the value as is.
        if (node.outputs.length === 1) env.set(node.output(), result as IValue);
        else if (node.outputs.length > 1) set(result as IValue[]);
      }
    }
  }

  // prim::Loop(max_trip_count, initial_condition, carried...) with body (i, carried...) -> (cond, carried...).
  private runLoop(node: Node, env: Env): IValue[] {
    const [maxTrip, initialCond, ...initial] = node.inputs.map((v) => read(env, v));
    const body = node.blocks[0];
    let carried = initial;
    let cond = Boolean(initialCond);
    const limit = typeof maxTrip === 'bigint' ? Number.MAX_SAFE_INTEGER : Number(maxTrip);
    for (let i = 0; cond && i < limit; i++) {
      env.set(body.inputs[0], i);
      body.inputs.slice(1).forEach((v, k) => env.set(v, carried[k]));
      const [next, ...rest] = this.runBlock(body, env);
      cond = Boolean(next);
      carried = rest;
    }
    return carried;
  }
}

function read(env: Env, v: Value): IValue {
  const x = env.get(v);
  if (x === undefined)
    throw new RuntimeError('UNDEFINED_VALUE', `value %${v.debugName} is used before it has a value`);
  return x;
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
    if (Array.isArray(v)) return t.kind === 'List';
    if (v instanceof Map) return t.kind === 'Dict';
    if (v instanceof Tuple) return t.kind === 'Tuple';
    if (isObjectValue(v)) return v.type.equals(t);
    return false;
  });
}
