// Block.nodes() and Graph.allNodes(): safe while erasing the current node or the next one; loud when both are gone
// (the walk cannot know where it was, and silently stopping would skip the rest of the block).

import { expect } from 'chai';
import { parseIR } from '../../src/index.js';
import type { Block } from '../../src/ir/block.js';
import { Graph } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';

const G = `graph(%x : Tensor):
  %a : Tensor = aten::relu(%x)
  %b : Tensor = aten::neg(%x)
  %c : Tensor = aten::sigmoid(%x)
  %d : Tensor = aten::tanh(%x)
  return (%x)
`;

describe('Block.nodes() while mutating', () => {
  it('erasing the current node, or the next one, keeps walking', () => {
    const g = parseIR(G);
    const seen: string[] = [];
    for (const n of g.nodes()) {
      seen.push(n.kind);
      if (n.kind === 'aten::relu') n.destroy();
      if (n.kind === 'aten::neg') n.next!.destroy(); // the sigmoid
    }
    expect(seen).to.deep.equal(['aten::relu', 'aten::neg', 'aten::tanh']);
  });

  it('erasing the current and the next node fails loudly instead of stopping early', () => {
    const g = parseIR(G);
    expect(() => {
      for (const n of g.nodes()) {
        if (n.kind === 'aten::neg') {
          n.next!.destroy();
          n.destroy();
        }
      }
    }).to.throw(/both removed while iterating/);
  });
});

// Graph.allNodes() keeps its open blocks on one stack and returns itself as each step's result: checked
// against a recursive walk on randomly nested graphs, and with the current node erased as it is reached.
describe('Graph.allNodes()', () => {
  // A graph of `count` nodes, some owning 1-3 blocks (nested up to depth 4), from a fixed seed.
  function nestedGraph(seed: number, count: number): Graph {
    let s = seed;
    const rand = (k: number): number => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % k;
    };
    const g = new Graph();
    const fill = (block: Block, depth: number, budget: number): number => {
      let made = 0;
      while (made < budget) {
        const node = block.appendNode(g.create(`op::n${made}`, [], []));
        made++;
        if (depth < 4 && rand(3) === 0) {
          const blocks = 1 + rand(3);
          for (let b = 0; b < blocks && made < budget; b++)
            made += fill(node.addBlock(), depth + 1, rand(Math.min(6, budget - made) + 1));
        }
        if (rand(4) === 0) break;
      }
      return made;
    };
    while (fill(g.block, 0, count) > 0 && [...g.allNodes()].length < count);
    return g;
  }

  const reference = (block: Block, out: Node[] = []): Node[] => {
    for (let n = block.returnNode.next!; n !== block.returnNode; n = n.next!) {
      out.push(n);
      for (const b of n.blocks) reference(b, out);
    }
    return out;
  };

  it('walks every node depth-first in program order, a node before its blocks', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const g = nestedGraph(seed, 60);
      expect([...g.allNodes()], `seed ${seed}`).to.deep.equal(reference(g.block));
      const steps: Node[] = [];
      const it = g.allNodes();
      for (let r = it.next(); !r.done; r = it.next()) steps.push(r.value);
      expect(steps).to.deep.equal(reference(g.block));
      expect(it.next().done, 'stays done').to.equal(true);
    }
  });

  it('keeps walking when the current node (blocks and all) is erased as it is reached', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const g = nestedGraph(seed, 60);
      const all = reference(g.block);
      // Erase every node owning blocks: the walk must skip exactly what those blocks held.
      const inside = new Set<Node>();
      for (const n of all)
        if (n.blocks.length) for (const b of n.blocks) for (const m of reference(b)) inside.add(m);
      const seen: Node[] = [];
      for (const n of g.allNodes()) {
        seen.push(n);
        if (n.blocks.length) n.destroy();
      }
      expect(seen, `seed ${seed}`).to.deep.equal(all.filter((n) => !inside.has(n)));
    }
  });
});
