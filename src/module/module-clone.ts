// Deep clone of a module tree, as torch::jit::Module::clone does for freezing: every module type is
// cloned once under a fresh mangled name, objects are recreated, method graphs copied with types rewritten.

import { Tuple, type DictKey, type IValue } from '../ir/ivalue.js';
import { DTYPES, type DType } from '../tensor/dtype.js';
import { toDType } from '../tensor/convert.js';
import { Storage, Tensor } from '../tensor/tensor.js';
import { ClassType } from './class-type.js';
import { markConsumed } from './consumed.js';
import { ScriptObject } from './script-object.js';
import { ScriptModule } from './script-module.js';
import { classTypeMapper } from './value-types.js';

/** How a module is cloned. */
export interface ModuleCloneOptions {
  /**
   * Copy tensors and other mutable values (lists, dicts, class objects) instead of sharing them.
   * Aliasing is kept: views of one storage stay views of one (new) storage. Default false, as
   * freeze's clone shares them.
   */
  readonly copyTensors?: boolean;
}

/**
 * Clones `root` and every module under it. Types are cloned into the root type's compilation unit in
 * pre-order (the root becomes `___torch_mangle_N` first, as in PyTorch); a type used by several
 * instances is cloned once; an instance reachable by two paths is cloned once and stays shared.
 */
export function cloneModule(root: ScriptModule, options: ModuleCloneOptions = {}): ScriptModule {
  const order = modulesPreOrder(root);
  const typeMap = clonedTypes(root, order);
  // Members after all types exist, so attribute types and method graphs see the whole map.
  const mapType = classTypeMapper(typeMap);
  for (const [from, to] of typeMap) from.copyMembersInto(to, typeMap, mapType);
  return cloneObjects(root, order, typeMap, options);
}

/**
 * cloneModule for a module tree nobody uses again: the same result (type names, graphs, ids, names, shared
 * values), but the new types take the method graphs instead of copies (moveGraph), and every module object
 * of the old tree is consumed: any later use of it throws MODULE_CONSUMED naming `by`. Also assumes no
 * module outside the tree has one of its types (true of a loaded model: each load has its own types).
 */
export function consumeModule(root: ScriptModule, by: string): ScriptModule {
  const order = modulesPreOrder(root);
  const typeMap = clonedTypes(root, order);
  const mapType = classTypeMapper(typeMap);
  for (const [from, to] of typeMap) from.moveMembersInto(to, mapType);
  const out = cloneObjects(root, order, typeMap, {});
  for (const m of order) markConsumed(m, `module ${m.type.qualifiedName}`, by);
  return out;
}

// A new mangled module type per distinct type of `order`, in pre-order (the root becomes `___torch_mangle_N` first).
function clonedTypes(root: ScriptModule, order: readonly ScriptModule[]): Map<ClassType, ClassType> {
  const cu = root.type.cu;
  const typeMap = new Map<ClassType, ClassType>();
  for (const m of order) {
    if (!typeMap.has(m.type))
      typeMap.set(m.type, new ClassType(cu.mangle(m.type.qualifiedName), { cu, isModule: true }));
  }
  return typeMap;
}

// The new module objects over the new types, values shared (or copied when `copyTensors`).
function cloneObjects(
  root: ScriptModule,
  order: readonly ScriptModule[],
  typeMap: ReadonlyMap<ClassType, ClassType>,
  options: ModuleCloneOptions,
): ScriptModule {
  const objects = new Map<ScriptModule, ScriptModule>();
  for (const m of order) objects.set(m, new ScriptModule(typeMap.get(m.type)!));
  const copier = options.copyTensors ? new ValueCopier(objects) : undefined;
  for (const m of order) {
    const copy = objects.get(m)!;
    for (const [name, value] of m.namedValues()) {
      const v =
        value instanceof ScriptModule ? (objects.get(value) ?? value) : copier ? copier.copy(value) : value;
      copy.setSlot(copy.type.getAttributeSlot(name), v);
    }
  }
  return objects.get(root)!;
}

