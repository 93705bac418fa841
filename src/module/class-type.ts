// ClassType: a TorchScript class (a scripted nn.Module or a @torch.jit.script class) with its ordered
// attribute table, Final constants and methods, and a deep clone. Mirrors c10::ClassType.

import { cloneGraph, moveGraph } from '../ir/clone.js';
import type { Graph } from '../ir/graph.js';
import type { IValue } from '../ir/ivalue.js';
import { constantType } from '../ir/constants.js';
import { NamedClassType, OptionalType, type Type } from '../ir/types.js';
import { CompilationUnit } from './compilation-unit.js';
import { attributeType, badMethod, duplicateMember, noAttribute, noMethod } from './errors.js';
import { Function, type FunctionSignature } from './function.js';
import { classTypeMapper, type ClassTypeMap } from './value-types.js';

/** What an attribute slot holds: an nn.Parameter, a registered buffer, a submodule, or a plain attribute. */
export type SlotKind = 'parameter' | 'buffer' | 'module' | 'attribute';

/** One entry of a class's attribute table; its index is the slot. */
export interface ClassAttribute {
  readonly name: string;
  readonly type: Type;
  readonly kind: SlotKind;
}

/** A `Final` / `__constants__` member: a value fixed at compile time. */
export interface ClassConstant {
  readonly name: string;
  readonly value: IValue;
  readonly type: Type;
}

/** How a ClassType is created. */
export interface ClassTypeOptions {
  /** Namespace to register in; a fresh one when absent. */
  readonly cu?: CompilationUnit;
  /** A module type (nn.Module) rather than a plain TorchScript class. */
  readonly isModule?: boolean;
  /** When the name is taken in `cu`, use a fresh `___torch_mangle_N` variant instead of failing. */
  readonly mangle?: boolean;
}

/** How a ClassType is cloned. */
export interface ClassCloneOptions {
  /** Where the clone is registered; this type's unit by default. */
  readonly cu?: CompilationUnit;
  /** Other class types to rewrite in attribute types and method graphs (cloned submodule types). */
  readonly typeMap?: ClassTypeMap;
}

/** A TorchScript class type with attributes, constants and methods. */
export class ClassType extends NamedClassType {
  override readonly kind = 'Class' as const;
  readonly cu: CompilationUnit;
  readonly isModule: boolean;
  private readonly attributeList: ClassAttribute[] = [];
  private readonly slotByName = new Map<string, number>();
  private readonly constantTable = new Map<string, ClassConstant>();
  private readonly methodTable = new Map<string, Function>();

  constructor(qualifiedName: string, options: ClassTypeOptions = {}) {
    const cu = options.cu ?? new CompilationUnit();
    super(options.mangle ? cu.uniqueName(qualifiedName) : qualifiedName);
    this.cu = cu;
    this.isModule = options.isModule ?? false;
    cu.registerType(this);
  }

  // ---- attributes ---------------------------------------------------------------------------

  /** The attribute table in slot order. */
  get attributes(): readonly ClassAttribute[] {
    return this.attributeList;
  }

  get numAttributes(): number {
    return this.attributeList.length;
  }

  attributeNames(): string[] {
    return this.attributeList.map((a) => a.name);
  }

  hasAttribute(name: string): boolean {
    return this.slotByName.has(name);
  }

  /** The slot of `name`, or undefined. */
  findAttributeSlot(name: string): number | undefined {
    return this.slotByName.get(name);
  }

  /** The slot of `name`; throws NO_ATTRIBUTE. */
  getAttributeSlot(name: string): number {
    const slot = this.slotByName.get(name);
    if (slot === undefined) throw noAttribute(this.qualifiedName, name, this.attributeNames());
    return slot;
  }

  findAttribute(name: string): ClassAttribute | undefined {
    const slot = this.slotByName.get(name);
    return slot === undefined ? undefined : this.attributeList[slot];
  }

  /** The attribute called `name`; throws NO_ATTRIBUTE. */
  getAttribute(name: string): ClassAttribute {
    return this.attributeList[this.getAttributeSlot(name)];
  }

  /** The attribute in `slot`; throws NO_ATTRIBUTE when out of range. */
  attributeAt(slot: number): ClassAttribute {
    const a = this.attributeList[slot];
    if (!a) throw noAttribute(this.qualifiedName, `#${slot}`, this.attributeNames());
    return a;
  }

  /** Attributes of one kind, in slot order. */
  attributesOfKind(kind: SlotKind): ClassAttribute[] {
    return this.attributeList.filter((a) => a.kind === kind);
  }

