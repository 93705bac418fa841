// The CLI's start-up path for jobs (bin/tsfreeze.js with a subcommand, and the vs-torch bench's child, which
// must measure what the CLI does): the whole CLI and library as one CommonJS bundle,
// dist/src/cli/cli.bundle.cjs (scripts/bundle-cli.mjs), run with a V8 code cache (cached-bundle.ts).
// The library's package entry (`import('tsfreeze')`) stays the unbundled ES modules.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { main } from '../cli/main.js';
import type { freeze, loadModule, Tensor } from '../../passes/index.js';
import { loadCachedBundle, type CachedBundle } from './cached-bundle.js';

/** What the bundle exports (its entry is written in scripts/bundle-cli.mjs). */
export interface CliBundleExports {
  main: typeof main;
  loadModule: typeof loadModule;
  freeze: typeof freeze;
  Tensor: typeof Tensor;
}

export const CLI_BUNDLE = fileURLToPath(new URL('../cli/cli.bundle.cjs', import.meta.url));

/**
 * Where the code cache may live, in order: TSFREEZE_CODE_CACHE_DIR when set; else next to the bundle,
 * then the user's cache directory (for installs whose dist/ cannot be written). One file per Node
 * version and architecture, so two Node versions sharing an install do not overwrite each other's.
 */
export function cliCacheFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const name = `cli.bundle.${process.version}-${process.arch}.cache`;
  if (env.TSFREEZE_CODE_CACHE_DIR) return [join(env.TSFREEZE_CODE_CACHE_DIR, name)];
  const userDir = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tsfreeze');
  return [
    join(CLI_BUNDLE, '..', name),
    join(userDir, `${CLI_BUNDLE.replace(/[^A-Za-z0-9]+/g, '_')}.${name}`),
  ];
}

/**
 * True when a command line must run the unbundled modules: plugins (`--plugin`, and reproducers that
 * name plugins) import the package entry, and must share its module instances (pass tokens, classes),
 * which the bundle's copies are not. TSFREEZE_NO_BUNDLE=1 asks for the unbundled path too.
 */
export function needsUnbundledCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.TSFREEZE_NO_BUNDLE === '1') return true;
  return argv.some((a) =>
    ['--plugin', '--run-reproducer'].some((flag) => a === flag || a.startsWith(`${flag}=`)),
  );
}

/** The CLI bundle with its code cache; undefined when the bundle was not built. */
export function loadCliBundle(): CachedBundle<CliBundleExports> | undefined {
  return loadCachedBundle<CliBundleExports>(CLI_BUNDLE, cliCacheFiles());
}
