// A plugin in the other accepted shape: a module exporting a `passes` array (no services of its own).
// Its passes misbehave on purpose, for the CLI's --verify-each and failure tests.

import { pass, type Graph, type GraphPass, type PassResult } from '../../src/index.js';

/** Breaks an invariant: the first node gets an input defined after it. */
@pass({
  name: 'break-ir',
  summary: 'Make the first node use a value defined after it (for --verify-each tests)',
})
export class BreakIR implements GraphPass {
  run(graph: Graph): PassResult {
    const nodes = [...graph.nodes()];
    if (nodes.length >= 2 && nodes[1].outputs.length) nodes[0].addInput(nodes[1].output());
    return { changed: nodes.length >= 2 };
  }
}

/** Throws. */
@pass({ name: 'explode', summary: 'Throw an error (for failure and reproducer tests)' })
export class Explode implements GraphPass {
  run(): PassResult {
    throw new Error('kaboom');
  }
}

export const passes = [BreakIR, Explode];
