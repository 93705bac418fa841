// Block.nodes(): safe while erasing the current node or the next one; loud when both are gone
// (the walk cannot know where it was, and silently stopping would skip the rest of the block).

import { expect } from 'chai';
import { parseIR } from '../../src/index.js';

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
