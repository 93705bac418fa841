// Guards against hangs and blow-ups (quadratic work, billion-laugh pickles) in tests, without timed
// assertions that flake on a busy machine: the budget is process CPU time, not wall time, and is set
// an order of magnitude above the expected cost, so only a change of complexity class trips it.

/** Process CPU milliseconds (user + system) spent running `fn`. */
export function cpuMillis(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Runs `fn` and throws when it used more than `budgetMs` of process CPU time. */
export function withinCpuBudget(budgetMs: number, fn: () => void, what = 'work'): void {
  const spent = cpuMillis(fn);
  if (spent > budgetMs) {
    throw new Error(
      `${what} used ${spent.toFixed(0)} ms of CPU, over its ${budgetMs} ms budget (a hang or blow-up?)`,
    );
  }
}

/** Process CPU milliseconds since `start` (a `process.cpuUsage()` reading). */
export function cpuMillisSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
