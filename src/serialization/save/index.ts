// Writing modules as .pt archives that torch.jit.load (and tsfreeze) read back.

export {
  saveModule,
  buildModuleArchive,
  moduleArchiveEntries,
  writeFrozen,
  PRODUCED_FILE_FORMAT_VERSION,
  type SaveOptions,
} from './save-module.js';
export { PickleConverter, unserializable } from './to-pickle.js';
