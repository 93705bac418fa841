// A TorchScript function: a method of a class (first graph input is `self`) or a free function, with
// the signature used to bind call arguments (PyTorch's torch::jit::Function / GraphFunction).

import { TsFreezeError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { IValue } from '../ir/ivalue.js';
import type { NamedClassType, Type } from '../ir/types.js';
import { ModuleErrorCode } from './errors.js';
import { describeForError, isValueOfType } from './value-types.js';

/** One formal argument of a function. */
export interface FunctionArgument {
  readonly name: string;
  readonly type: Type;
  /** Used when the caller leaves the argument out. `undefined` = required. */
  readonly defaultValue?: IValue;
  /** Keyword-only (after `*` in Python). */
  readonly kwargOnly?: boolean;
}

/** Arguments (including `self` for methods) and return types. */
export interface FunctionSignature {
  readonly arguments: readonly FunctionArgument[];
  readonly returns: readonly Type[];
}

/** What a Function is made from. */
export interface FunctionInit {
  /** Unqualified name: `forward`. */
  readonly name: string;
  readonly graph: Graph;
  /** The class a method belongs to; absent for free functions. */
  readonly owner?: NamedClassType;
  /** Qualified name of a free function (`__torch__.helper`); methods derive theirs from the owner. */
  readonly qualifiedName?: string;
  /** Argument names, defaults and keyword-only marks; derived from the graph when absent. */
  readonly signature?: FunctionSignature;
  /** TorchScript source of the function, when known (from a `.pt` file). */
  readonly sourceCode?: string;
}

// PyTorch names schema arguments after graph inputs without the `.N` uniquing suffix.
function argumentName(debugName: string, index: number): string {
  if (/^\d+$/.test(debugName)) return `arg${index}`;
  return debugName.replace(/\.\d+$/, '');
}

/** A callable graph: a method (`owner` set, graph input 0 is `self`) or a free function. */
export class Function {
  readonly name: string;
  /** The class this method belongs to, or null for a free function. */
  readonly owner: NamedClassType | null;
  /** The body. Passes rewrite it in place or swap in a new graph. */
  graph: Graph;
  /** TorchScript source text, when known. */
  sourceCode: string | undefined;
  private readonly explicitSignature: FunctionSignature | undefined;
  private readonly freeName: string | undefined;

  constructor(init: FunctionInit) {
    this.name = init.name;
    this.owner = init.owner ?? null;
    this.graph = init.graph;
    this.sourceCode = init.sourceCode;
    this.explicitSignature = init.signature;
    this.freeName = init.qualifiedName;
    if (init.signature && init.signature.arguments.length !== init.graph.inputs.length) {
      throw new TsFreezeError(
        ModuleErrorCode.BAD_METHOD,
        `${this.qualifiedName}: the signature has ${init.signature.arguments.length} arguments but the graph takes ${init.graph.inputs.length} inputs`,
      );
    }
  }

  /** `__torch__.MyModule.forward` for methods; the given name for free functions. */
  get qualifiedName(): string {
    if (this.owner) return `${this.owner.qualifiedName}.${this.name}`;
    return this.freeName ?? this.name;
  }

  /** True for methods (the graph's first input is `self`). */
  get isMethod(): boolean {
    return this.owner !== null;
  }

  /** The explicit signature, or one read off the graph: input names without `.N`, input and output types. */
  get signature(): FunctionSignature {
    if (this.explicitSignature) return this.explicitSignature;
    return {
      arguments: this.graph.inputs.map((v, i) => ({ name: argumentName(v.debugName, i), type: v.type })),
      returns: this.graph.outputs.map((v) => v.type),
    };
  }

  /** Number of arguments a caller supplies (without `self` for methods). */
  get userArgumentCount(): number {
    return this.signature.arguments.length - (this.isMethod ? 1 : 0);
  }

  /**
   * Matches positional `args` (including `self` for methods) and keyword `kwargs` to the signature,
   * fills defaults and checks types. Throws BAD_ARGUMENTS with a Python-like message.
   */
  bindArguments(args: readonly IValue[], kwargs: Readonly<Record<string, IValue>> = {}): IValue[] {
    const formals = this.signature.arguments;
    const shown = (n: number): number => n - (this.isMethod ? 1 : 0);
    const positional = formals.filter((a) => !a.kwargOnly).length;
    const fail = (message: string): TsFreezeError =>
      new TsFreezeError(ModuleErrorCode.BAD_ARGUMENTS, `${this.name}() ${message}`);
    if (args.length > positional) {
      throw fail(`takes ${shown(positional)} positional arguments but ${shown(args.length)} were given`);
    }
    const byName = new Map(formals.map((a, i) => [a.name, i]));
    for (const key of Object.keys(kwargs)) {
      const at = byName.get(key);
      if (at === undefined) throw fail(`got an unexpected keyword argument '${key}'`);
      if (at < args.length) throw fail(`got multiple values for argument '${key}'`);
    }
    return formals.map((formal, i) => {
      let value: IValue | undefined;
      if (i < args.length) value = args[i];
      else if (Object.prototype.hasOwnProperty.call(kwargs, formal.name)) value = kwargs[formal.name];
      else value = formal.defaultValue;
      if (value === undefined) throw fail(`is missing argument '${formal.name}'`);
      if (!isValueOfType(value, formal.type)) {
        throw fail(
          `expected a value of type ${formal.type.str()} for argument '${formal.name}', got ${describeForError(value)}`,
        );
      }
      return value;
    });
  }

  /**
   * A copy of this function for another class (a cloned type): `graph` is the already copied body,
   * `mapType` rewrites the types of an explicit signature the same way the graph was rewritten.
   */
  rebind(owner: NamedClassType | null, graph: Graph, mapType: (t: Type) => Type = (t) => t): Function {
    const sig = this.explicitSignature;
    return new Function({
      name: this.name,
      graph,
      owner: owner ?? undefined,
      qualifiedName: this.freeName,
      sourceCode: this.sourceCode,
      signature: sig && {
        arguments: sig.arguments.map((a) => ({ ...a, type: mapType(a.type) })),
        returns: sig.returns.map(mapType),
      },
    });
  }

  toString(): string {
    const args = this.signature.arguments.map((a) => `${a.name}: ${a.type.annotationStr()}`).join(', ');
    const rets = this.signature.returns.map((t) => t.annotationStr());
    return `${this.qualifiedName}(${args}) -> ${rets.length === 1 ? rets[0] : `Tuple[${rets.join(', ')}]`}`;
  }
}
