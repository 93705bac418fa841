// Turns a run record into the page's data: IR texts replaced by per-pass diffs, states without text,
// and whatever the caller attached (freeze's per-attribute explanation).

import type { Graph } from '../ir/index.js';
import { RunRecorder, type RunRecord } from '../pipeline/index.js';
import { diffMethod } from './ir-diff.js';
import type { ExplanationData, ReportData } from './model/report-data.js';

/** The key under which freeze stores its per-attribute explanation in `record.extras`. */
export const EXPLANATIONS = 'explanations';

/** The page data of a recorded run. */
export function reportDataOf(record: RunRecord): ReportData {
  const text = (i: number | undefined): string | undefined =>
    i === undefined ? undefined : record.states[i]?.text;
  const passes = record.passes.map((p) => {
    const methods = [...new Set([...Object.keys(p.before), ...Object.keys(p.after)])];
    const diff =
      p.changed || p.failed ? methods.map((m) => diffMethod(m, text(p.before[m]), text(p.after[m]))) : [];
    return { ...p, diff };
  });
  const explanations = record.extras[EXPLANATIONS] as ExplanationData[] | undefined;
  const report = record.report;
  return {
    mode: 'run',
    title: record.title,
    pipelineText: record.pipelineText,
    totalMs: record.totalMs,
    nodes: record.nodes,
    states: record.states.map((s) => ({ method: s.method, graph: s.graph, nodeCount: s.nodeCount })),
    initial: record.initial,
    final: record.final,
    passes,
    attachments: record.attachments,
    ...(explanations ? { explanations } : {}),
    ...(report?.numerics ? { numerics: report.numerics } : {}),
    warnings: report?.warnings ?? [],
    remarks: report?.remarks ?? [],
  };
}

/** The page data of one graph (tsfreeze viz): a record of no passes. */
export function graphDataOf(graph: Graph, title: string, method = 'graph'): ReportData {
  const recorder = new RunRecorder(title);
  const state = recorder.snapshotGraph(method, graph);
  const record = { ...recorder.record, initial: { [method]: state }, final: { [method]: state } };
  return { ...reportDataOf(record), mode: 'graph' };
}
