// Mocha reporter: the spec reporter's output, then a plain `N passed, N failed` closing line that CI reads.
import Mocha from 'mocha';

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

/** Spec reporter plus a machine-readable closing line. */
export default class SummaryReporter extends Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats;
      if (!stats) return;
      const skipped = stats.pending > 0 ? `, ${stats.pending} skipped` : '';
      // Printed after the spec epilogue so it is the last line of the run.
      process.on('exit', () => {
        process.stdout.write(`${stats.passes} passed, ${stats.failures} failed${skipped}\n`);
      });
    });
  }
}