/** How copyModuleObjects copies values. */
export interface ModuleObjectsCopyOptions {
  /** Store floating-point tensors as this dtype (float64 for a reference run); default: keep dtypes. */
  readonly floatingAs?: DType;
}

/**
 * A fresh object tree for `root` over the *same* class types and methods: every module object recreated,
 * every value deep-copied (aliasing kept). Running it never touches `root`'s state, and it runs the
 * graphs `root`'s types hold now (numerics checks run a module while a pipeline transforms it).
 */
export function copyModuleObjects(root: ScriptModule, options: ModuleObjectsCopyOptions = {}): ScriptModule {
  const order = modulesPreOrder(root);
  const objects = new Map<ScriptModule, ScriptModule>();
  for (const m of order) objects.set(m, new ScriptModule(m.type));
  const copier = new ValueCopier(objects, options.floatingAs);
  for (const m of order) {
    const copy = objects.get(m)!;
    for (const [name, value] of m.namedValues())
      copy.setSlot(copy.type.getAttributeSlot(name), copier.copy(value));
  }
  return objects.get(root)!;
}

// Every module object under `root` (root first), each once, in slot order.
function modulesPreOrder(root: ScriptModule): ScriptModule[] {
  const seen = new Set<ScriptModule>();
  const order: ScriptModule[] = [];
  const visit = (m: ScriptModule): void => {
    if (seen.has(m)) return;
    seen.add(m);
    order.push(m);
    for (const [, value] of m.namedValues()) if (value instanceof ScriptModule) visit(value);
  };
  visit(root);
  return order;
}

// Deep-copies attribute values, keeping aliasing: one copy per original object and per storage.
class ValueCopier {
  private readonly memo = new Map<object, IValue>();
  private readonly storages = new Map<Storage, Storage>();

  constructor(
    private readonly modules: ReadonlyMap<ScriptModule, ScriptModule>,
    /** Floating-point storages are copied as this dtype (views keep sharing the converted storage). */
    private readonly floatingAs?: DType,
  ) {}

  copy(value: IValue): IValue {
    if (value === null || typeof value !== 'object') return value;
    const done = this.memo.get(value);
    if (done !== undefined) return done;
    if (value instanceof Tensor) return this.remember(value, this.copyTensor(value));
    if (Array.isArray(value)) {
      const out: IValue[] = [];
      this.memo.set(value, out);
      for (const v of value) out.push(this.copy(v));
      return out;
    }
    if (value instanceof Map) {
      const out = new Map<DictKey, IValue>();
      this.memo.set(value, out);
      for (const [k, v] of value) out.set(k instanceof Tensor ? (this.copy(k) as Tensor) : k, this.copy(v));
      return out;
    }
    if (value instanceof Tuple)
      return this.remember(
        value,
        new Tuple(
          value.items.map((v) => this.copy(v)),
          value.type,
        ),
      );
    if (value instanceof ScriptModule) return this.modules.get(value) ?? value;
    if (value instanceof ScriptObject) {
      const out = new ScriptObject(value.type);
      this.memo.set(value, out);
      for (const [name, v] of value.namedValues()) out.setSlot(out.type.getAttributeSlot(name), this.copy(v));
      return out;
    }
    // Devices and function references are immutable; other ObjectValue implementations are shared.
    return value;
  }

  private remember(from: object, to: IValue): IValue {
    this.memo.set(from, to);
    return to;
  }

  private copyTensor(t: Tensor): Tensor {
    let storage = this.storages.get(t.storage);
    if (!storage) {
      const dtype = t.storage.dtype;
      const to = this.floatingAs && DTYPES[dtype].isFloatingPoint ? this.floatingAs : dtype;
      storage =
        to === dtype
          ? new Storage(dtype, t.storage.data.slice())
          : toDType(new Tensor(t.storage, [t.storage.numel]), to).storage;
      this.storages.set(t.storage, storage);
    }
    const out = new Tensor(storage, [...t.shape], [...t.strides], t.offset);
    out.requiresGrad = t.requiresGrad;
    out.device = t.device;
    return out;
  }
}
