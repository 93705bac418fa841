// moveGraphBefore (the inliner's last use of a body) must leave the target exactly as insertGraphBefore
// does: the same text, node/block/use ids, value names, use-list order, inlinedFrom and use store.

import { expect } from 'chai';
import fc from 'fast-check';
import {
  createConstant,
  insertGraphBefore,
  IntType,
  moveGraphBefore,
  parseIR,
  printGraph,
  type Block,
  type Graph,
  type Node,
  type Value,
} from '../../src/ir/index.js';
import { verify } from '../../src/ir/verify.js';
import { build, recipe, TENSOR, withoutScopes } from './text-arbitraries.js';

type Recipe = Parameters<typeof build>[0];

// Everything about a graph that copying or moving could get different.
function fingerprint(g: Graph): unknown {
  const nodes: unknown[] = [];
  const value = (v: Value): unknown => ({
    name: v.debugName,
    uses: v.uses().map((u) => [u.user.id, u.offset]),
  });
  const node = (n: Node): void => {
    nodes.push({
      id: n.id,
      kind: n.kind,
      inputs: n.inputs.map((v) => v.debugName),
      outputs: n.outputs.map(value),
      from: n.inlinedFrom,
      range: n.sourceRange,
      attrs: n.attributeNames(),
      blocks: n.blocks.map((b) => block(b)),
    });
  };
  const block = (b: Block): unknown => {
    const ids = [b.id, b.paramNode.id, b.returnNode.id, b.paramNode.inputs.length];
    const inputs = b.inputs.map(value);
    for (const n of b.nodes()) node(n);
    return { ids, inputs, outputs: b.outputs.map((v) => v.debugName) };
  };
  const top = block(g.block);
  const store = g.dataflow;
  return {
    top,
    nodes,
    text: printGraph(g, { tensorStyle: 'lossless' }),
    vertices: store.nodes(),
    parents: store.nodes().map((v) => store.parent(v) ?? null),
    edges: store.edges().map((e) => [e.v, e.w, e.name, store.edge(e).offset]),
  };
}

// Moves the first use of every value with several to the end of its use list: a body the inliner has
// preoptimized has use lists in no particular order, while a copy's follow program order.
function scrambleUses(g: Graph): void {
  const first = g.block.firstNode ?? g.returnNode;
  const tmp = g.withInsertPoint(first, () => g.insertNode(createConstant(g, 0, IntType)).output());
  const values: Value[] = [...g.inputs];
  for (const n of g.allNodes()) {
    values.push(...n.outputs);
    for (const b of n.blocks) values.push(...b.inputs);
  }
  for (const v of values) {
    const u = v.uses()[0];
    if (v === tmp || v.numUses < 2 || !u) continue;
    u.user.replaceInput(u.offset, tmp);
    u.user.replaceInput(u.offset, v);
  }
  tmp.node.destroy();
}

// Inlines `callee` (built from its recipe) into a graph built from `host`, before its `at`-th node, by
// copying or by moving; returns the target and the values standing for the callee's outputs.
function inline(
  host: Recipe,
  callee: Recipe,
  at: number,
  prefix: string | undefined,
  how: 'copy' | 'move',
): { target: Graph; results: string[] } {
  const target = build(host);
  const body = build({ ...callee, body: withoutScopes(callee.body) });
  scrambleUses(body);
  const points = [...target.allNodes(), target.returnNode];
  const point = points[at % points.length];
  const args = body.inputs.map((_, i) => target.inputs[i % target.inputs.length]);
  const insert = how === 'copy' ? insertGraphBefore : moveGraphBefore;
  const results = insert(point, body, args, { inlinedFromPrefix: prefix });
  return { target, results: results.map((v) => v.debugName) };
}

describe('moveGraphBefore', function () {
  this.timeout(120_000);

  it('leaves the target exactly as insertGraphBefore does (random graphs with nested blocks, fast-check)', () => {
    fc.assert(
      fc.property(
        recipe(TENSOR),
        recipe(TENSOR),
        fc.nat(),
        fc.option(fc.constantFrom('layer1', 'layer1.0'), { nil: undefined }),
        (host, callee, at, prefix) => {
          const copied = inline(host, callee, at, prefix, 'copy');
          const moved = inline(host, callee, at, prefix, 'move');
          verify(moved.target);
          expect(moved.results).to.deep.equal(copied.results);
          expect(fingerprint(moved.target)).to.deep.equal(fingerprint(copied.target));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps source names where free, moves the holder of a taken one, and empties the moved graph', () => {
    const target = parseIR(`graph(%a : Tensor):
  %y : Tensor = aten::relu(%a)
  %r : Tensor = aten::neg(%y)
  return (%r)
`);
    const body = parseIR(`graph(%x : Tensor):
  %y : Tensor = aten::relu(%x)
  %2 : Tensor = aten::neg(%y)
  return (%2)
`);
    const [out] = moveGraphBefore(target.returnNode, body, [target.inputs[0]], { inlinedFromPrefix: 'sub' });
    verify(target);
    expect(printGraph(target)).to.equal(`graph(%a : Tensor):
  %y.1 : Tensor = aten::relu(%a)
  %r : Tensor = aten::neg(%y.1)
  %y : Tensor = aten::relu(%a)
  %0 : Tensor = aten::neg(%y)
  return (%r)
`);
    expect(out.debugName).to.equal('0');
    expect(out.node.inlinedFrom).to.equal('sub');
    expect(body.block.firstNode).to.equal(null);
  });
});
