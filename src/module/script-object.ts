// ScriptObject: an instance of a ClassType, holding one value per attribute of its type
// (PyTorch's c10::ivalue::Object). Modules are ScriptModules, a subclass.

import type { IValue, ObjectValue } from '../ir/ivalue.js';
import type { Type } from '../ir/types.js';
import type { SlotKind, ClassType } from './class-type.js';
import { attributeType, constantAttribute, noAttribute, unsetAttribute } from './errors.js';
import { describeForError, isValueOfType } from './value-types.js';

/**
 * An object of a TorchScript class. Values are kept by attribute name, so removing an attribute
 * from a type shared by several objects never shifts another object's values; iteration follows
 * the type's slot order.
 */
export class ScriptObject implements ObjectValue {
  private readonly values = new Map<string, IValue>();

  constructor(readonly type: ClassType) {}

  /** `__torch__.MyModule` */
  get qualifiedName(): string {
    return this.type.qualifiedName;
  }

  /** The value of attribute (or constant) `name`. Throws NO_ATTRIBUTE, or UNSET_ATTRIBUTE when declared but never set. */
  getAttr(name: string): IValue {
    const value = this.values.get(name);
    if (value !== undefined && this.type.hasAttribute(name)) return value;
    if (this.type.hasAttribute(name)) throw unsetAttribute(this.type.qualifiedName, name);
    const constant = this.type.findConstant(name);
    if (constant) return constant.value;
    throw noAttribute(this.type.qualifiedName, name, this.type.attributeNames());
  }

  /** Sets attribute `name`, checking the value against its declared type (ATTRIBUTE_TYPE, NO_ATTRIBUTE, CONSTANT_ATTRIBUTE). */
  setAttr(name: string, value: IValue): void {
    const attr = this.type.findAttribute(name);
    if (!attr) {
      if (this.type.hasConstant(name)) throw constantAttribute(this.type.qualifiedName, name);
      throw noAttribute(this.type.qualifiedName, name, this.type.attributeNames());
    }
    if (!isValueOfType(value, attr.type)) {
      throw attributeType(this.type.qualifiedName, name, attr.type.str(), describeForError(value));
    }
    this.values.set(name, value);
  }

  /** True for attributes and constants of the type. */
  hasAttr(name: string): boolean {
    return this.type.hasAttribute(name) || this.type.hasConstant(name);
  }

  /** The value of attribute `name` if set, without checks (for traversals that walk the type's own attributes). */
  protected slotValue(name: string): IValue | undefined {
    return this.values.get(name);
  }

  /** True when attribute `name` has a value. */
  isSet(name: string): boolean {
    return this.type.hasAttribute(name) && this.values.has(name);
  }

  /** The value in `slot` (the interpreter's fast path: no name lookup in the caller). */
  getSlot(slot: number): IValue {
    return this.getAttr(this.type.attributeAt(slot).name);
  }

  /** Sets `slot` without a type check: for the interpreter, whose graphs were type-checked when built. */
  setSlot(slot: number, value: IValue): void {
    this.values.set(this.type.attributeAt(slot).name, value);
  }

  /**
   * Declares attribute `name` on the type if it is missing, then sets it (PyTorch's register_attribute).
   * An existing attribute must have the same kind.
   */
  registerAttribute(name: string, type: Type, value: IValue, kind: SlotKind = 'attribute'): void {
    const existing = this.type.findAttribute(name);
    if (!existing) this.type.addAttribute(name, type, kind);
    else if (existing.kind !== kind) {
      throw attributeType(this.type.qualifiedName, name, `a ${existing.kind}`, `a ${kind}`);
    }
    this.setAttr(name, value);
  }

  /** Removes attribute `name` from the type and this object (PyTorch's unsafeRemoveAttr). */
  removeAttr(name: string): void {
    this.type.removeAttribute(name);
    this.values.delete(name);
  }

  /** `[name, value]` for every set attribute, in slot order. */
  namedValues(): Array<[string, IValue]> {
    const out: Array<[string, IValue]> = [];
    for (const a of this.type.attributes) {
      const v = this.values.get(a.name);
      if (v !== undefined) out.push([a.name, v]);
    }
    return out;
  }

  toString(): string {
    return `<${this.type.qualifiedName} object>`;
  }
}