  /**
   * Appends an attribute and returns its slot. Submodules must have a class or interface type (an
   * attribute of a module class type is always a submodule); parameters and buffers a Tensor,
   * Optional[Tensor] or NoneType.
   */
  addAttribute(name: string, type: Type, kind: SlotKind = 'attribute'): number {
    // As in PyTorch, whether a slot is a submodule follows from its type.
    if (kind === 'attribute' && type instanceof ClassType && type.isModule) kind = 'module';
    if (this.slotByName.has(name)) throw duplicateMember(this.qualifiedName, 'attribute', name);
    if (this.constantTable.has(name)) throw duplicateMember(this.qualifiedName, 'constant', name);
    if (kind === 'module' && !(type instanceof NamedClassType)) {
      throw attributeType(this.qualifiedName, name, 'a module class', type.str());
    }
    if ((kind === 'parameter' || kind === 'buffer') && !isTensorSlotType(type)) {
      throw attributeType(this.qualifiedName, name, 'Tensor, Optional[Tensor] or NoneType', type.str());
    }
    this.attributeList.push({ name, type, kind });
    this.slotByName.set(name, this.attributeList.length - 1);
    return this.attributeList.length - 1;
  }

  /**
   * Changes the declared type of an attribute, keeping its slot (PyTorch's unsafeChangeAttributeType):
   * freezing narrows an interface-typed submodule to the concrete class it holds.
   */
  changeAttributeType(name: string, type: Type): void {
    const slot = this.getAttributeSlot(name);
    const old = this.attributeList[slot];
    const kind = old.kind === 'attribute' && type instanceof ClassType && type.isModule ? 'module' : old.kind;
    this.attributeList[slot] = { name, type, kind };
  }

  /** Removes several attributes at once: one renumbering instead of one per attribute. */
  removeAttributes(names: Iterable<string>): void {
    const drop = new Set(names);
    for (const name of drop) this.getAttributeSlot(name); // unknown names are errors, as in removeAttribute
    const kept = this.attributeList.filter((a) => !drop.has(a.name));
    this.attributeList.length = 0;
    this.attributeList.push(...kept);
    this.slotByName.clear();
    this.attributeList.forEach((a, i) => this.slotByName.set(a.name, i));
  }

  /** Removes an attribute (later slots shift down); objects of this type drop their value through ScriptObject.removeAttr. */
  removeAttribute(name: string): void {
    const slot = this.getAttributeSlot(name);
    this.attributeList.splice(slot, 1);
    this.slotByName.clear();
    this.attributeList.forEach((a, i) => this.slotByName.set(a.name, i));
  }

  // ---- constants ----------------------------------------------------------------------------

  get constants(): readonly ClassConstant[] {
    return [...this.constantTable.values()];
  }

  hasConstant(name: string): boolean {
    return this.constantTable.has(name);
  }

  findConstant(name: string): ClassConstant | undefined {
    return this.constantTable.get(name);
  }

  /** The value of constant `name`; throws NO_ATTRIBUTE. */
  getConstant(name: string): IValue {
    const c = this.constantTable.get(name);
    if (!c) throw noAttribute(this.qualifiedName, name, [...this.constantTable.keys()]);
    return c.value;
  }

  /** Declares a constant; its type is inferred from the value when not given (floats that are whole numbers need FloatType). */
  addConstant(name: string, value: IValue, type: Type = constantType(value)): void {
    if (this.constantTable.has(name)) throw duplicateMember(this.qualifiedName, 'constant', name);
    if (this.slotByName.has(name)) throw duplicateMember(this.qualifiedName, 'attribute', name);
    this.constantTable.set(name, { name, value, type });
  }

  removeConstant(name: string): void {
    if (!this.constantTable.delete(name))
      throw noAttribute(this.qualifiedName, name, [...this.constantTable.keys()]);
  }

  // ---- methods ------------------------------------------------------------------------------

  /** Methods in definition order. */
  get methods(): readonly Function[] {
    return [...this.methodTable.values()];
  }

  methodNames(): string[] {
    return [...this.methodTable.keys()];
  }

  hasMethod(name: string): boolean {
    return this.methodTable.has(name);
  }

  findMethod(name: string): Function | undefined {
    return this.methodTable.get(name);
  }

  /** The method called `name`; throws NO_METHOD. */
  getMethod(name: string): Function {
    const fn = this.methodTable.get(name);
    if (!fn) throw noMethod(this.qualifiedName, name, this.methodNames());
    return fn;
  }

