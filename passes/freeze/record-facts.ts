// What a freeze adds to its run record for the report: the alias db as freeze-attributes sees it (why an
// attribute stayed) and, at the end, the per-attribute explanation.

import {
  EXPLANATIONS,
  methodGraphsOf,
  type ExplanationData,
  type ModuleTarget,
  type RunRecorder,
  type ScriptModule,
} from '../../src/index.js';
import { dumpAliasDb } from '../alias-analysis.js';
import { describeFate, freezeReportOf } from './report.js';

/** Alias db text kept per method; beyond it the dump is cut (a 10k-node graph's dump is megabytes). */
const MAX_DUMP = 400_000;

/** Makes `recorder` collect freeze's facts; an untitled record is named after the module's class. */
export function recordFreezeFacts(recorder: RunRecorder, module: ScriptModule): void {
  recorder.record.title ||= `freeze of ${module.type.qualifiedName}`;
  recorder.addProbe({
    pass: 'freeze-attributes',
    title: 'alias db of each method as freeze-attributes sees it (each prim::GetAttr a location of its own)',
    capture: (target) =>
      methodGraphsOf(target as ModuleTarget)
        .map((m) => `// method ${m.name}\n${cut(dumpAliasDb(m.graph, { frozen: true }))}`)
        .join('\n'),
  });
  recorder.onFinish((target, record) => {
    const explanations: ExplanationData[] = freezeReportOf(target as ScriptModule)
      .explanations()
      .map((e) => ({
        path: e.path,
        fates: e.fates.map((f) => ({
          kind: f.kind,
          text: describeFate(f),
          ...(f.kind === 'folded' ? { constant: f.constant } : {}),
        })),
      }));
    record.extras[EXPLANATIONS] = explanations;
  });
}

function cut(text: string): string {
  return text.length <= MAX_DUMP
    ? text
    : `${text.slice(0, MAX_DUMP)}\n… (cut: ${text.length} characters in all)`;
}
