// Facts about a module for people: node counts, parameters, batch norms, convolutions, attributes.

import { ContainerModule } from 'inversify';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { ClassType } from '../module/class-type.js';
import type { CompilationUnit } from '../module/compilation-unit.js';
import type { Function } from '../module/function.js';
import type { ScriptModule } from '../module/script-module.js';
import type { PassInstrument, PassInvocation } from '../pipeline/instruments/instrument.js';
import { INSTRUMENT } from '../pipeline/tokens.js';
import { matchFunctionCall, matchMethodCall } from '../../passes/inline-submodules.js';

/** What the freeze summary compares before and after. */
export interface ModelSummary {
  readonly nodes: number;
  readonly parameters: number;
  readonly parameterElements: number;
  readonly attributes: number;
  readonly batchNorms: number;
  readonly convolutions: number;
  readonly getAttrs: number;
  readonly methods: readonly string[];
}

/** Counts nodes of every preserved method's graph, calls and all nested blocks included. */
export function countNodes(graph: Graph, kinds?: (kind: string) => boolean): number {
  let n = 0;
  for (const node of graph.allNodes()) if (!kinds || kinds(node.kind)) n++;
  return n;
}

const isConv = (k: string): boolean => /^aten::(_convolution|conv\d?d|conv_transpose\dd)$/.test(k);

/** Which methods' graphs a summary counts (by name); the others count no nodes. */
export type MethodFilter = (name: string) => boolean;

const all: MethodFilter = () => true;

/** The methods a frozen module keeps: forward and the preserved names. */
export function keptByFreeze(preserved: readonly string[]): MethodFilter {
  return (name) => name === 'forward' || preserved.includes(name);
}

/** Summarises a module: node counts of the `counted` methods (all by default). */
export function summarizeModule(module: ScriptModule, counted: MethodFilter = all): ModelSummary {
  const graphs = module.methods.filter((m) => counted(m.name)).map((m) => m.graph);
  const sum = (f: (g: Graph) => number): number => graphs.reduce((n, g) => n + f(g), 0);
  const params = module.namedParameters();
  return {
    nodes: sum((g) => countNodes(g)),
    parameters: params.length,
    parameterElements: params.reduce((n, [, t]) => n + t.numel, 0),
    attributes: module.namedAttributes().length,
    batchNorms: sum((g) => countNodes(g, (k) => k === 'aten::batch_norm')),
    convolutions: sum((g) => countNodes(g, isConv)),
    getAttrs: sum((g) => countNodes(g, (k) => k === 'prim::GetAttr')),
    methods: module.methodNames(),
  };
}

/**
 * Takes the summary of the module being frozen once its calls are inlined, just before
 * `freeze-attributes` (the first pass after the inlining fixpoint of freeze.json): the freeze run's own
 * inlined graphs, so the CLI never inlines a second copy of the module (a 300-deep submodule chain made
 * that copy cost as much as the freeze itself).
 */
export class InlinedSummaryInstrument implements PassInstrument {
  readonly name = 'inlined-summary';
  summary: ModelSummary | undefined;

  /** `counted`: the methods the frozen module keeps (helper methods are already inlined into them). */
  constructor(private readonly counted: MethodFilter) {}

  isEnabled(): boolean {
    return true;
  }

  beforePass(invocation: PassInvocation): void {
    if (this.summary || invocation.pass.name !== 'freeze-attributes' || !invocation.module) return;
    // Attributes are all still there: freeze-attributes is the pass that folds them.
    this.summary = summarizeModule(invocation.module as unknown as ScriptModule, this.counted);
  }
}

/** A container module binding `instrument` (add it to the freeze run's container). */
export function summaryInstrumentModule(instrument: InlinedSummaryInstrument): ContainerModule {
  return new ContainerModule(({ bind }) => void bind(INSTRUMENT).toConstantValue(instrument));
}

/**
 * Summarises what a module computes with every method call inlined (PyTorch's `inlined_graph`),
 * counted, not built (for pipelines without freeze-attributes, and the demo). Callees count as loaded:
 * PyTorch's inliner also pre-optimizes each callee (constant pooling, constant `if`s), so this gives
 * more nodes than the freeze run's own inlined graph; batch norms, convolutions and GetAttrs agree.
 */
export function summarizeInlined(module: ScriptModule, counted: MethodFilter = all): ModelSummary {
  const counter = new InlinedCounter(module);
  const totals = emptyCounts();
  for (const method of module.methods)
    if (counted(method.name)) addCounts(totals, counter.countGraph(method.graph));
  const params = module.namedParameters();
  return {
    ...totals,
    parameters: params.length,
    parameterElements: params.reduce((n, [, t]) => n + t.numel, 0),
    attributes: module.namedAttributes().length,
    methods: module.methodNames(),
  };
}

interface Counts {
  nodes: number;
  batchNorms: number;
  convolutions: number;
  getAttrs: number;
}

const emptyCounts = (): Counts => ({ nodes: 0, batchNorms: 0, convolutions: 0, getAttrs: 0 });

function addCounts(to: Counts, from: Counts): void {
  to.nodes += from.nodes;
  to.batchNorms += from.batchNorms;
  to.convolutions += from.convolutions;
  to.getAttrs += from.getAttrs;
}

// Counts per function with its calls inlined, in post-order over the call graph with an explicit stack
// (submodule chains may be 1,000 deep). A recursive call stays one node, as the inliner leaves it.
class InlinedCounter {
  private readonly units = new Set<CompilationUnit>();
  private readonly done = new Map<Function, Counts>();

  constructor(module: ScriptModule) {
    if (module.type instanceof ClassType) this.units.add(module.type.cu);
  }

  countGraph(graph: Graph): Counts {
    for (const callee of this.callees(graph)) this.countFunction(callee);
    return this.countNodes(graph);
  }

  private countFunction(root: Function): void {
    const expanded = new Set<Function>();
    const stack = [root];
    while (stack.length) {
      const fn = stack[stack.length - 1];
      if (this.done.has(fn)) {
        stack.pop();
        continue;
      }
      if (!expanded.has(fn)) {
        expanded.add(fn);
        if (fn.owner instanceof ClassType) this.units.add(fn.owner.cu);
        for (const callee of this.callees(fn.graph)) if (!expanded.has(callee)) stack.push(callee);
        continue;
      }
      stack.pop();
      this.done.set(fn, this.countNodes(fn.graph));
    }
  }

  private callees(graph: Graph): Function[] {
    const out: Function[] = [];
    for (const node of graph.allNodes()) {
      const callee = this.calleeOf(node);
      if (callee) out.push(callee);
    }
    return out;
  }

  private calleeOf(node: Node): Function | undefined {
    if (node.kind !== 'prim::CallMethod' && node.kind !== 'prim::CallFunction') return undefined;
    const match =
      node.kind === 'prim::CallMethod' ? matchMethodCall(node) : matchFunctionCall(node, this.units);
    return match.ok ? match.callee : undefined;
  }

  private countNodes(graph: Graph): Counts {
    const counts = emptyCounts();
    for (const node of graph.allNodes()) {
      const callee = this.calleeOf(node);
      const inlined = callee && this.done.get(callee);
      if (inlined) {
        addCounts(counts, inlined);
        continue;
      }
      counts.nodes++;
      if (node.kind === 'aten::batch_norm') counts.batchNorms++;
      if (isConv(node.kind)) counts.convolutions++;
      if (node.kind === 'prim::GetAttr') counts.getAttrs++;
    }
    return counts;
  }
}
