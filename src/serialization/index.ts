// Public API of the serialization layer: loading .pt archives, the zip layer, and (as namespaces, to keep
// their names apart from the IR's) the pickle layer, the TorchScript source frontend and the IR emitter.

export * from './load/index.js';
export * from './zip/index.js';
export * as pickle from './pickle/index.js';
export * as torchscript from './torchscript/index.js';
export * as emitter from './emitter/index.js';
export { saveModule, writeFrozen, buildModuleArchive, type SaveOptions } from './save/index.js';
export { printMethodCode, installCodePrinter } from './printer/index.js';
export {
  encodeValue,
  writeValueFiles,
  decodeValue,
  readValueFiles,
  type ValueTree,
  type EncodedValue,
} from './value-tree.js';
