// ScriptModule: the user-facing view of a module object, with nn.Module's traversal API (named
// parameters/buffers/modules in PyTorch's order and dedup), train/eval, methods, clone and calls.

import { TsFreezeError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { IValue } from '../ir/ivalue.js';
import { Tensor } from '../tensor/tensor.js';
import type { SlotKind, ClassType } from './class-type.js';
import { ModuleErrorCode } from './errors.js';
import type { Function } from './function.js';
import { getCodePrinter, getInterpreter } from './hooks.js';
import { cloneModule, type ModuleCloneOptions } from './module-clone.js';
import { baseName, unmangleName } from './qualified-name.js';
import { ScriptObject } from './script-object.js';

const SCRIPT_MODULE = Symbol.for('tsfreeze.ScriptModule');

/** True for a ScriptModule from any copy of the package (a brand, not instanceof: plugins may bundle their own). */
export function isScriptModule(value: unknown): value is ScriptModule {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCRIPT_MODULE] === true
  );
}

/** A scripted nn.Module: an object of a module ClassType. */
export class ScriptModule extends ScriptObject {
  constructor(type: ClassType) {
    if (!type.isModule) {
      throw new TsFreezeError(
        ModuleErrorCode.NOT_A_MODULE,
        `${type.qualifiedName} is not a module type; use ScriptObject for plain classes`,
      );
    }
    super(type);
  }

  /** The Python class name, unmangled: `MyModule` for `__torch__.___torch_mangle_3.MyModule`. */
  get originalName(): string {
    return baseName(unmangleName(this.type.qualifiedName));
  }

  // ---- traversal (nn.Module order and dedup) ------------------------------------------------

  /** Direct submodules in slot order; an instance held by two attributes is listed once, under the first. */
  namedChildren(): Array<[string, ScriptModule]> {
    const seen = new Set<ScriptModule>();
    const out: Array<[string, ScriptModule]> = [];
    for (const [name, child] of this.submoduleSlots()) {
      if (seen.has(child)) continue;
      seen.add(child);
      out.push([name, child]);
    }
    return out;
  }

  children(): ScriptModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module as `''`, then every submodule pre-order with dotted paths; shared instances once, at their first path. */
  namedModules(): Array<[string, ScriptModule]> {
    const seen = new Set<ScriptModule>();
    const out: Array<[string, ScriptModule]> = [];
    const visit = (module: ScriptModule, prefix: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([prefix, module]);
      for (const [name, child] of module.submoduleSlots()) visit(child, prefix ? `${prefix}.${name}` : name);
    };
    visit(this, '');
    return out;
  }

  /** namedModules without the names (the pass manager walks the tree before and after each module pass). */
  modules(): ScriptModule[] {
    const seen = new Set<ScriptModule>([this]);
    const out: ScriptModule[] = [this];
    const visit = (module: ScriptModule): void => {
      for (const attr of module.type.attributes) {
        if (attr.kind !== 'module') continue;
        const child = module.slotValue(attr.name);
        if (!(child instanceof ScriptModule) || seen.has(child)) continue;
        seen.add(child);
        out.push(child);
        visit(child);
      }
    };
    visit(this);
    return out;
  }

  /** Parameters (unset or None ones skipped), own first then submodules' in namedModules order; a tensor listed once. */
  namedParameters(recurse = true): Array<[string, Tensor]> {
    return this.namedTensors('parameter', recurse);
  }

  parameters(recurse = true): Tensor[] {
    return this.namedParameters(recurse).map(([, t]) => t);
  }

