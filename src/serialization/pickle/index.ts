// Public surface of the pickle layer: the restricted unpickler, PyTorch's tensor/storage conventions and the pickler.

export {
  PickleFloat,
  PickleTuple,
  PickledObject,
  PickleGlobal,
  PickleDevice,
  StorageRef,
  TensorRef,
  typeTagOf,
  setTypeTag,
  numberOf,
  describeValue,
  type PickleValue,
  type PickleDict,
  type GlobalBehaviour,
  type CallSite,
} from './values.js';
export { unpickle, DEFAULT_MAX_DEPTH, type UnpickleOptions } from './unpickler.js';
export { loadPickle, type LoadPickleOptions } from './load-pickle.js';
export { pickle, type PickleOptions, type PickleResult, type PickledStorage } from './pickler.js';
export { storageRecords, type StorageRecord } from './storage-records.js';
export { GlobalRegistry, baseTorchRegistry } from './globals.js';
export {
  torchGlobals,
  torchPersistentLoad,
  type StorageMaterializer,
  type TorchGlobalsOptions,
} from './torch-tensors.js';
export { checkStructure } from './check-structure.js';
export { OP, opcodeName, HIGHEST_PROTOCOL } from './opcodes.js';
export type { PickleErrorCode } from './pickle-errors.js';
