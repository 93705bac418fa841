// IR printing around passes: --print-after(-all), --print-before(-all), --print-changed[=diff],
// --print-after-failure, --filter-print-methods, and --print-pipeline-passes (print the expanded
// pipeline and stop, as LLVM's -print-pipeline-passes).

import { Option } from 'commander';
import { expandedPipelineText, unknownPassError } from '../../pipeline/index.js';
import type { PassManagerFlagGroup } from '../pass-manager-flags.js';
import { boolValue, collect, collectList, listValue } from './values.js';

export const printFlags: PassManagerFlagGroup = {
  name: 'print',
  options: () => [
    new Option('--print-after-all', 'print the IR after every pass'),
    new Option('--print-after <pass>', 'print the IR after this pass; repeatable')
      .argParser(collect)
      .default([]),
    new Option('--print-before-all', 'print the IR before every pass'),
    new Option('--print-before <pass>', 'print the IR before this pass; repeatable')
      .argParser(collect)
      .default([]),
    new Option(
      '--print-changed [mode]',
      'print the input, then the IR after each pass that changed it (full), or a unified diff (diff)',
    ).choices(['full', 'diff']),
    new Option('--print-after-failure', 'print the IR a failing pass left behind'),
    new Option('--filter-print-methods <names>', 'print only these methods (comma-separated); repeatable')
      .argParser(collectList)
      .default([]),
    new Option('--print-pipeline-passes', 'print the expanded pipeline (as --passes text) and stop'),
  ],
  apply(values, run) {
    const after = listValue(values, 'printAfter');
    const before = listValue(values, 'printBefore');
    const registry = run.registry();
    for (const name of [...after, ...before])
      if (!registry.pass(name)) throw unknownPassError(name, registry.passNames(), []);
    const i = run.instrumentation;
    i.printAfter = boolValue(values, 'printAfterAll') ? true : after;
    i.printBefore = boolValue(values, 'printBeforeAll') ? true : before;
    const changed = values.printChanged;
    if (changed !== undefined) i.printChanged = changed === 'diff' ? 'diff' : true;
    if (boolValue(values, 'printAfterFailure')) i.printAfterFailure = true;
    const methods = listValue(values, 'filterPrintMethods');
    if (methods.length) i.printMethods = methods;
    if (boolValue(values, 'printPipelinePasses')) {
      run.onPlan.push((plan) => {
        run.io.out(`${expandedPipelineText(plan.steps)}\n`);
        return 'stop';
      });
    }
  },
};