  /** Buffers, in the same order and with the same dedup as namedParameters. */
  namedBuffers(recurse = true): Array<[string, Tensor]> {
    return this.namedTensors('buffer', recurse);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, t]) => t);
  }

  /**
   * Every set attribute of every kind, in slot order, each submodule followed by its own attributes
   * when `recurse` (PyTorch's C++ `named_attributes`; no dedup).
   */
  namedAttributes(recurse = true): Array<[string, IValue]> {
    const out: Array<[string, IValue]> = [];
    const visit = (module: ScriptModule, prefix: string): void => {
      for (const [name, value] of module.namedValues()) {
        const path = prefix ? `${prefix}.${name}` : name;
        out.push([path, value]);
        if (recurse && value instanceof ScriptModule) visit(value, path);
      }
    };
    visit(this, '');
    return out;
  }

  /** The submodule at a dotted path (`'block1.0'`); `''` is this module. Throws NO_SUBMODULE. */
  getSubmodule(path: string): ScriptModule {
    if (path === '') return this;
    return path.split('.').reduce<ScriptModule>((module, atom) => childNamed(module, atom, path), this);
  }

  // Attributes of kind 'module' holding a module, in slot order, duplicates included.
  private submoduleSlots(): [string, ScriptModule][] {
    const out: [string, ScriptModule][] = [];
    for (const attr of this.type.attributes) {
      if (attr.kind !== 'module') continue;
      const value = this.slotValue(attr.name);
      if (value instanceof ScriptModule) out.push([attr.name, value]);
    }
    return out;
  }

  private namedTensors(kind: SlotKind, recurse: boolean): Array<[string, Tensor]> {
    const seen = new Set<Tensor>();
    const out: Array<[string, Tensor]> = [];
    const modules: Array<[string, ScriptModule]> = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, module] of modules) {
      for (const attr of module.type.attributes) {
        if (attr.kind !== kind || !module.isSet(attr.name)) continue;
        const value = module.getAttr(attr.name);
        if (!(value instanceof Tensor) || seen.has(value)) continue;
        seen.add(value);
        out.push([prefix ? `${prefix}.${attr.name}` : attr.name, value]);
      }
    }
    return out;
  }

  // ---- methods ------------------------------------------------------------------------------

  /** The methods of this module's type, in definition order. */
  get methods(): readonly Function[] {
    return this.type.methods;
  }

  methodNames(): string[] {
    return this.type.methodNames();
  }

  hasMethod(name: string): boolean {
    return this.type.hasMethod(name);
  }

  findMethod(name: string): Function | undefined {
    return this.type.findMethod(name);
  }

  /** The method `name`; throws NO_METHOD. */
  getMethod(name: string): Function {
    return this.type.getMethod(name);
  }

  /** forward's graph (calls not inlined), as PyTorch's `module.graph`. */
  get graph(): Graph {
    return this.getMethod('forward').graph;
  }

  /** forward as TorchScript source once a code printer is installed; until then its graph text. */
  get code(): string {
    return this.methodCode('forward');
  }

  /** Method `name` rendered like `code`. */
  methodCode(name: string): string {
    const fn = this.getMethod(name);
    const printer = getCodePrinter();
    return printer ? printer(fn, this) : fn.graph.toString();
  }

  // ---- training mode ------------------------------------------------------------------------

  /** The `training` attribute; true when absent, as PyTorch's Module::is_training. */
  get training(): boolean {
    return this.isSet('training') ? this.getAttr('training') === true : true;
  }

  /** Sets `training` on this module and, recursively, every submodule (nn.Module.train). */
  train(mode = true): this {
    if (this.type.hasAttribute('training')) this.setAttr('training', mode);
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  // ---- clone and calls ----------------------------------------------------------------------

  /**
   * A deep copy: new (mangled) class types, new module objects (an instance shared by two paths
   * stays shared in the copy), method graphs copied with types rewritten. Tensors and other
   * attribute values are shared as in PyTorch's freeze clone, unless `copyTensors`.
   */
  clone(options: ModuleCloneOptions = {}): ScriptModule {
    return cloneModule(this, options);
  }

  /** Runs `forward` through the installed interpreter. */
  forward(...inputs: IValue[]): IValue {
    return this.call('forward', ...inputs);
  }

  /** Runs method `name` with positional inputs through the installed interpreter. */
  call(name: string, ...inputs: IValue[]): IValue {
    return this.invoke(name, inputs);
  }

  /** Runs method `name` with positional and keyword arguments (defaults filled, types checked: BAD_ARGUMENTS). */
  invoke(name: string, inputs: readonly IValue[], kwargs: Readonly<Record<string, IValue>> = {}): IValue {
    const fn = this.getMethod(name);
    const args = fn.bindArguments([this, ...inputs], kwargs);
    return getInterpreter()(fn, args);
  }

  /** PyTorch's repr of a scripted module: `ScriptModule(original_name=...)` with children indented. */
  override toString(): string {
    const kids = this.submoduleSlots();
    const lines: string[] = [];
    for (const [name, child] of kids) lines.push(`(${name}): ${child.toString().replace(/\n/g, '\n  ')}`);
    if (!lines.length) return `ScriptModule(original_name=${this.originalName})`;
    return `ScriptModule(\n  original_name=${this.originalName}\n  ${lines.join('\n  ')}\n)`;
  }
}

// The submodule in attribute `atom` of `module`; `path` is the whole lookup, for the message.
function childNamed(module: ScriptModule, atom: string, path: string): ScriptModule {
  const value = module.type.hasAttribute(atom) && module.isSet(atom) ? module.getAttr(atom) : undefined;
  if (!(value instanceof ScriptModule)) {
    throw new TsFreezeError(
      ModuleErrorCode.NO_SUBMODULE,
      `${module.type.qualifiedName} has no submodule '${atom}' (looking up '${path}')`,
    );
  }
  return value;
}

/** A new, empty object of `type`: a ScriptModule for module types, else a ScriptObject. */
Object.defineProperty(ScriptModule.prototype, SCRIPT_MODULE, { value: true });

export function createObject(type: ClassType): ScriptObject {
  return type.isModule ? new ScriptModule(type) : new ScriptObject(type);
}
