// When a pass fails: --reproducer / --reproducer-dir DIR (write a reproducer; never without being
// asked) and --stack (show the pass's own stack trace below the message).

import { Option } from 'commander';
import type { PassManagerFlagGroup } from '../pass-manager-flags.js';
import { boolValue, stringValue } from './values.js';

export const failureFlags: PassManagerFlagGroup = {
  name: 'failure',
  options: () => [
    new Option('--reproducer', 'when a pass fails, write a reproducer file (in a new temp dir)'),
    new Option('--no-reproducer', 'never write a reproducer (the default)'),
    new Option('--reproducer-dir <dir>', 'when a pass fails, write a reproducer file in this dir'),
    new Option('--stack', "when a pass fails, print the pass's own stack trace"),
  ],
  apply(values, run) {
    const dir = stringValue(values, 'reproducerDir');
    run.instrumentation.reproducer = dir ? { dir } : boolValue(values, 'reproducer') === true;
    if (boolValue(values, 'stack')) {
      run.onFailure.push((error) => {
        const cause = (error as { cause?: unknown }).cause;
        const stack = cause instanceof Error ? cause.stack : undefined;
        if (stack) run.io.err(`stack of the failing pass:\n${stack}\n`);
      });
    }
  },
};
