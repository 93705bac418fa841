// Reads a .pt archive written by torch.jit.save into a ScriptModule, as torch.jit.load does: the version
// record, constants.pkl (CONSTANTS.cN), data.pkl (the module objects), and the code of every class the
// objects use, compiled to IR graphs.

import { readFile } from 'node:fs/promises';
import { LimitError } from '../../limits.js';
import { CompilationUnit } from '../../module/compilation-unit.js';
import { ScriptModule } from '../../module/script-module.js';
import { OperatorRegistry } from '../../ops/registry.js';
import { loadPickle } from '../pickle/load-pickle.js';
import { describeValue, PickledObject } from '../pickle/values.js';
import type { CodeConstant } from '../emitter/function-emitter.js';
import { viewingStorageLoader } from './storage-views.js';
import { readArchive, type ZipArchive } from '../zip/read-archive.js';
import { loadError } from './load-errors.js';
import { checkNoRecursion } from './recursion-check.js';
import { restoreConstants } from './restore-constants.js';
import { ObjectRestorer } from './restore-objects.js';
import { readFileShared, startCrcCheck } from './parallel-crc.js';
import { SourceImporter } from './source-importer.js';

/** The archive format versions torch.jit.load 1.13 reads (caffe2/serialize/versions.h). */
export const MIN_ARCHIVE_VERSION = 3;
export const MAX_ARCHIVE_VERSION = 10;

/** Options of {@link loadModule}. */
export interface LoadOptions {
  /** What messages call the archive when loading from bytes (default `<buffer>`). */
  readonly name?: string;
  /** The operator table to resolve calls against (default: one shared table of PyTorch 1.13's schemas). */
  readonly registry?: OperatorRegistry;
  /**
   * Check the CRC-32 of tensor records too (default false, as torch.jit.load 1.13, which checks no CRC:
   * a flipped bit in a weight then loads as a changed weight). The code, pickles and version are always
   * checked; `tsfreeze show` checks everything. On resnet50 the tensor checksums are ~10% of a load.
   */
  readonly verifyChecksums?: boolean;
}

/** A loaded archive: the module and what it was read from. */
export interface LoadedArchive {
  readonly module: ScriptModule;
  readonly archive: ZipArchive;
  /** The `version` record. */
  readonly version: number;
  /** constants.pkl: what code refers to as CONSTANTS.c0, c1, ... (tensors, strings, objects, ...). */
  readonly constants: readonly CodeConstant[];
  /** Every class and function defined while loading. */
  readonly cu: CompilationUnit;
}

let sharedRegistry: OperatorRegistry | undefined;

function defaultRegistry(): OperatorRegistry {
  sharedRegistry ??= new OperatorRegistry();
  return sharedRegistry;
}

/**
 * Loads a TorchScript archive from a path or from bytes. Throws typed errors naming the archive and the
 * entry: SerializationError (zip, pickle, version, objects), IRParseError (code files: TS_SYNTAX,
 * TS_COMPILE, TS_UNSUPPORTED at file:line:col).
 */
export function loadModule(source: string | Uint8Array, options: LoadOptions = {}): ScriptModule {
  return loadArchive(source, options).module;
}

/** Like {@link loadModule}, reading the file asynchronously. */
export async function loadModuleAsync(
  source: string | Uint8Array,
  options: LoadOptions = {},
): Promise<ScriptModule> {
  if (typeof source !== 'string') return loadModule(source, options);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch {
    // Let the synchronous reader produce its typed FILE_NOT_FOUND / IO_ERROR.
    return loadModule(source, options);
  }
  return loadModule(bytes, { ...options, name: options.name ?? source });
}

