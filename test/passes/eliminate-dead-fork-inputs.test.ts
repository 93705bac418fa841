// eliminate-dead-fork-inputs: the FileCheck cases in eliminate-dead-fork-inputs.ir, and the second run
// that drops what the first run's inner change left unread (as torch.jit.freeze's later DCE does).

import 'reflect-metadata';
import { expect } from 'chai';
import { parseIR, runPipeline } from '../../src/index.js';
import { describeIRFile } from '../support/ir-case-runner.js';
import { testContainer } from './numeric.js';

describeIRFile('eliminate-dead-fork-inputs.ir');

const NESTED = `graph(%self : __torch__.M, %x : Tensor):
  %sub : __torch__.Sub = prim::GetAttr[name="sub"](%self)
  %outer : Future[Tensor] = prim::fork(%sub, %x)
    block0():
      %inner_sub : __torch__.Inner = prim::GetAttr[name="inner"](%sub)
      %inner : Future[Tensor] = prim::fork(%inner_sub, %x)
        block0():
          %n : Tensor = aten::neg(%x)
          -> (%n)
      %w : Tensor = aten::wait(%inner)
      -> (%w)
  %r : Tensor = aten::wait(%outer)
  return (%r)
`;

describe('eliminate-dead-fork-inputs', () => {
  it('after dead-code elimination, a second run drops the capture the first run left unread', () => {
    const c = testContainer();
    const g = parseIR(NESTED);
    const first = runPipeline(c, g, 'eliminate-dead-fork-inputs,dead-code-elimination');
    expect(first.statistics['eliminate-dead-fork-inputs']['inputs-removed']).to.equal(1);
    expect(g.toString()).to.include('prim::fork(%sub, %x)');
    const second = runPipeline(c, g, 'eliminate-dead-fork-inputs,dead-code-elimination');
    expect(second.statistics['eliminate-dead-fork-inputs']['inputs-removed']).to.equal(1);
    expect(g.toString()).to.not.include('prim::GetAttr');
    expect(runPipeline(c, g, 'eliminate-dead-fork-inputs').changed).to.equal(false);
  });
});
