// Loading TorchScript archives (.pt files written by torch.jit.save) into ScriptModules.

export {
  loadModule,
  loadModuleAsync,
  loadArchive,
  MIN_ARCHIVE_VERSION,
  MAX_ARCHIVE_VERSION,
  type LoadOptions,
  type LoadedArchive,
} from './load-module.js';
export { SourceImporter, type SourceImporterOptions } from './source-importer.js';
export { ObjectRestorer, type RestoreContext } from './restore-objects.js';
export { loadError, type LoadErrorCode } from './load-errors.js';
