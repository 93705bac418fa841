// Wires the interpreter to the module model and the operator table: running module methods and graphs.

import { RuntimeError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Type } from '../ir/types.js';
import type { FunctionRef, IValue, ObjectValue } from '../ir/ivalue.js';
import { ClassType } from '../module/class-type.js';
import { ScriptObject } from '../module/script-object.js';
import type { CompilationUnit } from '../module/compilation-unit.js';
import type { Function } from '../module/function.js';
import { setInterpreter } from '../module/hooks.js';
import { OperatorRegistry } from '../ops/index.js';
import { makeOpCompiler } from './dispatch.js';
import { Interpreter, type InterpreterHost, type OpFn } from './interpreter.js';

let sharedRegistry: OperatorRegistry | undefined;

/** The operator table the runtime uses unless given one (PyTorch's schemas, built once). */
export function defaultOperatorRegistry(): OperatorRegistry {
  sharedRegistry ??= new OperatorRegistry();
  return sharedRegistry;
}

// One operator compiler per registry, so interpreter plans (cached per graph, keyed by their compiler)
// survive from one module.forward() to the next.
const compilers = new WeakMap<OperatorRegistry, (node: Node) => OpFn>();

function compilerFor(registry: OperatorRegistry): (node: Node) => OpFn {
  let c = compilers.get(registry);
  if (c === undefined) compilers.set(registry, (c = makeOpCompiler(registry)));
  return c;
}

/** A host that finds methods through class types and free functions through their compilation units. */
export class ModuleHost implements InterpreterHost {
  readonly compileOp;
  private readonly units = new Set<CompilationUnit>();

  constructor(private readonly registry: OperatorRegistry = defaultOperatorRegistry()) {
    this.compileOp = compilerFor(registry);
  }

  schemaOf(node: Node): string | undefined {
    return this.registry.schemaForNode(node)?.toString();
  }

  /** Makes the free functions of `cu` callable. */
  addCompilationUnit(cu: CompilationUnit): void {
    this.units.add(cu);
  }

  methodGraph(object: ObjectValue, name: string): Graph {
    const type = object.type;
    if (!(type instanceof ClassType)) throw new RuntimeError('NO_METHOD', `${type.str()} has no methods`);
    this.units.add(type.cu);
    const method = type.findMethod(name);
    if (!method) throw new RuntimeError('NO_METHOD', `'${type.str()}' object has no method '${name}'`);
    return method.graph;
  }

  createObject(type: Type): ObjectValue {
    if (!(type instanceof ClassType))
      throw new RuntimeError('BAD_OBJECT', `cannot create an object of ${type.str()}`);
    this.units.add(type.cu);
    return new ScriptObject(type);
  }

  functionGraph(fn: FunctionRef): Graph {
    for (const cu of this.units) {
      const f = cu.findFunction(fn.qualifiedName);
      if (f) return f.graph;
    }
    throw new RuntimeError('NO_FUNCTION', `function ${fn.qualifiedName} is not defined`);
  }
}

/** Runs a bare graph with the default operator table. */
export function runGraph(
  graph: Graph,
  inputs: readonly IValue[],
  host: InterpreterHost = new ModuleHost(),
): IValue[] {
  return new Interpreter(host).run(graph, inputs);
}

/** Runs a Function on bound arguments (self first for methods). */
export function runFunction(fn: Function, args: readonly IValue[]): IValue {
  const host = new ModuleHost();
  if (fn.owner instanceof ClassType) host.addCompilationUnit(fn.owner.cu);
  const outs = new Interpreter(host).run(fn.graph, args);
  return outs.length === 1 ? outs[0] : outs;
}

/** Installs the interpreter into the module model so `module.forward(...)` runs. Idempotent. */
export function installRuntime(): void {
  setInterpreter((fn, args) => runFunction(fn, args));
}
