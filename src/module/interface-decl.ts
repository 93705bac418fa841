// An interface declared with @torch.jit.interface: method names and signatures that a class must
// provide to be stored where the interface is the declared type (c10::InterfaceType, structurally checked).

import { InterfaceType, isSubtypeOf, type NamedClassType } from '../ir/types.js';
import { ClassType } from './class-type.js';
import { CompilationUnit } from './compilation-unit.js';
import { duplicateMember, noMethod } from './errors.js';
import type { FunctionSignature } from './function.js';

/** One method an interface requires; `arguments` exclude `self`. */
export interface InterfaceMethod extends FunctionSignature {
  readonly name: string;
}

/** How an InterfaceDecl is created. */
export interface InterfaceDeclOptions {
  readonly cu?: CompilationUnit;
  /** A module interface (`@torch.jit.interface` on an nn.Module subclass): only modules implement it. */
  readonly isModule?: boolean;
}

/** A `@torch.jit.interface` type: `InterfaceType<Name>` in IR text. */
export class InterfaceDecl extends InterfaceType {
  readonly cu: CompilationUnit;
  readonly isModule: boolean;
  private readonly methodTable = new Map<string, InterfaceMethod>();

  constructor(qualifiedName: string, options: InterfaceDeclOptions = {}) {
    super(qualifiedName);
    this.cu = options.cu ?? new CompilationUnit();
    this.isModule = options.isModule ?? false;
    this.cu.registerType(this);
  }

  /** Required methods in declaration order. */
  get methods(): readonly InterfaceMethod[] {
    return [...this.methodTable.values()];
  }

  hasMethod(name: string): boolean {
    return this.methodTable.has(name);
  }

  /** The required method `name`; throws NO_METHOD. */
  getMethod(name: string): InterfaceMethod {
    const m = this.methodTable.get(name);
    if (!m) throw noMethod(this.qualifiedName, name, [...this.methodTable.keys()]);
    return m;
  }

  /** Declares a required method (arguments without `self`). */
  addMethod(name: string, signature: FunctionSignature): this {
    if (this.methodTable.has(name)) throw duplicateMember(this.qualifiedName, 'method', name);
    this.methodTable.set(name, { name, arguments: signature.arguments, returns: signature.returns });
    return this;
  }

  /** Why `cls` does not implement this interface, or undefined when it does. */
  mismatch(cls: NamedClassType): string | undefined {
    if (cls instanceof InterfaceDecl) {
      // An interface implements another when it declares at least the same methods.
      for (const m of this.methodTable.values())
        if (!cls.hasMethod(m.name)) return `${cls.qualifiedName} does not declare '${m.name}'`;
      return undefined;
    }
    if (!(cls instanceof ClassType)) return `${cls.qualifiedName} has no known methods`;
    if (this.isModule && !cls.isModule) return `${cls.qualifiedName} is not a module`;
    for (const m of this.methodTable.values()) {
      const fn = cls.findMethod(m.name);
      if (!fn) return `${cls.qualifiedName} has no method '${m.name}'`;
      const args = fn.signature.arguments.slice(1);
      if (args.length !== m.arguments.length) {
        return `${cls.qualifiedName}.${m.name} takes ${args.length} arguments, the interface ${m.arguments.length}`;
      }
      for (let i = 0; i < args.length; i++) {
        // Arguments are contravariant: the class must accept everything the interface promises to pass.
        if (!isSubtypeOf(m.arguments[i].type, args[i].type)) {
          return `argument ${i + 1} of ${cls.qualifiedName}.${m.name} is ${args[i].type.str()}, the interface passes ${m.arguments[i].type.str()}`;
        }
      }
      const rets = fn.signature.returns;
      if (rets.length !== m.returns.length || rets.some((r, i) => !isSubtypeOf(r, m.returns[i]))) {
        return `${cls.qualifiedName}.${m.name} returns ${rets.map((r) => r.str()).join(', ')}, the interface ${m.returns.map((r) => r.str()).join(', ')}`;
      }
    }
    return undefined;
  }

  /** True when objects of `cls` may be stored where this interface is declared. */
  accepts(cls: NamedClassType): boolean {
    return this.mismatch(cls) === undefined;
  }
}

/** True for interface types that know their methods. */
export function isInterfaceDecl(t: NamedClassType): t is InterfaceDecl {
  return t instanceof InterfaceDecl;
}
