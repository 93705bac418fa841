// PyTorch's tensor side of a pickle: persistent ids naming storage records, and the `torch._utils`
// rebuilders that turn (storage, offset, size, stride, requires_grad) into a Tensor or a TensorRef.

import type { Storage } from '../../tensor/tensor.js';
import { Tensor } from '../../tensor/tensor.js';
import { baseTorchRegistry, expectArity, fn, type GlobalRegistry } from './globals.js';
import { pickleError } from './pickle-errors.js';
import {
  describeValue,
  PickleGlobal,
  PickleTuple,
  StorageRef,
  TensorRef,
  type CallSite,
  type PickleValue,
} from './values.js';

/** Turns a storage reference into shared Storage (the caller caches by key so tensors on one record share it). */
export type StorageMaterializer = (ref: StorageRef, site: CallSite) => Storage;

/** Options of {@link torchGlobals}. */
export interface TorchGlobalsOptions {
  /** When given, rebuilders produce Tensors over materialized storage; otherwise TensorRefs. */
  readonly materialize?: StorageMaterializer;
}

function bad(site: CallSite, what: string): never {
  throw pickleError('BAD_TENSOR', site.source, what, site.offset);
}

function safeCount(value: PickleValue | undefined, what: string, site: CallSite): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    bad(site, `${what} must be a non-negative int, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * The standard persistent_load of PyTorch archives: `('storage', torch.FloatStorage, '0', 'cpu', 6)`
 * becomes `StorageRef { key: '0', dtype: 'float32', device: 'cpu', numel: 6 }`. Anything else is
 * BAD_PERSISTENT_ID.
 */
export function torchPersistentLoad(pid: PickleValue, site: CallSite): StorageRef {
  const items = pid instanceof PickleTuple ? pid.items : undefined;
  const fail = (why: string): never => {
    throw pickleError(
      'BAD_PERSISTENT_ID',
      site.source,
      `bad persistent id (${why}); expected ('storage', torch.<T>Storage, key, location, numel)`,
      site.offset,
    );
  };
  if (!items) return fail(`a ${describeValue(pid)}`);
  if (items[0] !== 'storage')
    return fail(`kind ${typeof items[0] === 'string' ? `'${items[0]}'` : describeValue(items[0])}`);
  if (items.length !== 5) return fail(`${items.length} items`);
  const [, type, key, location, numel] = items;
  if (!(type instanceof PickleGlobal) || type.behaviour.kind !== 'storage')
    return fail(`storage type ${describeValue(type)}`);
  if (typeof key !== 'string' || key === '') return fail('the key is not a string');
  if (typeof location !== 'string') return fail('the location is not a string');
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0)
    return fail('numel is not a non-negative int');
  return new StorageRef(key, type.behaviour.dtype, location, numel);
}

function intTuple(value: PickleValue | undefined, what: string, site: CallSite): number[] {
  const items = value instanceof PickleTuple ? value.items : Array.isArray(value) ? value : undefined;
  if (!items) bad(site, `${what} must be a tuple of ints, got ${describeValue(value)}`);
  return items.map((item) => safeCount(item, `${what} entries`, site));
}

/** Checks that every element the view can reach lies inside the storage. */
function checkBounds(
  numel: number,
  offset: number,
  shape: number[],
  strides: number[],
  site: CallSite,
): void {
  if (shape.length !== strides.length)
    bad(site, `size has ${shape.length} dims but stride has ${strides.length}`);
  if (shape.some((size) => size === 0)) return;
  let last = offset;
  for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * strides[d];
  if (last >= numel) {
    bad(
      site,
      `tensor view (offset ${offset}, size [${shape.join(', ')}], stride [${strides.join(', ')}]) reaches element ${last} of a ${numel}-element storage`,
    );
  }
}

function makeTensor(
  storageArg: PickleValue | undefined,
  offsetArg: PickleValue | undefined,
  sizeArg: PickleValue | undefined,
  strideArg: PickleValue | undefined,
  requiresGrad: boolean,
  options: TorchGlobalsOptions,
  site: CallSite,
): Tensor | TensorRef {
  if (!(storageArg instanceof StorageRef))
    bad(site, `expected a storage (persistent id), got ${describeValue(storageArg)}`);
  const offset = safeCount(offsetArg, 'storage offset', site);
  const shape = intTuple(sizeArg, 'size', site);
  const strides = intTuple(strideArg, 'stride', site);
  checkBounds(storageArg.numel, offset, shape, strides, site);
  if (!options.materialize) return new TensorRef(storageArg, offset, shape, strides, requiresGrad);
  const storage = options.materialize(storageArg, site);
  // The storage record was made by the first reference to its key: a later one may declare more elements
  // (or another dtype) than it holds. Check the view against the storage it really gets.
  if (storage.dtype !== storageArg.dtype)
    bad(site, `storage '${storageArg.key}' is ${storage.dtype} but is referenced as ${storageArg.dtype}`);
  checkBounds(storage.numel, offset, shape, strides, site);
  const tensor = new Tensor(storage, shape, strides, offset);
  tensor.requiresGrad = requiresGrad;
  tensor.device = storageArg.device;
  return tensor;
}

function boolArg(value: PickleValue | undefined, what: string, site: CallSite): boolean {
  if (typeof value !== 'boolean') bad(site, `${what} must be a bool, got ${describeValue(value)}`);
  return value;
}

/**
 * The allow-list for PyTorch pickles: {@link baseTorchRegistry} plus `torch._utils._rebuild_tensor_v2`,
 * `_rebuild_tensor` and `_rebuild_parameter`.
 */
export function torchGlobals(options: TorchGlobalsOptions = {}): GlobalRegistry {
  const registry = baseTorchRegistry();
  registry.register(
    'torch._utils',
    '_rebuild_tensor_v2',
    fn((args, site) => {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      expectArity('_rebuild_tensor_v2', args, 6, 7, site);
      const requiresGrad = boolArg(args[4], 'requires_grad', site);
      return makeTensor(args[0], args[1], args[2], args[3], requiresGrad, options, site);
    }),
  );
  registry.register(
    'torch._utils',
    '_rebuild_tensor',
    fn((args, site) => {
      expectArity('_rebuild_tensor', args, 4, 4, site);
      return makeTensor(args[0], args[1], args[2], args[3], false, options, site);
    }),
  );
  registry.register(
    'torch._utils',
    '_rebuild_parameter',
    fn((args, site) => {
      // (data, requires_grad, backward_hooks)
      expectArity('_rebuild_parameter', args, 3, 3, site);
      const [data] = args;
      const requiresGrad = boolArg(args[1], 'requires_grad', site);
      if (data instanceof TensorRef)
        return new TensorRef(data.storage, data.offset, data.shape, data.strides, requiresGrad);
      if (!(data instanceof Tensor))
        bad(site, `_rebuild_parameter expects a tensor, got ${describeValue(data)}`);
      data.requiresGrad = requiresGrad;
      return data;
    }),
  );
  return registry;
}
