// A fluent builder for modules (and plain TorchScript class objects): declare parameters, buffers,
// submodules, attributes, constants and methods (as IR text or graphs) in a few lines, then build().

import { UnsupportedError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { IValue } from '../ir/ivalue.js';
import { BoolType, NamedClassType, NoneType, TensorTensor, type Type } from '../ir/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { ClassType, type SlotKind } from './class-type.js';
import { CompilationUnit } from './compilation-unit.js';
import { duplicateMember } from './errors.js';
import type { FunctionSignature } from './function.js';
import { parseMethodGraph } from './method-text.js';
import { baseName, qualifyName } from './qualified-name.js';
import { ScriptObject } from './script-object.js';
import { ScriptModule } from './script-module.js';
import { classTypeMapper, inferValueType } from './value-types.js';

/** How a builder lays out and registers the class. */
export interface ModuleBuilderOptions {
  /** Compilation unit for the new class; a fresh one when absent. A taken name gets mangled. */
  readonly cu?: CompilationUnit;
  /**
   * Attribute order. `'pytorch'` (default): parameters, buffers, `training`, other attributes, then
   * submodules, each group in call order, as torch.jit.script lays a module out. `'declaration'`: call order.
   */
  readonly order?: 'pytorch' | 'declaration';
}

/** A method body: IR text, a ready graph, or a function making the graph once the class exists. */
export type MethodBody = string | Graph | ((cls: ClassType) => Graph);

/** Extras for a method. */
export interface MethodOptions {
  /** Argument names and defaults; its first argument is `self` and gets the built class as its type. */
  readonly signature?: FunctionSignature;
  readonly sourceCode?: string;
  /** File name shown in IR parse errors. */
  readonly file?: string;
}

interface AttributeEntry {
  readonly name: string;
  readonly kind: SlotKind;
  readonly value: IValue;
  readonly type: Type | undefined;
}

const GROUP: Record<SlotKind, number> = { parameter: 0, buffer: 1, attribute: 3, module: 4 };

/** Builds a ScriptModule (moduleBuilder) or ScriptObject (classBuilder). Each call returns the builder. */
export class ModuleBuilder<T extends ScriptObject = ScriptModule> {
  private readonly qualifiedName: string;
  private readonly entries: AttributeEntry[] = [];
  private readonly constants: Array<{ name: string; value: IValue; type: Type | undefined }> = [];
  private readonly methods: Array<{ name: string; body: MethodBody; options: MethodOptions }> = [];
  private trainingIndex = -1;

  constructor(
    name: string,
    private readonly isModule: boolean,
    private readonly options: ModuleBuilderOptions = {},
  ) {
    this.qualifiedName = qualifyName(name);
  }

  /** An nn.Parameter (`null` for an absent one such as `bias=False`). */
  parameter(name: string, value: Tensor | null, type?: Type): this {
    return this.add(name, 'parameter', value, type ?? (value === null ? NoneType : TensorTensor));
  }

  /** A registered buffer. */
  buffer(name: string, value: Tensor | null, type?: Type): this {
    return this.add(name, 'buffer', value, type ?? (value === null ? NoneType : TensorTensor));
  }

  /** A submodule; `type` may be an interface the module implements. Pass one instance twice to share it. */
  submodule(name: string, module: ScriptModule, type?: NamedClassType): this {
    return this.add(name, 'module', module, type ?? module.type);
  }

  /** A plain attribute; the type is inferred from the value when not given (give FloatType for whole floats). */
  attribute(name: string, value: IValue, type?: Type): this {
    return this.add(name, 'attribute', value, type);
  }

  /** A `Final` constant (`__constants__`). */
  constant(name: string, value: IValue, type?: Type): this {
    if (this.constants.some((c) => c.name === name) || this.entries.some((e) => e.name === name)) {
      throw duplicateMember(this.qualifiedName, 'constant', name);
    }
    this.constants.push({ name, value, type });
    return this;
  }

  /** The `training` flag (default true, as nn.Module). */
  training(mode: boolean): this {
    this.requireModule('training');
    const at = this.entries.findIndex((e) => e.name === 'training');
    const entry: AttributeEntry = { name: 'training', kind: 'attribute', value: mode, type: BoolType };
    if (at >= 0) this.entries[at] = entry;
    else {
      this.trainingIndex = this.entries.length;
      this.entries.push(entry);
    }
    return this;
  }

  /** A method. In IR text, `self`'s class name (and the names of submodule classes) resolve to the built types. */
  method(name: string, body: MethodBody, options: MethodOptions = {}): this {
    if (this.methods.some((m) => m.name === name)) throw duplicateMember(this.qualifiedName, 'method', name);
    this.methods.push({ name, body, options });
    return this;
  }

  /** Creates the class type and the object. */
  build(): T {
    const cu = this.options.cu ?? new CompilationUnit();
    const type = new ClassType(this.qualifiedName, { cu, isModule: this.isModule, mangle: true });
    try {
      const obj = this.isModule ? new ScriptModule(type) : new ScriptObject(type);
      for (const e of this.orderedEntries())
        obj.registerAttribute(e.name, e.type ?? inferValueType(e.value), e.value, e.kind);
      for (const c of this.constants) type.addConstant(c.name, c.value, c.type);
      for (const m of this.methods) {
        type.defineMethod(m.name, this.methodGraph(type, m.body, m.options), {
          ...m.options,
          signature: selfTyped(m.options.signature, type),
        });
      }
      return obj as T;
    } catch (error) {
      // A failed build must not leave its name taken in a shared compilation unit.
      cu.unregisterType(type);
      throw error;
    }
  }

  private add(name: string, kind: SlotKind, value: IValue, type: Type | undefined): this {
    if (kind !== 'attribute') this.requireModule(kind);
    if (this.entries.some((e) => e.name === name))
      throw duplicateMember(this.qualifiedName, 'attribute', name);
    if (this.constants.some((c) => c.name === name))
      throw duplicateMember(this.qualifiedName, 'constant', name);
    this.entries.push({ name, kind, value, type });
    return this;
  }

  private requireModule(what: string): void {
    if (!this.isModule)
      throw new UnsupportedError(`${this.qualifiedName} is a plain class: it cannot have a ${what}`);
  }

  private orderedEntries(): AttributeEntry[] {
    const entries = [...this.entries];
    if (this.isModule && this.trainingIndex < 0) {
      entries.splice(0, 0, { name: 'training', kind: 'attribute', value: true, type: BoolType });
    }
    if ((this.options.order ?? 'pytorch') === 'declaration') return entries;
    const group = (e: AttributeEntry): number =>
      e.name === 'training' && e.kind === 'attribute' ? 2 : GROUP[e.kind];
    return entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => group(a.e) - group(b.e) || a.i - b.i)
      .map(({ e }) => e);
  }

  private methodGraph(type: ClassType, body: MethodBody, options: MethodOptions): Graph {
    if (typeof body === 'string')
      return parseMethodGraph(body, (name, kind) => this.resolveClass(type, name, kind), options.file);
    const graph = typeof body === 'function' ? body(type) : body;
    retypeSelfClass(graph, this.qualifiedName, type);
    return graph;
  }

  // Class names in method text: this class (by the asked or final name), then classes reachable from
  // attributes, then the unit. Interfaces appear in IR text by base name (`InterfaceType<Name>`).
  private resolveClass(
    type: ClassType,
    name: string,
    kind: 'class' | 'interface',
  ): NamedClassType | undefined {
    if (kind === 'class' && (name === this.qualifiedName || name === type.qualifiedName)) return type;
    const matches = (t: NamedClassType): boolean =>
      kind === 'interface'
        ? t.kind === 'Interface' && (t.qualifiedName === name || baseName(t.qualifiedName) === name)
        : t.kind === 'Class' && t.qualifiedName === name;
    const seen = new Set<NamedClassType>();
    const search = (t: Type): NamedClassType | undefined => {
      if (t instanceof NamedClassType) {
        if (seen.has(t)) return undefined;
        seen.add(t);
        if (matches(t)) return t;
        if (t instanceof ClassType)
          for (const a of t.attributes) {
            const found = search(a.type);
            if (found) return found;
          }
        return undefined;
      }
      for (const c of t.containedTypes()) {
        const found = search(c);
        if (found) return found;
      }
      return undefined;
    };
    for (const a of type.attributes) {
      const found = search(a.type);
      if (found) return found;
    }
    const registered = type.cu.getType(name);
    return registered && matches(registered) ? registered : undefined;
  }
}

