// Runs a CommonJS bundle through vm.Script with a V8 code cache, for processes that run one job and exit
// (the tsfreeze CLI, the vs-torch bench's child). Compiling the library's ~380 ES modules costs a fresh
// process ~600 ms of CPU before any work starts (module parsing, format detection, CJS lexing of
// dependencies), and loading and freezing then compile hundreds of functions lazily. One bundle plus the
// bytecode V8 saved after a whole job (createCachedData after running includes the functions compiled
// lazily) skips most of both (docs/architecture.md, "Start-up").
//
// The cache is only an accelerator: when it is missing, stale or rejected by V8 (another Node version,
// other V8 flags), the bundle compiles from source as usual and the caller may write a fresh cache at
// the end of its job (writeCache: to a temporary file, then renamed, so concurrent runs never read half
// a file). V8 checks the cache against the source's length only, so the cache file starts with a header
// naming the bundle's size and modification time and the Node version: a rebuilt bundle never runs
// another build's bytecode.

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';

/** How the bundle's code cache was used by this process. */
export type CodeCacheState = 'accepted' | 'rejected' | 'absent';

export interface CachedBundle<T> {
  /** What the bundle assigned to module.exports. */
  readonly exports: T;
  readonly cache: CodeCacheState;
  /**
   * Writes the code cache when this process could not use one (absent or rejected); call it after the
   * job, so the functions the job compiled are included. Returns whether a file was written; never throws
   * (a read-only install simply runs without a cache).
   */
  writeCache(): boolean;
}

const MAGIC = 'tsfreeze-code-cache 1';

/** The header that ties a cache file to one build of the bundle and one Node version. */
function cacheHeader(bundle: string): Buffer {
  const s = statSync(bundle, { bigint: true });
  return Buffer.from(`${MAGIC} ${s.size} ${s.mtimeNs} ${process.version} ${process.arch}\n`, 'latin1');
}

function readCache(cacheFile: string, header: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (data.length <= header.length || !data.subarray(0, header.length).equals(header)) return undefined;
  return data.subarray(header.length);
}

/**
 * Compiles and runs `bundle` (a CommonJS file) with the first valid code cache among `cacheFiles`;
 * undefined when the bundle file does not exist. writeCache writes to the first of them that can be
 * written. Compile with the V8 flags the job will run with: V8 rejects a cache made under other flags.
 */
export function loadCachedBundle<T>(
  bundlePath: string,
  cacheFiles: readonly string[],
): CachedBundle<T> | undefined {
  const bundle = resolve(bundlePath);
  let source: string;
  let header: Buffer;
  try {
    source = readFileSync(bundle, 'utf8');
    header = cacheHeader(bundle);
  } catch {
    return undefined;
  }
  let cachedData: Buffer | undefined;
  for (const file of cacheFiles) if ((cachedData = readCache(file, header))) break;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
    // Dynamic import() of files outside the bundle resolves as in any module of the main context.
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CodeCacheState =
    cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    exports: module.exports,
    cache,
    writeCache: () => {
      if (cache === 'accepted') return false;
      const data = Buffer.concat([header, script.createCachedData()]);
      return cacheFiles.some((file) => writeCacheFile(file, data));
    },
  };
}

function writeCacheFile(cacheFile: string, data: Buffer): boolean {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, cacheFile);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written there.
    }
    return false;
  }
}