  /** Adds a method whose owner is this class and whose graph takes `self : <this class>` first. */
  addMethod(fn: Function): Function {
    if (fn.owner !== this)
      throw badMethod(this.qualifiedName, fn.name, `it belongs to ${fn.owner?.qualifiedName ?? 'no class'}`);
    if (this.methodTable.has(fn.name)) throw duplicateMember(this.qualifiedName, 'method', fn.name);
    const self = fn.graph.inputs[0];
    if (!self)
      throw badMethod(this.qualifiedName, fn.name, 'its graph has no inputs; the first input must be self');
    if (!self.type.equals(this)) {
      throw badMethod(
        this.qualifiedName,
        fn.name,
        `the first graph input %${self.debugName} has type ${self.type.str()}, expected ${this.qualifiedName}`,
      );
    }
    this.methodTable.set(fn.name, fn);
    return fn;
  }

  /** Creates and adds a method from its graph. */
  defineMethod(
    name: string,
    graph: Graph,
    options: { signature?: FunctionSignature; sourceCode?: string } = {},
  ): Function {
    return this.addMethod(new Function({ name, graph, owner: this, ...options }));
  }

  removeMethod(name: string): void {
    if (!this.methodTable.delete(name)) throw noMethod(this.qualifiedName, name, this.methodNames());
  }

  // ---- cloning ------------------------------------------------------------------------------

  /**
   * A deep copy under a new name (a fresh `___torch_mangle_N` variant by default): attributes,
   * constants and methods, with `self` and every type in `options.typeMap` rewritten in the copied
   * method graphs. Constant values and tensors in graphs are shared, as in PyTorch.
   */
  clone(newName?: string, options: ClassCloneOptions = {}): ClassType {
    const cu = options.cu ?? this.cu;
    const target = new ClassType(newName ?? cu.mangle(this.qualifiedName), { cu, isModule: this.isModule });
    const map = new Map(options.typeMap ?? []);
    map.set(this, target);
    this.copyMembersInto(target, map);
    return target;
  }

  /**
   * @internal Copies attributes, constants and methods into an empty `target`, rewriting types
   * through `map` (which should map this type to `target`). Module cloning uses it after creating
   * every cloned type, so methods see the complete map; it passes one `mapType` (classTypeMapper(map))
   * for all of them, since making one reads the whole map (a 1,000-type chain made it quadratic).
   */
  copyMembersInto(target: ClassType, map: ClassTypeMap, mapType = classTypeMapper(map)): void {
    for (const a of this.attributeList) target.addAttribute(a.name, mapType(a.type), a.kind);
    for (const c of this.constantTable.values()) target.addConstant(c.name, c.value, mapType(c.type));
    for (const fn of this.methodTable.values()) {
      target.addMethod(fn.rebind(target, cloneGraphWithTypes(fn.graph, mapType), mapType));
    }
  }

  /**
   * @internal copyMembersInto without copying the method graphs: `target`'s methods take them (moveGraph
   * retypes them in place), so this type's methods must never be used again. For a module tree nobody uses
   * again (freeze's consume mode).
   */
  moveMembersInto(target: ClassType, mapType: (t: Type) => Type): void {
    for (const a of this.attributeList) target.addAttribute(a.name, mapType(a.type), a.kind);
    for (const c of this.constantTable.values()) target.addConstant(c.name, c.value, mapType(c.type));
    for (const fn of this.methodTable.values()) {
      target.addMethod(fn.rebind(target, mapTypeAttributes(moveGraph(fn.graph, mapType), mapType), mapType));
    }
  }
}

/** Copies a graph, rewriting value types and type-valued node attributes through `mapType`. */
export function cloneGraphWithTypes(graph: Graph, mapType: (t: Type) => Type): Graph {
  return mapTypeAttributes(cloneGraph(graph, { mapType }), mapType);
}

// Rewrites the type-valued node attributes of `copy` through `mapType`; returns `copy`.
function mapTypeAttributes(copy: Graph, mapType: (t: Type) => Type): Graph {
  for (const node of copy.allNodes()) {
    for (const name of node.attributeNames()) {
      const attr = node.attribute(name);
      if (attr?.kind === 'ty') node.setTy(name, mapType(attr.value));
      else if (attr?.kind === 'tys') node.setAttribute(name, { kind: 'tys', value: attr.value.map(mapType) });
    }
  }
  return copy;
}

function isTensorSlotType(t: Type): boolean {
  return t.kind === 'Tensor' || t.kind === 'None' || (t instanceof OptionalType && t.elem.kind === 'Tensor');
}