// A graph written before the class existed names it by the asked name: point those types at the built class.
function retypeSelfClass(graph: Graph, askedName: string, type: ClassType): void {
  if (askedName === type.qualifiedName && graph.inputs[0]?.type === type) return;
  const mapType = classTypeMapper(new Map([[new NamedClassType(askedName), type]]));
  const retype = (v: { type: Type; setType(t: Type): unknown }): void => {
    const t = mapType(v.type);
    if (t !== v.type) v.setType(t);
  };
  graph.inputs.forEach(retype);
  for (const node of graph.allNodes()) {
    node.outputs.forEach(retype);
    for (const b of node.blocks) b.inputs.forEach(retype);
  }
}

function selfTyped(signature: FunctionSignature | undefined, type: ClassType): FunctionSignature | undefined {
  if (!signature || signature.arguments.length === 0) return signature;
  const [self, ...rest] = signature.arguments;
  return { arguments: [{ ...self, type }, ...rest], returns: signature.returns };
}

/** Starts a module: `moduleBuilder('MyModule').parameter('weight', w).method('forward', irText).build()`. */
export function moduleBuilder(name: string, options?: ModuleBuilderOptions): ModuleBuilder<ScriptModule> {
  return new ModuleBuilder<ScriptModule>(name, true, options);
}

/** Starts a plain TorchScript class object (attributes, constants, methods; no parameters or submodules). */
export function classBuilder(name: string, options?: ModuleBuilderOptions): ModuleBuilder<ScriptObject> {
  return new ModuleBuilder<ScriptObject>(name, false, options);
}
