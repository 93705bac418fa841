// Operator dispatch: finds the overload an IR node calls and adapts the interpreter's IValues to the
// kernel calling convention (positional args, floats kept apart from ints, devices as strings).

import { UnsupportedError } from '../errors.js';
import { Device, Tuple, type IValue } from '../ir/ivalue.js';
import type { Node } from '../ir/node.js';
import { OptionalType, type Type } from '../ir/types.js';
import type { FunctionSchema, OperatorEntry, OperatorRegistry } from '../ops/index.js';
import { FloatScalar } from '../tensor/scalar.js';
import { Tensor } from '../tensor/tensor.js';
import type { OpFn } from './interpreter.js';
import { KERNELS } from './kernels/index.js';
import type { Kernel, KernelArg, KernelResult } from './kernels/types.js';
import { KEYED_SCALAR_OPS } from './kernels/scalar-table.js';
import { refusalOf } from './kernels/refused.js';
import { SCALAR_OPS, type ScalarOp } from './scalar-ops.js';

/** True when a type can hold a tensor (so the op is not a pure scalar/list op). */
function mentionsTensor(t: Type): boolean {
  return t.kind === 'Tensor' || t.containedTypes().some(mentionsTensor);
}

function schemaHasTensors(schema: FunctionSchema): boolean {
  return (
    schema.arguments.some((a) => mentionsTensor(a.type)) || schema.returns.some((r) => mentionsTensor(r.type))
  );
}

// Converts an interpreter value to a kernel argument, guided by the static type of the node input.
function toKernelArg(v: IValue, type: Type): KernelArg {
  const t = type instanceof OptionalType ? type.elem : type;
  if (typeof v === 'number' && t.kind === 'float') return new FloatScalar(v);
  if (v instanceof Device) return v.toString();
  if (v instanceof Tuple)
    return v.items.map((x, i) => toKernelArg(x, t.containedTypes()[i] ?? t)) as KernelArg;
  if (Array.isArray(v)) {
    const elem = t.containedTypes()[0] ?? t;
    return v.map((x) => toKernelArg(x, elem));
  }
  return v as KernelArg;
}

// Converts a kernel result back; floats become plain numbers (the IR type says float).
function fromKernelResult(r: KernelResult): IValue {
  if (r instanceof FloatScalar) return r.value;
  if (Array.isArray(r)) return r.map(fromKernelResult);
  return r as IValue;
}

/** How an operator overload runs: a tensor kernel, or a scalar/container op over interpreter values. */
export type Implementation =
  { readonly kind: 'kernel'; readonly kernel: Kernel } | { readonly kind: 'scalar'; readonly op: ScalarOp };

/**
 * The implementation of an overload, or undefined when there is none: a keyed scalar op first, then a tensor
 * kernel (KERNELS or one registered with the schema), then the by-name scalar table for overloads without
 * tensors (which it also takes over from a kernel). Dispatch and kernel coverage both ask this.
 */
export function implementationOf(entry: OperatorEntry): Implementation | undefined {
  const keyed = KEYED_SCALAR_OPS[entry.key] as ScalarOp | undefined;
  if (keyed) return { kind: 'scalar', op: keyed };
  const kernel = (KERNELS[entry.key] as Kernel | undefined) ?? (entry.kernel as Kernel | undefined);
  const scalar = SCALAR_OPS[entry.name] as ScalarOp | undefined;
  if (scalar && !schemaHasTensors(entry.schema)) return { kind: 'scalar', op: scalar };
  return kernel ? { kind: 'kernel', kernel } : undefined;
}

/** The error for an overload with no implementation: says why when it is refused on purpose. */
export function noKernelError(entry: OperatorEntry): UnsupportedError {
  const refused = refusalOf(entry.key);
  const why = refused ? ` (not supported: ${refused})` : '';
  return new UnsupportedError(`no kernel for ${entry.key}${why}: ${entry.schema.toString()}`, 'NO_KERNEL');
}

/** Compiles aten:: nodes to functions, through the registry's overload choice and the kernel table. */
export function makeOpCompiler(registry: OperatorRegistry): (node: Node) => OpFn {
  return (node: Node): OpFn => {
    const entry = registry.entryForNode(node);
    const types = node.inputs.map((v) => v.type);
    const resultType = node.outputs[0]?.type;
    if (!entry) {
      const scalar = SCALAR_OPS[node.kind];
      if (scalar) return (inputs) => scalar({ args: inputs, argTypes: types, resultType, overload: '' });
      throw new UnsupportedError(
        `no operator ${node.kind} accepts (${types.map((t) => t.str()).join(', ')})`,
        'NO_KERNEL',
      );
    }
    const impl = implementationOf(entry);
    if (!impl) throw noKernelError(entry);
    if (impl.kind === 'scalar') {
      const overload = entry.schema.overloadName;
      return (inputs) => impl.op({ args: inputs, argTypes: types, resultType, overload });
    }
    const kernel = impl.kernel;
    return (inputs) => {
      const args = inputs.map((v, i) => toKernelArg(v, types[i]));
      const result = kernel(args);
      if (node.outputs.length > 1) return (result as readonly KernelResult[]).map(fromKernelResult);
      return fromKernelResult(result);
    };
  };
}

/** True if a value is a tensor (re-exported for hosts that check outputs). */
export function isTensor(v: IValue): v is Tensor {
  return v instanceof Tensor;
}
