#!/usr/bin/env -S node --single-threaded-gc
// Entry point of the `tsfreeze` command: the compiled CLI lives in dist/. It loads only what the
// subcommand being run needs (`tsfreeze --help` loads commander alone). The CLI owns its process, so it
// turns on WebAssembly relaxed SIMD (fused multiply-add in the GEMM kernel) where Node still flags it,
// and raises V8's tier-up budget for a one-job process (src/runtime/v8-tuning.ts). The garbage collector's
// settings must be given when node starts: the first line passes ONE_SHOT_NODE_FLAGS (v8-tuning.ts).
// Without a subcommand (`--help`, `--version`) nothing runs a kernel: skip both (~9 ms).
const argv = process.argv.slice(2);
if (argv.some((a) => !a.startsWith('-'))) {
  const [{ enableWasmRelaxedSimd }, { tuneV8ForOneShotRuns }] = await Promise.all([
    import('../dist/src/runtime/kernels/wasm-features.js'),
    import('../dist/src/runtime/v8-tuning.js'),
  ]);
  tuneV8ForOneShotRuns();
  enableWasmRelaxedSimd();
}
// main.bundle.js is src/cli/main.js with its small CLI modules in one file (scripts/bundle-cli.mjs).
const { main } = await import('../dist/src/cli/main.bundle.js');
process.exitCode = await main(argv);
