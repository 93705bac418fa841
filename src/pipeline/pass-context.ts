// What a pass's `run` receives besides its target (PassContext), and the checks on what it returns.

import { InternalError, PipelineError } from '../errors.js';
import type { Graph, Node } from '../ir/index.js';
import type { AnalysisManager, AnalysisScope } from './analysis-manager.js';
import type { AnalysisRef, Logger, ModuleTarget, PassContext, PassResult, Remark } from './contracts.js';
import type { InstrumentationOptions, PassInvocation, RunReport } from './instruments/instrument.js';
import type { PassStep } from './plan.js';

/** The context of one invocation: options, statistics and remarks into `report`, cached analyses. */
export function passContext(
  step: PassStep,
  invocation: PassInvocation,
  report: RunReport,
  analyses: AnalysisManager,
  logger: Logger,
): PassContext {
  const decl = step.declaration;
  const declared = new Set(decl.statistics.map((s) => s.name));
  const scope: AnalysisScope = { target: invocation.target, module: invocation.module };
  const requester = `pass '${decl.name}'`;
  return {
    pass: decl,
    options: step.options,
    pipelineOptions: step.scope.values,
    module: invocation.module,
    methodName: invocation.methodName,
    logger,
    count(statistic: string, n = 1): void {
      if (!declared.has(statistic)) {
        throw new InternalError(
          `pass '${decl.name}' counted statistic '${statistic}', which its @pass declaration does not list`,
        );
      }
      bump(report, decl.name, statistic, n);
    },
    remark(node: Node | undefined, message: string): void {
      const remark: Remark = node
        ? { pass: decl.name, target: invocation.label, node: describeNode(node), message }
        : { pass: decl.name, target: invocation.label, message };
      report.remarks.push(remark);
      logger.debug(`${decl.name} (${invocation.label}): ${remark.node ? `${remark.node}: ` : ''}${message}`);
    },
    getAnalysis: ((ref: AnalysisRef, explicit?: Graph | ModuleTarget) =>
      analyses.get(ref, scope, explicit, requester)) as PassContext['getAnalysis'],
  };
}

/** The result of `run`, checked to be `{ changed: boolean, ... }` (anything else is a bug in the pass). */
export function checkResult(pass: string, result: unknown): PassResult {
  if (typeof result === 'object' && result !== null && typeof (result as PassResult).changed === 'boolean')
    return result as PassResult;
  throw new InternalError(
    `pass '${pass}' returned ${JSON.stringify(result) ?? String(result)} instead of { changed: boolean }`,
  );
}

/** Adds `n` to statistic `statistic` of `pass` in the report. */
export function bump(report: RunReport, pass: string, statistic: string, n: number): void {
  const table = (report.statistics[pass] ??= {});
  table[statistic] = (table[statistic] ?? 0) + n;
}

/** `aten::add -> %y` (kind and output names), for remarks. */
export function describeNode(node: Node): string {
  const outs = node.outputs.map((o) => `%${o.debugName}`).join(', ');
  return outs ? `${node.kind} -> ${outs}` : node.kind;
}

/** The statistics bucket of the manager itself. */
export const MANAGER_STATISTICS = 'pass-manager';

/**
 * The IR changed under a pass that said it did not (its graphs' epochs moved): CHANGED_NOT_REPORTED,
 * or with `unreportedChanges: 'warn'` a warning, and the change treated as one that preserved nothing.
 */
export function unreportedChange(
  invocation: PassInvocation,
  options: InstrumentationOptions,
  report: RunReport,
  logger: Logger,
): PassResult {
  const message = `pass '${invocation.pass.name}' changed the IR of ${invocation.label} but reported { changed: false }`;
  if (options.unreportedChanges !== 'warn')
    throw new PipelineError(
      'CHANGED_NOT_REPORTED',
      `${message}: return { changed: true } whenever the pass mutated the IR (analyses, fixpoints and --print-changed rely on it)`,
    );
  const warning = `${message}; treated as changed, no analysis preserved`;
  report.warnings.push(warning);
  report.remarks.push({ pass: invocation.pass.name, target: invocation.label, message });
  logger.warn(warning);
  bump(report, MANAGER_STATISTICS, 'unreported-changes', 1);
  return { changed: true, preserved: [] };
}
