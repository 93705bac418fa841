// The run record: what a report needs to show a pipeline at work. For every pass invocation its time,
// node counts, statistics and remarks; for every pass that changed the IR the graphs before and after
// (as shared node versions, see record-snapshot.ts). Switched on with `instrumentation: { record }`.

import { injectable } from 'inversify';
import type { Graph } from '../../ir/index.js';
import type { ModuleTarget, PassResult, Remark } from '../contracts.js';
import { isGraphTarget, methodGraphsOf, type PassTarget } from '../targets.js';
import type {
  FailureInfo,
  GroupInfo,
  InstrumentationOptions,
  PassInstrument,
  PassInvocation,
  RunInfo,
  RunReport,
} from './instrument.js';
import { SnapshotTable, type RecordedGraphState, type RecordedNode } from './record-snapshot.js';

/** One pass invocation in the record. */
export interface RecordedPass {
  /** 1-based invocation number (as the pass manager counts them). */
  readonly number: number;
  readonly pass: string;
  /** The method it ran on, `graph`, or `module`. */
  readonly label: string;
  /** The pass with its options, as pipeline text. */
  readonly text: string;
  /** The groups around it, outermost first (`freeze`, `fixpoint(...) #2`). */
  readonly groups: readonly string[];
  /** Wall time of `run`, in ms. */
  ms: number;
  /** Nodes of the target (all blocks; all methods for a module pass) before and after. */
  readonly nodesBefore: number;
  nodesAfter: number;
  changed: boolean;
  readonly skipped: boolean;
  /** What it counted in this invocation. */
  statistics: Record<string, number>;
  remarks: Remark[];
  /** For a pass that changed the IR: method -> state index before and after (absent method: none). */
  before: Record<string, number>;
  after: Record<string, number>;
  /** The error, when the pass failed. */
  failed?: string;
}

/** Something captured for the report beside the passes (an analysis dump, a table). */
export interface RecordAttachment {
  readonly title: string;
  readonly text: string;
  /** The invocation it was captured before, if any. */
  readonly beforePass?: number;
}

/** Everything recorded about one run: plain data, JSON-serialisable. */
export interface RunRecord {
  pipelineText: string;
  /** What ran: the model file, or a description. */
  title: string;
  totalMs: number;
  readonly nodes: RecordedNode[];
  readonly states: RecordedGraphState[];
  /** method -> state index at the start and at the end. */
  initial: Record<string, number>;
  final: Record<string, number>;
  readonly passes: RecordedPass[];
  readonly attachments: RecordAttachment[];
  /** The pass manager's report of the run (statistics, remarks, warnings, numerics). */
  report?: RunReport;
  /** Extra facts a caller adds (freeze adds its per-attribute explanation). */
  readonly extras: Record<string, unknown>;
}

/** Captures text for the record right before each invocation of a named pass. */
export interface RecordProbe {
  readonly pass: string;
  readonly title: string;
  capture(target: Graph | ModuleTarget, label: string): string;
}

/**
 * Collects a run's record. Create one, pass it as `instrumentation: { record: recorder }`, then read
 * `recorder.record` (the report layer renders it).
 */
export class RunRecorder {
  readonly record: RunRecord;
  private readonly table = new SnapshotTable();
  private readonly probes: RecordProbe[] = [];
  private readonly finishers: ((target: PassTarget, record: RunRecord) => void)[] = [];
  private readonly current = new Map<string, number>();
  private readonly groups: string[] = [];
  private pending:
    { entry: RecordedPass; t0: number; remarks: number; stats: Record<string, number> } | undefined;
  private run: RunInfo | undefined;
  private started = 0;

  constructor(title = '') {
    this.record = {
      pipelineText: '',
      title,
      totalMs: 0,
      nodes: this.table.nodes,
      states: this.table.states,
      initial: {},
      final: {},
      passes: [],
      attachments: [],
      extras: {},
    };
  }

  /**
   * Records `graph` as method `method` outside a run (a picture of one graph); returns the state index
   * (`previous` when the graph still equals that state).
   */
  snapshotGraph(method: string, graph: Graph, previous?: number): number {
    return this.table.snapshot(method, graph, previous);
  }

  /** Adds a hook run when the pipeline ends (with the transformed target), to add facts to the record. */
  onFinish(hook: (target: PassTarget, record: RunRecord) => void): this {
    this.finishers.push(hook);
    return this;
  }

  /** Adds a probe: `capture` runs before every invocation of `pass` and its text is attached. */
  addProbe(probe: RecordProbe): this {
    this.probes.push(probe);
    return this;
  }

  /** @internal hooks, called by RecordInstrument. */
  beforePipeline(run: RunInfo): void {
    this.run = run;
    this.started = performance.now();
    this.record.pipelineText = run.pipelineText;
    for (const [method, graph] of graphsByMethod(run.target)) {
      const state = this.table.snapshot(method, graph);
      this.current.set(method, state);
      this.record.initial[method] = state;
    }
  }

  afterPipeline(report: RunReport): void {
    this.record.totalMs = performance.now() - this.started;
    this.record.final = Object.fromEntries(this.current);
    this.record.report = report;
    if (this.run) for (const hook of this.finishers) hook(this.run.target, this.record);
  }

  beforeGroup(group: GroupInfo): void {
    this.groups.push(group.iteration ? `${group.label} #${group.iteration}` : group.label);
  }

