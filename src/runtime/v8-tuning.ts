// V8 settings for a process that runs one load/freeze job and exits (the tsfreeze CLI, the benches).
// V8 optimizes a function with TurboFan once it has run through its "interrupt budget" of bytecode.
// Loading and freezing run thousands of distinct functions a few hundred times each, so with the
// default budget TurboFan compiles many of them (on a second thread, but on the process's CPU) just
// before they stop being used: measured on resnet50 / densenet121 / mobilenet_v3_large (docs/benchmarks.md),
// 16x the budget cut load CPU by 20-45% and freeze CPU by 25-40%; hot kernel loops still reach
// TurboFan within their first call, and inference latency after warm-up was unchanged. Like
// enableWasmRelaxedSimd, it changes a process-wide flag: for programs that own their process.
//
// Garbage-collector settings cannot be changed that way: V8 sets its heap up before any script runs, and
// --single-threaded-gc (or --no-parallel-marking) given to setFlagsFromString after start-up aborts the
// process at its next GC (V8 11 'Check failed: concurrent_marking_handle_'). They are given on the node
// command line instead: bin/tsfreeze.js's `#!/usr/bin/env -S node ...` line, and the vs-torch bench's
// spawn of its child; both read ONE_SHOT_NODE_FLAGS (test/runtime/v8-tuning.test.ts checks the line).

import { setFlagsFromString } from 'node:v8';

/** The interrupt budget the CLI runs with: 16x V8 11's default (67584 bytes of bytecode). */
export const ONE_SHOT_INTERRUPT_BUDGET = 16 * 67_584;

/**
 * The most bytecode TurboFan inlines into one function it optimizes (V8 11's default: 920 bytes). The few
 * dozen functions a freeze optimizes are IR walks whose calls lead into the registry, the alias analysis
 * and use lists; inlining all that made their compiles (on a background thread, but on the process's CPU)
 * cost a median 74 ms of CPU during transformer_12x768's freeze and 53 ms during densenet121's (CPU of
 * the threads other than the main one, /proc/self/task). With 200 bytes, small callees are still inlined
 * and those fell to 42 and 29 ms, the main thread not slower (7 alternating runs each).
 */
export const ONE_SHOT_INLINING_BUDGET = 200;

/**
 * Node flags of the CLI's process, given at its start. --single-threaded-gc: no parallel scavenges, no
 * concurrent marking or sweeping threads. A freeze keeps most of what it allocates (the IR it builds), so
 * scavenges copy much and their helper threads cost more CPU than they save; on resnet50 freeze CPU
 * fell 10-15% (docs/benchmarks.md). --initial-old-space-size=256 (MiB): V8 starts with a small old-generation
 * limit and runs full mark-compacts while the heap grows to its working size; a job's heap is mostly live
 * IR and module objects, so those collections free little. With 256 MiB, --trace-gc shows no mark-compact
 * during densenet121's load or freeze (one ran inside freeze before: ~190 ms of marking); freeze CPU fell
 * 4-15% on the four vs-torch models, peak RSS rose 14-18 MB (docs/benchmarks.md). --max-semi-space-size=8
 * (MiB, V8 11's default limit is 16): the young generation stays on pages already touched instead of growing
 * onto fresh ones, each a run of page faults (costly on virtual machines: docs/architecture.md, malloc-tuning);
 * session 9, alternating fresh children, freeze CPU densenet121 406 -> 384 ms (8 of 9 pairs), transformer 618 ->
 * 574 (5/5), mobilenet_v3_large 200 -> 165 (4/5), resnet50 148 -> 145 (2/5, neutral); peak RSS -0 to -15 MB.
 */
export const ONE_SHOT_NODE_FLAGS: readonly string[] = Object.freeze([
  '--single-threaded-gc',
  '--initial-old-space-size=256',
  '--max-semi-space-size=8',
]);

/** The ONE_SHOT_NODE_FLAGS this process was not started with (for tools that must run as the CLI does). */
export function missingOneShotNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return ONE_SHOT_NODE_FLAGS.filter((f) => !execArgv.includes(f));
}

/** The V8 flags tuneV8ForOneShotRuns sets. */
export const ONE_SHOT_V8_FLAGS: readonly string[] = Object.freeze([
  `--interrupt-budget=${ONE_SHOT_INTERRUPT_BUDGET}`,
  `--max-inlined-bytecode-size-cumulative=${ONE_SHOT_INLINING_BUDGET}`,
]);

/**
 * Raises V8's tier-up budget and lowers its inlining budget for a short-lived process; returns false if
 * V8 refused a flag.
 */
export function tuneV8ForOneShotRuns(): boolean {
  try {
    for (const flag of ONE_SHOT_V8_FLAGS) setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}
