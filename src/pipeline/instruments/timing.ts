// --time-passes: wall time of every pass and group, as a tree (fixpoints and named pipelines nest),
// repeated runs of a pass under one parent summed into one line (MLIR's pass timing report).

import { inject, injectable, optional } from 'inversify';
import { CLOCK } from '../tokens.js';
import type {
  GroupInfo,
  InstrumentationOptions,
  PassInstrument,
  PassInvocation,
  RunInfo,
} from './instrument.js';

/** One line of the timing tree. */
export interface TimingNode {
  readonly name: string;
  /** Milliseconds, summed over every run of this node. */
  ms: number;
  /** How many times a pass ran here (per method graph); for fixpoints, the iterations. */
  count: number;
  readonly kind: 'root' | 'pass' | GroupInfo['kind'];
  readonly children: TimingNode[];
}

/** Clock in milliseconds. */
export type Clock = () => number;

/** Measures passes and groups; prints the tree after the run. */
@injectable()
export class TimingInstrument implements PassInstrument {
  readonly name = 'timing';
  private root: TimingNode = newNode('Total', 'root');
  private stack: { node: TimingNode; start: number }[] = [];
  private readonly clock: Clock;

  constructor(@inject(CLOCK) @optional() clock?: Clock) {
    this.clock = clock ?? (() => performance.now());
  }

  isEnabled(options: InstrumentationOptions): boolean {
    return options.timePasses === true;
  }

  /** The tree of the last run. */
  get tree(): TimingNode {
    return this.root;
  }

  beforePipeline(): void {
    this.root = newNode('Total', 'root');
    this.root.count = 1;
    this.stack = [{ node: this.root, start: this.clock() }];
  }

  beforeGroup(group: GroupInfo): void {
    const label =
      group.kind === 'fixpoint'
        ? `${group.label}`
        : group.kind === 'pipeline'
          ? `pipeline ${group.label}`
          : group.label;
    this.open(label, group.kind);
  }

  afterGroup(): void {
    this.close();
  }

  beforePass(invocation: PassInvocation): void {
    this.open(invocation.pass.name, 'pass');
  }

  afterPass(): void {
    this.close();
  }

  passFailed(): undefined {
    this.close();
    return undefined;
  }

  afterPipeline(run: RunInfo): void {
    const top = this.stack[0];
    if (top) this.root.ms = this.clock() - top.start;
    this.stack = [];
    run.output.write(formatTimingReport(this.root));
  }

  private open(name: string, kind: TimingNode['kind']): void {
    const parent = this.stack[this.stack.length - 1]?.node ?? this.root;
    let node = parent.children.find((c) => c.name === name && c.kind === kind);
    if (!node) {
      node = newNode(name, kind);
      parent.children.push(node);
    }
    node.count++;
    this.stack.push({ node, start: this.clock() });
  }

  private close(): void {
    const top = this.stack.pop();
    if (top) top.node.ms += this.clock() - top.start;
  }
}

function newNode(name: string, kind: TimingNode['kind']): TimingNode {
  return { name, kind, ms: 0, count: 0, children: [] };
}

const RULE = '===' + '-'.repeat(73) + '===';

/** The report text: total, then `seconds (percent)  name` per node, indented by depth. */
export function formatTimingReport(root: TimingNode): string {
  const total = root.ms;
  const lines = [
    RULE,
    center('... Pass execution timing report ...'),
    RULE,
    `  Total Execution Time: ${seconds(total)} seconds`,
    '',
    '  ----Wall Time----  ----Name----',
  ];
  const walk = (node: TimingNode, depth: number): void => {
    for (const child of node.children) {
      lines.push(`  ${row(child.ms, total)}  ${'  '.repeat(depth)}${child.name}${suffix(child)}`);
      walk(child, depth + 1);
    }
  };
  walk(root, 0);
  lines.push(`  ${row(total, total)}  Total`, '');
  return `${lines.join('\n')}\n`;
}

function suffix(node: TimingNode): string {
  if (node.kind === 'fixpoint') return ` (${node.count} iteration${node.count === 1 ? '' : 's'})`;
  return node.kind === 'pass' && node.count > 1 ? ` (x${node.count})` : '';
}

function row(ms: number, total: number): string {
  const pct = total > 0 ? (100 * ms) / total : 0;
  return `${seconds(ms).padStart(8)} (${pct.toFixed(1).padStart(5)}%)`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(4);
}

function center(text: string): string {
  return ' '.repeat(Math.max(0, Math.floor((RULE.length - text.length) / 2))) + text;
}
