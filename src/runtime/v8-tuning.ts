// V8 settings for a process that runs one load/freeze job and exits (the tsfreeze CLI, the benches).
// V8 optimizes a function with TurboFan once it has run through its "interrupt budget" of bytecode.
// Loading and freezing run thousands of distinct functions a few hundred times each, so with the
// default budget TurboFan compiles many of them (on a second thread, but on the process's CPU) just
// before they stop being used: measured on resnet50 / densenet121 / mobilenet_v3_large (docs/benchmarks.md),
// 16x the budget cut load CPU by 20-45% and freeze CPU by 25-40%; hot kernel loops still reach
// TurboFan within their first call, and inference latency after warm-up was unchanged. Like
// enableWasmRelaxedSimd, it changes a process-wide flag: for programs that own their process.

import { setFlagsFromString } from 'node:v8';

/** The interrupt budget the CLI runs with: 16x V8 11's default (67584 bytes of bytecode). */
export const ONE_SHOT_INTERRUPT_BUDGET = 16 * 67_584;

/** Raises V8's tier-up budget for a short-lived process; returns false if V8 refused the flag. */
export function tuneV8ForOneShotRuns(): boolean {
  try {
    setFlagsFromString(`--interrupt-budget=${ONE_SHOT_INTERRUPT_BUDGET}`);
    return true;
  } catch {
    return false;
  }
}