/** Loads an archive and returns the module with the archive, version, constants and compilation unit. */
export function loadArchive(source: string | Uint8Array, options: LoadOptions = {}): LoadedArchive {
  const archive = readArchive(typeof source === 'string' ? readShared(source) : source, {
    name: options.name ?? (typeof source === 'string' ? source : undefined),
  });
  const version = readVersion(archive);
  // Tensor records are checked on a worker while the code compiles, when the bytes are shared memory.
  const verifyAll = options.verifyChecksums ?? false;
  const tensorRecords = verifyAll ? [...archive.list('data/'), ...archive.list('constants/')] : [];
  const background = verifyAll ? startCrcCheck(archive, tensorRecords) : undefined;
  const verify = verifyAll && !background;
  const constants: CodeConstant[] = [];
  const cu = new CompilationUnit();
  const importer = new SourceImporter(archive, {
    registry: options.registry ?? defaultRegistry(),
    constants,
    cu,
  });
  importer.deferCompilation(() => constants.push(...readConstants(archive, verify, importer)));
  const root = loadPickle(archive.read('data.pkl'), {
    name: `${archive.source}:data.pkl`,
    loadStorage: viewingStorageLoader(archive, 'data', verify),
  });
  if (!(root instanceof PickledObject)) {
    throw loadError(
      'UNSUPPORTED_ARCHIVE',
      archive.source,
      `holds a ${describeValue(root)}, not a TorchScript module (a torch.save checkpoint is not a TorchScript archive)`,
      'data.pkl',
    );
  }
  if (archive.list('code/').length === 0) {
    throw loadError(
      'MISSING_CODE',
      archive.source,
      `the archive has no code/ entries, so class ${root.className} cannot be compiled`,
    );
  }
  const restorer = new ObjectRestorer({
    source: archive.source,
    findClass: (name) => importer.findNamedType(name),
  });
  const module = restorer.restoreObject(root, '');
  if (!(module instanceof ScriptModule)) {
    throw loadError(
      'UNSUPPORTED_ARCHIVE',
      archive.source,
      `the root object ${root.className} is not a module`,
      'data.pkl',
    );
  }
  checkNoRecursion(cu, archive.source);
  background?.wait();
  // Records no tensor used are checked too (those read while loading are not read again).
  if (verify) for (const name of tensorRecords) archive.read(name);
  return { module, archive, version, constants, cu };
}

// The file in shared memory (for the background checksum), or readArchive's typed error when unreadable.
function readShared(path: string): Uint8Array | string {
  try {
    return readFileShared(path);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    return path;
  }
}

// torch.jit.save writes the record as `version`, or as `.data/version` once the archive needs format 6 or newer.
function readVersion(archive: ZipArchive): number {
  const record = archive.has('version')
    ? 'version'
    : archive.has('.data/version')
      ? '.data/version'
      : undefined;
  if (record === undefined) {
    throw loadError(
      'UNSUPPORTED_ARCHIVE',
      archive.source,
      'no version record: not a TorchScript archive written by torch.jit.save',
      'version',
    );
  }
  const text = archive.readText(record).trim();
  const version = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(version))
    throw loadError(
      'UNSUPPORTED_ARCHIVE',
      archive.source,
      `the version record '${text.slice(0, 20)}' is not a number`,
      record,
    );
  if (version < MIN_ARCHIVE_VERSION || version > MAX_ARCHIVE_VERSION) {
    throw loadError(
      'UNSUPPORTED_VERSION',
      archive.source,
      `archive format version ${version} is not supported (torch.jit.load 1.13 reads versions ${MIN_ARCHIVE_VERSION} to ${MAX_ARCHIVE_VERSION})`,
      record,
    );
  }
  return version;
}

function readConstants(archive: ZipArchive, verify: boolean, importer: SourceImporter): CodeConstant[] {
  if (!archive.has('constants.pkl')) return [];
  const value = loadPickle(archive.read('constants.pkl'), {
    name: `${archive.source}:constants.pkl`,
    loadStorage: viewingStorageLoader(archive, 'constants', verify),
  });
  return restoreConstants(value, {
    source: archive.source,
    findClass: (name) => importer.findNamedType(name),
  });
}
