// Test passes and analyses for the pass-manager tests: small, each exercising one contract.

import 'reflect-metadata';
import { inject } from 'inversify';
import {
  analysis,
  BufferSink,
  createContainer,
  Graph,
  LOGGER,
  parseIR,
  pass,
  registerPasses,
  TensorTensor,
  type Analysis,
  type AnalysisContext,
  type GraphPass,
  type Logger,
  type ModulePass,
  type ModuleTarget,
  type OptionsOf,
  type PassClass,
  type PassContext,
  type PassResult,
} from '../../src/index.js';

/** Counts nodes; the manager's analysisComputations says how often it ran. */
@analysis({ name: 'node-count', summary: 'number of top-level nodes' })
export class NodeCount implements Analysis<Graph, number> {
  compute(graph: Graph): number {
    return [...graph.nodes()].length;
  }
}

/** A module analysis: the method names. */
@analysis({ name: 'method-names', target: 'module' })
export class MethodNames implements Analysis<ModuleTarget, string[]> {
  compute(module: ModuleTarget): string[] {
    const methods = module.methods as Iterable<{ name: string }>;
    return [...methods].map((m) => m.name);
  }
}

/** An analysis built on another one. */
@analysis({ name: 'double-count' })
export class DoubleCount implements Analysis<Graph, number> {
  compute(graph: Graph, context: AnalysisContext): number {
    return 2 * context.getAnalysis(NodeCount, graph);
  }
}

/** Reads node-count, changes nothing. */
@pass({ name: 'test-read', summary: 'reads node-count', requires: [NodeCount] })
export class ReadCount implements GraphPass {
  seen: number[] = [];
  run(graph: Graph, context: PassContext): PassResult {
    this.seen.push(context.getAnalysis(NodeCount));
    return { changed: false };
  }
}

/** Appends a relu (changes the IR) but declares node-count preserved (a white lie the test relies on). */
@pass({ name: 'test-preserve', summary: 'changes the IR, preserves node-count', preserves: [NodeCount] })
export class ChangePreserving implements GraphPass {
  run(graph: Graph): PassResult {
    addRelu(graph);
    return { changed: true };
  }
}

/** Appends a relu and preserves nothing. */
@pass({
  name: 'test-clobber',
  summary: 'changes the IR, preserves nothing',
  requires: [NodeCount, DoubleCount],
})
export class ChangeClobbering implements GraphPass {
  run(graph: Graph): PassResult {
    addRelu(graph);
    return { changed: true };
  }
}

/** Adds an unused relu before the return. */
export function addRelu(graph: Graph): void {
  graph.withInsertPoint(graph.block, () =>
    graph.insert('aten::relu', [graph.inputs[graph.inputs.length - 1]], [TensorTensor]),
  );
}

/** Removes one aten::relu per run: a fixpoint converges after (relus + 1) iterations. */
@pass({ name: 'test-peel', summary: 'removes one unused relu', statistics: ['peeled'] })
export class PeelOne implements GraphPass {
  run(graph: Graph, context: PassContext): PassResult {
    const relu = graph.nodesOfKind('aten::relu').find((n) => !n.hasUses());
    if (!relu) return { changed: false };
    relu.destroy();
    context.count('peeled');
    return { changed: true };
  }
}

const OPTIONS = {
  flag: { type: 'boolean', description: 'a flag' },
  level: { type: 'integer', default: 3, description: 'a level' },
  ratio: { type: 'number', default: 0.5, description: 'a ratio' },
  mode: { type: 'string', default: 'fast', description: 'a mode', choices: ['fast', 'exact'] },
  names: { type: 'string[]', description: 'names' },
} as const;

/** Records the options it received. */
@pass({ name: 'test-options', summary: 'records its options', options: OPTIONS })
export class RecordOptions implements GraphPass<OptionsOf<typeof OPTIONS>> {
  static last: OptionsOf<typeof OPTIONS> | undefined;
  static pipelineOptions: unknown;
  run(_graph: Graph, context: PassContext<OptionsOf<typeof OPTIONS>>): PassResult {
    RecordOptions.last = context.options;
    RecordOptions.pipelineOptions = context.pipelineOptions;
    return { changed: false };
  }
}

