// What a run reports besides the IR: --time-passes, --stats, --remarks.

import { Option } from 'commander';
import type { PassManagerFlagGroup } from '../pass-manager-flags.js';
import { boolValue } from './values.js';

export const summaryFlags: PassManagerFlagGroup = {
  name: 'summary',
  options: () => [
    new Option('--time-passes', 'print a timing tree of the passes'),
    new Option('--stats', 'print the statistics the passes counted'),
    new Option('--remarks', 'print the remarks passes made (why something was not done)'),
  ],
  apply(values, run) {
    if (boolValue(values, 'timePasses')) run.instrumentation.timePasses = true;
    if (boolValue(values, 'stats')) run.instrumentation.statistics = true;
    if (boolValue(values, 'remarks')) {
      run.onFinish.push((report) => {
        for (const r of report.remarks)
          run.io.err(`remark: ${r.pass} on ${r.target}: ${r.node ? `${r.node}: ` : ''}${r.message}\n`);
      });
    }
  },
};
