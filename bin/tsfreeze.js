#!/usr/bin/env -S node --single-threaded-gc
// Entry point of the `tsfreeze` command: the compiled CLI lives in dist/. The CLI owns its process, so for
// a job it turns on WebAssembly relaxed SIMD (fused multiply-add in the GEMM kernel) where Node still flags
// it, and raises V8's tier-up budget for a one-job process (src/runtime/v8-tuning.ts). The garbage
// collector's settings must be given when node starts: the first line passes ONE_SHOT_NODE_FLAGS.
// A job then runs the CLI bundled in one file with a V8 code cache (src/runtime/cli-bundle.ts): ~0.5 s less
// start-up than the ~380 separate modules, written back after the job when the cache was missing or stale.
// Both V8 flags are set before the bundle is compiled: V8 rejects a code cache made under other flags.
// Without a subcommand (`--help`, `--version`) nothing runs a kernel: skip all that and load the small
// help bundle (main.bundle.js: src/cli/main.js with its small CLI modules, scripts/bundle-cli.mjs).
const argv = process.argv.slice(2);
if (argv.some((a) => !a.startsWith('-'))) {
  const [{ enableWasmRelaxedSimd }, { tuneV8ForOneShotRuns }, { loadCliBundle, needsUnbundledCli }] =
    await Promise.all([
      import('../dist/src/runtime/kernels/wasm-features.js'),
      import('../dist/src/runtime/v8-tuning.js'),
      import('../dist/src/runtime/cli-bundle.js'),
    ]);
  tuneV8ForOneShotRuns();
  enableWasmRelaxedSimd();
  const bundle = needsUnbundledCli(argv) ? undefined : loadCliBundle();
  if (bundle) {
    process.exitCode = await bundle.exports.main(argv);
    bundle.writeCache();
  } else {
    const { main } = await import('../dist/src/cli/main.js');
    process.exitCode = await main(argv);
  }
} else {
  const { main } = await import('../dist/src/cli/main.bundle.js');
  process.exitCode = await main(argv);
}