/** Throws. */
@pass({ name: 'test-fail', summary: 'always throws' })
export class Fail implements GraphPass {
  run(): PassResult {
    throw new Error('boom: the pass exploded');
  }
}

/** Breaks an invariant: makes a node use a value defined after it. */
@pass({ name: 'test-break', summary: 'breaks the IR' })
export class Break implements GraphPass {
  run(graph: Graph): PassResult {
    const nodes = [...graph.nodes()];
    if (nodes.length >= 2) nodes[0].addInput(nodes[1].output());
    return { changed: true };
  }
}

/** Changes the IR but says it did not. */
@pass({ name: 'test-liar', summary: 'changes the IR, reports no change' })
export class Liar implements GraphPass {
  run(graph: Graph): PassResult {
    addRelu(graph);
    return { changed: false };
  }
}

/** Counts a statistic it did not declare. */
@pass({ name: 'test-undeclared-stat', summary: 'counts an undeclared statistic', statistics: ['ok'] })
export class UndeclaredStat implements GraphPass {
  run(_graph: Graph, context: PassContext): PassResult {
    context.count('not-declared');
    return { changed: false };
  }
}

/** A module pass: records what it got. */
@pass({ name: 'test-module', summary: 'a module pass', target: 'module', requires: [MethodNames] })
export class ModuleLevel implements ModulePass {
  static seen: string[] = [];
  run(module: ModuleTarget, context: PassContext): PassResult {
    ModuleLevel.seen = context.getAnalysis(MethodNames);
    void module;
    return { changed: false };
  }
}

/** A graph pass that records which method it saw. */
@pass({ name: 'test-methods', summary: 'records method names' })
export class RecordMethods implements GraphPass {
  static seen: string[] = [];
  run(_graph: Graph, context: PassContext): PassResult {
    RecordMethods.seen.push(context.methodName ?? '(none)');
    return { changed: false };
  }
}

/** Establishes the `inlined` property. */
@pass({ name: 'test-inline', summary: 'pretends to inline', establishesProperties: ['inlined'] })
export class PretendInline implements GraphPass {
  run(): PassResult {
    return { changed: false };
  }
}

/** Needs `inlined`. */
@pass({ name: 'test-needs-inlined', summary: 'needs inlined IR', requiresProperties: ['inlined'] })
export class NeedsInlined implements GraphPass {
  run(): PassResult {
    return { changed: false };
  }
}

/** A required pass (never skipped by opt-bisect). */
@pass({ name: 'test-required', summary: 'required for correctness', required: true })
export class Required implements GraphPass {
  run(): PassResult {
    return { changed: false };
  }
}

/** Gets the logger injected and remarks. */
@pass({ name: 'test-remark', summary: 'remarks on every node' })
export class Remarker implements GraphPass {
  constructor(@inject(LOGGER) readonly logger: Logger) {}
  run(graph: Graph, context: PassContext): PassResult {
    for (const n of graph.nodes()) context.remark(n, 'seen');
    context.remark(undefined, 'done');
    return { changed: false };
  }
}

/** Every test pass. */
export const TEST_PASSES: readonly PassClass[] = [
  ReadCount,
  ChangePreserving,
  ChangeClobbering,
  PeelOne,
  RecordOptions,
  Fail,
  Break,
  Liar,
  UndeclaredStat,
  ModuleLevel,
  RecordMethods,
  PretendInline,
  NeedsInlined,
  Required,
  Remarker,
];

/** A container with the test passes, output captured, no reproducers unless asked. */
export function testContainer(settings: Parameters<typeof createContainer>[0] = {}): {
  container: ReturnType<typeof createContainer>;
  output: BufferSink;
} {
  const output = new BufferSink();
  const container = createContainer({ output, instrumentation: { reproducer: false }, ...settings });
  registerPasses(container, TEST_PASSES);
  return { container, output };
}

/** `graph(%x): %a = relu(%x); %b = neg(%a); return (%b)`. */
export function smallGraph(): Graph {
  return parseIR(`graph(%x : Tensor):
  %a : Tensor = aten::relu(%x)
  %b : Tensor = aten::neg(%a)
  return (%b)
`);
}