  afterGroup(): void {
    this.groups.pop();
  }

  beforePass(invocation: PassInvocation): void {
    const report = this.run?.report;
    for (const probe of this.probes) {
      if (probe.pass !== invocation.pass.name) continue;
      const text = probe.capture(invocation.target, invocation.label);
      this.record.attachments.push({ title: probe.title, text, beforePass: invocation.number });
    }
    const entry: RecordedPass = {
      ...this.entryHead(invocation),
      nodesBefore: countNodes(invocation.target),
      nodesAfter: 0,
      ms: 0,
      changed: false,
      skipped: false,
    };
    this.pending = {
      entry,
      remarks: report?.remarks.length ?? 0,
      stats: { ...report?.statistics[invocation.pass.name] },
      // Last, so the hooks' own work is not timed.
      t0: performance.now(),
    };
  }

  afterPass(invocation: PassInvocation, result: PassResult): void {
    const t1 = performance.now();
    const entry = this.finish(invocation, t1);
    if (!entry) return;
    entry.changed = result.changed;
    if (result.changed) this.snapshotChange(invocation, entry);
  }

  passSkipped(invocation: PassInvocation): void {
    const n = countNodes(invocation.target);
    this.record.passes.push({
      ...this.entryHead(invocation),
      nodesBefore: n,
      nodesAfter: n,
      ms: 0,
      changed: false,
      skipped: true,
    });
  }

  passFailed(invocation: PassInvocation, failure: FailureInfo): void {
    const entry = this.finish(invocation, performance.now());
    if (!entry) return;
    const error = failure.error;
    entry.failed = error instanceof Error ? error.message : String(error);
    this.snapshotChange(invocation, entry);
  }

  private entryHead(
    invocation: PassInvocation,
  ): Omit<RecordedPass, 'nodesBefore' | 'nodesAfter' | 'ms' | 'changed' | 'skipped'> {
    return {
      number: invocation.number,
      pass: invocation.pass.name,
      label: invocation.label,
      text: invocation.text,
      groups: [...this.groups],
      statistics: {},
      remarks: [],
      before: {},
      after: {},
    };
  }

  private finish(invocation: PassInvocation, t1: number): RecordedPass | undefined {
    const pending = this.pending;
    if (!pending || pending.entry.number !== invocation.number) return undefined;
    this.pending = undefined;
    const { entry } = pending;
    entry.ms = t1 - pending.t0;
    entry.nodesAfter = countNodes(invocation.target);
    const report = this.run?.report;
    if (report) {
      entry.remarks = report.remarks.slice(pending.remarks);
      const now = report.statistics[invocation.pass.name] ?? {};
      for (const [name, n] of Object.entries(now)) {
        const delta = n - (pending.stats[name] ?? 0);
        if (delta) entry.statistics[name] = delta;
      }
    }
    this.record.passes.push(entry);
    return entry;
  }

  // New states for the methods the invocation changed; unchanged methods keep their state.
  private snapshotChange(invocation: PassInvocation, entry: RecordedPass): void {
    const target = invocation.target;
    const graphs = isGraphTarget(target) ? new Map([[invocation.label, target]]) : graphsByMethod(target);
    for (const [method, graph] of graphs) {
      const previous = this.current.get(method);
      const state = this.table.snapshot(method, graph, previous);
      if (state === previous) continue;
      if (previous !== undefined) entry.before[method] = previous;
      entry.after[method] = state;
      this.current.set(method, state);
    }
    if (!isGraphTarget(target)) {
      for (const [method, state] of [...this.current]) {
        if (graphs.has(method)) continue;
        entry.before[method] = state;
        this.current.delete(method);
      }
    }
  }
}

/** Forwards the pass manager's hooks to the RunRecorder given as `instrumentation.record`. */
@injectable()
export class RecordInstrument implements PassInstrument {
  readonly name = 'record';
  private recorder: RunRecorder | undefined;

  isEnabled(options: InstrumentationOptions): boolean {
    return options.record instanceof RunRecorder;
  }

  beforePipeline(run: RunInfo): void {
    this.recorder = run.options.record;
    this.recorder?.beforePipeline(run);
  }

  afterPipeline(_run: RunInfo, report: RunReport): void {
    this.recorder?.afterPipeline(report);
  }

  beforeGroup(group: GroupInfo): void {
    this.recorder?.beforeGroup(group);
  }

  afterGroup(): void {
    this.recorder?.afterGroup();
  }

  beforePass(invocation: PassInvocation): void {
    this.recorder?.beforePass(invocation);
  }

  afterPass(invocation: PassInvocation, result: PassResult): void {
    this.recorder?.afterPass(invocation, result);
  }

  passSkipped(invocation: PassInvocation): void {
    this.recorder?.passSkipped(invocation);
  }

  passFailed(invocation: PassInvocation, failure: FailureInfo): string | undefined {
    this.recorder?.passFailed(invocation, failure);
    return undefined;
  }
}

function graphsByMethod(target: PassTarget): Map<string, Graph> {
  if (isGraphTarget(target)) return new Map([['graph', target]]);
  return new Map(methodGraphsOf(target).map((m) => [m.name, m.graph]));
}

function countNodes(target: Graph | ModuleTarget): number {
  let n = 0;
  for (const graph of graphsByMethod(target).values()) for (const _ of graph.allNodes()) n++;
  return n;
}
