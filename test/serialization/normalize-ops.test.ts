// Loading normalizes operator aliases as PyTorch's compiler does (NormalizeOps): a traced archive's
// `torch.swapaxes` (maxvit_t traced) becomes aten::transpose, so frozen graphs have PyTorch's node kinds.

import { expect } from 'chai';
import { compileSource } from './emit-test-helpers.js';

const SOURCE = `
def f(x: Tensor, y: Tensor) -> Tensor:
  a = torch.swapaxes(x, 0, 1)
  b = torch.multiply(a, y)
  c = torch.true_divide(b, 2)
  d = torch.clip(c, -1., 1.)
  e = torch.swapdims_(d, 0, 1)
  return torch.subtract(e, torch.absolute(torch.greater(d, y)))
`;

describe('load-time NormalizeOps', () => {
  it('rewrites aliases to their canonical operators, keeping names and source lines', () => {
    const graph = compileSource(SOURCE).function('f').graph;
    const kinds = [...graph.block.nodes()].map((n) => n.kind).filter((k) => !k.startsWith('prim::'));
    expect(kinds).to.deep.equal([
      'aten::transpose',
      'aten::mul',
      'aten::div',
      'aten::clamp',
      'aten::transpose_',
      'aten::gt',
      'aten::abs',
      'aten::sub',
    ]);
    const transpose = [...graph.block.nodes()].find((n) => n.kind === 'aten::transpose')!;
    expect(transpose.output().debugName).to.equal('a');
    expect(transpose.sourceRange).to.match(/__torch__\.py:3:/);
  });
});
