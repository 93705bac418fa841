// constants.pkl as torch.jit.load reads it: a tuple of the values code refers to as CONSTANTS.cN. Besides
// tensors, the printer sends there what it cannot spell as a literal (strings with non-ASCII characters,
// script-class objects, containers holding them), so every entry is restored with the type PyTorch's
// unpickler gives it: the `restore_type_tag` of lists and dicts, the class of objects, tuples by element.

import { isTsFreezeError } from '../../errors.js';
import {
  AnyType,
  BoolType,
  DeviceType,
  DictType,
  FloatType,
  IntType,
  ListType,
  NoneType,
  StringType,
  TensorTensor,
  TupleType,
  type Type,
} from '../../ir/types.js';
import { ClassType } from '../../module/class-type.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CodeConstant } from '../emitter/function-emitter.js';
import { resolveTypeExpr } from '../emitter/type-exprs.js';
import {
  describeValue,
  PickleDevice,
  PickledObject,
  PickleFloat,
  PickleTuple,
  typeTagOf,
} from '../pickle/values.js';
import type { PickleValue } from '../pickle/values.js';
import { parseTypeText } from '../torchscript/parse-type.js';
import { loadError } from './load-errors.js';
import { ObjectRestorer } from './restore-objects.js';

const ENTRY = 'constants.pkl';

/** How constants find the classes of their objects (importing their code). */
export interface ConstantsContext {
  readonly source: string;
  findClass(qualifiedName: string): Type | undefined;
}

/** The unpickled constants.pkl (a tuple) as the constant table, each entry with its type. */
export function restoreConstants(pickled: PickleValue, ctx: ConstantsContext): CodeConstant[] {
  const items = pickled instanceof PickleTuple ? pickled.items : Array.isArray(pickled) ? pickled : undefined;
  if (!items) throw bad(ctx, `expected a tuple of constants, found a ${describeValue(pickled)}`);
  const restorer = new ObjectRestorer({ ...ctx, entry: ENTRY });
  const types = new PickledTypes(ctx);
  return items.map((item, i) => {
    const type = types.of(item, i);
    return { value: restorer.restore(item, type, `CONSTANTS.c${i}`), type };
  });
}

function bad(ctx: ConstantsContext, what: string): Error {
  return loadError('BAD_CONSTANTS', ctx.source, what, ENTRY);
}

/** The type PyTorch's unpickler gives a pickled value: what it is, refined by the tags it carries. */
class PickledTypes {
  private readonly tags = new Map<string, Type>();

  constructor(private readonly ctx: ConstantsContext) {}

  of(value: PickleValue, index: number): Type {
    if (value === null) return NoneType;
    if (typeof value === 'boolean') return BoolType;
    if (typeof value === 'number' || typeof value === 'bigint') return IntType;
    if (typeof value === 'string') return StringType;
    if (value instanceof PickleFloat) return FloatType;
    if (value instanceof Tensor) return TensorTensor;
    if (value instanceof PickleDevice) return DeviceType;
    if (value instanceof PickleTuple) return new TupleType(value.items.map((v) => this.of(v, index)));
    if (value instanceof PickledObject) return this.classOf(value, index);
    const tag = typeTagOf(value);
    if (tag !== undefined) return this.tagged(tag, index);
    // Untagged containers (archives older than type tags): what the first entry shows.
    if (Array.isArray(value)) return new ListType(value.length ? this.of(value[0], index) : AnyType);
    if (value instanceof Map) {
      const first = value.entries().next();
      return first.done
        ? new DictType(StringType, AnyType)
        : new DictType(this.of(first.value[0], index), this.of(first.value[1], index));
    }
    throw bad(this.ctx, `constant ${index} is a ${describeValue(value)}, which code cannot use`);
  }

  private classOf(object: PickledObject, index: number): Type {
    const type = this.ctx.findClass(object.className);
    if (type instanceof ClassType) return type;
    throw bad(
      this.ctx,
      type
        ? `constant ${index}: ${object.className} is not a class (it is ${type.str()})`
        : `constant ${index}: no code for class ${object.className}`,
    );
  }

  private tagged(tag: string, index: number): Type {
    const known = this.tags.get(tag);
    if (known) return known;
    let type: Type;
    try {
      const expr = parseTypeText(tag, `${this.ctx.source}:${ENTRY}`);
      type = resolveTypeExpr(expr, (name) => this.ctx.findClass(name), tag);
    } catch (error) {
      if (!isTsFreezeError(error)) throw error;
      throw bad(this.ctx, `constant ${index}: bad type tag '${tag.slice(0, 80)}': ${error.message}`);
    }
    if (!(type instanceof ListType || type instanceof DictType))
      throw bad(this.ctx, `constant ${index}: the type tag '${tag.slice(0, 80)}' is not a list or dict type`);
    this.tags.set(tag, type);
    return type;
  }
}
