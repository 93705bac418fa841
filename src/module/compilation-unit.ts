// A compilation unit: the namespace that class types and free functions are registered in, and the
// owner of the mangling counter (PyTorch's torch::jit::CompilationUnit, names and mangling only).

import { TsFreezeError } from '../errors.js';
import type { NamedClassType } from '../ir/types.js';
import { ModuleErrorCode } from './errors.js';
import type { Function } from './function.js';
import { mangleIndex, mangleName } from './qualified-name.js';

/**
 * Registry of qualified names. Every class type belongs to one; a loaded `.pt` file gets its own, so
 * the first class cloned in it is `___torch_mangle_0`, as in PyTorch.
 */
export class CompilationUnit {
  private readonly classes = new Map<string, NamedClassType>();
  private readonly functions = new Map<string, Function>();
  private nextMangle = 0;

  /** True if a class or free function already uses the name. */
  isTaken(qualifiedName: string): boolean {
    return this.classes.has(qualifiedName) || this.functions.has(qualifiedName);
  }

  /**
   * A fresh mangled variant of `qualifiedName` that nothing in this unit uses yet (not registered).
   * The counter only grows, and jumps past any index already present in `qualifiedName`.
   */
  mangle(qualifiedName: string): string {
    const present = mangleIndex(qualifiedName);
    if (present !== undefined) this.nextMangle = Math.max(this.nextMangle, present + 1);
    let name: string;
    do name = mangleName(qualifiedName, this.nextMangle++);
    while (this.isTaken(name));
    return name;
  }

  /** `qualifiedName` if it is free, else a fresh mangled variant (PyTorch's `shouldMangle`). */
  uniqueName(qualifiedName: string): string {
    return this.isTaken(qualifiedName) ? this.mangle(qualifiedName) : qualifiedName;
  }

  /** Registers a class type under its qualified name; refuses a name already in use. */
  registerType(type: NamedClassType): void {
    if (this.isTaken(type.qualifiedName)) {
      throw new TsFreezeError(
        ModuleErrorCode.DUPLICATE_CLASS,
        `class ${type.qualifiedName} is already defined in this compilation unit`,
      );
    }
    this.classes.set(type.qualifiedName, type);
  }

  /** Removes a class type (e.g. one a failed build left behind). */
  unregisterType(type: NamedClassType): void {
    if (this.classes.get(type.qualifiedName) === type) this.classes.delete(type.qualifiedName);
  }

  /** The class type with this qualified name, if registered. */
  getType(qualifiedName: string): NamedClassType | undefined {
    return this.classes.get(qualifiedName);
  }

  /** Every registered class type, in registration order. */
  get types(): readonly NamedClassType[] {
    return [...this.classes.values()];
  }

  /** Registers a free function under its qualified name. */
  registerFunction(fn: Function): void {
    if (this.isTaken(fn.qualifiedName)) {
      throw new TsFreezeError(
        ModuleErrorCode.DUPLICATE_CLASS,
        `${fn.qualifiedName} is already defined in this compilation unit`,
      );
    }
    this.functions.set(fn.qualifiedName, fn);
  }

  /** The free function with this qualified name, if registered. */
  findFunction(qualifiedName: string): Function | undefined {
    return this.functions.get(qualifiedName);
  }

  /** Every registered free function, in registration order. */
  get freeFunctions(): readonly Function[] {
    return [...this.functions.values()];
  }
}
