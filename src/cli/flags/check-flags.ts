// Checking and narrowing a run: --verify-each / --no-verify-each (opt verifies by default, as mlir-opt),
// --verify-analysis-invalidation, --unreported-changes=error|warn, --opt-bisect-limit N, --disable-pass NAME.

import { Option } from 'commander';
import { PipelineError } from '../../errors.js';
import { unknownPassError } from '../../pipeline/index.js';
import type { PassManagerFlagGroup } from '../pass-manager-flags.js';
import { boolValue, collectList, listValue } from './values.js';

function parseLimit(value: string): number {
  if (!/^-?\d+$/.test(value))
    throw new PipelineError('BAD_OPTION', `--opt-bisect-limit expects an integer, got '${value}'`);
  return Number(value);
}

export const checkFlags: PassManagerFlagGroup = {
  name: 'check',
  options: (command) => [
    new Option(
      '--verify-each',
      `run the IR verifier on the input and after every pass${command.verifyEachByDefault ? ' (default)' : ''}`,
    ),
    new Option('--no-verify-each', 'do not verify the IR after every pass'),
    new Option(
      '--verify-analysis-invalidation',
      'after each pass that changed the IR, recompute the analyses it kept and fail on a stale one',
    ),
    new Option(
      '--unreported-changes <mode>',
      'a pass that changed the IR but reported no change: error (default) or warn (treated as changed)',
    ).choices(['error', 'warn']),
    new Option('--opt-bisect-limit <n>', 'run only the first n optional passes, listing which ran').argParser(
      parseLimit,
    ),
    new Option('--disable-pass <names>', 'skip every run of these passes (comma-separated); repeatable')
      .argParser(collectList)
      .default([]),
  ],
  apply(values, run) {
    const i = run.instrumentation;
    i.verifyEach = boolValue(values, 'verifyEach') ?? run.command.verifyEachByDefault;
    if (boolValue(values, 'verifyAnalysisInvalidation')) i.verifyAnalysisInvalidation = true;
    const unreported = values.unreportedChanges;
    if (unreported === 'warn' || unreported === 'error') i.unreportedChanges = unreported;
    const limit = values.optBisectLimit;
    if (typeof limit === 'number') i.optBisectLimit = limit;
    const disabled = listValue(values, 'disablePass');
    if (disabled.length) {
      const registry = run.registry();
      for (const name of disabled) {
        const registered = registry.pass(name);
        if (!registered) throw unknownPassError(name, registry.passNames(), []);
        if (registered.declaration.required)
          throw new PipelineError(
            'BAD_OPTION',
            `--disable-pass ${name}: the pass is required for correctness and cannot be disabled`,
          );
      }
      i.disabledPasses = disabled;
    }
  },
};
