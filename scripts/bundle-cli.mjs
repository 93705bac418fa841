// Bundles the modules `tsfreeze --help` runs (src/cli/main.js and the few small CLI modules it imports)
// into dist/src/cli/main.bundle.js, which bin/tsfreeze.js loads: one module instead of seven saves ~5 ms of
// every start. Everything a subcommand loads stays a separate module (imported from the bundle by the same
// relative paths), and so do the modules with state or identity that other modules share: commander (one
// instance), limits.js (the current limits), errors.js. test/cli/commands.test.ts checks the bundle's imports.
import { build } from 'esbuild';

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
