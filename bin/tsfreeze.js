#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:${GLIBC_TUNABLES} node --single-threaded-gc --initial-old-space-size=256 --max-semi-space-size=8
// Entry point of the `tsfreeze` command: the compiled CLI lives in dist/. A CommonJS file (bin/package.json):
// starting as an ES module costs every process ~7 ms more, which `tsfreeze --help` would pay in full.
//
// `--help`, `--version` (also -h, -V, `help` and no arguments) print what the CLI printed for that command
// line and width at build time (src/cli/help-snapshot.ts): nothing else is loaded.
//
// The CLI owns its process, so for a job it turns on WebAssembly relaxed SIMD (fused multiply-add in the GEMM
// kernel) where Node still flags it, and raises V8's tier-up budget for a one-job process
// (src/runtime/v8-tuning.ts). The garbage collector's settings must be given when node starts: the first line
// passes ONE_SHOT_NODE_FLAGS, and glibc's malloc tunables in front of the user's own (huge pages for large
// buffers, src/runtime/malloc-tuning.ts). A job then runs the CLI bundled in one file with a V8 code cache
// (src/runtime/cli-bundle.ts): ~0.5 s less start-up than the ~380 separate modules, written back after the job
// when the cache was missing or stale. Both V8 flags are set before the bundle is compiled: V8 rejects a code
// cache made under other flags. Other command lines without a subcommand run nothing heavy: they load the
// small help bundle (main.bundle.js: src/cli/main.js with its small CLI modules, scripts/bundle-cli.mjs).
'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// True when the snapshot has `argv` at this output's width; then it has printed the text and set the code.
function printFromSnapshot(argv) {
  if (argv.length > 1) return false;
  let snapshot;
  try {
    snapshot = JSON.parse(readFileSync(join(__dirname, '../dist/src/cli/help-snapshot.json'), 'utf8'));
  } catch {
    return false;
  }
  const entry = snapshot.entries.find(
    (e) => e.argv.length === argv.length && e.argv.every((a, i) => a === argv[i]),
  );
  if (!entry) return false;
  const stream = process[entry.stream];
  // The width commander wraps to: the terminal's columns, 80 when not a terminal.
  const text = snapshot.texts[entry.widths[(stream.isTTY ? stream.columns : undefined) ?? 80]];
  if (text === undefined) return false;
  stream.write(text);
  process.exitCode = entry.code;
  return true;
}

async function run(argv) {
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
}

const argv = process.argv.slice(2);
// An error the CLI did not report itself ends the process as an uncaught one would (exit code 1).
if (!printFromSnapshot(argv)) void run(argv);
