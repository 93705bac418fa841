// A small module computing relu(linear(x) * 2): what the deliberately wrong plugin pass
// (test/plugins/wrong-fold-mul-two.ts, x * 2 -> x) breaks, for the numerics-check tests.

import { CompilationUnit, moduleBuilder, Tensor, type ScriptModule } from '../../src/index.js';

/** linear -> x * 2 -> relu. */
export function scaledModule(): ScriptModule {
  return moduleBuilder('__torch__.Scaled', { cu: new CompilationUnit() })
    .training(false)
    .parameter(
      'weight',
      Tensor.fromArray('float32', [0.5, -1, 2, 0.25, 1.5, -0.5, 1, 1, -2, 0.75, 0.1, 0.3], [4, 3]),
    )
    .parameter('bias', Tensor.fromArray('float32', [0.1, 0.2, -0.3, 0.4], [4]))
    .method(
      'forward',
      `graph(%self : __torch__.Scaled, %x : Tensor):
  %two : int = prim::Constant[value=2]()
  %w : Tensor = prim::GetAttr[name="weight"](%self)
  %b : Tensor = prim::GetAttr[name="bias"](%self)
  %h : Tensor = aten::linear(%x, %w, %b)
  %y : Tensor = aten::mul(%h, %two)
  %z : Tensor = aten::relu(%y)
  return (%z)
`,
    )
    .build();
}
