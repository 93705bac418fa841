// Two bundles of the compiled CLI (run after tsc by `npm run build` and `npm run build:test`):
//
// 1. dist/src/cli/main.bundle.js, for `tsfreeze --help` / `--version`: src/cli/main.js and the few small CLI
//    modules it imports, one module instead of seven (~5 ms of every start). Everything a subcommand loads
//    stays a separate module (imported from the bundle by the same relative paths), and so do the modules
//    with state or identity that other modules share: commander (one instance), limits.js (the current
//    limits), errors.js. test/cli/commands.test.ts checks the bundle's imports.
//
// 2. dist/src/cli/cli.bundle.cjs, for jobs (`tsfreeze freeze M.pt`, the vs-torch child): the whole CLI and
//    library with its dependencies in one CommonJS file, which src/runtime/cached-bundle.ts runs with a V8
//    code cache. Then one warm-up job (freezing examples/resnet18_w8.pt, as a user would) writes that cache,
//    with the lazily compiled functions of loading and freezing in it.
//
// 3. dist/src/cli/help-snapshot.json: what `tsfreeze --help` and `--version` print at each width, recorded
//    from the live CLI (src/cli/help-snapshot.ts); bin/tsfreeze.js prints it without loading the CLI.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { ONE_SHOT_NODE_FLAGS } from '../dist/src/runtime/v8-tuning.js';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/src/cli/main.bundle.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [
    'commander',
    'reflect-metadata',
    './*-command.js',
    '../serialization/*',
    '../entry-hooks.js',
    '../limits.js',
    '../errors.js',
  ],
  logLevel: 'warning',
});

const { recordHelpSnapshot } = await import('../dist/src/cli/help-snapshot.js');
writeFileSync('dist/src/cli/help-snapshot.json', JSON.stringify(await recordHelpSnapshot()));

const CJS_BUNDLE = resolve('dist/src/cli/cli.bundle.cjs');

// import.meta.url of each bundled module becomes its own file's URL (found from the bundle's __dirname), so
// files it locates next to itself (the report client, the demo model, the --jobs worker) are found as before.
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(dirname(CJS_BUNDLE), args.path).split('\\').join('/');
      return {
        contents: text.replaceAll('import.meta.url', `__tsfreezeFileUrl(${JSON.stringify(rel)})`),
        loader: 'js',
      };
    });
  },
};

await build({
  stdin: {
    contents: [
      "export { main } from './dist/src/cli/main.js';",
      "export { freeze, loadModule, Tensor } from './dist/passes/index.js';",
    ].join('\n'),
    resolveDir: resolve('.'),
    sourcefile: 'cli-bundle-entry.js',
  },
  outfile: CJS_BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // One commander instance: src/cli/commander.ts require()s it at run time, other modules import it.
  external: ['commander'],
  banner: {
    js: "const __tsfreezeFileUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;",
  },
  plugins: [importMetaUrl],
  logLevel: 'warning',
});

// A new bundle makes every old cache stale (their headers name the old file): remove them, then warm up.
for (const f of readdirSync(dirname(CJS_BUNDLE)))
  if (/^cli\.bundle\..*\.cache/.test(f)) rmSync(resolve(dirname(CJS_BUNDLE), f));
const warmUp = spawnSync(
  process.execPath,
  [...ONE_SHOT_NODE_FLAGS, 'bin/tsfreeze.js', 'freeze', 'examples/resnet18_w8.pt'],
  { encoding: 'utf8', env: { ...process.env, TSFREEZE_CODE_CACHE_DIR: '', TSFREEZE_NO_BUNDLE: '' } },
);
if (warmUp.status !== 0) {
  process.stderr.write(`bundle-cli: the warm-up job failed:\n${warmUp.stderr}`);
  process.exit(1);
}
