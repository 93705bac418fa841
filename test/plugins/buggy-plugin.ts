// A plugin with the bugs a pass author really makes, written with definePass (no decorators): a node
// created but never inserted (its output is a dangling use), a crash in run(), a service injected that
// the plugin forgets to bind, a change reported as none, and an analysis kept that the change broke. Loaded with `--plugin dist/test/plugins/buggy-plugin.js`.

import { definePass, serviceToken, type Graph } from '../../src/index.js';

/** Replaces the graph's first output by relu(output) but forgets graph.insertNode: a use of a value no block defines. */
export const danglingUse = definePass({
  name: 'dangling-use',
  summary: 'Wrap the first output in a relu that is never inserted (a dangling use)',
  run(graph: Graph) {
    const out = graph.outputs[0];
    const relu = graph.create('aten::relu', [out]);
    graph.returnNode.replaceInput(0, relu.output());
    return { changed: true };
  },
});

interface Table {
  readonly kinds: readonly string[];
}

/** Crashes on a typo'd property, as a real bug would. */
export const crash = definePass({
  name: 'crash',
  summary: 'Read a property of undefined',
  run(graph: Graph) {
    const table = (graph as unknown as { table?: Table }).table;
    return { changed: table!.kinds.length > 0 };
  },
});

/** Injects a service the plugin never binds. */
export const needsTable = definePass({
  name: 'needs-table',
  summary: 'Inject a table nobody binds',
  inject: { table: serviceToken<Table>('buggy-plugin.Table') },
  run(_graph: Graph, _context, services) {
    return { changed: services.table.kinds.length < 0 };
  },
});

/** Appends a relu to the first output but reports `{ changed: false }` (the graph epoch sees it). */
export const silentChange = definePass({
  name: 'silent-change',
  summary: 'Wrap the first output in a relu, report no change',
  run(graph: Graph) {
    wrapFirstOutput(graph);
    return { changed: false };
  },
});

/** Reads the alias analysis, adds a node, and claims the analysis is still valid. */
export const staleAlias = definePass({
  name: 'stale-alias',
  summary: 'Wrap the first output in a relu, keep alias-analysis cached',
  requires: ['alias-analysis'],
  preserves: ['alias-analysis'],
  run(graph: Graph, context) {
    context.getAnalysis('alias-analysis');
    wrapFirstOutput(graph);
    return { changed: true };
  },
});

function wrapFirstOutput(graph: Graph): void {
  const out = graph.outputs[0];
  const relu = graph.insertNode(graph.create('aten::relu', [out]));
  graph.returnNode.replaceInput(0, relu.output());
}

export const passes = [danglingUse, crash, needsTable, silentChange, staleAlias];
