// remove-list-mutation: the FileCheck cases in remove-list-mutation.ir, and the outputs it keeps.

import 'reflect-metadata';
import { describeIRFile } from '../support/ir-case-runner.js';
import { checkPipelineKeepsOutputs, seeded, testAnalysesModule } from './numeric.js';

describeIRFile('remove-list-mutation.ir', { modules: [testAnalysesModule] });

describe('remove-list-mutation', () => {
  it('keeps the outputs of a graph building lists by append, insert and __setitem__ (rtol 0)', () => {
    checkPipelineKeepsOutputs({
      ir: `graph(%a : Tensor, %b : Tensor):
  %zero : int = prim::Constant[value=0]()
  %m1 : int = prim::Constant[value=-1]()
  %l : Tensor[] = prim::ListConstruct(%a)
  %x : Tensor[] = aten::append(%l, %b)
   = aten::insert(%l, %m1, %a)
  %s : Tensor[] = aten::_set_item(%l, %zero, %b)
  %r : Tensor = aten::cat(%l, %zero)
  return (%r)
`,
      pipeline: 'remove-list-mutation',
      inputs: (seed) => [seeded([2, 3], seed), seeded([2, 3], seed + 1)],
      tolerance: { rtol: 0, atol: 0 },
    });
  });
});
