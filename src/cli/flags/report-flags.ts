// Seeing and checking a run: --report FILE (the HTML report of every pass) and --check-numerics[=inputs]
// (run the module after every changing pass against a float64 run of the original), --check-numerics-strict.

import { Option } from 'commander';
import { PipelineError, TsFreezeError } from '../../errors.js';
import { RunRecorder, type CheckNumericsOptions, type RunReport } from '../../pipeline/index.js';
import { writeReport, writeReportNow } from '../../report/index.js';
import type { PassManagerFlagGroup, PassManagerRun } from '../pass-manager-flags.js';
import { boolValue, stringValue } from './values.js';

function parseTolerance(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0)
      throw new PipelineError('BAD_OPTION', `${name} expects a non-negative number, got '${value}'`);
    return n;
  };
}

export const reportFlags: PassManagerFlagGroup = {
  name: 'report',
  options: () => [
    new Option(
      '--report <file.html>',
      'write an HTML report of the run: timeline, graphs before/after each pass, diffs',
    ),
    new Option(
      '--check-numerics [inputs]',
      'run the module after every changing pass and compare with a float64 run of the original; inputs: comma-separated .npy files (default: synthesized)',
    ),
    new Option('--check-numerics-strict', 'like --check-numerics, and exit 1 when a pass breaks the outputs'),
    new Option(
      '--check-numerics-rtol <x>',
      'relative tolerance of the numerics check (default 1e-4)',
    ).argParser(parseTolerance('--check-numerics-rtol')),
    new Option(
      '--check-numerics-atol <x>',
      'absolute tolerance of the numerics check (default 1e-6)',
    ).argParser(parseTolerance('--check-numerics-atol')),
  ],
  apply(values, run) {
    const strict = boolValue(values, 'checkNumericsStrict') === true;
    const check = values.checkNumerics;
    if (check !== undefined || strict) {
      const files =
        typeof check === 'string'
          ? check
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : [];
      const options: CheckNumericsOptions = {
        ...(files.length ? { inputFiles: files } : {}),
        ...(typeof values.checkNumericsRtol === 'number' ? { rtol: values.checkNumericsRtol } : {}),
        ...(typeof values.checkNumericsAtol === 'number' ? { atol: values.checkNumericsAtol } : {}),
      };
      run.instrumentation.checkNumerics = options;
    }
    const path = stringValue(values, 'report');
    if (path !== undefined) {
      const recorder = new RunRecorder();
      run.instrumentation.record = recorder;
      // A failed run's report shows the passes up to the failure (written at once: the error follows).
      run.onFailure.push(() => {
        writeReportNow(recorder.record, path);
        run.io.err(`report of the failed run written to ${path}\n`);
      });
      run.onFinish.push(async () => {
        await writeReport(recorder.record, path);
        run.io.err(`report written to ${path}\n`);
      });
    }
    if (strict) run.onFinish.push((report) => failOnBrokenNumerics(report));
  },
};

/** Names the run's subject in its report (the model or IR file). */
export function setReportTitle(run: PassManagerRun, title: string): void {
  const recorder = run.instrumentation.record;
  if (recorder) recorder.record.title = title;
}

function failOnBrokenNumerics(report: RunReport): void {
  const f = report.numerics?.firstFailure;
  if (f)
    throw new TsFreezeError(
      'NUMERICS_BROKEN',
      `--check-numerics-strict: pass ${f.pass} (#${f.number} on ${f.label}) breaks the outputs: ${f.message}`,
    );
}
