// Writes a module as a .pt archive that torch.jit.load reads: data.pkl (the object tree, tensors as
// persistent storages `data/N`, each storage once), the code/ files of every class it needs, constants.pkl
// (the CONSTANTS.cN tensors, stored as `constants/N`) and the format version (`version`, or `.data/version`
// from 6 on); written to a temp file and renamed.

import { SerializationError, TsFreezeError } from '../../errors.js';
import type { ScriptModule } from '../../module/script-module.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import { defaultOperatorRegistry } from '../../runtime/runtime.js';
import { pickle } from '../pickle/pickler.js';
import { storageRecords } from '../pickle/storage-records.js';
import { PickleTuple, type PickleValue } from '../pickle/values.js';
import { ArchiveCodePrinter } from '../printer/archive-code.js';
import { DATA_VERSION_RECORD_FROM, PRODUCED_FILE_FORMAT_VERSION } from '../printer/operator-versions.js';
import { TypeNames } from '../printer/type-names.js';
import { buildArchive, writeArchiveAtomic, type ArchiveEntry } from '../zip/write-archive.js';
import { PickleConverter } from './to-pickle.js';

export { PRODUCED_FILE_FORMAT_VERSION } from '../printer/operator-versions.js';

/** PyTorch deflates code files only above this size. */
const MIN_SIZE_TO_COMPRESS = 200;

/** Options of {@link saveModule} and {@link buildModuleArchive}. */
export interface SaveOptions {
  /** Operator table for argument names and defaults in the code; the runtime's shared one by default. */
  readonly registry?: OperatorRegistry;
  /** Top folder inside the zip. Default: the file's stem (`frozen.pt` -> `frozen`), `archive` in memory. */
  readonly folder?: string;
}

/** Any failure while serializing, as a SerializationError with a stable code and `where` in front. */
function saveError(error: unknown, where: string): SerializationError {
  // One error type for every way serializing can fail; a stray bug still exits cleanly with its reason.
  const code = error instanceof TsFreezeError ? error.code : 'SAVE_FAILED';
  const why = error instanceof Error ? error.message : String(error);
  return new SerializationError(code, `${where}${why}`, { cause: error });
}

/**
 * The records of an archive for `module`, in the order torch.jit.save writes them. Throws a
 * SerializationError (UNSERIALIZABLE for a value or construct a .pt file cannot hold).
 */
export function moduleArchiveEntries(module: ScriptModule, options: SaveOptions = {}): ArchiveEntry[] {
  try {
    return archiveEntries(module, options);
  } catch (error) {
    throw error instanceof SerializationError ? error : saveError(error, '');
  }
}

function archiveEntries(module: ScriptModule, options: SaveOptions): ArchiveEntry[] {
  const types = new TypeNames();
  const data = new PickleConverter(types);
  const root = data.convert(module, module.type, module.originalName);
  const dataPickle = pickle(root);
  const printer = new ArchiveCodePrinter(options.registry ?? defaultOperatorRegistry(), types);
  for (const cls of data.classes) printer.addDefinition(cls);
  printer.drain();
  // Constants may hold objects (a frozen script-class instance): their classes need code too, and
  // printing that code may add constants, so convert and print until nothing new appears.
  const constants = new PickleConverter(types);
  const constantValues: PickleValue[] = [];
  for (let printedClasses = 0; ;) {
    const entries = printer.constants.entries;
    for (let i = constantValues.length; i < entries.length; i++) {
      constantValues.push(constants.convert(entries[i].value, entries[i].type, `CONSTANTS.c${i}`));
    }
    if (printedClasses === constants.classes.length) break;
    for (const cls of constants.classes.slice(printedClasses)) printer.addDefinition(cls);
    printedClasses = constants.classes.length;
    printer.drain();
  }
  const code = printer.result();
  const constantsPickle = pickle(new PickleTuple(constantValues));
  const entries: ArchiveEntry[] = [
    ...storageRecords(dataPickle.storages, 'data'),
    { name: 'data.pkl', data: dataPickle.bytes },
  ];
  for (const file of code.files) {
    const bytes = new TextEncoder().encode(file.text);
    entries.push({ name: file.path, data: bytes, compress: bytes.length > MIN_SIZE_TO_COMPRESS });
  }
  entries.push(...storageRecords(constantsPickle.storages, 'constants'));
  entries.push({ name: 'constants.pkl', data: constantsPickle.bytes });
  // The version the printed operators need; from 6 on torch writes (and reads) it as `.data/version`.
  const version = Math.max(PRODUCED_FILE_FORMAT_VERSION, code.minVersion);
  const record = version >= DATA_VERSION_RECORD_FROM ? '.data/version' : 'version';
  entries.push({ name: record, data: `${version}\n` });
  return entries;
}

/** The whole archive in memory (zip bytes). Throws like {@link saveModule}, without touching the disk. */
export function buildModuleArchive(module: ScriptModule, options: SaveOptions = {}): Uint8Array {
  return buildArchive(moduleArchiveEntries(module, options), { folder: options.folder });
}

/**
 * Saves `module` to `path` as torch.jit.save does. Everything is serialized in memory first and the
 * file is written through a temporary file and a rename, so any failure (a value that cannot be
 * serialized: UNSERIALIZABLE; an unwritable folder: WRITE_FAILED) leaves no partial file behind.
 * Every failure is a SerializationError whose message names `path`.
 */
export function saveModule(module: ScriptModule, path: string, options: SaveOptions = {}): void {
  let entries: ArchiveEntry[];
  try {
    entries = archiveEntries(module, options);
  } catch (error) {
    throw saveError(error, `cannot save ${path}: `);
  }
  writeArchiveAtomic(path, entries, { folder: options.folder });
}

/** What `tsfreeze freeze -o OUT.pt` calls: saves the frozen module (see {@link saveModule}). */
export function writeFrozen(module: ScriptModule, path: string): void {
  saveModule(module, path);
}
